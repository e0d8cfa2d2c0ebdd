import pytest
from fizzbuzz import fizzbuzz, sequence


@pytest.mark.parametrize(("n", "word"), [(1, "1"), (3, "Fizz"), (5, "Buzz"), (30, "FizzBuzz")])
def test_fizzbuzz_names_each_number(n, word):
    assert fizzbuzz(n) == word


def test_sequence_of_five():
    assert sequence(5) == ["1", "2", "Fizz", "4", "Buzz"]
