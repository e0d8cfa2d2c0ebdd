"""Partial tests for shapes: rectangles only."""

from shapes import Rectangle


def test_rectangle_area() -> None:
    assert Rectangle(3, 4).area() == 12


def test_rectangle_perimeter() -> None:
    assert Rectangle(3, 4).perimeter() == 14
