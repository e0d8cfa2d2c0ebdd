"""Where a suite's tests come from: the seam a generator plugs into, the runner unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from agentic_testgen.datasets import DatasetEntry
from agentic_testgen.domain import GeneratedTests


class NoTestsError(LookupError):
    """A test source has nothing for an entry."""


@runtime_checkable
class EntryTestSource(Protocol):
    """Supplies the test file to evaluate for a dataset entry."""

    @property
    def name(self) -> str: ...

    def tests_for(self, entry: DatasetEntry) -> GeneratedTests:
        """The tests for `entry`; raises NoTestsError when there are none."""
        ...


class ReferenceTests:
    """The tests written into the dataset next to each module."""

    @property
    def name(self) -> str:
        return "reference"

    def tests_for(self, entry: DatasetEntry) -> GeneratedTests:
        if entry.reference_tests is None:
            raise NoTestsError(f"{entry.id}: the entry has no reference tests")
        return entry.reference_tests


TEST_SOURCES: dict[str, Callable[[], EntryTestSource]] = {"reference": ReferenceTests}


def get_test_source(name: str) -> EntryTestSource:
    try:
        return TEST_SOURCES[name]()
    except KeyError:
        known = ", ".join(sorted(TEST_SOURCES))
        raise ValueError(f"unknown generator {name!r}: choose one of {known}") from None
