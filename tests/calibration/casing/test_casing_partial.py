"""Partial tests for casing: snake and kebab only."""

from casing import to_kebab, to_snake


def test_snake_from_camel() -> None:
    assert to_snake("helloWorld") == "hello_world"


def test_kebab_from_snake() -> None:
    assert to_kebab("hello_world") == "hello-world"
