"""Semantic versions: parse, compare and bump `MAJOR.MINOR.PATCH[-PRERELEASE]`."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$")


@dataclass(frozen=True, order=False)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: str = ""

    @classmethod
    def parse(cls, text: str) -> Version:
        found = _VERSION.match(text.strip().removeprefix("v"))
        if found is None:
            raise ValueError(f"not a semantic version: {text!r}")
        major, minor, patch, prerelease = found.groups()
        return cls(int(major), int(minor), int(patch), prerelease or "")

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return f"{core}-{self.prerelease}" if self.prerelease else core

    def __lt__(self, other: Version) -> bool:
        mine = (self.major, self.minor, self.patch)
        theirs = (other.major, other.minor, other.patch)
        if mine != theirs:
            return mine < theirs
        # a pre-release comes before its release; pre-releases compare as text here
        if self.prerelease and other.prerelease:
            return self.prerelease < other.prerelease
        return bool(self.prerelease) and not other.prerelease

    def is_stable(self) -> bool:
        """A release past 0.x: its public API is settled."""
        return self.major > 0 and not self.prerelease

    def bump(self, part: str) -> Version:
        """The next version: `major`, `minor` or `patch`; a pre-release bumps to its release."""
        if self.prerelease:
            return Version(self.major, self.minor, self.patch)
        if part == "major":
            return Version(self.major + 1, 0, 0)
        if part == "minor":
            return Version(self.major, self.minor + 1, 0)
        if part == "patch":
            return Version(self.major, self.minor, self.patch + 1)
        raise ValueError(f"unknown part {part!r}")
