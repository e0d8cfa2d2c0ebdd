"""The source lines a compiled class has code on, read from its class file by atg itself.

A class file's methods carry a `LineNumberTable` (javac -g): every line JaCoCo can count is one of
them. atg reads them on its own side of the sandbox from the class files it compiled, so a run's
coverage that names any other line was not measured but written (see the adapter's integrity).
"""

from __future__ import annotations

import struct
from pathlib import Path

_MAGIC = 0xCAFEBABE
# constant pool tags and the bytes each entry takes after its tag (Utf8 is sized by itself)
_UTF8 = 1
_LONG, _DOUBLE = 5, 6
_SIZES = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2, 17: 4,
          18: 4, 19: 2, 20: 2}  # fmt: skip


class ClassFileError(ValueError):
    """The bytes are not a class file this reader understands."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise ClassFileError("truncated class file")
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk

    def u1(self) -> int:
        return int(self.take(1)[0])

    def u2(self) -> int:
        return int(struct.unpack(">H", self.take(2))[0])

    def u4(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])


def _constant_pool(reader: _Reader) -> dict[int, str]:
    """The pool's Utf8 entries by index (the only ones attribute names need)."""
    texts: dict[int, str] = {}
    count = reader.u2()
    index = 1
    while index < count:
        tag = reader.u1()
        if tag == _UTF8:
            texts[index] = reader.take(reader.u2()).decode("utf-8", errors="replace")
        elif tag in _SIZES:
            reader.take(_SIZES[tag])
        else:
            raise ClassFileError(f"unknown constant pool tag {tag}")
        index += 2 if tag in (_LONG, _DOUBLE) else 1
    return texts


def _attributes(
    reader: _Reader, names: dict[int, str], lines: set[int], found: dict[str, str] | None = None
) -> None:
    for _ in range(reader.u2()):
        name = names.get(reader.u2(), "")
        body = _Reader(reader.take(reader.u4()))
        if name == "SourceFile" and found is not None:
            found["source_file"] = names.get(body.u2(), "")
        elif name == "Code":
            body.take(4)  # max_stack, max_locals
            body.take(body.u4())  # the bytecode
            body.take(8 * body.u2())  # the exception table
            _attributes(body, names, lines)
        elif name == "LineNumberTable":
            for _ in range(body.u2()):
                body.u2()  # start_pc
                lines.add(body.u2())


def code_lines(data: bytes) -> set[int]:
    """The source lines the class's methods have bytecode on (from their LineNumberTables).

    Raises:
        ClassFileError: `data` is not a class file.
    """
    return _read(data)[0]


def source_file(data: bytes) -> str | None:
    """The name of the source file the class was compiled from (its SourceFile attribute;
    None when the compiler left it out).

    Raises:
        ClassFileError: `data` is not a class file.
    """
    return _read(data)[1]


def _read(data: bytes) -> tuple[set[int], str | None]:
    reader = _Reader(data)
    if reader.u4() != _MAGIC:
        raise ClassFileError("not a class file")
    reader.take(4)  # minor and major version
    names = _constant_pool(reader)
    reader.take(6)  # access flags, this class, super class
    reader.take(2 * reader.u2())  # interfaces
    lines: set[int] = set()
    for _ in range(reader.u2()):  # fields
        reader.take(6)
        _attributes(reader, names, set())
    for _ in range(reader.u2()):  # methods
        reader.take(6)
        _attributes(reader, names, lines)
    found: dict[str, str] = {}
    _attributes(reader, names, set(), found)  # the class's own
    return lines, found.get("source_file")


def class_files(root: Path) -> dict[str, Path]:
    """The class files below `root` by binary name (`a.b.Clamp$Inner`)."""
    return {
        ".".join(path.relative_to(root).with_suffix("").parts): path
        for path in sorted(root.rglob("*.class"))
    }
