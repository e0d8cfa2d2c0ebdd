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
