"""The sandboxes themselves, running real commands."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from agentic_testgen.sandbox import (
    BubblewrapSandbox,
    Completed,
    Limits,
    ProcessSandbox,
    Sandbox,
    SandboxUnavailableError,
    UnsandboxedProcess,
    WeakSandboxWarning,
    get_sandbox,
    interpreter_paths,
)
from agentic_testgen.sandbox._bwrap import _probe


def run_python(
    sandbox: Sandbox, code: str, workdir: Path, limits: Limits | None = None
) -> Completed:
    return sandbox.execute(
        [sys.executable, "-c", code],
        workdir,
        limits or Limits(wall_time_s=20),
        env={"MARKER": "given"},
        readonly_paths=interpreter_paths(),
    )


def test_bwrap_runs_as_nobody_without_network_home_or_host_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "secret")
    code = (
        "import os, socket\n"
        "print(os.getuid(), os.environ.get('MARKER'), 'ANTHROPIC_API_KEY' in os.environ)\n"
        "print(os.path.exists('/root/.ssh'), os.path.exists(os.path.expanduser('~/.ssh')))\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=2)\n"
        "except OSError as error:\n"
        "    print('network', error.errno)\n"
    )
    completed = run_python(BubblewrapSandbox(), code, tmp_path)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "65534 given False"
    assert lines[1] == "False False"
    assert lines[2] == "network 101"  # ENETUNREACH: no interface but loopback


def test_bwrap_system_is_read_only_and_the_workspace_writable(tmp_path: Path) -> None:
    code = (
        "import pathlib\n"
        "pathlib.Path('made-here.txt').write_text('ok')\n"
        "try:\n"
        "    open('/usr/atg-test', 'w')\n"
        "except OSError as error:\n"
        "    print(error.strerror)\n"
    )
    completed = run_python(BubblewrapSandbox(), code, tmp_path)
    assert completed.stdout.strip() == "Read-only file system"
    assert (tmp_path / "made-here.txt").read_text() == "ok"


@pytest.mark.parametrize(
    "sandbox",
    [BubblewrapSandbox, lambda: ProcessSandbox(as_nobody=False), UnsandboxedProcess],
    ids=["bwrap", "process", "none"],
)
def test_wall_time_limit_kills_the_whole_tree(sandbox: Any, tmp_path: Path) -> None:
    code = "import os, time\nos.fork()\ntime.sleep(60)\n"
    completed = run_python(sandbox(), code, tmp_path, Limits(wall_time_s=1))
    assert completed.timed_out
    assert completed.duration_s < 30
    assert any("wall-time" in note for note in completed.notes)


def test_output_is_cut_at_the_output_limit(tmp_path: Path) -> None:
    code = "import sys\nsys.stdout.write('x' * 100_000)\n"
    completed = run_python(
        ProcessSandbox(as_nobody=False), code, tmp_path, Limits(output_bytes=1000)
    )
    assert completed.stdout.startswith("x" * 1000)
    assert completed.stdout.endswith("[output cut]")


def test_process_sandbox_clears_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "secret")
    code = "import os\nprint('GITHUB_TOKEN' in os.environ, os.environ['MARKER'])\n"
    completed = run_python(ProcessSandbox(as_nobody=False), code, tmp_path)
    assert completed.stdout.strip() == "False given"


def test_process_sandbox_limits_processes(tmp_path: Path) -> None:
    code = (
        "import os, time\n"
        "for _ in range(100):\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(30)\n"
        "        os._exit(0)\n"
    )
    completed = run_python(ProcessSandbox(as_nobody=False), code, tmp_path, Limits(max_pids=10))
    assert "BlockingIOError" in completed.stderr
    assert "process limit of 10 reached" in completed.notes


def test_none_is_only_returned_when_asked_for_by_name() -> None:
    with pytest.warns(WeakSandboxWarning, match="run as you"):
        assert get_sandbox("none").name == "none"
    assert get_sandbox("auto").name == "bwrap"


def test_choosing_the_process_sandbox_says_what_it_does_not_contain() -> None:
    with pytest.warns(WeakSandboxWarning, match="read your files, reach the network"):
        assert get_sandbox("process").name == "process"


def test_as_root_the_process_sandbox_runs_tests_as_nobody_or_refuses(tmp_path: Path) -> None:
    code = "import os\nprint(os.getuid())\n"
    interpreter = Path(sys.executable).resolve()
    if os.getuid() != 0:  # nothing to drop: the tests run as the user
        assert run_python(ProcessSandbox(), code, tmp_path).stdout.strip() == str(os.getuid())
    elif all(d.stat().st_mode & stat.S_IXOTH for d in interpreter.parents):
        assert run_python(ProcessSandbox(), code, tmp_path).stdout.strip() == "65534"
    else:
        with pytest.raises(SandboxUnavailableError, match="nobody cannot reach the interpreter"):
            run_python(ProcessSandbox(), code, tmp_path)


def test_missing_bubblewrap_is_a_clear_error_when_asked_for() -> None:
    with pytest.raises(SandboxUnavailableError, match="bubblewrap"):
        BubblewrapSandbox(executable="/nonexistent/bwrap")


def test_auto_falls_back_to_the_process_sandbox_with_a_loud_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sandbox = get_sandbox("auto")
    assert sandbox.name == "process"
    assert any(issubclass(w.category, WeakSandboxWarning) for w in caught)
    assert "network" in str(caught[0].message)


def test_unknown_sandbox_name_is_refused() -> None:
    with pytest.raises(SandboxUnavailableError, match="unknown sandbox 'docker'"):
        get_sandbox("docker")


def _logging_bwrap(folder: Path, runs: Path, *, works: bool) -> Path:
    """A `bwrap` that notes each start in `runs`, then runs the real one (or fails)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "bwrap"
    failing = 'echo "bwrap: no namespaces" >&2; exit 1'
    tail = f'exec {shutil.which("bwrap")} "$@"' if works else failing
    script.write_text(f"#!/bin/sh\necho started >> {runs}\n{tail}\n")
    script.chmod(0o755)
    return script


def test_a_working_bubblewrap_is_probed_once_per_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runs = tmp_path / "runs.log"
    bwrap = _logging_bwrap(tmp_path / "bin", runs, works=True)
    probe = _probe.__wrapped__  # without the in-process cache: as a new atg would
    assert probe(str(bwrap)) is None
    assert probe(str(bwrap)) is None
    assert runs.read_text().count("started") == 1
    # another binary at the same path (an upgrade) is probed again
    os.utime(bwrap, ns=(0, bwrap.stat().st_mtime_ns + 1_000_000_000))
    assert probe(str(bwrap)) is None
    assert runs.read_text().count("started") == 2


def test_a_failing_bubblewrap_is_probed_at_every_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runs = tmp_path / "runs.log"
    bwrap = _logging_bwrap(tmp_path / "bin", runs, works=False)
    probe = _probe.__wrapped__
    assert probe(str(bwrap)) == "bwrap: no namespaces"
    assert probe(str(bwrap)) == "bwrap: no namespaces"
    assert runs.read_text().count("started") == 2
    with pytest.raises(SandboxUnavailableError, match="no namespaces"):
        BubblewrapSandbox(executable=str(bwrap))


def test_an_interpreters_paths_are_remembered_until_its_site_directories_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import subprocess

    from agentic_testgen.sandbox._bwrap import _answer_file, _ask

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    environment = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(environment)], check=True)
    python = str(environment / "bin" / "python")
    ask = _ask.__wrapped__  # without the in-process cache: as a new atg would
    first = ask(python)
    site_dir = next(Path(entry) for entry in first if entry.endswith("site-packages"))
    # what is stored is what a later atg gets, as long as nothing it depends on changed (the
    # stored answer reversed: the same paths, in an order only the file can have given)
    stored = json.loads(_answer_file(python).read_text())
    stored["answer"].reverse()
    _answer_file(python).write_text(json.dumps(stored))
    assert ask(python) == first[::-1]
    # a .pth file added (an editable install), then edited: asked again each time
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    pth = site_dir / "editable.pth"
    pth.write_text(f"{tmp_path / 'one'}\n")
    assert ask(python) == (*first, str(tmp_path / "one"))
    pth.write_text(f"{tmp_path / 'two'}\n")
    os.utime(pth, ns=(0, pth.stat().st_mtime_ns + 1_000_000_000))
    answer = ask(python)
    assert str(tmp_path / "two") in answer
    assert str(tmp_path / "one") not in answer
