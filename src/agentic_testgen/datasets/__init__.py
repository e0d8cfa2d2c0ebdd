"""Datasets: modules under test (with optional reference tests), from YAML or JSONL files."""

from agentic_testgen.datasets._loader import (
    BUILTIN_DIR,
    builtin_names,
    content_hash,
    find_dataset,
    load_dataset,
    stdlib_source,
)
from agentic_testgen.datasets._model import Dataset, DatasetEntry, EntrySpec
from agentic_testgen.errors import DatasetError

__all__ = [
    "BUILTIN_DIR",
    "Dataset",
    "DatasetEntry",
    "DatasetError",
    "EntrySpec",
    "builtin_names",
    "content_hash",
    "find_dataset",
    "load_dataset",
    "stdlib_source",
]
