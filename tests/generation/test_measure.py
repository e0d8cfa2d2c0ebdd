"""The critic measures a file once per generation, and the coders share time by their yield."""

from __future__ import annotations

import pytest

from agentic_testgen.domain import SourceUnit
from agentic_testgen.generation import Budget, Goal, TestFile, generate_tests, review
from agentic_testgen.generation._measure import Measurements
from agentic_testgen.generation._share import PROBE_SECONDS, Yields
from agentic_testgen.generation.coders import CrossHairCoder, LLMCoder
from agentic_testgen.generation.llm import ChatClient, ModelSpec
from agentic_testgen.languages import RunOptions
from agentic_testgen.sandbox import get_sandbox
from tests.generation.fake_provider import fake_provider, openai_reply
from tests.generation.test_generate import MODULE, OPTIONS

ADULT = SourceUnit(
    path="age.py", module_name="age", code="def is_adult(age):\n    return age >= 18\n"
)
THIRTY = "from age import is_adult\n\ndef test_thirty_is_adult():\n    assert is_adult(30)\n"
EIGHTEEN = "from age import is_adult\n\ndef test_eighteen_is_adult():\n    assert is_adult(18)\n"


def scripted_llm(url: str) -> LLMCoder:
    return LLMCoder(
        ChatClient(ModelSpec.parse("openai/gpt-4o-mini"), base_url=f"{url}/v1", api_key="k")
    )


def test_a_second_review_with_no_change_runs_nothing() -> None:
    measure = Measurements()
    tests = TestFile()
    tests.add("from calc import sign\n\ndef test_positive():\n    assert sign(5) == 1\n")
    first = review(MODULE, tests, [], get_sandbox("bwrap"), OPTIONS, measure=measure)
    assert (measure.made, measure.reused) == (1, 0)
    again = review(MODULE, tests, list(first.kept), get_sandbox("bwrap"), OPTIONS, measure=measure)
    assert (measure.made, measure.reused) == (1, 1)
    assert again.kept == first.kept == ("test_positive",)
    assert again.outcome == first.outcome


def test_a_changed_file_is_measured_again() -> None:
    measure = Measurements()
    tests = TestFile()
    tests.add("from calc import sign\n\ndef test_positive():\n    assert sign(5) == 1\n")
    first = review(MODULE, tests, [], get_sandbox("bwrap"), OPTIONS, measure=measure)
    tests.add("from calc import sign\n\ndef test_negative():\n    assert sign(-3) == -1\n")
    second = review(MODULE, tests, list(first.kept), get_sandbox("bwrap"), OPTIONS,
                    measure=measure)  # fmt: skip
    assert measure.made == 2
    assert second.kept == ("test_positive", "test_negative")
    # the same options, other reruns: another measurement too
    review(MODULE, tests, list(second.kept), get_sandbox("bwrap"),
           RunOptions(reruns=1, test_timeout_s=5.0, mutation=False), measure=measure)  # fmt: skip
    assert measure.made == 3


def test_the_mutants_of_an_unchanged_round_run_once() -> None:
    measure = Measurements()
    tests = TestFile()
    tests.add(THIRTY)
    first = review(ADULT, tests, [], get_sandbox("bwrap"), OPTIONS, measure=measure)
    tests.add(EIGHTEEN)
    kept = list(first.kept)
    second = review(ADULT, tests, kept, get_sandbox("bwrap"), OPTIONS, kill_mutants=True,
                    measure=measure)  # fmt: skip
    assert second.killers == ("test_eighteen_is_adult",)
    made = measure.made  # the first run, this file's run and its mutants
    assert made == 3
    third = review(ADULT, tests, kept, get_sandbox("bwrap"), OPTIONS, kill_mutants=True,
                   measure=measure)  # fmt: skip
    assert measure.made == made
    assert third.killers == second.killers


def test_a_proposal_whose_every_test_checks_nothing_runs_nothing() -> None:
    measure = Measurements()
    tests = TestFile()
    tests.add("from calc import sign\n\ndef test_positive():\n    assert sign(5) == 1\n")
    first = review(MODULE, tests, [], get_sandbox("bwrap"), OPTIONS, measure=measure)
    tests.add("import json\nfrom calc import sign\n\ndef test_fuzz_sign():\n    sign(-2)\n")
    again = review(MODULE, tests, list(first.kept), get_sandbox("bwrap"), OPTIONS,
                   measure=measure, last=first.outcome)  # fmt: skip
    assert (measure.made, measure.reused) == (1, 0)
    assert not again.ran
    assert again.outcome is first.outcome
    assert again.kept == first.kept
    assert again.dropped == {"test_fuzz_sign": "checks nothing: no assertion"}


def test_a_round_that_proposed_only_unchecked_tests_leaves_the_file_as_measured() -> None:
    checked = "```python\nfrom calc import sign\n\ndef test_up():\n    assert sign(3) == 1\n```"
    unchecked = (
        "```python\nimport json\nfrom calc import sign\n\ndef test_down():\n    sign(-3)\n```"
    )
    with fake_provider(openai_reply(checked), openai_reply(unchecked)) as server:
        outcome = generate_tests(
            MODULE, [scripted_llm(server.url)], get_sandbox("bwrap"), options=OPTIONS,
            budget=Budget(max_iterations=2, max_seconds=60),
        )  # fmt: skip
    assert outcome.dropped == {"test_down": "checks nothing: no assertion"}
    # the first round's review and the assembled file: the second round ran nothing
    assert outcome.measured_runs == 2


def test_the_goal_is_not_checked_again_when_the_kept_tests_did_not_change() -> None:
    up = "```python\nfrom calc import sign\n\ndef test_up():\n    assert sign(3) == 1\n```"
    # the same check again, with an import of its own: it runs, and is dropped
    again = (
        "```python\nimport json\nfrom calc import sign\n\n"
        "def test_up_again():\n    assert sign(3) == 1\n```"
    )
    options = RunOptions(reruns=1, test_timeout_s=5.0, mutation=True)
    with fake_provider(openai_reply(up), openai_reply(again)) as server:
        outcome = generate_tests(
            MODULE, [scripted_llm(server.url)], get_sandbox("bwrap"), options=options,
            budget=Budget(max_iterations=2, max_seconds=60), goal=Goal(0.3, 1.0),
        )  # fmt: skip
    assert outcome.dropped == {"test_up_again": "adds no coverage the kept tests lack"}
    # two reviews and the mutants of each (the goal's, then the killers'), and the assembled
    # file: the kept tests' mutants are not run again for the goal after the second round
    assert outcome.measured_runs == 5


def test_a_coder_whose_last_run_added_nothing_gets_no_more_time() -> None:
    yields = Yields()
    yields.record("crosshair", 12, 3.0)
    yields.record("pynguin", 0, 15.0)
    assert yields.share("pynguin", 30.0, ["crosshair", "pynguin"]) == 0.0
    assert yields.share("crosshair", 30.0, ["crosshair", "pynguin"]) == 30.0
    yields.record("crosshair", 0, 2.0)
    assert yields.exhausted("crosshair")


def test_a_coder_whose_last_run_added_little_for_its_time_gets_no_more() -> None:
    yields = Yields()
    yields.record("crosshair", 48, 4.0)
    yields.record("crosshair", 2, 7.4)  # 0.27 items a second: the next run adds nothing
    assert yields.exhausted("crosshair")
    assert yields.share("crosshair", 30.0, ["crosshair"]) == 0.0
    yields.record("ghostwriter", 5, 8.0)
    assert not yields.exhausted("ghostwriter")


def test_pynguin_runs_once_whatever_its_first_run_added() -> None:
    yields = Yields()
    yields.record("pynguin", 115, 9.0)  # its seeded search would start over: no second run
    yields.record("crosshair", 24, 3.0)
    assert yields.exhausted("pynguin")
    assert yields.share("pynguin", 40.0, ["crosshair", "pynguin"]) == 0.0
    assert yields.share("crosshair", 40.0, ["crosshair", "pynguin"]) == 40.0


def test_coders_get_time_in_proportion_to_their_yield_per_second() -> None:
    yields = Yields()
    yields.record("crosshair", 30, 3.0)  # 10 items a second
    yields.record("ghostwriter", 20, 10.0)  # 2 a second
    coders = ["llm", "crosshair", "ghostwriter"]
    assert yields.share("crosshair", 60.0, coders[1:]) == pytest.approx(50.0)
    assert yields.share("ghostwriter", 60.0, coders[1:]) == pytest.approx(10.0)
    # one not run yet is weighed at the mean rate of those that have, and only probes
    assert yields.share("llm", 30.0, coders) == pytest.approx(10.0)
    assert yields.share("llm", 60.0, coders) == pytest.approx(PROBE_SECONDS)
    # before any yield, an even share
    assert Yields().share("a", 30.0, ["a", "b", "c"]) == pytest.approx(10.0)


def test_a_coder_not_run_yet_gets_less_time_the_more_is_covered() -> None:
    yields = Yields()
    yields.record("crosshair", 40, 4.0)
    coders = ["crosshair", "pynguin", "ghostwriter"]
    assert yields.share("pynguin", 40.0, coders, left=0.5) == pytest.approx(10.0)
    # 8% left: its share (40 * 0.1 / 1.2 s) is not worth a start-up
    assert yields.share("pynguin", 40.0, coders, left=0.08) == 0.0
    assert not yields.exhausted("pynguin")


def test_a_coder_whose_share_is_too_short_for_it_gets_none() -> None:
    yields = Yields()
    yields.record("crosshair", 30, 3.0)
    yields.record("ghostwriter", 10, 14.0)  # its share of 20 s would be 1.3 s; it took 14
    assert yields.share("ghostwriter", 20.0, ["crosshair", "ghostwriter"]) == 0.0
    assert not yields.exhausted("ghostwriter")


LONG = SourceUnit(
    path="grade.py",
    module_name="grade",
    code=(
        "def grade(score):\n    if score < 0:\n        raise ValueError('negative')\n"
        + "".join(f"    score = score + {n} - {n}\n" for n in range(8))
        + "    return score\n"
    ),
)


def test_generation_stops_once_the_goal_is_met() -> None:
    answer = "```python\nfrom grade import grade\n\ndef test_five():\n    assert grade(5) == 5\n```"
    with fake_provider(openai_reply(answer)) as server:
        llm = scripted_llm(server.url)
        outcome = generate_tests(
            LONG, [llm, CrossHairCoder()], get_sandbox("bwrap"), options=OPTIONS,
            budget=Budget(max_iterations=3, max_seconds=60), goal=Goal(0.8, None),
        )  # fmt: skip
    # the test leaves the `raise` uncovered: CrossHair would have been next
    assert 0.8 <= outcome.coverage < 1.0
    assert outcome.agents["coder"].iterations == 1
    assert "stopped at the goal: coverage 80%" in outcome.notes
    assert outcome.final_run is None  # not asked for


def test_the_final_run_is_the_file_as_written_measured_with_the_options() -> None:
    answer = "```python\nfrom calc import sign\n\ndef test_zero():\n    assert sign(0) == 0\n```"
    options = RunOptions(reruns=1, test_timeout_s=5.0, mutation=True)
    with fake_provider(openai_reply(answer)) as server:
        llm = scripted_llm(server.url)
        outcome = generate_tests(
            MODULE, [llm], get_sandbox("bwrap"), options=options,
            budget=Budget(max_iterations=1, max_seconds=60), measure_final=True,
        )  # fmt: skip
    assert outcome.final_run is not None
    assert outcome.final_run.mutation is not None  # mutation testing ran on the final file
    assert [t.nodeid.split("::")[1] for t in outcome.final_run.tests] == ["test_zero"]
    assert "def test_zero" in outcome.code
