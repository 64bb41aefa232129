"""The matching figures: how many mentees in the pilot have a pair, who has none and why, and
how good the pairs are, in words."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.models import MatchRun, PairStatus
from core.pairs.coverage import STRENGTHS, Coverage
from core.pairs.review import PairRow
from core.wording import count_of


def coverage_tiles(cov: Coverage, run: MatchRun | None) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Mentees in the pilot with a pair", f"{cov.mentees_matched} of {cov.mentees_total}")
    c2.metric("Their goals covered", f"{cov.goals_covered} of {cov.goals_total}")
    c3.metric("Active mentors with a mentee", f"{cov.mentors_used} of {cov.mentors_total}")
    if run is not None:
        c4.metric(
            "Last run",
            "Best possible" if run.proved_optimal else "Best found",
            help="Best possible: the optimiser proved no other set of pairs scores higher.",
        )
    st.caption(
        f"{cov.mentees.matched_label}; {cov.mentees.eligible} of them are ready for matching. "
        "Mentees in the pilot: invited or joined, not withdrawn."
    )


def pair_strengths(pairs: list[PairRow]) -> None:
    """How many current pairs are strong, good or partial matches, instead of a total score."""
    pairs = [p for p in pairs if p.status in PairStatus.HOLDING]
    if not pairs:
        return
    counts = {s: sum(1 for p in pairs if p.in_words.startswith(s)) for s in STRENGTHS}
    parts = [count_of(n, s, s + "es") for s, n in counts.items() if n]
    st.write(f"Of the {count_of(len(pairs), 'current pair')}: " + ", ".join(parts) + ".")


def without_pair(cov: Coverage) -> None:
    """Every mentee in the pilot without a pair, and why: the same count the tiles show."""
    unpaired = cov.unpaired
    if not unpaired:
        return
    with st.expander(f"{cov.mentees.without_label}, and why"):
        for why, n in cov.mentees.reasons.items():
            st.text(f"{n} · {why}")
        st.dataframe(
            pd.DataFrame(
                [{"Mentee": s.name, "Why": s.why, "Details": s.detail or "—"} for s in unpaired]
            ),
            hide_index=True,
            width="stretch",
            key="matching_unpaired",
        )
