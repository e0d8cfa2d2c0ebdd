"""The dataset file format: one entry per module under test, with optional reference tests."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from agentic_testgen.domain import GeneratedTests, Language, SourceUnit

ENTRY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")
# a module's import name: it becomes a file name in the workspace, so nothing else may pass
MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


class BuggySpec(BaseModel):
    """A real bug seeded into an entry's module, as written in a dataset file: a path
    (`source`, relative to the dataset file) or inline code (`source_code`) of the whole module
    with the bug in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    description: str = ""
    source: str | None = None
    source_code: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> BuggySpec:
        if (self.source is None) == (self.source_code is None):
            raise ValueError("a buggy variant gives exactly one of source or source_code")
        return self


class BuggyVariant(BaseModel):
    """A seeded bug, read: tests that pass on the module and fail here have caught it."""

    model_config = ConfigDict(frozen=True)

    id: str
    code: str
    description: str = ""


class EntrySpec(BaseModel):
    """One entry as written in a dataset file.

    Exactly one of `source` (a path relative to the dataset file), `source_code` (inline) or
    `stdlib_module` (a pure-Python module of the running interpreter's standard library, copied
    at run time) says where the module comes from. Reference tests are optional: a path
    (`reference_tests`) or inline code (`reference_tests_code`).

    A module of a real project (`atg dataset import`) also names the project's root
    (`project`, a folder relative to the dataset file holding `source`) and, optionally, the
    virtual environment its tests run with (`python`); the module is then imported by its name
    in that project and its tests run in a copy of it, as the project's own `pytest` runs them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    language: Language = Language.PYTHON
    source: str | None = None
    source_code: str | None = None
    stdlib_module: str | None = None
    module_name: str | None = None
    reference_tests: str | None = None
    reference_tests_code: str | None = None
    # JavaScript: the framework the reference tests are written for; unset: detected
    framework: Literal["auto", "node", "jest", "vitest"] | None = None
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    category: str = "general"
    tags: tuple[str, ...] = ()
    # real bugs seeded into the module: `bug_detection_rate{source="seeded_bugs"}`
    buggy_variants: tuple[BuggySpec, ...] = ()
    # a module of a real project: its root, and the environment its tests run with
    project: str | None = None
    python: str | None = None

    @field_validator("id")
    @classmethod
    def _id_is_a_plain_name(cls, value: str) -> str:
        if not ENTRY_ID.match(value):
            raise ValueError("must start with a letter or digit; use letters, digits, _ . - /")
        return value

    @field_validator("module_name")
    @classmethod
    def _module_name_is_an_import_name(cls, value: str | None) -> str | None:
        if value is not None and not MODULE_NAME.match(value):
            raise ValueError("must be a Python import name (letters, digits, _ and dots)")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> EntrySpec:
        given = [f for f in ("source", "source_code", "stdlib_module") if getattr(self, f)]
        if len(given) != 1:
            raise ValueError("give exactly one of source, source_code or stdlib_module")
        if self.source_code and not self.module_name:
            raise ValueError("module_name is required with inline source_code")
        if self.reference_tests and self.reference_tests_code:
            raise ValueError("give reference_tests or reference_tests_code, not both")
        if self.project is not None and not self.source:
            raise ValueError("project needs source: the path of the module inside the project")
        if self.python is not None and self.project is None:
            raise ValueError("python names the environment of a project: give project too")
        return self


class DatasetEntry(BaseModel):
    """An entry with its module and reference tests read and ready to evaluate."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: SourceUnit
    reference_tests: GeneratedTests | None = None
    difficulty: str = "medium"
    category: str = "general"
    tags: tuple[str, ...] = ()
    buggy_variants: tuple[BuggyVariant, ...] = ()


class Dataset(BaseModel):
    """A named list of entries and the hash of their content (stored with every suite)."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str = ""
    path: str
    entries: tuple[DatasetEntry, ...] = Field(default_factory=tuple)
    content_hash: str
