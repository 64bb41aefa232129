"""What happens to pairs when a member leaves: the partner is freed and can be matched again."""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from core.models import Enrollment, Pair, PairEvent, PairEventKind, PairStatus, utcnow


def release_pairs_of(
    enrollment: Enrollment, *, session: Session, note: str = "", by_person_id: int | None = None
) -> list[Pair]:
    """End every pair holding this person; `note` (admins only) says why. The event names who
    did it (`by_person_id`: the admin who withdrew them), or the person themself."""
    pairs = session.exec(
        select(Pair).where(
            or_(
                Pair.mentee_enrollment_id == enrollment.id,
                Pair.mentor_enrollment_id == enrollment.id,
            ),
            col(Pair.status).in_(PairStatus.HOLDING),
        )
    ).all()
    for pair in pairs:
        pair.status = PairStatus.ENDED
        pair.ended_at = utcnow()
        session.add(pair)
        session.add(
            PairEvent(
                pair_id=pair.id,  # type: ignore[arg-type]
                person_id=by_person_id or enrollment.person_id,
                kind=PairEventKind.WITHDRAWN,
                note=note.strip()[:500],
            )
        )
    return list(pairs)
