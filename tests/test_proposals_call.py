"""The call for cases (issue 13): the procesbegeleider opens it from a planned meeting's page,
every member gets a mail at once (through a real SMTP server, never a client's identity), and
members find it on their start page and the meeting page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.localtime import local_date, local_today
from facilitator.proposals.models import CaseCall
from facilitator.users.models import Role
from tests import proposal_helpers
from tests.factories import IDENTITY
from tests.helpers import post_form

LEADER, MEMBER, EXTRA = (
    "procesbegeleider@noord.example",
    "deelnemer@noord.example",
    "extra@noord.example",
)
BSN = "2431.80.226"
BIDI = "Graag een casus \u202emet werk"
#: What may never be in a mail: the identity of the world's case with consent.
IDENTITY_VALUES = (
    IDENTITY.full_name,
    "Voorbeeldt",
    IDENTITY.bsn,
    IDENTITY.client_number,
    IDENTITY.birth_date.isoformat(),
    "07-03-1984",
    "7 maart 1984",
)


def assert_no_identity(messages) -> None:
    for message in messages:
        text = message.as_string()
        for value in IDENTITY_VALUES:
            assert value not in text, value


def calls() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(CaseCall.id)))


def _open(client, meeting, deadline, message="Graag casussen met een uitkering"):
    url = f"/bijeenkomsten/{meeting.id}/oproep"
    data = {"deadline": deadline.isoformat(), "message": message}
    return post_form(client, url, data, token_from="/account/")


@pytest.fixture
def meeting(world):
    return proposal_helpers.planned_meeting(world)


def test_opening_a_call_mails_every_member_at_once_without_identity(
    client, auth, world, meeting, smtp_server
):
    auth.login(LEADER)
    page = client.get(f"/bijeenkomsten/{meeting.id}").get_data(as_text=True)
    assert f"/bijeenkomsten/{meeting.id}/oproep" in page  # "De leden om casussen vragen"
    deadline = local_today() + timedelta(days=5)
    response = _open(client, meeting, deadline)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/bijeenkomsten/{meeting.id}")
    inbox = smtp_server.inbox
    assert sorted(r for received in inbox.received for r in received.rcpt_tos) == [
        MEMBER,
        EXTRA,
    ]
    (mine,) = inbox.to(MEMBER)
    (extra,) = inbox.to(EXTRA)
    assert not inbox.to(LEADER)  # who opened the call is not asked
    body = mine.get_content()
    assert mine["Subject"] == "Casustafel: casussen gezocht voor Casusgroep Noord"
    with client.application.test_request_context():
        assert format_date(deadline, "d MMMM yyyy") in body
    assert "Graag casussen met een uitkering" in body
    assert "Cliënt heeft een uitkering" in body  # the group's selection criteria
    assert f"/bijeenkomsten/{meeting.id}/voorstellen" in body
    assert_no_identity(inbox.to(MEMBER) + inbox.to(EXTRA))
    assert extra["Subject"] == mine["Subject"]
    db.session.expire_all()
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type.in_(("case_call", "case_call_opened")))
    ).all()
    assert sorted(row.event_type for row in rows) == ["case_call", "case_call", "case_call_opened"]
    assert {row.object_id for row in rows if row.event_type == "case_call"} == {
        str(world.users[Role.DEELNEMER].id),
        str(world.extra_member.id),
    }


def test_a_meeting_has_one_call_and_a_second_mails_no_one(
    client, auth, world, meeting, smtp_server
):
    auth.login(LEADER)
    deadline = local_today() + timedelta(days=5)
    assert _open(client, meeting, deadline).status_code == 302
    before = len(smtp_server.inbox.received)
    response = _open(client, meeting, deadline)
    assert response.status_code == 422
    assert "heeft al een oproep" in response.get_data(as_text=True)
    assert calls() == 1 and len(smtp_server.inbox.received) == before


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "in het verleden"), (14, "vóór de dag van de bijeenkomst"), (30, "vóór de dag")],
    ids=["yesterday", "the meeting's day", "after the meeting"],
)
def test_the_deadline_lies_from_today_to_before_the_meeting(
    client, auth, world, meeting, days, message
):
    assert local_date(meeting.scheduled_at) == local_today() + timedelta(days=14)
    auth.login(LEADER)
    response = _open(client, meeting, local_today() + timedelta(days=days))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert calls() == 0


@pytest.mark.parametrize(
    "message", [f"Cliënt met BSN {BSN}", BIDI, "x" * 2001], ids=["bsn", "bidi", "too long"]
)
def test_a_hostile_message_opens_no_call_and_mails_nobody(
    client, auth, world, meeting, smtp_server, message
):
    auth.login(LEADER)
    response = _open(client, meeting, local_today() + timedelta(days=3), message)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert calls() == 0 and smtp_server.inbox.received == []


def test_only_the_groups_procesbegeleider_opens_a_call(client, auth, world, meeting):
    auth.login(MEMBER)
    assert _open(client, meeting, local_today() + timedelta(days=3)).status_code == 403
    auth.logout()
    auth.login("pb@zuid.example")  # another region's procesbegeleider
    assert client.get(f"/bijeenkomsten/{meeting.id}/oproep").status_code == 403
    assert client.get("/bijeenkomsten/999999/oproep").status_code == 404
    assert calls() == 0
    denials = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.DENIED)
    ).all()
    assert {(d.object_type, d.object_id) for d in denials} == {("meetings", str(meeting.id))}
    assert len(denials) == 2


def test_a_running_meeting_takes_no_call(client, auth, world):
    auth.login(LEADER)
    response = _open(client, world.meeting, local_today())
    assert response.status_code == 422 and calls() == 0


def test_members_find_the_open_call_on_their_start_page_and_the_meeting_page(
    client, auth, world, meeting
):
    call = proposal_helpers.open_call(world, meeting, message="Vooral werkgeverscasussen")
    auth.login(EXTRA)
    start = client.get("/").get_data(as_text=True)
    assert "Casussen gezocht" in start and f"/bijeenkomsten/{meeting.id}/voorstellen" in start
    page = client.get(f"/bijeenkomsten/{meeting.id}").get_data(as_text=True)
    assert "Vooral werkgeverscasussen" in page and "Casus voorstellen" in page
    call.deadline = local_today() - timedelta(days=1)  # time went by
    db.session.commit()
    start = client.get("/").get_data(as_text=True)
    assert "Casussen gezocht" not in start
    page = client.get(f"/bijeenkomsten/{meeting.id}").get_data(as_text=True)
    assert "gesloten" in page and "Casus voorstellen" not in page


def test_the_beheerder_sees_no_call_section_and_no_start_page_call(client, auth, world, meeting):
    proposal_helpers.proposal(world, proposal_helpers.open_call(world, meeting))
    auth.login("beheerder@noord.example")
    page = client.get(f"/bijeenkomsten/{meeting.id}").get_data(as_text=True)
    assert world.fictional_case.pseudonym not in page and 'id="oproep"' not in page
    assert "Casussen gezocht" not in client.get("/").get_data(as_text=True)


def test_closing_the_call_ends_proposals_before_the_deadline(client, auth, world, meeting):
    proposal_helpers.open_call(world, meeting)
    auth.login(LEADER)
    url = f"/bijeenkomsten/{meeting.id}/oproep/sluiten"
    response = post_form(client, url, token_from=f"/bijeenkomsten/{meeting.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(CaseCall)).closed
    auth.logout()
    auth.login(MEMBER)
    page = client.get(f"/bijeenkomsten/{meeting.id}/voorstellen").get_data(as_text=True)
    assert "is gesloten" in page and 'name="case_id"' not in page


def test_the_call_form_proposes_a_deadline_a_week_before_the_meeting(client, auth, meeting):
    auth.login(LEADER)
    page = client.get(f"/bijeenkomsten/{meeting.id}/oproep").get_data(as_text=True)
    expected = local_date(meeting.scheduled_at) - timedelta(days=7)
    assert f'value="{expected.isoformat()}"' in page
