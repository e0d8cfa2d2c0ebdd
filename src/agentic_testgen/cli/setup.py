"""`atg setup`: fetch the tools atg runs from outside its own environment (Pynguin, the Java
and JavaScript test tools) into atg's cache, once."""

from pathlib import Path
from typing import Annotated

import typer

from agentic_testgen.cli._errors import fail
from agentic_testgen.generation.coders import PYNGUIN_VERSION

setup_app = typer.Typer(help="Set up tools that need their own environment.", no_args_is_help=True)


@setup_app.command("pynguin")
def pynguin(
    path: Annotated[
        Path | None,
        typer.Option(
            help="Where to make the environment [default: $XDG_CACHE_HOME/atg/pynguin-"
            f"{PYNGUIN_VERSION}, else ~/.cache/atg/...]; elsewhere, point ATG_PYNGUIN at it."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Make it again even when it is there.")] = False,
) -> None:
    """Make Pynguin's own environment (it pins its own pytest) and install Pynguin into it."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.generation import GenerationError  # noqa: PLC0415
    from agentic_testgen.generation.coders import install_pynguin, pynguin_home  # noqa: PLC0415

    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True)
    try:
        executable = install_pynguin(path or pynguin_home(), say=out.print, force=force)
    except (GenerationError, OSError) as error:
        raise fail(f"setting up Pynguin: {error}", err) from None
    if path is not None and path.expanduser().absolute() != pynguin_home():
        out.print(f"to use it: export ATG_PYNGUIN={executable.parent.parent}")


@setup_app.command("java")
def java(
    force: Annotated[bool, typer.Option(help="Fetch and compile again even when set up.")] = False,
    project: Annotated[
        list[Path] | None,
        typer.Option(
            help="A Maven project (a folder with pom.xml) whose dependencies and plugins to "
            "fetch into atg's Maven repository, by building it once with network; repeat for "
            "more projects."
        ),
    ] = None,
) -> None:
    """Fetch JUnit and JaCoCo from Maven Central into atg's cache, compile atg's JUnit harness
    and fill atg's Maven repository for Maven projects; Java runs then read them there and never
    reach a registry."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.languages._tools import ToolsMissingError  # noqa: PLC0415
    from agentic_testgen.languages.java import (  # noqa: PLC0415
        install_java_tools,
        java_tools,
        prepare_project,
    )

    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True)
    try:
        home = install_java_tools(say=out.print, force=force)
        for path in project or []:
            root = prepare_project(path, java_tools(home), say=out.print)
            out.print(f"Maven project {root} ready")
    except (ToolsMissingError, OSError) as error:
        raise fail(f"setting up the Java tools: {error}", err) from None
    out.print(f"Java tools ready in {home}")


@setup_app.command("javascript")
def javascript(
    force: Annotated[bool, typer.Option(help="Install again even when it is there.")] = False,
) -> None:
    """Install the JavaScript coverage tools (c8, v8-to-istanbul) from their pinned lock with
    npm ci, into $XDG_CACHE_HOME/atg/node-tools-<lock hash> (else ~/.cache/atg/...)."""
    from rich.console import Console  # noqa: PLC0415 - imported when it runs

    from agentic_testgen.languages._tools import ToolsMissingError  # noqa: PLC0415
    from agentic_testgen.languages.javascript import install_node_tools  # noqa: PLC0415

    out, err = Console(highlight=False, soft_wrap=True), Console(stderr=True)
    try:
        install_node_tools(say=out.print, force=force)
    except (ToolsMissingError, OSError) as error:
        raise fail(f"setting up the JavaScript tools: {error}", err) from None
