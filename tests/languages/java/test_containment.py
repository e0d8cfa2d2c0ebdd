"""Hostile Java tests are contained by bubblewrap and recorded; the other tests still count."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from agentic_testgen.domain import TestOutcome
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import Limits
from tests.languages.java.conftest import RunJava

MODULE = """
    public class Clamp {
        public static int clamp(int x, int lo, int hi) {
            return Math.max(lo, Math.min(x, hi));
        }
    }
"""


def test_hostile_tests_are_contained(run_java: RunJava, tmp_path: Path) -> None:
    marker = f"atg-java-escape-{uuid.uuid4().hex}"
    outside = tmp_path / "outside.txt"
    in_home = Path.home() / marker
    by_shell = tmp_path / "by-shell.txt"
    tests = f"""
        import static org.junit.jupiter.api.Assertions.assertEquals;

        import java.net.InetSocketAddress;
        import java.net.Socket;
        import java.nio.file.Files;
        import java.nio.file.Paths;
        import java.util.ArrayList;
        import java.util.List;
        import org.junit.jupiter.api.Test;

        class ClampTest {{
            @Test
            void clampsLow() {{
                assertEquals(1, Clamp.clamp(0, 1, 5));
            }}

            @Test
            void callsOut() throws Exception {{
                try (Socket socket = new Socket()) {{
                    socket.connect(new InetSocketAddress("1.1.1.1", 80), 2000);
                }}
            }}

            @Test
            void writesToTmp() throws Exception {{
                Files.writeString(Paths.get("/tmp/{marker}"), "pwned");
            }}

            @Test
            void writesNextToTheProject() throws Exception {{
                Files.writeString(Paths.get("{outside}"), "pwned");
            }}

            @Test
            void writesToTheHome() throws Exception {{
                Files.writeString(Paths.get("{in_home}"), "pwned");
            }}

            @Test
            void runsAShell() throws Exception {{
                Process shell = new ProcessBuilder("sh", "-c", "echo pwned > {by_shell}").start();
                assertEquals(0, shell.waitFor(), "the shell could not write");
            }}

            @Test
            void exits() {{
                System.exit(3);
            }}

            @Test
            void loops() {{
                while (true) {{
                }}
            }}

            @Test
            void eatsMemory() {{
                List<byte[]> hoard = new ArrayList<>();
                while (true) {{
                    hoard.add(new byte[16 << 20]);
                }}
            }}
        }}
    """
    options = RunOptions(reruns=1, test_timeout_s=2.0, limits=Limits(memory_mb=512))
    outcome = run_java(MODULE, tests, options=options)
    verdicts = {test.nodeid.split("::")[1]: test for test in outcome.tests}
    assert {name: test.outcome for name, test in verdicts.items()} == {
        "clampsLow()": TestOutcome.PASSED,
        "callsOut()": TestOutcome.FAILED,
        # the sandbox's /tmp is its own: the write lands there and is gone with the sandbox
        "writesToTmp()": TestOutcome.PASSED,
        "writesNextToTheProject()": TestOutcome.FAILED,
        "writesToTheHome()": TestOutcome.FAILED,
        "runsAShell()": TestOutcome.FAILED,
        "exits()": TestOutcome.FAILED,
        "loops()": TestOutcome.TIMEOUT,
        # JUnit ends its whole execution on an OutOfMemoryError: the harness blames the test
        # running then and goes on with the rest
        "eatsMemory()": TestOutcome.FAILED,
    }
    assert "unreachable" in (verdicts["callsOut()"].failure or "").lower()
    assert (verdicts["exits()"].failure or "").startswith("java.lang.SecurityException")
    assert "OutOfMemoryError" in (verdicts["eatsMemory()"].failure or "")
    assert "the shell could not write" in (verdicts["runsAShell()"].failure or "")
    for path in (Path("/tmp") / marker, outside, in_home, by_shell):
        assert not path.exists(), path
    assert outcome.integrity.ok
    assert outcome.coverage is not None
    assert outcome.coverage.covered_lines == 1
    assert verdicts["clampsLow()"].lines == (3,)
    assert outcome.collection_errors == ()
    # the JVM survived its heap running out: the reruns ran every test but the one that loops
    assert {nodeid.split("::")[1] for nodeid in outcome.reruns[0]} == set(verdicts) - {"loops()"}


def test_a_test_that_prints_a_report_of_its_own_is_caught(run_java: RunJava) -> None:
    # test code shares the JVM: it can read the report key and write to the real standard
    # output, but the lines it claims are checked against the class files and the extra text
    # on the channel is seen
    forged = {
        "runs": [
            {
                "tests": {
                    "ClampTest::forges()": {"outcome": "passed", "duration_s": 0.1, "failure": None}
                },
                "errors": [],
                "issues": [],
            }
        ],
        "coverage": {
            "files": [
                {
                    "lines": [[3, 0, 5, 0, 0], [99, 0, 1, 0, 0]],
                    "line_counter": [0, 2],
                    "branch_counter": [0, 0],
                }
            ],
            "per_test": {"ClampTest::forges()": {"lines": [3, 99], "branches": []}},
        },
    }
    tests = """
        import java.io.FileDescriptor;
        import java.io.FileOutputStream;
        import java.io.PrintStream;
        import java.nio.file.Files;
        import java.nio.file.Paths;
        import java.util.Properties;
        import org.junit.jupiter.api.Test;

        class ClampTest {
            @Test
            void forges() throws Exception {
                String[] command = System.getProperty("sun.java.command").split(" ");
                Properties config = new Properties();
                config.load(Files.newInputStream(Paths.get(command[command.length - 1])));
                PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
                out.print(config.getProperty("key") + REPORT);
            }
        }
    """.replace("REPORT", json.dumps(json.dumps(forged)))
    outcome = run_java(MODULE, tests)
    assert not outcome.integrity.ok
    kinds = {finding.kind for finding in outcome.integrity.findings}
    assert kinds == {"coverage-forged", "channel"}
    forged = next(f for f in outcome.integrity.findings if f.kind == "coverage-forged")
    assert "99" in forged.detail
