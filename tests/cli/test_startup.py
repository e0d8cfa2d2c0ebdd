"""Start-up: registering the commands loads none of what they run, so `atg --help` and every
command start without storage, OpenTelemetry or the evaluation. What a fresh interpreter has
loaded is checked here, never how long it took (bench/bench_startup.py measures that)."""

from __future__ import annotations

import json
import subprocess
import sys

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
