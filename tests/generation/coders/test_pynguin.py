"""Finding Pynguin: the setting or ATG_PYNGUIN, else the environment `atg setup pynguin` made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.config import load_settings
from agentic_testgen.generation import Budget, GenerationError, generate_tests
from agentic_testgen.generation._select import choose_coders, offline_coders
from agentic_testgen.generation.coders import (
    PynguinCoder,
    Unavailable,
    locate_pynguin,
    pynguin_home,
)
from agentic_testgen.sandbox import get_sandbox
from tests.generation.test_generate import MODULE, OPTIONS


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory with no Pynguin in it, and no `pynguin` on the PATH."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = os.environ["PATH"].split(os.pathsep)  # keep bwrap and the rest, not a pynguin
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in path if not Path(p, "pynguin").exists()))
    return tmp_path / "cache"


def make_cached_environment(pynguin: Path) -> Path:
    """The layout `atg setup pynguin` leaves, its executable linked to the real one."""
    home = pynguin_home()
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "pynguin").symlink_to(pynguin)
    (home / ".installed").write_text("pynguin==0.48.0\n")
    return home


def test_atg_pynguin_may_name_an_environment_or_an_executable(
    pynguin: Path, empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = pynguin.parent.parent
    monkeypatch.setenv("ATG_PYNGUIN", str(environment))
    assert locate_pynguin() == environment / "bin" / "pynguin"
    monkeypatch.setenv("ATG_PYNGUIN", str(pynguin))
    assert locate_pynguin() == pynguin


def test_an_atg_pynguin_that_names_nothing_says_so(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATG_PYNGUIN", str(empty_cache / "nowhere"))
    with pytest.raises(GenerationError, match=r"ATG_PYNGUIN names .*nowhere, which is neither"):
        locate_pynguin()


def test_without_pynguin_the_message_says_to_run_atg_setup_pynguin(empty_cache: Path) -> None:
    with pytest.raises(GenerationError, match=r"not installed: run `atg setup pynguin`"):
        PynguinCoder()


def test_the_default_coders_say_that_pynguin_is_missing_rather_than_drop_it(
    empty_cache: Path,
) -> None:
    names = [coder.name for coder in offline_coders()]
    assert names == ["doctest", "crosshair", "pynguin", "ghostwriter"]
    missing = offline_coders()[2]
    assert isinstance(missing, Unavailable)
    assert "atg setup pynguin" in missing.reason


def test_the_environment_atg_setup_made_is_found_from_any_directory(
    pynguin: Path, empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = make_cached_environment(pynguin)
    assert home.is_relative_to(empty_cache)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert locate_pynguin() == home / "bin" / "pynguin"
    assert isinstance(offline_coders()[2], PynguinCoder)


def test_an_environment_without_its_install_stamp_is_not_trusted(
    pynguin: Path, empty_cache: Path
) -> None:
    home = make_cached_environment(pynguin)
    (home / ".installed").unlink()  # pip stopped half-way
    with pytest.raises(GenerationError, match="not installed"):
        locate_pynguin()


def test_the_pynguin_setting_in_pyproject_is_used(
    pynguin: Path, empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.atg]\npynguin = "{pynguin.parent.parent}"\n')
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    [coder] = choose_coders("pynguin", pynguin=settings.pynguin)
    assert isinstance(coder, PynguinCoder)
    assert coder.executable == pynguin.parent.parent / "bin" / "pynguin"


def test_atg_generate_finds_pynguin_from_another_directory(
    pynguin: Path, empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_cached_environment(pynguin)
    (tmp_path / "calc.py").write_text(MODULE.code)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["generate", "--file", "calc.py", "--coder", "pynguin", "--max-iterations", "1"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "/tests/test_calc.py: " in result.output  # the project's tests directory
    assert "sign(" in (tmp_path / "tests/test_calc.py").read_text()  # Pynguin's call, kept


def test_a_pynguin_failure_is_recorded_with_pynguins_own_reason(pynguin: Path) -> None:
    broken = MODULE.model_copy(
        update={"code": MODULE.code + 'raise RuntimeError("boom at import")\n'}
    )
    outcome = generate_tests(
        broken, [PynguinCoder(pynguin)], get_sandbox("bwrap"), options=OPTIONS,
        budget=Budget(max_iterations=1, max_seconds=60),
    )  # fmt: skip
    assert [str(failure) for failure in outcome.failures] == [
        "pynguin: Failed to load SUT: boom at import"
    ]
