"""What the characterization probes are given beside their own inputs: strings a module's
regular expressions match, operators put before them, and the shapes of the objects it reads."""

from __future__ import annotations

import re

import pytest

from agentic_testgen.domain import Language
from agentic_testgen.generation.characterize._regex import examples, literal_alternatives
from agentic_testgen.generation.characterize._seeds import seed_lines

PATTERNS = [
    r"^(\d{4})-(\d{2})-(\d{2})$",
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$",
    r"^(>=|<=|>|<|=)?(.+)$",
    r"[A-Z]{3}",
    r"-?\d+(\.\d+)?",
    r"[^a-z]+x",
    r"\s+",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_example_of_a_pattern_matches_it(pattern: str) -> None:
    made = examples(pattern)
    assert made
    assert len(set(made)) == len(made)
    for text in made:
        assert re.fullmatch(pattern, text), text


def test_examples_take_each_alternative_and_the_optional_parts() -> None:
    made = examples(r"^(>=|<=|~)?(\d+)$")
    assert {"1", ">=11"} <= set(made)
    assert any(text.startswith("<=") for text in made)
    assert any(text.startswith("~") for text in made)


def test_a_pattern_the_reader_does_not_follow_gives_no_examples() -> None:
    assert examples(r"(a)\1") == []
    assert examples("[unclosed") == []


def test_the_literal_options_of_an_alternation_are_operators() -> None:
    assert literal_alternatives(r"(>=|<=|>|<|=|\^|~)?(.+)") == [">=", "<=", ">", "<", "=", "^", "~"]


def test_javascript_seeds_hold_matching_strings_prefixed_ones_and_shapes() -> None:
    code = (
        "const DATE = /^(\\d{4})-(\\d{2})-(\\d{2})$/;\n"
        "function span({ start, end }) { return [start, end]; }\n"
        "function options(text, { trim = false } = {}) { return text.startsWith('^'); }\n"
        "function late(error) { return error.retryAfter; }\n"
    )
    lines = seed_lines(code, Language.JAVASCRIPT)
    assert lines[0] == "S:1111-11-11"
    assert "S:^1111-11-11" in lines
    assert "O:start,end" in lines
    assert "O:retryAfter" in lines
    # an options object (every key has a default) is not a shape of data
    assert "O:trim" not in lines


def test_java_seeds_read_a_pattern_split_over_string_literals() -> None:
    code = (
        "class V { static final java.util.regex.Pattern P = java.util.regex.Pattern.compile(\n"
        '    "(\\\\d+)\\\\." + "(\\\\d+)"); }\n'
    )
    lines = seed_lines(code, Language.JAVA)
    assert "S:1.1" in lines


def test_a_function_owns_its_literals_those_of_what_it_names_but_not_its_messages() -> None:
    code = (
        "const MODES = ['up', 'down'];\n"
        "function check(mode) {\n"
        "  if (!MODES.includes(mode)) throw new RangeError('unknown mode ' + mode);\n"
        "}\n"
        "function round(value, mode) { check(mode); return mode === 'up' ? value + 1 : value; }\n"
    )
    lines = seed_lines(code, Language.JAVASCRIPT)
    own = [line for line in lines if line.startswith("F:round:")]
    assert "F:round:S:up" in own
    assert "F:round:S:down" in own  # from MODES, which check reads
    assert not any("unknown mode" in line for line in own)


def test_mixed_strings_are_made_of_the_short_literals_and_stay_the_same() -> None:
    code = "function split(line) { return line.split(',').map((f) => f === '\"' ? '' : f); }\n"
    lines = seed_lines(code, Language.JAVASCRIPT)
    mixed = [line for line in lines if line.startswith("M:")]
    assert seed_lines(code, Language.JAVASCRIPT) == lines
    assert any("," in line and '"' in line for line in mixed)
