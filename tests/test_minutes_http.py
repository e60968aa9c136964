"""The minutes through HTTP (issue 10): who downloads them from the meeting page, and their
approval in the opening of the group's next meeting, with CSRF on."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent
from facilitator.exports.models import MinutesApproval
from facilitator.extensions import db
from facilitator.meetings.models import Meeting
from tests.helpers import post_form
from tests.minutes_helpers import body_text, hold_world_meeting, next_meeting, read_docx

MEMBERS = ["procesbegeleider@noord.example", "deelnemer@noord.example", "extra@noord.example"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LEADER = "procesbegeleider@noord.example"


@pytest.fixture
def held(world) -> Meeting:
    return hold_world_meeting(world)


def _approvals() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(MinutesApproval.id)))


@pytest.mark.parametrize("email", [*MEMBERS, "projectleider@noord.example"])
def test_members_and_the_projectleider_download_the_draft_from_the_meeting_page(
    client, auth, world, held, email
):
    auth.login(email)
    page = client.get(f"/bijeenkomsten/{held.id}").get_data(as_text=True)
    assert f'href="/bijeenkomsten/{held.id}/verslag.docx"' in page
    assert "Verslag (Word)" in page
    response = client.get(f"/bijeenkomsten/{held.id}/verslag.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(
        r"attachment; filename=verslag-casusgroep-noord-\d{4}-\d\d-\d\d\.docx", disposition
    )
    text = body_text(read_docx(response.data))
    assert "CONCEPT" in text and world.consent_case.pseudonym in text
    db.session.expire_all()
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "minutes_exported")
    ).one()
    assert exported.object_id == str(held.id) and exported.reason == "draft"


@pytest.mark.parametrize("email", ["beheerder@noord.example", "deelnemer@zuid.example"])
def test_the_beheerder_and_another_groups_member_are_refused_and_logged(
    client, auth, world, held, email
):
    auth.login(email)
    if email.startswith("beheerder"):  # sees the meeting, never its cases or minutes
        page = client.get(f"/bijeenkomsten/{held.id}").get_data(as_text=True)
        assert "verslag.docx" not in page
    assert client.get(f"/bijeenkomsten/{held.id}/verslag.docx").status_code == 403
    db.session.expire_all()
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).all()[-1]
    assert denial.object_type == "meetings" and denial.object_id == str(held.id)


def test_a_meeting_that_is_not_held_has_no_minutes(client, auth, world):
    auth.login(LEADER)
    page = client.get(f"/bijeenkomsten/{world.meeting.id}").get_data(as_text=True)
    assert "verslag.docx" not in page
    running = client.get(f"/bijeenkomsten/{world.meeting.id}/verslag.docx")
    assert running.status_code == 302
    assert running.headers["Location"].endswith(f"/bijeenkomsten/{world.meeting.id}")
    assert client.get("/bijeenkomsten/999999/verslag.docx").status_code == 404


def test_the_group_approves_the_minutes_in_the_opening_of_its_next_meeting(
    client, auth, world, held
):
    approving = next_meeting(world)
    auth.login(LEADER)
    screen = f"/bijeenkomsten/{approving.id}/leiden"
    opening = client.get(screen).get_data(as_text=True)
    assert "Verslag vorige bijeenkomst" in opening
    assert f'href="/bijeenkomsten/{held.id}/verslag.docx"' in opening
    assert "Vaststellen" in opening
    # Not in any other step.
    later = client.get(f"{screen}?stap=c:{world.fictional_case.id}:presentatie")
    assert "Verslag vorige bijeenkomst" not in later.get_data(as_text=True)

    response = post_form(
        client,
        f"/bijeenkomsten/{approving.id}/verslag-vaststellen",
        {"minutes_id": held.id, "corrections": "Bij Actie 7 de organisatie aangevuld."},
        token_from=screen,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{screen}?stap=m:opening")
    db.session.expire_all()
    approval = db.session.scalars(select(MinutesApproval)).one()
    assert approval.meeting_id == held.id and approval.approved_in_meeting_id == approving.id
    assert approval.sha256 == hashlib.sha256(approval.content).hexdigest()
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "minutes_approved")
    ).one()
    # From now on the download is the kept file, which says it is final.
    download = client.get(f"/bijeenkomsten/{held.id}/verslag.docx")
    assert download.data == approval.content
    text = body_text(read_docx(download.data))
    assert "Definitief — Vastgesteld op" in text and "CONCEPT" not in text
    assert "Correcties bij de vaststelling: Bij Actie 7 de organisatie aangevuld." in text
    opening = client.get(screen).get_data(as_text=True)
    assert "Vastgesteld op" in opening and "Vaststellen</button>" not in opening
    # A second approval is refused; the kept one stays.
    again = post_form(
        client,
        f"/bijeenkomsten/{approving.id}/verslag-vaststellen",
        {"minutes_id": held.id, "corrections": ""},
        token_from=f"/bijeenkomsten/{approving.id}",
    )
    assert again.status_code == 422
    assert "Dit verslag is al vastgesteld." in again.get_data(as_text=True)
    assert _approvals() == 1


def test_corrections_with_a_bsn_are_refused_and_nothing_is_stored(client, auth, world, held):
    approving = next_meeting(world)
    auth.login(LEADER)
    screen = f"/bijeenkomsten/{approving.id}/leiden"
    response = post_form(
        client,
        f"/bijeenkomsten/{approving.id}/verslag-vaststellen",
        {"minutes_id": held.id, "corrections": "Cliënt met BSN 123.456.782 toegevoegd."},
        token_from=screen,
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Verslag vorige bijeenkomst" in page and "BSN" in page
    assert _approvals() == 0


def test_bidi_controls_in_the_corrections_are_refused(client, auth, world, held):
    approving = next_meeting(world)
    auth.login(LEADER)
    response = post_form(
        client,
        f"/bijeenkomsten/{approving.id}/verslag-vaststellen",
        {"minutes_id": held.id, "corrections": "Aangevuld \u202egnissetsaV"},
        token_from=f"/bijeenkomsten/{approving.id}/leiden",
    )
    assert response.status_code == 400
    assert _approvals() == 0


def test_another_groups_meeting_cannot_be_approved_here(client, auth, world, held):
    approving = next_meeting(world)
    auth.login(LEADER)
    response = post_form(
        client,
        f"/bijeenkomsten/{approving.id}/verslag-vaststellen",
        {"minutes_id": world.other_meeting.id, "corrections": ""},
        token_from=f"/bijeenkomsten/{approving.id}/leiden",
    )
    assert response.status_code == 403
    assert _approvals() == 0
    db.session.expire_all()
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).one()
    assert denial.object_id == str(world.other_meeting.id)


def test_minutes_are_approved_only_while_the_next_meeting_runs(client, auth, world, held):
    planned = next_meeting(world, start=False)
    auth.login(LEADER)
    response = post_form(
        client,
        f"/bijeenkomsten/{planned.id}/verslag-vaststellen",
        {"minutes_id": held.id, "corrections": ""},
        token_from=f"/bijeenkomsten/{planned.id}",
    )
    assert response.status_code == 422
    assert "terwijl de volgende bijeenkomst loopt" in response.get_data(as_text=True)
    assert _approvals() == 0


def test_a_member_who_does_not_lead_the_group_cannot_approve(client, auth, world, held):
    approving = next_meeting(world)
    auth.login("deelnemer@noord.example")
    response = post_form(
        client,
        f"/bijeenkomsten/{approving.id}/verslag-vaststellen",
        {"minutes_id": held.id, "corrections": ""},
        token_from=f"/bijeenkomsten/{approving.id}",
    )
    assert response.status_code == 403
    assert _approvals() == 0


def test_the_approval_point_and_its_refusal_are_valid_html(client, auth, world, held):
    from tests.html_checker import check_pages, duplicate_ids, vnu_command

    checker = vnu_command()
    if checker is None:
        pytest.skip("the Nu HTML Checker needs java and .cache/vnu/vnu.jar: run `make vnu`")
    approving = next_meeting(world)
    auth.login(LEADER)
    screen = f"/bijeenkomsten/{approving.id}/leiden"
    pages = {"opening": client.get(screen).get_data(as_text=True)}
    refused = post_form(
        client,
        f"/bijeenkomsten/{approving.id}/verslag-vaststellen",
        {"minutes_id": held.id, "corrections": "BSN 123.456.782"},
        token_from=screen,
    )
    pages["refused"] = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="minutes-approval"' in pages["refused"]
    assert not check_pages(pages, checker)
    assert not [name for name, html in pages.items() if duplicate_ids(html)]
