"""Deciding on proposals (issue 13): the procesbegeleider accepts a case onto the agenda (also
after the deadline) or declines it with a reason the proposer gets by mail, without identity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.cases.models import CaseStatus
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings.models import AgendaItem
from facilitator.proposals.models import CaseCall, CaseProposal, ProposalStatus
from facilitator.users.models import Role
from tests import proposal_helpers
from tests.helpers import post_form
from tests.test_proposals_call import assert_no_identity

LEADER, MEMBER = "procesbegeleider@noord.example", "deelnemer@noord.example"
BSN = "2431.80.226"
BIDI = "Past \u202eniet"


@pytest.fixture
def proposal(world):
    """The deelnemer proposed the case with consent: the one whose identity must never show."""
    return proposal_helpers.proposal(world, case=world.consent_case)


def fresh(proposal) -> CaseProposal:
    db.session.expire_all()
    return db.session.get(CaseProposal, proposal.id)


def _meeting_url(proposal) -> str:
    return f"/bijeenkomsten/{proposal.meeting_id}"


def _accept(client, proposal, meeting_id=None):
    url = f"/bijeenkomsten/{meeting_id or proposal.meeting_id}/voorstellen/accepteren"
    return post_form(client, url, {"proposal_id": proposal.id}, token_from="/account/")


def _decline_url(proposal, meeting_id=None) -> str:
    meeting_id = meeting_id or proposal.meeting_id
    return f"/bijeenkomsten/{meeting_id}/voorstellen/afwijzen?voorstel={proposal.id}"


def test_the_leader_sees_the_proposal_and_accepting_puts_it_on_the_agenda(
    client, auth, world, proposal
):
    auth.login(LEADER)
    page = client.get(_meeting_url(proposal)).get_data(as_text=True)
    assert world.consent_case.pseudonym in page and "Graag opvolging bespreken" in page
    assert "Op de agenda zetten" in page and "Cliënt heeft een uitkering" in page
    response = _accept(client, proposal)
    assert response.status_code == 302
    accepted = fresh(proposal)
    assert accepted.status == ProposalStatus.GEACCEPTEERD
    assert accepted.decided_by_id == world.users[Role.PROCESBEGELEIDER].id
    assert accepted.decided_at is not None
    agenda = db.session.scalars(
        select(AgendaItem.case_id).where(AgendaItem.meeting_id == proposal.meeting_id)
    ).all()
    assert agenda == [world.consent_case.id]
    assert accepted.case.status == CaseStatus.GEAGENDEERD
    events = db.session.scalars(
        select(AuditEvent.event_type).where(AuditEvent.case_pseudonym == accepted.case.pseudonym)
    ).all()
    assert {"agenda_case_added", "case_proposal_accepted"} <= set(events)
    # decided: no second acceptance
    assert _accept(client, proposal).status_code == 302
    assert len(accepted.meeting.agenda) == 1


def test_the_leader_still_accepts_after_the_deadline(client, auth, world, proposal):
    call = db.session.scalar(select(CaseCall))
    call.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    auth.login(LEADER)
    assert _accept(client, proposal).status_code == 302
    assert fresh(proposal).status == ProposalStatus.GEACCEPTEERD


def test_declining_with_a_reason_mails_the_proposer_without_identity(
    client, auth, world, proposal, smtp_server
):
    auth.login(LEADER)
    form = client.get(_decline_url(proposal)).get_data(as_text=True)
    assert world.consent_case.pseudonym in form and 'name="reason"' in form
    reason = "Deze casus past beter bij de werkgroep privacy."
    response = post_form(client, _decline_url(proposal), {"reason": reason})
    assert response.status_code == 302
    declined = fresh(proposal)
    assert declined.status == ProposalStatus.AFGEWEZEN and declined.decline_reason == reason
    assert declined.meeting.agenda == []
    (mail,) = smtp_server.inbox.to(MEMBER)
    assert len(smtp_server.inbox.received) == 1
    body = mail.get_content()
    assert world.consent_case.pseudonym in mail["Subject"] and "afgewezen" in mail["Subject"]
    assert reason in body and f"/bijeenkomsten/{proposal.meeting_id}/voorstellen" in body
    assert_no_identity([mail])
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "proposal_declined"))
    assert row.case_pseudonym == world.consent_case.pseudonym and reason not in row.reason
    auth.logout()
    auth.login(MEMBER)
    mine = client.get(f"/bijeenkomsten/{proposal.meeting_id}/voorstellen").get_data(as_text=True)
    assert "Afgewezen" in mine and reason in mine


@pytest.mark.parametrize(
    "reason",
    ["", f"Cliënt met BSN {BSN}", BIDI, "x" * 1001],
    ids=["empty", "bsn", "bidi", "too long"],
)
def test_a_decline_needs_a_reason_without_hostile_text(
    client, auth, world, proposal, smtp_server, reason
):
    auth.login(LEADER)
    response = post_form(client, _decline_url(proposal), {"reason": reason})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert fresh(proposal).status == ProposalStatus.VOORGESTELD
    assert smtp_server.inbox.received == []


def test_a_member_decides_nothing(client, auth, world, proposal):
    auth.login(MEMBER)
    assert _accept(client, proposal).status_code == 403
    assert client.get(_decline_url(proposal)).status_code == 403
    assert fresh(proposal).status == ProposalStatus.VOORGESTELD


def test_a_proposal_of_another_meeting_or_group_is_refused_and_logged(
    client, auth, world, proposal
):
    other_meeting = proposal_helpers.planned_meeting(world, weeks=4)
    auth.login(LEADER)
    assert _accept(client, proposal, other_meeting.id).status_code == 403
    assert client.get(_decline_url(proposal, other_meeting.id)).status_code == 403
    missing = f"/bijeenkomsten/{proposal.meeting_id}/voorstellen/afwijzen?voorstel=999999"
    assert client.get(missing).status_code == 404
    auth.logout()
    auth.login("pb@zuid.example")
    assert _accept(client, proposal).status_code == 403
    assert fresh(proposal).status == ProposalStatus.VOORGESTELD
    db.session.expire_all()
    denials = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.DENIED).order_by(AuditEvent.id)
    ).all()
    assert [(d.object_type, d.check_result) for d in denials] == [
        ("case_proposals", "not_of_this_meeting"),
        ("case_proposals", "not_of_this_meeting"),
        ("meetings", "can_lead_call"),
    ]
    assert denials[0].case_pseudonym == world.consent_case.pseudonym
