"""Storage: the one place with SQL. SQLite by default, PostgreSQL for teams; migrated on open."""

from agentic_testgen.errors import StorageError
from agentic_testgen.signals.spans import SpanRecord
from agentic_testgen.storage._database import (
    SCHEMA_VERSION,
    database_url,
    make_engine,
    migrate,
)
from agentic_testgen.storage._records import (
    Activity,
    Baseline,
    EntryActivity,
    HistoryPoint,
    LLMUsage,
    ObservedState,
    RegressionFinding,
    ResultSummary,
    Spend,
    StoredResult,
    SuiteRecord,
    SuiteSummary,
)
from agentic_testgen.storage._store import ResultStore, metric_means, new_id

__all__ = [
    "SCHEMA_VERSION",
    "Activity",
    "Baseline",
    "EntryActivity",
    "HistoryPoint",
    "LLMUsage",
    "ObservedState",
    "RegressionFinding",
    "ResultStore",
    "ResultSummary",
    "SpanRecord",
    "Spend",
    "StorageError",
    "StoredResult",
    "SuiteRecord",
    "SuiteSummary",
    "database_url",
    "make_engine",
    "metric_means",
    "migrate",
    "new_id",
]
