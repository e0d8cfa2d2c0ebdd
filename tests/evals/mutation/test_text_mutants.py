"""Source-level mutants of JavaScript and Java code: which are made, and that they compile."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from agentic_testgen.domain import Language
from agentic_testgen.evals.mutation import apply, text_mutants

JS = """\
'use strict';
const path = require('node:path');
const LIMIT = 10;

function clamp(x, lo, hi) {
  if (lo > hi) throw new RangeError('lo > hi');
  if (!Number.isFinite(x)) return lo;
  return Math.min(Math.max(x, lo), hi) + 0;
}

function count(items) {
  let n = 0;
  for (const item of items) { n += 1; n++; }
  console.log(path.sep, { key: 'v' });
  return n > LIMIT && true;
}
module.exports = { clamp, count };
"""

JAVA = """\
package atg.examples;

import java.util.List;

public class Counter {
    private static final long LIMIT = 10L;
    private int total = 0;

    @Deprecated
    public int add(int amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("negative");
        }
        total += amount;
        total++;
        System.out.println("added");
        return total * 2;
    }

    public boolean big() {
        return !(total >= LIMIT) || false;
    }

    public String name(List<String> parts) {
        return String.join("-", parts) + 1.5;
    }
}
"""


def _ops(code: str, language: Language) -> list[tuple[int, str, str, str]]:
    return [(m.line, m.operator, m.original, m.mutated) for m in text_mutants(code, language)]


def test_javascript_mutants_follow_the_python_operators() -> None:
    made = _ops(JS, Language.JAVASCRIPT)
    assert (3, "number", "10", "11") in made
    assert (6, "boundary", "lo > hi", "lo >= hi") in made
    assert (6, "remove-raise", "throw new RangeError('lo > hi');", ";") in made
    assert (6, "string", "'lo > hi'", "'XXlo > hiXX'") in made
    assert (7, "not", "!Number.isFinite(x)", "Number.isFinite(x)") in made
    assert (
        8,
        "arithmetic",
        "Math.min(Math.max(x, lo), hi) + 0",
        "Math.min(Math.max(x, lo), hi) - 0",
    ) in made
    assert (13, "augmented-assignment", "n += 1", "n -= 1") in made
    assert (13, "augmented-assignment", "n++", "n--") in made
    assert (15, "boolean", "n > LIMIT && true", "n > LIMIT || true") in made
    assert (15, "true-false", "true", "false") in made
    assert (14, "remove-call", "console.log(path.sep, { key: 'v' });", ";") in made
    originals = {original for _, _, original, _ in made}
    # no mutants in 'use strict', require(...) or object keys
    assert "'use strict'" not in originals
    assert "'node:path'" not in originals
    assert "key" not in originals
    assert "'v'" in originals
    by_line = {m.line: m.import_time for m in text_mutants(JS, Language.JAVASCRIPT)}
    assert by_line[3] is True
    assert by_line[6] is False


def test_java_mutants_follow_the_python_operators() -> None:
    made = _ops(JAVA, Language.JAVA)
    assert (6, "number", "10L", "11L") in made
    assert (11, "boundary", "amount < 0", "amount <= 0") in made
    assert (14, "augmented-assignment", "total += amount", "total -= amount") in made
    assert (15, "augmented-assignment", "total++", "total--") in made
    assert (16, "remove-call", 'System.out.println("added");', ";") in made
    assert (17, "arithmetic", "total * 2", "total / 2") in made
    assert (21, "not", "!(total >= LIMIT)", "(total >= LIMIT)") in made
    assert (25, "number", "1.5", "2.5") in made
    originals = {original for _, _, original, _ in made}
    assert not any("java.util" in original for original in originals)
    assert not any("Deprecated" in original for original in originals)


def test_every_mutant_replaces_exactly_its_span() -> None:
    for code, language in ((JS, Language.JAVASCRIPT), (JAVA, Language.JAVA)):
        for mutant in text_mutants(code, language):
            changed = apply(code, mutant)
            raw = code.encode()
            assert changed.encode()[: mutant.start] == raw[: mutant.start]
            tail = len(raw) - mutant.end
            assert changed.encode()[len(changed.encode()) - tail :] == raw[mutant.end :]


def test_javascript_mutants_parse_with_node(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "node is installed by the set-up"
    for mutant in text_mutants(JS, Language.JAVASCRIPT):
        file = tmp_path / f"m{mutant.id}.js"
        file.write_text(apply(JS, mutant))
        checked = subprocess.run(
            [node, "--check", str(file)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, (mutant, checked.stderr)


def test_java_mutants_compile_with_javac(tmp_path: Path) -> None:
    javac = shutil.which("javac")
    assert javac is not None, "the JDK is installed by the set-up"
    mutants = text_mutants(JAVA, Language.JAVA)
    files = []
    for mutant in mutants:
        folder = tmp_path / str(mutant.id) / "atg" / "examples"
        folder.mkdir(parents=True)
        (folder / "Counter.java").write_text(apply(JAVA, mutant))
        files.append(folder / "Counter.java")
    failed = []
    for mutant, file in zip(mutants, files, strict=True):
        out = tmp_path / f"classes{mutant.id}"
        compiled = subprocess.run(
            [javac, "-nowarn", "-d", str(out), str(file)],
            capture_output=True,
            text=True,
            check=False,
        )
        if compiled.returncode != 0:
            failed.append((mutant.operator, mutant.original))
    # deleting the throw leaves a method that still compiles; every mutant here is valid Java
    assert failed == []


def test_a_swapped_operator_keeps_the_grouping_node_evaluates(tmp_path: Path) -> None:
    """`||` made `&&` in `a || b || c` is `(a || b) && c`, not `a || (b && c)`; a `??` made
    `&&` inside another `??` still parses."""
    node = shutil.which("node")
    assert node is not None, "node is installed by the set-up"
    code = "const f = (a, b, c) => a || b || c;\nconst g = (a, b, c) => a ?? b ?? c;\n"
    made = {m.original: m.mutated for m in text_mutants(code, Language.JAVASCRIPT)}
    assert made["a || b || c"] == "(a || b) && c"
    assert made["a ?? b"] == "(a && b)"
    assert made["a ?? b ?? c"] == "(a ?? b) && c"
    for mutant in text_mutants(code, Language.JAVASCRIPT):
        if mutant.operator != "boolean":
            continue
        script = tmp_path / f"m{mutant.id}.js"
        script.write_text(apply(code, mutant) + "console.log(f(true, false, false));\n")
        ran = subprocess.run([node, str(script)], capture_output=True, text=True, check=False)
        assert ran.returncode == 0, (mutant, ran.stderr)
        # (true || false) && false and (true && false) || false are false; a regrouped
        # true || (false && false) would print true (and `g`'s mutants leave `f` as it was)
        expected = "false" if mutant.original.startswith("a ||") else "true"
        assert ran.stdout.strip() == expected, mutant
