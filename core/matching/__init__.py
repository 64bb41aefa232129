"""Matching engine: who mentors whom, under hard rules, with reasons and a proof of optimality.

Free of the database and of any user interface: callers build an `Instance` (or load one from
JSON) and get a `MatchResult` back.
"""

from core.matching.assignment import MatchResult, SuggestedPair, suggest_pairs
from core.matching.explain import pair_reasons
from core.matching.instance import (
    DEFAULT_WEIGHTS,
    WEIGHT_HELP,
    Instance,
    InstanceError,
    Mentee,
    Mentor,
    load_instance,
    load_instance_file,
)
from core.matching.rules import pair_violations
from core.matching.scoring import (
    allowed_scores,
    pair_score,
    score_matrix,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "WEIGHT_HELP",
    "Instance",
    "InstanceError",
    "MatchResult",
    "Mentee",
    "Mentor",
    "SuggestedPair",
    "allowed_scores",
    "load_instance",
    "load_instance_file",
    "pair_reasons",
    "pair_score",
    "pair_violations",
    "score_matrix",
    "suggest_pairs",
]
