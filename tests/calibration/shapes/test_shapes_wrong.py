"""Tests for shapes that use wrong formulas."""

import math

from shapes import Circle, Rectangle, Square


def test_rectangle_area() -> None:
    assert Rectangle(3, 4).area() == 12


def test_circle_area_uses_the_diameter() -> None:
    assert Circle(2).area() == math.pi * 4**2


def test_square_perimeter_counts_two_sides() -> None:
    assert Square(3).perimeter() == 6


def test_scaling_multiplies_the_area() -> None:
    assert Square(2).scaled(2).area() == 8
