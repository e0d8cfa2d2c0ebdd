"""`atg deploy render`: the Prometheus, Alertmanager, Grafana and docker-compose configuration
of the ops stack, written from the settings."""

from pathlib import Path
from typing import Annotated

import typer

from agentic_testgen.cli._errors import USER_ERRORS, fail
from agentic_testgen.deploy import DeployTarget

deploy_app = typer.Typer(
    help="The ops stack: Prometheus rules, Alertmanager routing, Grafana, docker compose.",
    no_args_is_help=True,
)

# the defaults as the class declares them: making a target would load the settings
_DEFAULT = DeployTarget


@deploy_app.command("render")
def render_stack(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write into (created when missing).")
    ],
    exporter: Annotated[
        str, typer.Option(help="host:port where Prometheus scrapes atg's exporter.")
    ] = _DEFAULT.exporter,
    prometheus: Annotated[
        str, typer.Option(help="host:port of Prometheus (Grafana's datasource).")
    ] = _DEFAULT.prometheus,
    alertmanager: Annotated[
        str, typer.Option(help="host:port of Alertmanager, where Prometheus sends alerts.")
    ] = _DEFAULT.alertmanager,
    scrape_interval: Annotated[
        str, typer.Option(help="How often Prometheus scrapes and evaluates its rules.")
    ] = _DEFAULT.scrape_interval,
    runbooks: Annotated[
        str,
        typer.Option(
            help="Where your team reads docs/runbooks.md (a URL); each alert links to a section."
        ),
    ] = _DEFAULT.runbooks,
) -> None:
    """Write the ops stack's configuration under --out: Prometheus (scrape configuration, alerts,
    SLO recording rules and burn-rate alerts, their promtool tests), Alertmanager, Grafana and a
    docker-compose.yml. The SLO objectives and cost budgets are the settings' ([slo], [cost]);
    docs/deploy.md describes the stack."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.config import load_settings  # noqa: PLC0415
    from agentic_testgen.deploy import render  # noqa: PLC0415

    err = Console(stderr=True)
    try:
        settings = load_settings()
        target = DeployTarget(
            exporter=exporter,
            prometheus=prometheus,
            alertmanager=alertmanager,
            slo=settings.slo,
            scrape_interval=scrape_interval,
            cost=settings.cost,
            runbooks=runbooks,
        )
        written = render(target, out)
    except OSError as error:
        raise fail(f"cannot write under {out}: {error.strerror or error}", err) from None
    except USER_ERRORS as error:
        raise fail(str(error), err) from None
    for path in written:
        typer.echo(path)
    err.print(
        f"wrote {len(written)} files; start the stack with `docker compose up -d` in {out}",
        highlight=False,
        soft_wrap=True,
    )
