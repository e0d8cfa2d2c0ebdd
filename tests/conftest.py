"""Shared fixtures: settings that keep real sandboxed runs quick, and small projects on disk."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agentic_testgen.config import RunSettings, Settings
from agentic_testgen.domain import EvalResult
from agentic_testgen.evals import evaluate_files

WriteProject = Callable[[dict[str, str]], Path]
Evaluate = Callable[..., EvalResult]


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ATG_* or virtualenv variable from the developer's shell changes what a test sees."""
    import os

    for name in list(os.environ):
        if name.startswith("ATG_"):
            monkeypatch.delenv(name)
    # an activated virtualenv would become the interpreter of every project a test makes
    for name in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def settings() -> Settings:
    """Real sandbox, fewer reruns and a short per-test limit so the suite stays fast."""
    return Settings(run=RunSettings(reruns=2, test_timeout_s=3.0, parallel=2, mutation=False))


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under `root` (text is dedented) and return `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def write_project(tmp_path: Path) -> WriteProject:
    """Write {relative path: text} under tmp_path (text is dedented) and return tmp_path."""
    return lambda files: write_files(tmp_path, files)


@pytest.fixture
def evaluate_project(write_project: WriteProject, settings: Settings) -> Evaluate:
    """Write a module and its tests, evaluate them for real, return the result."""

    def run(
        source: str,
        tests: str,
        *,
        module: str = "calc.py",
        test_file: str = "tests/test_calc.py",
        run_settings: Settings | None = None,
    ) -> EvalResult:
        root = write_project({module: source, test_file: tests})
        return evaluate_files(root / module, root / test_file, settings=run_settings or settings)

    return run


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the session (Debian's binaries; `make test` installs them)."""
    from tests.postgres import postgres_server

    with postgres_server() as url:
        yield url


def make_result(score: float, metrics: dict[str, float] | None = None) -> EvalResult:
    """A stored-shape result with the given score and metric values (for storage-level tests)."""
    from datetime import UTC, datetime

    from agentic_testgen.domain import Language, MetricValue

    values = metrics or {"coverage": score, "pass_rate": score}
    return EvalResult(
        score=score,
        quality_level="good",
        passed=score >= 0.7,
        pass_line=0.7,
        language=Language.PYTHON,
        source="mod.py",
        tests_file="test_mod.py",
        metrics={n: MetricValue(name=n, value=v, threshold=0.9) for n, v in values.items()},
        weights={n: 1.0 for n in values},
        tests=(),
        sandbox="bwrap",
        reruns=0,
        duration_s=0.1,
        created_at=datetime.now(UTC),
        atg_version="test",
    )
