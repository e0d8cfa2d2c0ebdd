"""`pytest --atg`: after the session, evaluate its test files against the modules they test.

Registered through the `pytest11` entry point, so pytest loads this module in every session of an
environment where atg is installed. It does nothing unless `--atg` is given, and imports nothing
of atg's evaluation code until then (see `_pytest_session` for the work itself).
"""

from __future__ import annotations

import pytest

SESSION_PLUGIN = "atg-session"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("atg", "test quality from real execution (agentic-testgen)")
    group.addoption(
        "--atg",
        action="store_true",
        default=False,
        help="After the session, evaluate each test file against the project modules it imports "
        "(coverage, pass rate, mutation score, ...) in atg's sandbox and print a table.",
    )
    group.addoption(
        "--atg-no-mutation",
        action="store_true",
        default=False,
        help="With --atg: skip mutation testing (faster).",
    )
    group.addoption(
        "--atg-json",
        metavar="PATH",
        default=None,
        help="With --atg: also write the results as JSON.",
    )
    group.addoption(
        "--atg-fail-under",
        metavar="SCORE",
        type=float,
        default=None,
        help="With --atg: the session fails when a score is below SCORE (0..1).",
    )


def pytest_configure(config: pytest.Config) -> None:
    # xdist workers run the tests; only the controlling process evaluates, once
    if not config.getoption("atg") or hasattr(config, "workerinput"):
        return
    fail_under = config.getoption("atg_fail_under")
    if fail_under is not None and not 0 <= fail_under <= 1:
        raise pytest.UsageError(f"--atg-fail-under must be between 0 and 1, not {fail_under:g}")
    if config.pluginmanager.has_plugin(SESSION_PLUGIN):
        return
    from agentic_testgen.integrations._pytest_session import AtgSession  # noqa: PLC0415

    config.pluginmanager.register(AtgSession(config), SESSION_PLUGIN)
