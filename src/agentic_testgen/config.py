"""Settings: `[tool.atg]` in pyproject.toml, then `atg.toml`, then `ATG_*` variables, validated.

Later sources win: a value in `atg.toml` overrides pyproject, and `ATG_RUN__RERUNS=3` overrides
both (nested keys are joined with a double underscore). The files are found by walking up from
the module (or the current directory) to the project root: see `find_config_files`.

The sources are read here, by hand, as pydantic-settings read them for these settings (its
rules for the variables are kept: any case, JSON for a table, a table's keys one by one, each
source merged under those above it), and pydantic validates the result. Why not the library:
importing it (asyncio, dotenv, its cloud sources) cost 35-40 ms of the start of every command
that reads settings, more than a tenth of `atg eval file`'s (docs/benchmarks.md, Start-up).
"""

from __future__ import annotations

import json
import os
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from agentic_testgen.errors import ConfigError as ConfigError  # noqa: PLC0414 - exported here too

# Documented default weights (docs/metrics.md), calibrated on the labeled set in
# tests/calibration (bench/calibrate_score.py): mutation score and assertions carry the most,
# since they say whether the tests would catch a bug. The score renormalises over the metrics
# present, so with mutation testing off the other seven keep their relative weights.
DEFAULT_WEIGHTS: dict[str, float] = {
    "correctness": 0.10,
    "pass_rate": 0.10,
    "coverage": 0.15,
    "completeness": 0.10,
    "assertions": 0.20,
    "determinism": 0.05,
    "readability": 0.05,
    "mutation_score": 0.25,
}

# Documented default gates (docs/metrics.md): while a metric present in a result is under its
# minimum, the quality level is at most `ScoringSettings.gated_level`, whatever the score.
DEFAULT_GATES: dict[str, float] = {
    "coverage": 0.50,
    "pass_rate": 0.90,
    "assertions": 0.50,
    "determinism": 0.90,
    "mutation_score": 0.50,
}
# Quality levels from best to worst.
QUALITY_LEVEL_NAMES = ("excellent", "good", "fair", "poor")


# A directory holding one of these is a project root (or a repository's): the walk up for
# settings stops there, so a project never picks up the settings of a directory above it.
_ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")


@dataclass(frozen=True)
class ConfigFiles:
    """The directory whose settings files apply to a place.

    Attributes:
        directory: where `atg.toml` and pyproject.toml's `[tool.atg]` are read (either may be
            missing).
    """

    directory: Path

    @property
    def atg_toml(self) -> Path:
        return self.directory / "atg.toml"

    @property
    def pyproject(self) -> Path:
        return self.directory / "pyproject.toml"

    @property
    def names(self) -> str:
        """The files that exist, for an error message, e.g. `/p/pyproject.toml [tool.atg]`."""
        found = [f"{self.pyproject} [tool.atg]"] if _has_atg_table(self.pyproject) else []
        found += [str(self.atg_toml)] if self.atg_toml.is_file() else []
        return ", ".join(found) or "no settings file"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _has_atg_table(pyproject: Path) -> bool:
    if not pyproject.is_file():
        return False
    tool = _read_toml(pyproject).get("tool")
    return isinstance(tool, dict) and "atg" in tool


def find_config_files(start: Path) -> ConfigFiles | None:
    """The settings files for `start` (a module, or a directory), found by walking up.

    The nearest directory, from `start`'s own up, with an `atg.toml` or a pyproject.toml that has
    a `[tool.atg]` table holds the settings. The walk stops at the project root (the first
    directory with pyproject.toml, setup.cfg, setup.py or .git) and at the filesystem root.

    Returns:
        The files found, or None when no directory up to the root has any.

    Raises:
        ConfigError: a pyproject.toml or atg.toml on the way does not parse.
    """
    start = start.absolute()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        atg_toml = candidate / "atg.toml"
        pyproject = candidate / "pyproject.toml"
        if atg_toml.is_file():
            _read_toml(atg_toml)
        if atg_toml.is_file() or _has_atg_table(pyproject):
            return ConfigFiles(candidate)
        if any((candidate / marker).exists() for marker in _ROOT_MARKERS):
            return None
    return None


# Where `Settings` reads its files while `load_settings` builds it; None: the current directory,
# for a `Settings()` made directly.
_CONFIG_FILES: ContextVar[ConfigFiles | None] = ContextVar("atg_config_files", default=None)


def _known_metrics() -> set[str]:
    from agentic_testgen.evals.metrics import METRICS  # noqa: PLC0415 - avoids an import cycle

    return set(METRICS)


def _check_metric_names(values: dict[str, float], key: str) -> dict[str, float]:
    unknown = sorted(set(values) - _known_metrics())
    if unknown:
        known = ", ".join(sorted(_known_metrics()))
        raise ValueError(f"unknown metric {unknown[0]!r} in {key}; known metrics: {known}")
    return values


class QualityLevels(BaseModel):
    """Lowest score for each quality level; below `fair` is `poor`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    excellent: float = Field(0.90, ge=0, le=1)
    good: float = Field(0.75, ge=0, le=1)
    fair: float = Field(0.60, ge=0, le=1)

    def level(self, score: float) -> str:
        if score >= self.excellent:
            return "excellent"
        if score >= self.good:
            return "good"
        if score >= self.fair:
            return "fair"
        return "poor"


class ScoringSettings(BaseModel):
    """How metric values combine into one score and what counts as passing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    thresholds: dict[str, float] = Field(default_factory=dict)
    pass_line: float = Field(0.70, ge=0, le=1)
    levels: QualityLevels = Field(default_factory=QualityLevels)
    # metric -> minimum value; under it the quality level is at most `gated_level`
    gates: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_GATES))
    gated_level: Literal["good", "fair", "poor"] = "fair"
    # a drop of more than this (overall or in a metric) against the baseline is a regression
    regression_threshold: float = Field(0.05, ge=0, le=1)
    # the default of --fail-under for `atg eval file`, `run` and `changed` (None: no gate)
    fail_under: float | None = Field(None, ge=0, le=1)

    @field_validator("weights")
    @classmethod
    def _weights_known_and_positive(cls, weights: dict[str, float]) -> dict[str, float]:
        if any(weight < 0 for weight in weights.values()):
            raise ValueError("weights must not be negative")
        if not any(weights.values()):
            raise ValueError("at least one weight must be above 0")
        return _check_metric_names(weights, "scoring.weights")

    @field_validator("thresholds")
    @classmethod
    def _thresholds_known_and_in_range(cls, thresholds: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= value <= 1 for value in thresholds.values()):
            raise ValueError("thresholds must be between 0 and 1")
        return _check_metric_names(thresholds, "scoring.thresholds")

    @field_validator("gates")
    @classmethod
    def _gates_known_and_in_range(cls, gates: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= value <= 1 for value in gates.values()):
            raise ValueError("gates must be between 0 and 1")
        return _check_metric_names(gates, "scoring.gates")


class RunSettings(BaseModel):
    """How tests are run: reruns, time limits, sandbox and its resource limits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reruns: int = Field(5, ge=0, le=100)
    test_timeout_s: float = Field(10.0, gt=0)
    timeout_s: float = Field(600.0, gt=0)
    sandbox: str = "auto"
    memory_mb: int = Field(2048, ge=64)
    max_pids: int = Field(128, ge=8)
    # Largest module or test file evaluated: memory grows with the file (about 0.15 GB in atg
    # and 0.25 GB in the sandbox per MB of Python source), so a larger one is refused up front.
    max_source_mb: float = Field(5.0, gt=0)
    parallel: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    mutation: bool = True
    max_mutants: int | None = Field(None, ge=1)
    mutation_seed: int = 0
    # Hypothesis tests draw fixed examples (pytest --hypothesis-seed=0) instead of new ones.
    derandomize: bool = False
    # The interpreter (or venv) a project's tests run with; unset: found (docs/projects.md).
    python: str | None = None
    # The JavaScript test framework: auto (the test file says), node, jest or vitest.
    framework: Literal["auto", "node", "jest", "vitest"] = "auto"

    @field_validator("sandbox")
    @classmethod
    def _sandbox_known(cls, name: str) -> str:
        from agentic_testgen.sandbox import SANDBOX_NAMES  # noqa: PLC0415

        if name not in SANDBOX_NAMES:
            raise ValueError(f"unknown sandbox {name!r}; choose one of {', '.join(SANDBOX_NAMES)}")
        return name


class SloSettings(BaseModel):
    """The service level objectives `atg slo report`, the recording rules and the burn-rate
    alerts hold atg to (docs/slo.md); the seed's figures by default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # share of generations that end with a usable test file
    generation_availability: float = Field(0.999, gt=0, lt=1)
    # share of generations that finish within `generation_latency_s` (p99 <= 60 s)
    generation_latency: float = Field(0.99, gt=0, lt=1)
    generation_latency_s: float = 60.0
    # share of evaluated entries whose branch coverage (pass rate) is at least the 0.90 goal
    coverage_achievement: float = Field(0.90, gt=0, lt=1)
    pass_rate_achievement: float = Field(0.90, gt=0, lt=1)
    # share of red-team attacks stopped
    guardrail_effectiveness: float = Field(0.95, gt=0, lt=1)
    # mean model cost of a kept generated test, in US dollars (a ceiling, not a ratio)
    cost_per_test_usd: float = Field(0.10, gt=0)
    # the window `atg slo report` reads by default, in days (the error budget's period)
    window_days: float = Field(30.0, gt=0)

    @field_validator("generation_latency_s")
    @classmethod
    def _latency_on_a_bucket_bound(cls, seconds: float) -> float:
        # the recording rule reads the histogram's `le` bucket: the limit must be one of them
        from agentic_testgen.signals.definitions import (  # noqa: PLC0415
            EVAL_DURATION_BUCKETS,
        )

        if seconds not in EVAL_DURATION_BUCKETS:
            bounds = ", ".join(f"{b:g}" for b in EVAL_DURATION_BUCKETS)
            raise ValueError(f"must be a bucket bound of the generation histogram: {bounds}")
        return seconds


class BusinessSettings(BaseModel):
    """The assumptions behind the business estimates (docs/business-metrics.md): settings, so
    a team states its own figures instead of trusting ours."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # what writing one test by hand takes (a kept generated test saves it)
    minutes_saved_per_test: float = Field(10.0, ge=0)
    # what finding and fixing one flaky test takes
    minutes_to_fix_flaky_test: float = Field(30.0, ge=0)


class CostSettings(BaseModel):
    """Model spending: budgets per tag (`"team=payments" = 50.0`), each over the last
    `budget_window_days`; a run whose tags reach a budget stops before its next entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    budgets: dict[str, float] = Field(default_factory=dict)
    budget_window_days: float = Field(30.0, gt=0)

    @field_validator("budgets")
    @classmethod
    def _budgets_are_tags(cls, budgets: dict[str, float]) -> dict[str, float]:
        for tag, amount in budgets.items():
            key, _, value = tag.partition("=")
            if not key or not value:
                raise ValueError(f"budget {tag!r} is not a tag: write it as key=value")
            if amount < 0:
                raise ValueError(f"budget {tag!r} must not be negative")
        return budgets


class Settings(BaseModel):
    """Every setting of atg, from defaults, pyproject.toml, atg.toml and the environment."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    run: RunSettings = Field(default_factory=RunSettings)
    slo: SloSettings = Field(default_factory=SloSettings)
    business: BusinessSettings = Field(default_factory=BusinessSettings)
    cost: CostSettings = Field(default_factory=CostSettings)
    # Pynguin's executable or environment (ATG_PYNGUIN); unset: the one `atg setup pynguin` made
    pynguin: str | None = None

    def __init__(self, **values: Any) -> None:
        """`values` win over the ATG_* variables, which win over atg.toml, then over
        pyproject.toml's `[tool.atg]` (those `load_settings` found, else the current
        directory's); tables merge key by key."""
        files = _CONFIG_FILES.get() or ConfigFiles(Path.cwd())
        atg_toml = _read_toml(files.atg_toml) if files.atg_toml.is_file() else {}
        # each source under those above it, from the top, as pydantic-settings merged them
        for below in (_environment(type(self)), atg_toml, _pyproject_table(files.pyproject)):
            values = _merged(below, values)
        super().__init__(**values)

    @model_validator(mode="before")
    @classmethod
    def _weights_over_the_defaults(cls, data: Any) -> Any:
        """A configured `[scoring.weights]` changes the weights it names; a metric it leaves
        out keeps its default weight (0 takes a metric out of the score)."""
        if isinstance(data, dict) and isinstance(data.get("scoring"), dict):
            scoring = data["scoring"]
            if isinstance(scoring.get("weights"), dict):
                weights = {**DEFAULT_WEIGHTS, **scoring["weights"]}
                return {**data, "scoring": {**scoring, "weights": weights}}
        return data


def _pyproject_table(pyproject: Path) -> dict[str, Any]:
    tool = _read_toml(pyproject).get("tool") if pyproject.is_file() else None
    table = tool.get("atg", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.atg] is not a table")
    return table


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`base` with `over` on top, tables merged key by key."""
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        both_tables = isinstance(below, dict) and isinstance(value, dict)
        merged[key] = _merged(below, value) if both_tables else value  # type: ignore[arg-type]
    return merged


_PREFIX, _NESTED = "atg_", "__"


def _environment(model: type[BaseModel]) -> dict[str, Any]:
    """The settings the ATG_* variables give: `ATG_RUN__RERUNS=3` (any case) is `run.reruns`;
    a table's value is JSON (`ATG_RUN='{"reruns": 3}'`), its keys given one by one win over it.
    Variables that name no setting (ATG_LOG_LEVEL) are left alone; a value is validated with
    the others, as a string."""
    variables = {
        name.lower(): (name, value)
        for name, value in os.environ.items()
        if name.lower().startswith(_PREFIX)
    }
    values: dict[str, Any] = {}
    for field_name, field in model.model_fields.items():
        own = _PREFIX + field_name
        nested = _nested(variables, own + _NESTED, field.annotation)
        if own not in variables:
            if nested:
                values[field_name] = nested
            continue
        name, text = variables[own]
        if not _is_table(field.annotation):
            values[field_name] = text
            continue
        value = _json(name, text)
        values[field_name] = _merged(value, nested) if isinstance(value, dict) else value
    return values


def _nested(variables: dict[str, tuple[str, str]], prefix: str, annotation: Any) -> dict[str, Any]:
    """The keys under one setting, from the variables named `prefix` + `key__key...`."""
    found: dict[str, Any] = {}
    for lowered, (name, text) in variables.items():
        if not lowered.startswith(prefix):
            continue
        *path, last = lowered.removeprefix(prefix).split(_NESTED)
        place: Any = found
        kind = annotation
        for key in path:
            kind = _member(kind, key)
            if isinstance(place, dict):
                place = place.setdefault(key, {})
        kind = _member(kind, last)
        if isinstance(place, dict):
            place[last] = _json(name, text) if text and _is_table(kind) else text
    return found


def _member(annotation: Any, key: str) -> Any:
    """The type of `key` inside `annotation` (a model's field, a table's values), or None."""
    if get_origin(annotation) in (Union, UnionType):
        members = (_member(member, key) for member in get_args(annotation))
        return next((member for member in members if member is not None), None)
    if get_origin(annotation) is dict:
        return get_args(annotation)[-1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields
        return next((f.annotation for name, f in fields.items() if name.lower() == key), None)
    return None


def _is_table(annotation: Any) -> bool:
    """Whether a variable for a setting of this type holds JSON (a table or a list)."""
    if annotation is None:
        return False
    kind = get_origin(annotation) or annotation
    return kind in (dict, list, tuple, set) or (
        isinstance(kind, type) and issubclass(kind, BaseModel)
    )


def _json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise ConfigError(f"{name}: not valid JSON for a table: {error}") from None


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "settings"
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"


def load_settings(start: Path | None = None, /, **overrides: Any) -> Settings:
    """Settings for `start` (a module or directory; default the current directory), with
    `overrides` (e.g. from the command line) on top.

    The settings files are those `find_config_files` finds from `start`: a module's settings
    come from its own project, whichever directory the command runs in.

    Raises:
        ConfigError: a file does not parse or a value is invalid.
    """
    place = start if start is not None else Path.cwd()
    # without settings files, a directory where none exists (so nothing is read)
    files = find_config_files(place) or ConfigFiles(Path(os.devnull))
    token = _CONFIG_FILES.set(files)
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(
            f"invalid setting ({files.names}, ATG_* variables): {_describe(error)}"
        ) from None
    finally:
        _CONFIG_FILES.reset(token)
