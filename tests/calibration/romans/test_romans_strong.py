"""Strong tests for Roman numerals: subtractive pairs, range, canonical form, round trips."""

import pytest
from romans import RomanError, from_roman, to_roman

CASES = [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (90, "XC"), (400, "CD"),
         (900, "CM"), (1994, "MCMXCIV"), (2024, "MMXXIV"), (3999, "MMMCMXCIX"), (8, "VIII")]  # fmt: skip


@pytest.mark.parametrize(("number", "numeral"), CASES)
def test_to_roman_writes_canonical_numerals(number: int, numeral: str) -> None:
    assert to_roman(number) == numeral


@pytest.mark.parametrize(("number", "numeral"), CASES)
def test_from_roman_reads_them_back(number: int, numeral: str) -> None:
    assert from_roman(numeral) == number


def test_from_roman_ignores_case_and_surrounding_space() -> None:
    assert from_roman(" mcmxciv ") == 1994


@pytest.mark.parametrize("number", [0, -1, 4000])
def test_numbers_out_of_range_are_refused(number: int) -> None:
    with pytest.raises(RomanError, match="out of range 1..3999"):
        to_roman(number)


@pytest.mark.parametrize("value", [1.0, "5", True])
def test_only_ints_are_converted(value: object) -> None:
    with pytest.raises(TypeError):
        to_roman(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("numeral", ["", "ABC", "I I", "12"])
def test_text_that_is_not_a_numeral_is_refused(numeral: str) -> None:
    with pytest.raises(RomanError, match="is not a Roman numeral"):
        from_roman(numeral)


@pytest.mark.parametrize("numeral", ["IIII", "VX", "IC", "MMMM", "XXC"])
def test_non_canonical_numerals_are_refused(numeral: str) -> None:
    with pytest.raises(RomanError, match="canonical form"):
        from_roman(numeral)


def test_every_number_survives_a_round_trip() -> None:
    assert all(from_roman(to_roman(n)) == n for n in range(1, 4000))
