"""An arithmetic expression evaluator: tokenizer and recursive-descent parser."""

import re

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*)|(.))")


class ParseError(Exception):
    pass


def tokenize(text):
    tokens = []
    for number, symbol in TOKEN.findall(text):
        if number:
            tokens.append(float(number) if "." in number else int(number))
        elif symbol.strip():
            if symbol not in "+-*/()":
                raise ParseError(f"unexpected character {symbol!r}")
            tokens.append(symbol)
    return tokens


class Parser:
    def __init__(self, tokens, variables=None):
        self.tokens = tokens
        self.position = 0
        self.variables = variables or {}

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.position += 1
        return token

    def expression(self):
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self):
        value = self.factor()
        while self.peek() in ("*", "/"):
            operator = self.take()
            right = self.factor()
            if operator == "*":
                value *= right
            elif right == 0:
                raise ZeroDivisionError("division by zero in expression")
            else:
                value /= right
        return value

    def factor(self):
        token = self.take()
        if token == "-":
            return -self.factor()
        if token == "(":
            value = self.expression()
            if self.take() != ")":
                raise ParseError("missing closing parenthesis")
            return value
        if isinstance(token, (int, float)):
            return token
        raise ParseError(f"unexpected token {token!r}")


def evaluate(text):
    parser = Parser(tokenize(text))
    value = parser.expression()
    if parser.peek() is not None:
        raise ParseError(f"trailing token {parser.peek()!r}")
    return value
