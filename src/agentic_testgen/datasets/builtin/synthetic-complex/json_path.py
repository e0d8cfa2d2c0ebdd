"""Read values out of nested JSON-like data with dotted paths such as 'a.b[2].c'."""

import re

STEP = re.compile(r"([^.\[\]]+)|\[(\d+|\*)\]")


class PathError(Exception):
    pass


def parse_path(path):
    if not path:
        raise PathError("empty path")
    steps = []
    for name, index in STEP.findall(path):
        if name:
            steps.append(name)
        elif index == "*":
            steps.append("*")
        else:
            steps.append(int(index))
    return steps


def get(data, path, default=None):
    values = [data]
    for step in parse_path(path):
        found = []
        for value in values:
            if step == "*" and isinstance(value, list):
                found.extend(value)
            elif isinstance(step, int) and isinstance(value, list):
                if -len(value) <= step < len(value):
                    found.append(value[step])
            elif isinstance(step, str) and isinstance(value, dict) and step in value:
                found.append(value[step])
        values = found
        if not values:
            return default
    return values if "*" in parse_path(path) else values[0]
