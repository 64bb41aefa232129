"""`python -m core match` and `python -m core score`: the engine from a shell.

A JSON file in, pairs out, with no database: admins can try a matching on a spreadsheet export,
and scripts can check the engine's answer. `match PILOT` runs on a pilot in the portal instead,
through core.pairs. Every failure is one `error:` line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.matching.assignment import MatchResult

# The engine's objectives and methods (core.matching.assignment.OBJECTIVES and METHODS), spelled
# out here because reading them from the engine would import numpy and OR-Tools for `--help`;
# tests/core/cli/test_start_up.py fails if the two ever differ.
OBJECTIVES = ("score", "coverage")
METHODS = ("auto", "dense", "sparse")


def add_commands(subparsers: Any) -> None:
    """Register `match` and `score` on an argparse subparsers object."""
    match = subparsers.add_parser(
        "match",
        help="suggest pairs for a pilot or a JSON instance",
        description="Suggest pairs, either for a pilot in the portal (PILOT, id or name) or "
        "for a JSON instance file (--instance).",
    )
    match.add_argument("pilot", nargs="?", help="pilot id or name (uses the portal database)")
    match.add_argument("--instance", metavar="FILE.json", help="match a JSON instance file")
    match.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default=None,
        help="score: best total score (default for files); coverage: match as many mentees as"
        " possible, then best total score",
    )
    match.add_argument("--method", choices=METHODS, default="auto", help=argparse.SUPPRESS)
    match.add_argument("--json", action="store_true", help="print JSON instead of a table")
    match.add_argument(
        "--dry-run", action="store_true", help="with PILOT: show the pairs without saving them"
    )
    match.set_defaults(handler=run_match)

    score = subparsers.add_parser(
        "score",
        help="score every allowed pair of a JSON instance",
        description="Print the score of every pair the hard rules allow.",
    )
    score.add_argument("--instance", metavar="FILE.json", required=True)
    score.add_argument("--json", action="store_true", help="print JSON instead of a table")
    score.set_defaults(handler=run_score)


def run_match(args: argparse.Namespace) -> int:
    import json

    from core.cli.common import fail
    from core.errors import DomainError
    from core.matching.assignment import suggest_pairs
    from core.matching.instance import load_instance_file

    if args.pilot is not None and args.instance:
        return fail("give either a PILOT or --instance FILE.json, not both")
    if args.pilot is None and not args.instance:
        return fail("give a PILOT (id or name) or --instance FILE.json")
    if args.pilot is not None:
        return _match_pilot(args)
    try:
        inst = load_instance_file(args.instance)
        result = suggest_pairs(inst, objective=args.objective or "score", method=args.method)
    except DomainError as exc:
        return fail(exc)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_result(result)
    return 0


def _match_pilot(args: argparse.Namespace) -> int:
    return match_pilot(args.pilot, args.objective, args.dry_run)


def run_score(args: argparse.Namespace) -> int:
    import json

    from core.cli.common import fail
    from core.errors import DomainError
    from core.matching.instance import load_instance_file
    from core.matching.scoring import allowed_scores

    try:
        inst = load_instance_file(args.instance)
        scores = list(allowed_scores(inst))
    except DomainError as exc:
        return fail(exc)
    if args.json:
        rows = [{"mentee": a, "mentor": b, "score": s} for a, b, s in scores]
        print(json.dumps({"scores": rows}, ensure_ascii=False, indent=2))
        return 0
    _table(["Mentee", "Mentor", "Score"], [[str(a), str(b), f"{s:.2f}"] for a, b, s in scores])
    print(f"{len(scores)} allowed pairs")
    return 0


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


def print_result(result: MatchResult) -> None:
    rows = [
        [
            str(p.mentee),
            str(p.mentor),
            f"{p.score:.2f}",
            ("[locked] " if p.locked else "") + "; ".join(p.reasons),
        ]
        for p in result.pairs
    ]
    if rows:
        _table(["Mentee", "Mentor", "Score", "Why"], rows)
    if result.unmatched:
        print("\nUnmatched:")
        for mentee, reason in result.unmatched:
            print(f"  {mentee}: {reason}")
    total = result.matched + len(result.unmatched)
    proof = "proved optimal" if result.proved_optimal else "NOT proved optimal"
    print(
        f"\nTotal score {result.total_score:.2f}; {result.matched} of {total} mentees matched;"
        f" {proof} ({result.method} solver, objective {result.objective})"
    )


def match_pilot(reference: str, objective: str | None, dry_run: bool) -> int:
    """`python -m core match PILOT`: run as the pilot's first administrator; --dry-run rolls
    back, so the printed pairs are exactly what a real run would have saved."""
    from sqlmodel import Session

    from core.cli.common import acting_admin, engine_from_env, fail, find_pilot
    from core.db import WRITES
    from core.errors import DomainError
    from core.models import PairStatus
    from core.pairs.review import list_pairs
    from core.pairs.run import run_matching

    # Committed or rolled back below, so not a unit_of_work; it writes, so it takes the write lock
    # first like one (BEGIN IMMEDIATE on SQLite).
    engine = engine_from_env().execution_options(**{WRITES: True})
    with Session(engine, expire_on_commit=False) as session:
        try:
            pilot = find_pilot(reference, session=session)
            actor = acting_admin(pilot, None, session=session)
            summary = run_matching(actor, pilot.id, objective=objective, session=session)  # type: ignore[arg-type]
        except DomainError as exc:
            session.rollback()
            return fail(exc)
        for row in list_pairs(actor, pilot.id, session=session):  # type: ignore[arg-type]
            if row.status == PairStatus.SUGGESTED:
                print(f"{row.score:6.2f}  {row.mentee}  ←  {row.mentor}")
        for u in summary.unmatched:
            print(f"  unmatched: {u['name']}: {u['reason']}")
        print(
            f"{summary.matched} of {summary.mentees_total} mentees matched; total score "
            f"{summary.total_score:.2f}; proved optimal: {'yes' if summary.proved_optimal else 'no'}"
            + (" (dry run: nothing saved)" if dry_run else "")
        )
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return 0
