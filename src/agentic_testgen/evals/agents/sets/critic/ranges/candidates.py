import random
import sys
from pathlib import Path

import pytest

from ranges import clamp, rescale, steps


def test_clamp_raises_a_low_value_to_the_low_bound():
    assert clamp(-3, 0, 10) == 0


def test_clamp_lowers_a_high_value_to_the_high_bound():
    assert clamp(42, 0, 10) == 10


def test_clamp_refuses_an_empty_range():
    with pytest.raises(ValueError, match="empty range"):
        clamp(1, 5, 0)


def test_clamp_keeps_seven_between_zero_and_ten():
    assert clamp(7, 0, 10) == 7


def test_clamp_of_a_random_value_is_its_magnitude():
    value = random.randint(-10, 10)
    assert clamp(value, 0, 10) == abs(value)


def test_rescale_refuses_a_source_range_without_width():
    with pytest.raises(ValueError, match="no width"):
        rescale(1, (3, 3), (0, 1))


def test_rescale_handles_a_sweep_of_values():
    results = []
    for value in range(0, 11):
        results.append(rescale(value, (0, 10), (0, 1)))
    print(f"rescaled {len(results)} values, the last to {results[-1]}")


def test_a_long_sweep_runs_without_the_tracer():
    sys.settrace(None)  # the sweep is slow under the tracer
    values = [rescale(v, (0, 1000), (0, 1)) for v in range(1001)]
    assert values[500] == 0.5


def test_steps_include_both_ends():
    assert steps(0, 10, 3) == [0, 5, 10]


def test_steps_of_a_tenth_are_exact():
    assert steps(0, 0.3, 4) == [0, 0.1, 0.2, 0.3]


def test_steps_saved_as_a_table():
    table = "\n".join(f"{i},{value}" for i, value in enumerate(steps(0, 1, 5)))
    Path("steps.csv").write_text(table)
    assert Path("steps.csv").read_text().count("\n") == 4
