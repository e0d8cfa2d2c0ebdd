"""`atg trace show SUITE_ID`: the waterfall of one suite's trace, from the local span store."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.cli.eval_suite import DbUrl, Workspace

if TYPE_CHECKING:
    from rich.table import Table

    from agentic_testgen.signals.spans import SpanRecord

trace_app = typer.Typer(help="Show the traces kept in the local span store.", no_args_is_help=True)

BAR_WIDTH = 32
# attributes worth a glance in the waterfall, in this order
SHOWN = (
    "gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
    "gen_ai.tool.name", "atg.coder", "atg.sandbox.backend", "process.exit.code",
    "atg.metric.value", "error.type",
)  # fmt: skip


@trace_app.command("show")
def show(
    suite_id: Annotated[str, typer.Argument(help="Suite id (see `atg eval trend`), or `latest`.")],
    workspace: Workspace = Path("evals"),
    db: DbUrl = None,
    depth: Annotated[
        int | None, typer.Option(min=1, help="Show spans down to this depth only.")
    ] = None,
) -> None:
    """Print the suite's spans as a tree with start offsets, durations and bars."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.storage import ResultStore  # noqa: PLC0415

    console, err = Console(), Console(stderr=True)
    try:
        store = ResultStore.for_workspace(workspace, db)
        suite_id = store.resolve_suite(suite_id)
        spans = store.spans(suite_id)
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    if not spans:
        raise fail(f"no spans stored for suite {suite_id!r} (was tracing off: ATG_TRACING=0?)", err)
    console.print(waterfall(spans, depth), soft_wrap=True)


def waterfall(spans: "Sequence[SpanRecord]", depth: int | None = None) -> "Table":
    """The spans as a table: indented names in tree order, offsets, durations, bars."""
    from rich.table import Table  # noqa: PLC0415 - imported when it runs
    from rich.text import Text  # noqa: PLC0415

    start = min(span.start_ns for span in spans)
    total = max(max(span.end_ns for span in spans) - start, 1)
    table = Table(box=None, pad_edge=False, show_edge=False, expand=True)
    table.add_column("span", no_wrap=True, min_width=24)
    table.add_column("start ms", justify="right", no_wrap=True, min_width=8)
    table.add_column("ms", justify="right", no_wrap=True, min_width=8)
    table.add_column("", no_wrap=True, min_width=BAR_WIDTH)
    table.add_column("details", no_wrap=True, overflow="ellipsis", min_width=10, ratio=1)
    for level, span in _tree_order(spans):
        if depth is not None and level >= depth:
            continue
        offset = (span.start_ns - start) / total
        width = max((span.end_ns - span.start_ns) / total, 1 / BAR_WIDTH / 2)
        bar = " " * int(offset * BAR_WIDTH) + "█" * max(1, round(width * BAR_WIDTH))
        style = "red" if span.status == "error" else "cyan"
        table.add_row(
            Text("  " * level + span.name, style="bold red" if span.status == "error" else ""),
            f"{(span.start_ns - start) / 1e6:.0f}",
            f"{(span.end_ns - span.start_ns) / 1e6:.1f}",
            Text(bar[:BAR_WIDTH], style=style),
            _details(span),
        )
    return table


def _tree_order(spans: "Sequence[SpanRecord]") -> "Iterator[tuple[int, SpanRecord]]":
    """Depth-first, children in start order; spans whose parent is missing are roots."""
    ids = {span.span_id for span in spans}
    children: dict[str | None, list[SpanRecord]] = defaultdict(list)
    for span in sorted(spans, key=lambda s: s.start_ns):
        children[span.parent_id if span.parent_id in ids else None].append(span)

    def walk(parent: str | None, level: int) -> "Iterator[tuple[int, SpanRecord]]":
        for child in children.get(parent, []):
            yield level, child
            yield from walk(child.span_id, level + 1)

    return walk(None, 0)


def _details(span: "SpanRecord") -> str:
    found = [f"{key.split('.')[-1]}={_short(span.attributes[key])}" for key in SHOWN
             if key in span.attributes]  # fmt: skip
    scores = [
        f"{event['attributes'].get('gen_ai.evaluation.name')}="
        f"{event['attributes'].get('gen_ai.evaluation.score.value', 0):.2f}"
        for event in span.events
        if event.get("name") == "gen_ai.evaluation.result"
    ]
    scores.reverse()  # the overall quality score (recorded last) first
    return " ".join(found + scores)


def _short(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)
