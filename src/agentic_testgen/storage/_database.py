"""Engines and migrations: SQLite (default, WAL) or PostgreSQL, always at the latest schema."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError, SQLAlchemyError

from agentic_testgen.errors import StorageError

# Alembic revision of the newest schema; each migration in migrations/versions:
#   0001: the seed's eval_results, eval_suites, suite_results, baselines (with added columns),
#         plus test_outcomes, llm_calls and regressions.
#   0002: metric_rollups (sums behind the Prometheus counters and histograms, backfilled from
#         the stored records) and spans (the local trace store).
#   0003: baselines per suite name, dataset and generator; per-entry regression findings.
#   0004: eval_suites.tags (cost attribution); the SLO counters backfilled into the rollups.
SCHEMA_VERSION = "0004"
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
_PG_LOCK_KEY = 0x617467  # "atg": serialises migrations of one PostgreSQL database


def database_url(workspace: Path, explicit: str | None = None) -> str:
    """`explicit`, else `ATG_DB_URL`, else SQLite at `<workspace>/evals.db`."""
    return explicit or os.environ.get("ATG_DB_URL") or f"sqlite:///{workspace / 'evals.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the one writer
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # writers wait, not fail
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            database = url.split("///", 1)[-1]
            folder = Path(database).parent
            if database and database != ":memory:" and not folder.is_dir():
                raise StorageError(f"cannot open database {url}: no folder {folder}")
            # pooled: a new SQLite connection re-reads the schema on its first statement, which
            # was most of a metrics scrape; WAL lets pooled connections of many processes share
            engine = create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ModuleNotFoundError) as error:
        raise StorageError(f"cannot use database URL {url!r}: {error}") from None
    return engine


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One migrating process at a time (others wait, then find the schema up to date)."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        lock_path = Path(str(engine.url.database) + ".migrate.lock")
        with lock_path.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
        return
    yield


def _current_version(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError:
            return None


def migrate(engine: Engine) -> None:
    """Bring the database to `SCHEMA_VERSION` (a no-op when it is there already)."""
    try:
        current = _current_version(engine)
        if current == SCHEMA_VERSION:
            return
        if current is not None and current > SCHEMA_VERSION:  # revisions are "0001", "0002", ...
            raise StorageError(
                f"database {engine.url!r} has schema {current}, newer than this atg's "
                f"{SCHEMA_VERSION}: upgrade agentic-testgen, or use another database (--db)"
            )
        from alembic import command  # noqa: PLC0415 - alembic is only needed to migrate
        from alembic.config import Config  # noqa: PLC0415

        with _migration_lock(engine), engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})"))
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (OperationalError, DatabaseError) as error:  # DatabaseError: not an SQLite file
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StorageError(
            f"cannot open database {engine.url!r}: {reason} (move it away, or use another "
            "database with --db)"
        ) from None
