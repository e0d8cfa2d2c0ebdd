"""A small hierarchy of plane shapes: area, perimeter, scaling and ordering by area."""

from __future__ import annotations

import math


class Shape:
    name = "shape"

    def area(self) -> float:
        raise NotImplementedError

    def perimeter(self) -> float:
        raise NotImplementedError

    def scaled(self, factor: float) -> Shape:
        raise NotImplementedError

    def describe(self) -> str:
        return f"{self.name} with area {self.area():.2f}"

    def __lt__(self, other: Shape) -> bool:
        return self.area() < other.area()


def _positive(value: float, what: str) -> float:
    if value <= 0:
        raise ValueError(f"{what} must be positive, got {value}")
    return value


class Circle(Shape):
    name = "circle"

    def __init__(self, radius: float) -> None:
        self.radius = _positive(radius, "radius")

    def area(self) -> float:
        return math.pi * self.radius**2

    def perimeter(self) -> float:
        return 2 * math.pi * self.radius

    def scaled(self, factor: float) -> Circle:
        return Circle(self.radius * _positive(factor, "factor"))


class Rectangle(Shape):
    name = "rectangle"

    def __init__(self, width: float, height: float) -> None:
        self.width = _positive(width, "width")
        self.height = _positive(height, "height")

    def area(self) -> float:
        return self.width * self.height

    def perimeter(self) -> float:
        return 2 * (self.width + self.height)

    def scaled(self, factor: float) -> Rectangle:
        factor = _positive(factor, "factor")
        return Rectangle(self.width * factor, self.height * factor)


class Square(Rectangle):
    name = "square"

    def __init__(self, side: float) -> None:
        super().__init__(side, side)

    def scaled(self, factor: float) -> Square:
        return Square(self.width * _positive(factor, "factor"))


def largest(shapes: list[Shape]) -> Shape:
    if not shapes:
        raise ValueError("no shapes")
    return max(shapes, key=lambda shape: shape.area())


def total_area(shapes: list[Shape]) -> float:
    return sum(shape.area() for shape in shapes)
