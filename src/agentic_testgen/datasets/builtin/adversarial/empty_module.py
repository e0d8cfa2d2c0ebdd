"""A module with no functions at all: only constants."""

VERSION = (1, 4, 2)
NAME = "empty"
