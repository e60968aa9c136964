"""The handreiking of a proposed case (issue 13): the proposer prepares the case while the
proposal waits; the answers go onto the agenda with it when it is accepted, and a declined or
withdrawn proposal closes its preparation (a logged 403)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.preparation.queries import preparable_case_ids, preparation_of
from facilitator.proposals import services
from facilitator.users.models import Role
from tests.helpers import post_form
from tests.proposal_helpers import proposal

MEMBER = "deelnemer@noord.example"
ANSWER = "Wie neemt de regie nu drie organisaties elk een stuk doen?"


def _prepare(client, meeting, case, text: str = ANSWER):
    return post_form(
        client,
        f"/bijeenkomsten/{meeting.id}/voorbereiding/{case.id}",
        {"version_vraag_aan_groep": "0", "answer_vraag_aan_groep": text},
    )


def test_a_waiting_proposal_is_prepared_and_its_answers_stay_once_accepted(client, auth, world):
    proposed = proposal(world)
    meeting, case = proposed.meeting, proposed.case
    assert case.id in preparable_case_ids(meeting)
    auth.login(MEMBER)
    assert _prepare(client, meeting, case).status_code == 302
    page = client.get(f"/bijeenkomsten/{meeting.id}/voorstellen").get_data(as_text=True)
    assert f"/bijeenkomsten/{meeting.id}/voorbereiding/{case.id}" in page
    waiting = preparation_of(meeting).of(case.id)
    assert waiting is not None and not waiting.on_agenda
    assert waiting.text("vraag_aan_groep") == ANSWER

    services.accept_proposal(proposed, actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    accepted = preparation_of(meeting).of(case.id)
    assert accepted.on_agenda and accepted.text("vraag_aan_groep") == ANSWER


@pytest.mark.parametrize("ending", ["decline", "withdraw"])
def test_a_proposal_no_longer_waiting_closes_its_preparation(client, auth, world, ending):
    proposed = proposal(world)
    meeting, case = proposed.meeting, proposed.case
    if ending == "decline":
        services.decline_proposal(
            proposed, reason="Past niet bij de criteria", actor=world.users[Role.PROCESBEGELEIDER]
        )
    else:
        services.withdraw_proposal(proposed, actor=world.users[Role.DEELNEMER])
    db.session.commit()
    assert case.id not in preparable_case_ids(meeting)
    auth.login(MEMBER)
    assert _prepare(client, meeting, case).status_code == 403
    denied = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.outcome == AuditOutcome.DENIED,
            AuditEvent.case_pseudonym == case.pseudonym,
        )
    ).all()
    assert denied, "the refusal is in the audit log"
    assert preparation_of(meeting).of(case.id) is None
