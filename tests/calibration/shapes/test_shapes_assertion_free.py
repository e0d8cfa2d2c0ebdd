"""Tests for shapes that build and measure them and check nothing."""

from shapes import Circle, Rectangle, Square, largest, total_area


def test_circle() -> None:
    circle = Circle(2)
    circle.area()
    circle.perimeter()
    circle.scaled(2).describe()


def test_rectangles() -> None:
    shapes = [Rectangle(1, 2), Square(3).scaled(2)]
    largest(shapes)
    total_area(shapes)
    sorted(shapes)
