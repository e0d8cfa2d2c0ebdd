"""Strong tests for shapes: formulas, scaling keeps the type, ordering and errors."""

import math

import pytest
from shapes import Circle, Rectangle, Shape, Square, largest, total_area


def test_circle_area_and_perimeter() -> None:
    circle = Circle(2)
    assert circle.area() == pytest.approx(4 * math.pi)
    assert circle.perimeter() == pytest.approx(4 * math.pi)
    assert Circle(1).perimeter() == pytest.approx(2 * math.pi)


def test_rectangle_area_and_perimeter() -> None:
    rectangle = Rectangle(3, 4)
    assert rectangle.area() == 12
    assert rectangle.perimeter() == 14


def test_a_square_is_a_rectangle_with_equal_sides() -> None:
    square = Square(5)
    assert isinstance(square, Rectangle)
    assert (square.width, square.height) == (5, 5)
    assert square.area() == 25
    assert square.perimeter() == 20


def test_scaling_keeps_the_type_and_multiplies_lengths() -> None:
    assert Circle(1).scaled(3).radius == 3
    scaled = Rectangle(1, 2).scaled(2)
    assert (scaled.width, scaled.height) == (2, 4)
    square = Square(2).scaled(1.5)
    assert type(square) is Square
    assert square.width == 3


@pytest.mark.parametrize(
    "make", [lambda: Circle(0), lambda: Rectangle(1, -1), lambda: Rectangle(-2, 1),
             lambda: Square(0), lambda: Circle(1).scaled(0), lambda: Square(1).scaled(-1),
             lambda: Rectangle(1, 1).scaled(0)]
)  # fmt: skip
def test_lengths_and_factors_must_be_positive(make) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        make()


def test_an_error_names_what_was_wrong() -> None:
    with pytest.raises(ValueError, match="height must be positive, got -1"):
        Rectangle(1, -1)


def test_describe_names_the_shape_and_its_area() -> None:
    assert Square(2).describe() == "square with area 4.00"
    assert Circle(1).describe() == "circle with area 3.14"
    assert Rectangle(1, 2).describe() == "rectangle with area 2.00"


def test_shapes_order_by_area() -> None:
    assert Square(1) < Circle(1)
    assert not Circle(1) < Square(1)
    assert not Square(2) < Rectangle(2, 2)
    assert sorted([Circle(2), Square(1), Rectangle(2, 3)]) == sorted(
        [Square(1), Rectangle(2, 3), Circle(2)]
    )


def test_largest_and_total_area() -> None:
    circle = Circle(3)
    assert largest([Square(1), circle, Rectangle(2, 3)]) is circle
    assert total_area([Square(2), Rectangle(1, 3)]) == 7
    assert total_area([]) == 0
    with pytest.raises(ValueError, match="no shapes"):
        largest([])


def test_the_base_shape_has_no_measures() -> None:
    shape = Shape()
    for method in (shape.area, shape.perimeter, lambda: shape.scaled(2)):
        with pytest.raises(NotImplementedError):
            method()
