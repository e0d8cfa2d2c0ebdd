"""Settings: `[tool.atg]` in pyproject.toml, then `atg.toml`, then `ATG_*` variables, validated.

Later sources win: a value in `atg.toml` overrides pyproject, and `ATG_RUN__RERUNS=3` overrides
both (nested keys are joined with a double underscore).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    PyprojectTomlConfigSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

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


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the source, the key and the problem."""


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
    parallel: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    mutation: bool = True
    max_mutants: int | None = Field(None, ge=1)
    mutation_seed: int = 0
    # The interpreter (or venv) a project's tests run with; unset: found (docs/projects.md).
    python: str | None = None

    @field_validator("sandbox")
    @classmethod
    def _sandbox_known(cls, name: str) -> str:
        from agentic_testgen.sandbox import SANDBOX_NAMES  # noqa: PLC0415

        if name not in SANDBOX_NAMES:
            raise ValueError(f"unknown sandbox {name!r}; choose one of {', '.join(SANDBOX_NAMES)}")
        return name


class Settings(BaseSettings):
    """Every setting of atg, from defaults, pyproject.toml, atg.toml and the environment."""

    model_config = SettingsConfigDict(
        env_prefix="ATG_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
        pyproject_toml_table_header=("tool", "atg"),
        toml_file="atg.toml",
    )

    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    run: RunSettings = Field(default_factory=RunSettings)
    # Pynguin's executable or environment (ATG_PYNGUIN); unset: the one `atg setup pynguin` made
    pynguin: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls),
            PyprojectTomlConfigSettingsSource(settings_cls),
        )


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "settings"
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"


def load_settings(**overrides: Any) -> Settings:
    """Settings for the current directory, with `overrides` (e.g. from the command line) on top.

    Raises:
        ConfigError: a file does not parse or a value is invalid.
    """
    for name in ("pyproject.toml", "atg.toml"):
        path = Path(name)
        if path.is_file():
            try:
                tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                raise ConfigError(f"{path.resolve()}: not valid TOML: {error}") from None
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(
            f"invalid setting (pyproject.toml [tool.atg], atg.toml or ATG_* variables): "
            f"{_describe(error)}"
        ) from None
