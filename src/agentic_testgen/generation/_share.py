"""The coders' time, shared by what each has delivered: covered lines, branches, mutants.

A coder that has not run yet gets an even share of what is left. Once coders have run, each
gets time in proportion to its yield on this generation so far (new lines and branches the
kept tests cover, plus mutants only its tests kill, per second it took); a coder whose last
run added nothing gets no more time, since the offline tools write much the same tests again
when they run longer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MIN_SECONDS = 0.5  # a run faster than this is counted as this long (a rate, not a division by 0)


@dataclass
class Yield:
    """What one coder has delivered on this generation."""

    gained: int = 0
    seconds: float = 0.0
    runs: int = 0
    last_gained: int = 0

    @property
    def rate(self) -> float:
        """Items gained per second."""
        return self.gained / max(self.seconds, MIN_SECONDS)


@dataclass
class Yields:
    """Every coder's yield, and the time each is given."""

    by_coder: dict[str, Yield] = field(default_factory=dict)

    def record(self, coder: str, gained: int, seconds: float) -> None:
        """Count one run of `coder`: `gained` new items in `seconds`."""
        entry = self.by_coder.setdefault(coder, Yield())
        entry.gained += gained
        entry.seconds += seconds
        entry.runs += 1
        entry.last_gained = gained

    def exhausted(self, coder: str) -> bool:
        """Whether `coder` has run and its last run added nothing."""
        entry = self.by_coder.get(coder)
        return entry is not None and entry.runs > 0 and entry.last_gained == 0

    def share(self, coder: str, remaining: float, still_to_run: Sequence[str]) -> float:
        """Seconds for `coder` out of `remaining`, with `still_to_run` (it included) to come
        in this round: in proportion to its yield among them; an even share while none of
        them has a yield yet (or for one that has not run)."""
        waiting = [name for name in still_to_run if not self.exhausted(name)]
        if coder not in waiting:
            return 0.0
        rates = {name: self.by_coder[name].rate for name in waiting if name in self.by_coder}
        if not rates or not any(rates.values()):
            return remaining / len(waiting)
        fresh = sum(1 for name in waiting if name not in rates)
        # a coder not run yet is weighed at the mean of those that have
        mean = sum(rates.values()) / len(rates)
        weight = rates.get(coder, mean)
        total = sum(rates.values()) + fresh * mean
        return remaining * weight / total if total else remaining / len(waiting)
