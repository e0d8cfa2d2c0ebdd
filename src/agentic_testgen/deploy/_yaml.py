"""YAML as the rendered files write it: keys in the order given, multi-line text as a block."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as Prometheus' and Compose's own examples do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # a PromQL expression over several lines stays readable as a literal block
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def dump(document: Any, header: str) -> str:
    """`document` as YAML, after `header` as comment lines."""
    lines = [wrapped for line in header.strip().splitlines()
             for wrapped in textwrap.wrap(line, 96) or [""]]  # fmt: skip
    comments = "".join(f"# {line}".rstrip() + "\n" for line in lines)
    # no folding: a line break inside a Go template or a PromQL string would be hard to read
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=1_000_000, allow_unicode=True)
    return comments + body
