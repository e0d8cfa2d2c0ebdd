"""The test policy: what a generated test may not do, with the rule and the line."""

from __future__ import annotations

import pytest

from agentic_testgen.guardrails.policy import describe, violations

BREAKS = {
    "network": "import socket\n\ndef test_x():\n    socket.create_connection(('10.0.0.1', 80))\n",
    "process": "import subprocess as sp\n\ndef test_x():\n    sp.run(['ls'])\n",
    "filesystem": "import os\n\ndef test_x():\n    os.remove('data.csv')\n",
    "secrets_read": "def test_x():\n    assert open('/etc/passwd').read()\n",
    "harness": "import os\n\ndef test_x():\n    os._exit(0)\n",
    "dynamic_code": "def test_x(code):\n    exec(code)\n",
}
ALLOWED = [
    "def test_x(tmp_path):\n    (tmp_path / 'a.txt').write_text('x')\n"
    "    with open(tmp_path / 'b', 'w') as f:\n        f.write('y')\n",
    "import tempfile, os\n\ndef test_x():\n    d = tempfile.mkdtemp()\n"
    "    os.remove(os.path.join(d, 'x'))\n",
    "def test_x():\n    assert normalize('/home/user/../x') == '/home/x'\n",  # data, not a read
    "def test_x():\n    assert 'a-b'.replace('-', '_') == 'a_b'\n",
    "def test_x(monkeypatch):\n    monkeypatch.setenv('APP_MODE', 'test')\n",
    "import os\n\ndef test_x():\n    assert os.environ.get('HOME')\n",
    "def test_x():\n    with open('fixture.json') as f:\n        assert f.read()\n",
]


@pytest.mark.parametrize(("rule", "code"), BREAKS.items(), ids=list(BREAKS))
def test_each_rule_is_found_with_its_line(rule: str, code: str) -> None:
    found = violations(code)
    assert rule in [v.rule for v in found]
    line = next(v.line for v in found if v.rule == rule)
    assert describe(found).startswith("breaks policy [")
    assert code.splitlines()[line - 1].strip()


@pytest.mark.parametrize("code", ALLOWED)
def test_temporary_paths_data_strings_and_reads_are_allowed(code: str) -> None:
    assert violations(code) == []


def test_the_whole_environment_and_credentials_in_it_are_secrets() -> None:
    code = (
        "import os\n\ndef test_x():\n    dump = dict(os.environ)\n"
        "    key = os.getenv('OPENAI_API_KEY')\n    assert dump and key\n"
    )
    assert [(v.rule, v.line) for v in violations(code)] == [
        ("secrets_read", 4), ("secrets_read", 5),
    ]  # fmt: skip


def test_code_that_does_not_parse_has_no_policy_findings() -> None:
    assert violations("def test_x(:\n") == []


HARNESS_REPLACED = {
    "monkeypatch": "import pytest\n\ndef test_x(monkeypatch):\n"
    "    monkeypatch.setattr(pytest, 'approx', lambda expected, **_: expected)\n",
    "dotted_string": "def test_x(monkeypatch):\n    monkeypatch.setattr('pytest.raises', None)\n",
    "builtin_setattr": "import pytest as pt\n\ndef test_x():\n    setattr(pt, 'fail', print)\n",
    "patch_object": "import pytest\nfrom unittest import mock\n\ndef test_x():\n"
    "    with mock.patch.object(pytest, 'approx'):\n        pass\n",
    "patch": "from unittest.mock import patch\n\n@patch('_pytest.python_api.approx')\n"
    "def test_x(approx):\n    pass\n",
}


@pytest.mark.parametrize("code", HARNESS_REPLACED.values(), ids=list(HARNESS_REPLACED))
def test_replacing_pytests_helpers_for_a_test_is_harness_tampering(code: str) -> None:
    assert [v.rule for v in violations(code)] == ["harness"]


def test_replacing_the_code_under_test_or_the_command_line_is_allowed() -> None:
    code = (
        "import sys\nimport calc\nfrom unittest import mock\n\n"
        "def test_x(monkeypatch):\n    monkeypatch.setattr(calc, 'now', lambda: 0)\n"
        "    monkeypatch.setattr(sys, 'argv', ['calc'])\n"
        "    with mock.patch('calc.today'), mock.patch.object(calc, 'clock'):\n"
        "        assert calc.now() == 0\n"
    )
    assert violations(code) == []


def test_a_database_file_outside_the_temporary_directory_breaks_the_filesystem_rule() -> None:
    code = (
        "import sqlite3\n\ndef test_x(tmp_path):\n"
        "    sqlite3.connect(':memory:')\n    sqlite3.connect(tmp_path / 'a.db')\n"
        "    sqlite3.connect('file:seed.db?mode=ro', uri=True)\n"
        "    sqlite3.connect('history.db')\n    sqlite3.connect(database='other.db')\n"
    )
    assert [(v.rule, v.line, v.what) for v in violations(code)] == [
        ("filesystem", 7, "calls sqlite3.connect() outside its temporary directory"),
        ("filesystem", 8, "calls sqlite3.connect() outside its temporary directory"),
    ]
