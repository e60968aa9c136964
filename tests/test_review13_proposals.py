"""Review of the call for cases (issue 13): what a careless or hostile member can post."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from facilitator.audit.models import AuditEvent
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.meetings.models import AgendaItem
from facilitator.proposals import services
from facilitator.proposals.models import CaseProposal, ProposalStatus
from facilitator.users.models import Role
from tests import proposal_helpers
from tests.helpers import post_form

LEADER, MEMBER = "procesbegeleider@noord.example", "deelnemer@noord.example"


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


def _leave_group(world) -> None:
    membership = world.group.membership_of(world.users[Role.DEELNEMER])
    db.session.delete(membership)
    db.session.commit()


def _deactivate(world) -> None:
    world.users[Role.DEELNEMER].active = False
    db.session.commit()


@pytest.mark.parametrize("gone", [_leave_group, _deactivate], ids=["left the group", "inactive"])
def test_a_proposer_who_left_hears_nothing_of_the_decline(client, auth, world, smtp_server, gone):
    # The decline mail names the case and the reason: it is for a member of the group, like
    # the call and its reminder, not for someone who has left it or whose account is off.
    proposal = proposal_helpers.proposal(world, case=world.consent_case)
    gone(world)
    auth.login(LEADER)
    url = f"/bijeenkomsten/{proposal.meeting_id}/voorstellen/afwijzen?voorstel={proposal.id}"
    response = post_form(client, url, {"reason": "Past beter bij de werkgroep privacy."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseProposal, proposal.id).status == ProposalStatus.AFGEWEZEN
    assert smtp_server.inbox.received == []
    sent = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.event_type == "proposal_declined")
    )
    assert sent == 0


def _decided_meanwhile(proposal) -> None:
    """Another procesbegeleider's decline, made while this request still holds the proposal
    as it was loaded (open): the row changes behind the loaded object."""
    db.session.execute(
        update(CaseProposal)
        .where(CaseProposal.id == proposal.id)
        .values(status=ProposalStatus.AFGEWEZEN, decline_reason="Past niet")
        .execution_options(synchronize_session=False)
    )


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_a_decision_made_meanwhile_is_not_overwritten(world, decision):
    proposal = proposal_helpers.proposal(world, case=world.consent_case)
    assert proposal.is_open
    _decided_meanwhile(proposal)
    leader = world.users[Role.PROCESBEGELEIDER]
    with pytest.raises(ServiceError):
        if decision == "accept":
            services.accept_proposal(proposal, actor=leader)
        else:
            services.decline_proposal(proposal, reason="Al besproken", actor=leader)
    db.session.flush()
    db.session.expire_all()
    decided = db.session.get(CaseProposal, proposal.id)
    assert decided.status == ProposalStatus.AFGEWEZEN and decided.decline_reason == "Past niet"
    assert (
        db.session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == proposal.meeting_id)
        ).all()
        == []
    )
