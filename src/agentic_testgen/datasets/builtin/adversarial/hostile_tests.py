"""A harmless module whose reference tests try to escape the sandbox: the sandbox must hold."""


def add(a, b):
    return a + b
