"""The coders' time, shared by what each has delivered: covered lines, branches, mutants.

Each coder gets time in proportion to its yield on this generation so far (new lines and
branches the kept tests cover, plus mutants only its tests kill, per second it and its review
took), among all the coders still delivering: the time of those that already ran in a round
is not handed to the rest. A coder not run yet probes briefly, with a share that shrinks as the
module gets covered. A coder whose last run added nothing, or little for its time, gets no more
time, since the offline tools write much the same tests again when they run longer; Pynguin,
whose seeded search starts over each run, runs once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

FASTEST = 0.5  # a run faster than this is counted as this long (a rate, not a division by 0)
MIN_SECONDS = 5.0  # a shorter share is not worth a tool's start-up (Pynguin's alone is 2-5 s)
MIN_LEFT = 0.1  # the least share of the module a coder not run yet is expected to add to
# a coder's first run, before anything is known of its yield on this module: long enough for
# every offline tool to start and search (Pynguin: 2-5 s of start-up, 5 s of search)
PROBE_SECONDS = 12.0
# a run that added less than this per second (lines, branches, mutants) has run dry: measured on
# the `mixed` dataset, the run after one so thin added nothing (CrossHair on `expr` 48 items, 2,
# then 0 in 7.7 s; Pynguin on `ledger` 1 in 8.5 s, then 0 in 17 s)
MIN_RATE = 0.5
# coders that run once per module. Pynguin's search is seeded, so a second run repeats the first
# before it finds anything new: measured on the `mixed` dataset, its later runs added 21 items in
# 87 s (0.24 a second, four of eight nothing), where CrossHair's, aimed at the functions still
# uncovered, added 69 in 76 s (0.91 a second)
ONCE = frozenset({"pynguin"})


@dataclass
class Yield:
    """What one coder has delivered on this generation."""

    gained: int = 0
    seconds: float = 0.0
    runs: int = 0
    last_gained: int = 0
    last_seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Items gained per second."""
        return self.gained / max(self.seconds, FASTEST)


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
        entry.last_seconds = seconds

    def exhausted(self, coder: str) -> bool:
        """Whether `coder` has run and its last run added nothing, or less than `MIN_RATE`
        items a second, or it runs only `ONCE`."""
        entry = self.by_coder.get(coder)
        if entry is None or entry.runs == 0:
            return False
        return coder in ONCE or entry.last_gained / max(entry.last_seconds, FASTEST) < MIN_RATE

    def share(
        self, coder: str, remaining: float, coders: Sequence[str], left: float = 1.0
    ) -> float:
        """Seconds for `coder` out of `remaining`, among `coders` (every coder of the
        generation): in proportion to its yield per second among those that have not run dry.

        A coder not run yet is weighed at the mean rate of those that have (1 while none has),
        scaled by `left`, the share of the module's lines and branches the kept tests still
        miss (it can add no more than that), and its first run is a probe of at most
        `PROBE_SECONDS`. No coder gets less than `MIN_SECONDS` (not worth a tool's start-up),
        nor less than half of what its last run took (it could not finish): it gets none.
        """
        alive = [name for name in dict.fromkeys(coders) if not self.exhausted(name)]
        if coder not in alive:
            return 0.0
        rates = {name: self.by_coder[name].rate for name in alive if name in self.by_coder}
        mean = sum(rates.values()) / len(rates) if rates else 1.0
        prior = mean * max(left, MIN_LEFT)
        weights = {name: rates.get(name, prior) for name in alive}
        total = sum(weights.values())
        seconds = remaining * weights[coder] / total if total else remaining / len(alive)
        entry = self.by_coder.get(coder)
        if entry is None:
            seconds = min(seconds, PROBE_SECONDS)
        elif seconds < entry.last_seconds / 2:
            return 0.0
        return seconds if seconds >= MIN_SECONDS else 0.0
