"""Start-up: registering the commands loads none of what they run, so `atg --help` and every
command start without storage, OpenTelemetry or the evaluation. What a fresh interpreter has
loaded is checked here, never how long it took (bench/bench_startup.py measures that)."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# what a command loads when it runs, never when it is registered
RUN_ONLY = (
    "sqlalchemy",
    "opentelemetry",
    "prometheus_client",
    "detect_secrets",
    "agentic_testgen.storage",
    "agentic_testgen.evals._evaluate",
    "agentic_testgen.config",
    "dask",
    "distributed",
)


def modules_loaded_by(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after running `statement`."""
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout))


def run_only(loaded: set[str]) -> list[str]:
    def is_run_only(name: str) -> bool:
        return any(name == module or name.startswith(f"{module}.") for module in RUN_ONLY)

    return sorted(filter(is_run_only, loaded))


def test_importing_the_cli_loads_none_of_what_the_commands_run() -> None:
    assert run_only(modules_loaded_by("import agentic_testgen.cli._app")) == []


def test_the_user_errors_are_caught_without_what_raises_them() -> None:
    assert run_only(modules_loaded_by("from agentic_testgen.cli._errors import USER_ERRORS")) == []


def loaded_packages(statement: str, prefix: str) -> list[str]:
    return sorted(name for name in modules_loaded_by(statement) if name.startswith(prefix))


def test_the_store_loads_no_observability() -> None:
    # one direction: the exporter, SLOs and the monitor read the store, never the reverse
    assert loaded_packages("import agentic_testgen.storage", "agentic_testgen.observability") == []


def test_tracing_loads_no_store() -> None:
    # the command that keeps spans hands them to its store
    loaded = modules_loaded_by("import agentic_testgen.observability.tracing")
    assert "agentic_testgen.observability.tracing" in loaded
    assert sorted(name for name in loaded if name.startswith("agentic_testgen.storage")) == []
    assert "sqlalchemy" not in loaded


def test_the_runner_and_its_executors_load_no_dask() -> None:
    # Dask is imported when a Dask executor is opened, never for a local run
    loaded = modules_loaded_by("import agentic_testgen.evals.runner, agentic_testgen.execution")
    assert sorted(n for n in loaded if n.split(".")[0] in {"dask", "distributed"}) == []


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inventory"

# `atg eval file` on the example, stopped when it asks its sandbox to run the tests: what the
# process holds then is all its start-up loaded
EVAL_FILE_UNTIL_THE_RUN = """
import json, os, sys, threading
from agentic_testgen.sandbox._process import ProcessSandbox

first = threading.Lock()  # runs may start from several threads at once: the first one reports

def stop(*args, **kwargs):
    first.acquire()
    print(json.dumps(sorted(sys.modules)), flush=True)
    os._exit(0)

ProcessSandbox.execute = stop
sys.argv = ["atg", "eval", "file", "--source", sys.argv[1], "--tests", sys.argv[2]]
from agentic_testgen.cli import main
main()
"""


def modules_loaded_before_the_run(**env: str) -> set[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    environment.update(ATG_TRACING="1", **env)
    done = subprocess.run(
        [sys.executable, "-c", EVAL_FILE_UNTIL_THE_RUN, str(EXAMPLE / "inventory.py"),
         str(EXAMPLE / "test_inventory.py")],
        capture_output=True, text=True, check=True, timeout=120, env=environment,
    )  # fmt: skip
    return set(json.loads(done.stdout))


def test_eval_file_starts_its_run_without_the_opentelemetry_sdk() -> None:
    # with no OTLP endpoint its spans go nowhere: they are not recorded, the SDK is not loaded
    loaded = modules_loaded_before_the_run()
    assert "agentic_testgen.cli.eval" in loaded  # it did run the command
    assert sorted(name for name in loaded if name.startswith("opentelemetry.sdk")) == []


def test_eval_file_starts_its_run_before_the_metrics_the_mutants_and_asyncio() -> None:
    # the run is started first: scoring, the mutation schemata and the JavaScript/Java text
    # mutants load after it; the settings are read without pydantic-settings (asyncio)
    loaded = modules_loaded_before_the_run()
    assert "agentic_testgen.languages.python._adapter" in loaded  # it did reach the run
    later = ("agentic_testgen.evals.metrics", "agentic_testgen.evals.scoring", "asyncio")
    later += ("agentic_testgen.evals.mutation", "pydantic_settings", "tree_sitter")
    assert sorted(n for n in loaded if n.split(".")[0] in later or n.startswith(later)) == []


def test_eval_file_loads_the_sdk_when_its_spans_go_out_over_otlp() -> None:
    # nothing listens there: the exporter is only built, nothing is sent before the run
    loaded = modules_loaded_before_the_run(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9")
    assert "opentelemetry.sdk.trace" in loaded


def test_typer_reads_every_command_signature_without_evaluating_strings() -> None:
    # typer builds every command at each start: a string annotation is evaluated four times
    import typer.main

    from agentic_testgen.cli import app

    def callbacks(command: object) -> Iterator[tuple[str, Any]]:
        callback = getattr(command, "callback", None)
        if callback is not None:
            yield getattr(command, "name", "atg"), callback
        for sub in getattr(command, "commands", {}).values():
            yield from callbacks(sub)

    string_annotations = [
        f"{name}: {parameter}"
        for name, wrapper in callbacks(typer.main.get_command(app))
        for parameter, annotation in inspect.get_annotations(inspect.unwrap(wrapper)).items()
        if isinstance(annotation, str)
    ]
    assert string_annotations == []
