"""`python -m core match` and `python -m core score`: the engine from a shell.

A JSON file in, pairs out, with no database: admins can try a matching on a spreadsheet export,
and scripts can check the engine's answer. `match PILOT` runs on a pilot in the portal instead,
through core.pairing. Every failure is one `error:` line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from core.errors import DomainError
from core.matching.assignment import METHODS, OBJECTIVES, MatchResult, suggest_pairs
from core.matching.instance import load_instance_file
from core.matching.scoring import allowed_scores


def _fail(message: Any) -> int:
    text = " ".join(str(message).split())  # one line, whatever the message holds
    print(f"error: {text}", file=sys.stderr)
    return 2


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
    if args.pilot is not None and args.instance:
        return _fail("give either a PILOT or --instance FILE.json, not both")
    if args.pilot is None and not args.instance:
        return _fail("give a PILOT (id or name) or --instance FILE.json")
    if args.pilot is not None:
        return _match_pilot(args)
    try:
        inst = load_instance_file(args.instance)
        result = suggest_pairs(inst, objective=args.objective or "score", method=args.method)
    except DomainError as exc:
        return _fail(exc)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_result(result)
    return 0


def _match_pilot(args: argparse.Namespace) -> int:
    try:
        from core.pairing import match_pilot_cli
    except ImportError as exc:
        return _fail(f"matching a pilot needs the portal (core.pairing): {exc}")
    try:
        return int(match_pilot_cli(args.pilot, args.objective, args.dry_run) or 0)
    except DomainError as exc:
        return _fail(exc)


def run_score(args: argparse.Namespace) -> int:
    try:
        inst = load_instance_file(args.instance)
        scores = list(allowed_scores(inst))
    except DomainError as exc:
        return _fail(exc)
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
