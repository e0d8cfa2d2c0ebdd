"""Run the catalogue: each attack in its own temporary directory, in a worker process that is
killed when the attack outlives its time bound, with the host checked again afterwards."""

from __future__ import annotations

import multiprocessing
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.pool import Pool
from pathlib import Path

from agentic_testgen.evals.redteam._attacks import ATTACKS, by_name
from agentic_testgen.evals.redteam._host import SLEEP_SECONDS, kill_all, processes_with
from agentic_testgen.evals.redteam._types import ATTACK_CLASSES, Arena, Attack, AttackOutcome
from agentic_testgen.execution import die_with_parent, workers_can_start
from agentic_testgen.sandbox import Sandbox, get_sandbox

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RedTeamReport:
    """Every attack's outcome, in the order they ran."""

    outcomes: tuple[AttackOutcome, ...]
    duration_s: float = 0.0
    kept: dict[str, Path] = field(default_factory=dict)  # attack -> its directory, when kept

    def by_class(self) -> dict[str, tuple[int, int]]:
        """Per attack class: (attacks stopped, attacks tried)."""
        counts: dict[str, tuple[int, int]] = {}
        for outcome in self.outcomes:
            stopped, tried = counts.get(outcome.attack_class, (0, 0))
            counts[outcome.attack_class] = (stopped + outcome.stopped, tried + 1)
        return counts

    @property
    def score(self) -> float:
        """Attacks stopped / attacks tried (1.0 when none was tried)."""
        if not self.outcomes:
            return 1.0
        return sum(outcome.stopped for outcome in self.outcomes) / len(self.outcomes)

    @property
    def not_stopped(self) -> tuple[AttackOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.stopped)


def _new_arena(sandbox: Sandbox) -> Arena:
    root = Path(tempfile.mkdtemp(prefix="atg-redteam-"))
    return Arena(sandbox=sandbox, root=root, token=f"{secrets.randbelow(10**9):09d}")


def _attempt(attack: Attack, arena: Arena) -> AttackOutcome:
    try:
        return attack.run(arena)
    except Exception as error:  # the harness could not tell: never a "stopped"
        evidence = f"the attack could not run: {type(error).__name__}: {error}"
        return AttackOutcome(attack.name, attack.attack_class, False, "", evidence[:500])


def _settle(arena: Arena, outcome: AttackOutcome, *, keep: bool = False) -> AttackOutcome:
    """After the attack, from outside it: kill what it left running (and say so), remove its
    directory (unless `keep`)."""
    survivors = processes_with(f"{SLEEP_SECONDS}.{arena.token}")
    if survivors:
        kill_all(survivors)
        if outcome.stopped:
            outcome = replace(
                outcome, stopped=False, stopped_by="",
                evidence=f"processes outlived the attack (killed now): {survivors}",
            )  # fmt: skip
    if not keep:
        shutil.rmtree(arena.root, ignore_errors=True)
    return outcome


def run_attack(
    attack: Attack, *, sandbox: Sandbox | None = None, keep_dir: bool = False
) -> tuple[AttackOutcome, Path]:
    """Run one attack in this process (bounded only by the components' own limits); returns
    its outcome and its directory (removed unless `keep_dir`: then the caller removes it)."""
    arena = _new_arena(sandbox or get_sandbox("auto"))
    return _settle(arena, _attempt(attack, arena), keep=keep_dir), arena.root


def _in_worker(name: str, sandbox: Sandbox, root: str, token: str) -> AttackOutcome:
    return _attempt(by_name(name), Arena(sandbox=sandbox, root=Path(root), token=token))


def _pool() -> Pool:
    return multiprocessing.get_context("spawn").Pool(1, initializer=die_with_parent)


def run_redteam(
    *,
    sandbox: Sandbox | None = None,
    classes: Sequence[str] | None = None,
    on_progress: Progress | None = None,
    keep_dirs: bool = False,
) -> RedTeamReport:
    """Run every attack of `classes` (default: all) against the real components.

    `keep_dirs`: leave each attack's directory (its bait, listener log, workspace and store)
    for the caller to inspect and remove; `RedTeamReport.kept` names them.

    Each attack runs in a worker process with its own temporary directory; an attack that
    outlives its time bound is killed with the worker and reported as not stopped. (Called
    from a script without an `if __name__ == "__main__":` guard, which a spawned worker would
    run again, the attacks run in this process, bounded by the components' own limits.)

    Raises:
        ValueError: an unknown attack class.
    """
    wanted = tuple(classes or ATTACK_CLASSES)
    unknown = [name for name in wanted if name not in ATTACK_CLASSES]
    if unknown:
        raise ValueError(f"unknown attack class {unknown[0]!r}: use {', '.join(ATTACK_CLASSES)}")
    chosen = sandbox or get_sandbox("auto")
    say = on_progress or (lambda message: None)
    started = time.monotonic()
    outcomes: list[AttackOutcome] = []
    kept: dict[str, Path] = {}
    # a script without a `__main__` guard would run again in each worker: attacks then run here
    pool = _pool() if workers_can_start() else None
    try:
        for attack in (a for a in ATTACKS if a.attack_class in wanted):
            arena = _new_arena(chosen)
            begun = time.monotonic()
            if pool is None:
                outcome = _attempt(attack, arena)
            else:
                try:
                    outcome = pool.apply_async(
                        _in_worker, (attack.name, chosen, str(arena.root), arena.token)
                    ).get(timeout=attack.time_bound_s)
                except multiprocessing.TimeoutError:
                    pool.terminate()
                    pool = _pool()
                    bound = f"did not finish within its bound of {attack.time_bound_s:g} s"
                    outcome = AttackOutcome(attack.name, attack.attack_class, False, "", bound)
            outcome = _settle(arena, outcome, keep=keep_dirs)
            outcomes.append(outcome)
            if keep_dirs:
                kept[attack.name] = arena.root
            verdict = f"stopped by {outcome.stopped_by}" if outcome.stopped else "NOT STOPPED"
            seconds = time.monotonic() - begun
            say(f"{attack.attack_class}/{attack.name}: {verdict} ({seconds:.1f} s)")
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    return RedTeamReport(tuple(outcomes), time.monotonic() - started, kept)
