"""Settings from pyproject.toml, atg.toml and ATG_* variables, and their errors."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.config import DEFAULT_GATES, DEFAULT_WEIGHTS, ConfigError, load_settings


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_defaults_are_the_documented_ones() -> None:
    settings = load_settings()
    assert settings.scoring.pass_line == 0.70
    assert settings.run.reruns == 5
    assert sum(settings.scoring.weights.values()) == pytest.approx(1.0)
    assert settings.scoring.levels.level(0.9) == "excellent"
    assert settings.scoring.levels.level(0.75) == "good"
    assert settings.scoring.levels.level(0.6) == "fair"
    assert settings.scoring.levels.level(0.59) == "poor"


def test_atg_toml_overrides_pyproject_and_the_environment_overrides_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Path("pyproject.toml").write_text(
        "[tool.atg.run]\nreruns = 2\ntest_timeout_s = 4\n[tool.atg.scoring]\npass_line = 0.5\n"
    )
    Path("atg.toml").write_text("[run]\nreruns = 3\n")
    monkeypatch.setenv("ATG_RUN__TEST_TIMEOUT_S", "7")
    settings = load_settings()
    assert settings.run.reruns == 3
    assert settings.run.test_timeout_s == 7
    assert settings.scoring.pass_line == 0.5


def test_configured_weights_change_what_they_name_and_keep_the_other_defaults() -> None:
    Path("atg.toml").write_text("[scoring.weights]\ncoverage = 0.5\nreadability = 0\n")
    weights = load_settings().scoring.weights
    assert weights == {**DEFAULT_WEIGHTS, "coverage": 0.5, "readability": 0.0}
    assert weights["mutation_score"] == DEFAULT_WEIGHTS["mutation_score"]  # not dropped


def test_fail_under_can_be_configured(tmp_path: Path) -> None:
    Path("pyproject.toml").write_text("[tool.atg.scoring]\nfail_under = 0.8\n")
    assert load_settings().scoring.fail_under == 0.8
    Path("calc.py").write_text("def double(x):\n    return 2 * x\n")
    Path("test_calc.py").write_text("from calc import double\n\ndef test_runs():\n    double(2)\n")
    outcome = CliRunner().invoke(
        app, ["eval", "file", "--source", "calc.py", "--tests", "test_calc.py", "--reruns", "0",
              "--no-mutation"],
    )  # fmt: skip
    assert outcome.exit_code == 1, outcome.output
    assert "is below scoring.fail_under 0.8" in outcome.output


def test_command_line_overrides_win() -> None:
    Path("atg.toml").write_text("[run]\nreruns = 3\n")
    assert load_settings(run={"reruns": 1}).run.reruns == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[scoring.weights]\nspeed = 1.0\n", "unknown metric 'speed' in scoring.weights"),
        ("[scoring.thresholds]\ncoverage = 1.5\n", "thresholds must be between 0 and 1"),
        ("[scoring.gates]\nspeed = 0.5\n", "unknown metric 'speed' in scoring.gates"),
        ("[scoring.gates]\ncoverage = 2\n", "gates must be between 0 and 1"),
        ("[scoring]\ngated_level = 'great'\n", "scoring.gated_level: Input should be"),
        ("[run]\nreruns = -1\n", "run.reruns: Input should be greater than or equal to 0"),
        ("[run]\nsandbox = 'docker'\n", "unknown sandbox 'docker'"),
        ("[rn]\nreruns = 1\n", "rn: Extra inputs are not permitted"),
    ],
)
def test_bad_settings_give_one_clear_line(text: str, message: str) -> None:
    Path("atg.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as raised:
        load_settings()
    assert "\n" not in str(raised.value)


def test_a_file_that_is_not_toml_is_named_in_the_error() -> None:
    Path("atg.toml").write_text("[run\n")
    with pytest.raises(ConfigError, match=r"atg\.toml: not valid TOML"):
        load_settings()


def test_a_setting_in_a_parent_directorys_pyproject_applies_in_a_subdirectory(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n[tool.atg.run]\nreruns = 2\n")
    module = tmp_path / "src" / "pkg" / "mod.py"
    module.parent.mkdir(parents=True)
    module.write_text("x = 1\n")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    # from the module, wherever the command runs
    assert load_settings(module).run.reruns == 2
    # and from a subdirectory as the current directory
    import os

    os.chdir(module.parent)
    assert load_settings().run.reruns == 2
    os.chdir(elsewhere)
    assert load_settings().run.reruns == 5


def test_the_walk_up_stops_at_the_project_root(tmp_path: Path) -> None:
    (tmp_path / "atg.toml").write_text("[run]\nreruns = 2\n")
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    assert load_settings(project / "pkg" / "mod.py").run.reruns == 5
    assert load_settings(tmp_path / "loose" / "mod.py").run.reruns == 2


def test_atg_toml_next_to_the_nearest_pyproject_overrides_its_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.atg.run]\nreruns = 2\ntest_timeout_s = 4\n")
    (tmp_path / "atg.toml").write_text("[run]\nreruns = 3\n")
    settings = load_settings(tmp_path / "sub" / "deeper" / "mod.py")
    assert (settings.run.reruns, settings.run.test_timeout_s) == (3, 4)


def test_an_invalid_value_names_the_file_it_came_from(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.atg.run]\nreruns = -1\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml \[tool\.atg\].*run\.reruns"):
        load_settings(tmp_path / "pkg" / "mod.py")


def test_gates_are_read_from_the_scoring_section() -> None:
    Path("atg.toml").write_text(
        "[scoring]\ngated_level = 'poor'\n[scoring.gates]\ncoverage = 0.8\n"
    )
    scoring = load_settings().scoring
    assert scoring.gates == {"coverage": 0.8}
    assert scoring.gated_level == "poor"


def _documented_weights(text: str) -> dict[str, float]:
    rows = re.findall(r"^\| (\w+) \| ([0-9.]+) \| [0-9.]+ \| ([0-9.]+|—) \|$", text, re.M)
    return {name: float(weight) for name, weight, _ in rows}


def test_docs_and_readme_show_the_default_weights_and_gates() -> None:
    root = Path(__file__).resolve().parents[1]
    metrics_doc = (root / "docs" / "metrics.md").read_text()
    assert _documented_weights(metrics_doc) == DEFAULT_WEIGHTS
    rows = re.findall(r"^\| (\w+) \| [0-9.]+ \| [0-9.]+ \| ([0-9.]+) \|$", metrics_doc, re.M)
    assert {name: float(gate) for name, gate in rows} == DEFAULT_GATES
    readme = (root / "README.md").read_text()
    example = readme.split("# atg.toml (in pyproject.toml", 1)[1].split("```", 1)[0]
    parsed = tomllib.loads(example.split("\n", 1)[1])
    assert parsed["scoring"]["weights"] == DEFAULT_WEIGHTS
    assert parsed["scoring"]["gates"] == DEFAULT_GATES


# The ATG_* variables as pydantic-settings read them (env_prefix ATG_, nested delimiter __, not
# case-sensitive, JSON for a table): these tests held before settings were read without it.


def test_a_variable_names_a_nested_setting_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATG_RUN__RERUNS", "2")
    monkeypatch.setenv("atg_run__Mutation", "false")
    monkeypatch.setenv("ATG_SCORING__LEVELS__GOOD", "0.8")
    monkeypatch.setenv("ATG_PYNGUIN", "/opt/pynguin")
    settings = load_settings()
    assert (settings.run.reruns, settings.run.mutation) == (2, False)
    assert settings.scoring.levels.good == 0.8
    assert settings.pynguin == "/opt/pynguin"


def test_a_table_is_given_as_json_and_its_keys_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Path("atg.toml").write_text("[run]\nreruns = 3\ntest_timeout_s = 4\n")
    monkeypatch.setenv("ATG_RUN", '{"reruns": 1, "max_pids": 64}')
    monkeypatch.setenv("ATG_RUN__MAX_PIDS", "32")  # one key beats the same key in the JSON
    monkeypatch.setenv("ATG_SCORING__WEIGHTS", '{"coverage": 0.5}')
    monkeypatch.setenv("ATG_SCORING__GATES__COVERAGE", "0.7")  # a key of a table, on its own
    monkeypatch.setenv("ATG_COST__BUDGETS", '{"team=payments": 7}')
    settings = load_settings()
    assert (settings.run.reruns, settings.run.max_pids) == (1, 32)
    assert settings.run.test_timeout_s == 4  # the file's value where no variable names it
    assert settings.scoring.weights == {**DEFAULT_WEIGHTS, "coverage": 0.5}
    assert settings.scoring.gates == {"coverage": 0.7}
    assert settings.cost.budgets == {"team=payments": 7.0}


def test_variables_that_name_no_setting_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATG_LOG_LEVEL", "DEBUG")  # read by the logging, not a setting
    monkeypatch.setenv("ATG_TRACING", "1")
    assert load_settings().run.reruns == 5


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ATG_RUN__RERUN", "1", "run.rerun: Extra inputs are not permitted"),
        ("ATG_RUN__RERUNS", "many", "run.reruns: Input should be a valid integer"),
        ("ATG_RUN", "[1, 2]", "run: Input should be a valid dictionary"),
    ],
)
def test_a_bad_variable_gives_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        load_settings()
    assert "\n" not in str(raised.value)


def test_a_table_that_is_not_json_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATG_SCORING__LEVELS", "{not json")
    with pytest.raises(ConfigError, match="ATG_SCORING__LEVELS: not valid JSON"):
        load_settings()
