"""The README's commands, run as written, each block in a fresh directory holding the files its
commands name. Lines that need a server or a hosted model are listed below with the reason, and
the test fails when the README gains a line it neither runs nor lists."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentic_testgen.config import load_settings
from tests.generation.fake_provider import fake_provider, openai_reply

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

NOT_RUN = {
    "make run": "its own CI step: `make run` is run as it is, on a fresh machine",
    "make test": "what CI runs",
    ".venv/bin/pytest": "the test suite itself",
    "UPDATE_GOLD=1": "rewrites golden files in the checkout",
    ".venv/bin/python bench/": "benchmarks: minutes each, on a quiet machine (docs/benchmarks.md)",
    "make schema": "rewrites docs/eval-result.schema.json (a test checks it is current)",
    "atg metrics serve": "a server that runs until stopped (tests/observability serve it)",
    "curl -s localhost:9090": "needs that server",
    "atg monitor --interval": "a live dashboard (tests/observability drive it in tmux)",
    "docker compose": "needs Docker; tests/deploy check the file's structure and run the rendered "
    "Prometheus and Alertmanager configuration on real servers",
    "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector": "needs a collector (tests/observability "
    "run a real OTLP receiver)",
    "atg generate --file src/pkg/parse.py --coder ollama": "needs an Ollama server on its port",
    "atg eval agents": "minutes of real runs; tests/evals/agents run each evaluator and "
    "tests/cli/test_eval_agents.py this command",
    "atg eval run --dataset mixed --tag team=payments --evaluators all": "every evaluator, "
    "red team included (minutes); tests/evals/test_cost.py and tests/cli run the parts",
    "atg eval redteam": "40 s of attacks; tests/evals/test_redteam.py runs every class and "
    "tests/cli/test_eval_system.py this command",
}
SLUG = (
    "def slugify(text):\n    words = text.lower().split()\n    if not words:\n"
    "        return ''\n    return '-'.join(words)\n"
)
SLUG_TESTS = (
    "from pkg.slug import slugify\n\n\n"
    "def test_slugify_joins_lowercase_words():\n"
    "    assert slugify('Hello World') == 'hello-world'\n"
)
EXAMPLE = "def double(x):\n    if x < 0:\n        return 0\n    return 2 * x\n"
PARSE = "def parse_int(text):\n    return int(text.strip())\n"
LLM_TESTS = (  # what the local stand-in for the hosted model answers
    "```python\nfrom pkg.parse import parse_int\n\n\ndef test_parse_int_strips_spaces():\n"
    "    assert parse_int(' 4 ') == 4\n```"
)


BUILTIN = ROOT / "src" / "agentic_testgen" / "datasets" / "builtin"


def _builtin(name: str) -> str:
    return (BUILTIN / name).read_text(encoding="utf-8")


SAME_PLACE = {6: 5, 8: 5}  # block -> the block whose directory it runs in


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


# the files the commands of each ```sh block (counted from 0) name
FIXTURES: dict[int, dict[str, str]] = {
    1: {"pkg/__init__.py": "", "pkg/slug.py": SLUG, "tests/test_slug.py": SLUG_TESTS},
    2: {"pyproject.toml": "[project]\nname = 'demo'\nversion = '0'\n\n[tool.pytest.ini_options]\n"
        "pythonpath = ['src']\n", "src/pkg/__init__.py": "", "src/pkg/slug.py": SLUG,
        "tests/test_slug.py": SLUG_TESTS},
    3: {"pyproject.toml": "[project]\nname = 'demo'\nversion = '0'\n",
        "src/pkg/__init__.py": "", "src/pkg/example.py": EXAMPLE, "src/pkg/parse.py": PARSE},
    4: {"calc.js": _builtin("javascript/clamp.js"),
        "calc.test.js": _builtin("javascript/clamp.test.js").replace("./clamp", "./calc"),
        "Clamp.java": _builtin("java/Clamp.java"),
        "ClampTest.java": _builtin("java/ClampTest.java")},
    7: {"src/pkg/__init__.py": "", "src/pkg/slug.py": SLUG, "tests/test_slug.py": SLUG_TESTS},
}  # fmt: skip


def sh_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def commands(block: str) -> Iterator[str]:
    for line in block.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield line.strip()


def skipped(line: str) -> bool:
    return any(line.startswith(prefix) for prefix in NOT_RUN)


def test_every_line_not_run_is_listed_with_its_reason() -> None:
    lines = [line for block in sh_blocks() for line in commands(block)]
    assert all(line.startswith(("atg ", "pytest ")) or skipped(line) for line in lines), [
        line for line in lines if not line.startswith(("atg ", "pytest ")) and not skipped(line)
    ]
    assert all(any(line.startswith(p) for line in lines) for p in NOT_RUN), "a stale entry"


@pytest.mark.slow
def test_the_readme_commands_run_as_written(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATG_", "OTEL_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["ATG_RUN__RERUNS"] = "1"  # the suites run with fewer reruns; the commands are verbatim
    ran = 0
    with fake_provider(*[openai_reply(LLM_TESTS)] * 6) as model:
        env.update(OPENAI_API_KEY="test-key", OPENAI_BASE_URL=f"{model.url}/v1")
        for number, block in enumerate(sh_blocks()):
            # the observability block reads the suites the block before it stored
            directory = tmp_path / f"block{SAME_PLACE.get(number, number)}"
            directory.mkdir(exist_ok=True)
            write(directory, FIXTURES.get(number, {}))
            first_suite = ""
            for written in commands(block):
                if skipped(written):
                    continue
                line = written.replace("SUITE_A", first_suite)  # the first suite the block ran
                done = subprocess.run(
                    ["bash", "-c", line], cwd=directory, env=env, capture_output=True, text=True,
                    timeout=900, check=False,
                )  # fmt: skip
                gate = "--fail-under" in line or "--fail-on-regression" in line
                allowed = {0, 1} if gate else {0}
                assert done.returncode in allowed, f"{line}\n{done.stdout}\n{done.stderr}"
                ran += 1
                found = re.search(r"suite_\d{8}_\d{6}_\w+", done.stdout + done.stderr)
                first_suite = first_suite or (found[0] if found else "")
    assert ran >= 20


def test_the_python_snippet_runs_on_a_module_and_its_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (snippet,) = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    monkeypatch.chdir(tmp_path)
    exec(snippet, {"tests": SLUG_TESTS, "module": SLUG})  # the names the snippet leaves to you
    score, level, line_rate = capsys.readouterr().out.split()
    assert 0 < float(score) <= 1 and level and float(line_rate) > 0.5


def test_the_toml_example_is_a_valid_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example,) = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    (tmp_path / "atg.toml").write_text(example)
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.scoring.fail_under == 0.70
