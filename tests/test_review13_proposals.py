"""Review of the call for cases (issue 13): what a careless or hostile member can post."""

from __future__ import annotations

from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.proposals.models import CaseProposal
from tests import proposal_helpers
from tests.helpers import post_form

MEMBER = "deelnemer@noord.example"


def _proposals() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(CaseProposal.id)))


def test_a_case_number_no_database_column_holds_is_refused_not_a_server_error(client, auth, world):
    # The case is not checked against the list of choices (the one door checks it), so the
    # number reached the database: a 500 on PostgreSQL, an OverflowError on SQLite.
    call = proposal_helpers.open_call(world)
    auth.login(MEMBER)
    criteria = [c.id for c in world.group.active_criteria]
    for number in ("99999999999999999999", "-99999999999999999999", "2147483648"):
        response = post_form(
            client,
            f"/bijeenkomsten/{call.meeting_id}/voorstellen",
            {"case_id": number, "criteria": criteria},
        )
        assert response.status_code == 422, number
    assert _proposals() == 0
