import pytest
from expr import ParseError, evaluate, tokenize


def test_tokenize_numbers_and_operators():
    assert tokenize("12 + 3.5*(2)") == [12, "+", 3.5, "*", "(", 2, ")"]


@pytest.mark.parametrize(
    ("text", "value"), [("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("-4 + 10 / 4", -1.5), ("2 - 3 - 4", -5)]
)
def test_evaluate_respects_precedence(text, value):
    assert evaluate(text) == value


@pytest.mark.parametrize("text", ["1 +", "(1 + 2", "1 2", "2 $ 3"])
def test_malformed_expressions_raise_parse_error(text):
    with pytest.raises(ParseError):
        evaluate(text)


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError):
        evaluate("1 / (2 - 2)")
