"""The red team: attacks on the real orchestrator, sandbox, loader, storage and command line,
each reported as stopped (and by which layer) or not, with the host checked for their effects.

`run_redteam()` runs the catalogue (`ATTACKS`); `adversarial_model()` is the compromised model
the prompt-injection and tampering attacks generate their tests with.
"""

from agentic_testgen.evals.redteam._attacks import ATTACKS, by_name
from agentic_testgen.evals.redteam._model import ModelLog, adversarial_model
from agentic_testgen.evals.redteam._run import RedTeamReport, run_attack, run_redteam
from agentic_testgen.evals.redteam._types import (
    ATTACK_CLASSES,
    Arena,
    Attack,
    AttackOutcome,
    StoppedBy,
    Verdict,
)

__all__ = [
    "ATTACKS",
    "ATTACK_CLASSES",
    "Arena",
    "Attack",
    "AttackOutcome",
    "ModelLog",
    "RedTeamReport",
    "StoppedBy",
    "Verdict",
    "adversarial_model",
    "by_name",
    "run_attack",
    "run_redteam",
]
