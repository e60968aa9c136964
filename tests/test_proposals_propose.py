"""Proposing a case for a meeting (issue 13): an existing case of the group or one registered
on the spot, confirming the group's mandatory criteria; refused after the deadline; withdrawn
by its proposer only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.localtime import local_today
from facilitator.proposals.models import CaseProposal, ProposalStatus
from facilitator.users.models import Role
from tests import proposal_helpers
from tests.factories import make_case
from tests.helpers import post_form

MEMBER, EXTRA = "deelnemer@noord.example", "extra@noord.example"
BSN = "2431.80.226"
BIDI = "Graag \u202eopvolging"


@pytest.fixture
def call(world):
    return proposal_helpers.open_call(world)


def _url(call) -> str:
    return f"/bijeenkomsten/{call.meeting_id}/voorstellen"


def _propose(client, call, case, criteria=(), note="Graag opvolging bespreken", **more):
    data = {"case_id": case.id, "criteria": [c.id for c in criteria], "note": note, **more}
    return post_form(client, _url(call), data)


def proposals() -> list[CaseProposal]:
    db.session.expire_all()
    return list(db.session.scalars(select(CaseProposal).order_by(CaseProposal.id)))


def denials() -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.DENIED)
    return list(db.session.scalars(query))


def test_a_member_proposes_an_existing_case_confirming_the_criteria(client, auth, world, call):
    criterion = world.group.active_criteria[0]
    auth.login(MEMBER)
    page = client.get(_url(call)).get_data(as_text=True)
    for case in (world.fictional_case, world.consent_case):
        assert f'value="{case.id}"' in page
    response = _propose(client, call, world.fictional_case, [criterion])
    assert response.status_code == 302 and response.headers["Location"] == _url(call)
    (proposal,) = proposals()
    assert proposal.status == ProposalStatus.VOORGESTELD
    assert proposal.case_id == world.fictional_case.id
    assert proposal.proposed_by_id == world.users[Role.DEELNEMER].id
    assert [c.id for c in proposal.criteria] == [criterion.id]
    assert proposal.note == "Graag opvolging bespreken"
    page = client.get(_url(call)).get_data(as_text=True)
    assert world.fictional_case.pseudonym in page and "Voorgesteld" in page
    # no longer offered: one open proposal per meeting and case
    assert f'<option value="{world.fictional_case.id}"' not in page
    again = _propose(client, call, world.fictional_case, [criterion])
    assert again.status_code == 422 and len(proposals()) == 1
    assert "al voorgesteld" in again.get_data(as_text=True)


def test_a_mandatory_criterion_not_confirmed_is_refused_with_a_clear_message(
    client, auth, world, call
):
    groups.add_criterion(world.group, proposal_helpers.MANDATORY, True, actor=None)
    db.session.commit()
    optional, mandatory = world.group.active_criteria
    auth.login(MEMBER)
    page = client.get(_url(call)).get_data(as_text=True)
    assert f"{proposal_helpers.MANDATORY} (verplicht)" in page
    response = _propose(client, call, world.fictional_case, [optional])
    assert response.status_code == 422
    assert (
        "Bevestig dat de casus voldoet aan het verplichte criterium: Cliënt wil betaald werk"
        in response.get_data(as_text=True)
    )
    assert proposals() == []
    assert _propose(client, call, world.fictional_case, [mandatory]).status_code == 302
    assert [c.id for c in proposals()[0].criteria] == [mandatory.id]


def test_after_the_deadline_members_can_no_longer_propose(client, auth, world, call):
    call.deadline = local_today() - timedelta(days=1)  # time went by
    db.session.commit()
    auth.login(MEMBER)
    page = client.get(_url(call)).get_data(as_text=True)
    assert "de uiterste datum is voorbij" in page and 'name="case_id"' not in page
    response = post_form(
        client, _url(call), {"case_id": world.fictional_case.id}, token_from="/account/"
    )
    assert response.status_code == 422
    assert "de uiterste datum is voorbij" in response.get_data(as_text=True)
    assert proposals() == []


def test_without_a_call_there_is_nothing_to_propose(client, auth, world):
    meeting = proposal_helpers.planned_meeting(world)
    auth.login(MEMBER)
    url = f"/bijeenkomsten/{meeting.id}/voorstellen"
    assert "Er is geen oproep" in client.get(url).get_data(as_text=True)
    data = {"case_id": world.fictional_case.id}
    assert post_form(client, url, data, token_from="/account/").status_code == 422
    assert proposals() == []


def test_a_new_case_registered_on_the_spot_comes_back_to_be_proposed(client, auth, world, call):
    auth.login(MEMBER)
    page = client.get(_url(call)).get_data(as_text=True)
    register = f"/groepen/{world.group.id}/casussen/nieuw?voorstel={call.meeting_id}"
    assert register in page.replace("&amp;", "&")
    response = post_form(
        client,
        register,
        {
            "mode": "fictief",
            "description": "Cliënt wil na de dagbesteding een betaalde baan.",
            "benefit": "participatiewet",
            "ggz_treatment": "ja",
        },
    )
    assert response.status_code == 302
    new_case = db.session.scalar(select(Case).order_by(Case.id.desc()))
    assert response.headers["Location"] == f"{_url(call)}?casus={new_case.id}"
    preset = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(rf'<option selected value="{new_case.id}"', preset)
    assert _propose(client, call, new_case).status_code == 302
    assert [p.case_id for p in proposals()] == [new_case.id]


@pytest.mark.parametrize(
    "note", [f"Cliënt met BSN {BSN}", BIDI, "x" * 1001], ids=["bsn", "bidi", "too long"]
)
def test_a_hostile_note_proposes_nothing(client, auth, world, call, note):
    auth.login(MEMBER)
    response = _propose(client, call, world.fictional_case, note=note)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert proposals() == []


def test_another_groups_case_or_meeting_is_refused_and_logged(client, auth, world, call):
    auth.login(MEMBER)
    response = post_form(
        client, _url(call), {"case_id": world.other_case.id}, token_from="/account/"
    )
    assert response.status_code == 403
    assert proposals() == []
    other = f"/bijeenkomsten/{world.other_meeting.id}/voorstellen"
    assert client.get(other).status_code == 403
    assert client.get("/bijeenkomsten/999999/voorstellen").status_code == 404
    assert sorted((d.object_type, d.object_id) for d in denials()) == sorted(
        [("cases", str(world.other_case.id)), ("meetings", str(world.other_meeting.id))]
    )


def test_the_projectleider_and_the_beheerder_propose_nothing(client, auth, world, call):
    for email in ("projectleider@noord.example", "beheerder@noord.example"):
        auth.login(email)
        assert client.get(_url(call)).status_code == 403
        auth.logout()


def test_a_proposal_is_withdrawn_by_its_proposer_only(client, auth, world, call):
    proposal = proposal_helpers.proposal(world, call)
    url = f"{_url(call)}/intrekken"
    auth.login(EXTRA)
    response = post_form(client, url, {"proposal_id": proposal.id}, token_from=_url(call))
    assert response.status_code == 403
    assert proposals()[0].status == ProposalStatus.VOORGESTELD
    assert [(d.object_type, d.check_result) for d in denials()] == [
        ("case_proposals", "is_proposer")
    ]
    auth.logout()
    auth.login(MEMBER)
    assert world.fictional_case.pseudonym in client.get(_url(call)).get_data(as_text=True)
    response = post_form(client, url, {"proposal_id": proposal.id}, token_from=_url(call))
    assert response.status_code == 302
    (withdrawn,) = proposals()
    assert withdrawn.status == ProposalStatus.INGETROKKEN
    assert withdrawn.decided_by_id == world.users[Role.DEELNEMER].id
    # withdrawn, the case may be proposed again
    assert _propose(client, call, world.fictional_case).status_code == 302
    assert [p.status for p in proposals()] == [
        ProposalStatus.INGETROKKEN,
        ProposalStatus.VOORGESTELD,
    ]


def test_a_case_on_the_agenda_or_closed_is_not_offered(client, auth, world, call):
    from facilitator.cases import services as cases
    from facilitator.meetings import planning

    leader = world.users[Role.PROCESBEGELEIDER]
    planning.add_to_agenda(call.meeting, world.consent_case, actor=leader)
    closed = make_case(world.group, world.users[Role.DEELNEMER])
    cases.close_case(closed, "geen_vervolg", actor=leader)
    db.session.commit()
    auth.login(MEMBER)
    page = client.get(_url(call)).get_data(as_text=True)
    assert f'value="{world.fictional_case.id}"' in page
    for case in (world.consent_case, closed):
        assert f'value="{case.id}"' not in page
        assert _propose(client, call, case).status_code == 422
    assert db.session.scalar(select(func.count(CaseProposal.id))) == 0
