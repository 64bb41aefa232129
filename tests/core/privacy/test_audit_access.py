"""Who reads a pilot's audit trail: its admins, never a participant nor another pilot's admin;
the programme team also sees the rows that belong to no pilot (sign-ins, erasures)."""

from __future__ import annotations

import pytest

from core.accounts.sign_in import authenticate
from core.errors import NotAllowed
from core.privacy.audit import audit_log
from tests.builders import PASSWORD
from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401


@pytest.mark.parametrize("who", ["mentee_a", "mentor_a", "lone_mentee", "outsider_admin"])
def test_only_the_pilots_admins_read_its_trail(session, world, who):
    with pytest.raises(NotAllowed, match="Only administrators of the pilot"):
        audit_log(getattr(world, who), world.pilot_id, session=session)


def test_the_programme_team_also_sees_portal_wide_rows(session, world):
    authenticate("mia@example.com", PASSWORD, session=session)
    rows = audit_log(world.admin, world.pilot_id, session=session)
    assert world.admin.is_staff
    assert any(r.action == "sign_in.succeeded" and r.pilot_name == "" for r in rows)
    assert {r.pilot_name for r in rows} == {"Pilot 2027", ""}
    only_pilot = audit_log(world.admin, world.pilot_id, action="participant.", session=session)
    assert only_pilot and {r.pilot_name for r in only_pilot} == {"Pilot 2027"}
