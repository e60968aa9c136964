"""Feedback on logbook editions through HTTP (CSRF on): the projectleider of the edition's
region records, edits and deletes what the klankbordgroep, the beleidsgroep or a focusgroep
said; the guard screens it; nobody else reaches it."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from html import unescape

import docx
import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.exports import document, editions, feedback
from facilitator.exports.models import FeedbackBody, LogbookFeedback
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.privacy.models import PersonalDataConfirmation
from facilitator.regions.models import Region
from facilitator.users.models import Role
from tests import factories
from tests.helpers import post_form

LEADER = "projectleider@noord.example"


def small_docx(text: str = "Logboek regio Noord") -> bytes:
    doc = document.new_document()
    doc.add_heading(text, 1)
    return document.to_bytes(doc).getvalue()


def issue(region, groups=(), leader=None):
    edition = editions.issue_edition(
        region=region,
        groups=list(groups),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        content=small_docx(),
        actor=leader,
    )
    db.session.commit()
    return edition


def url(edition, rest: str = "") -> str:
    return f"/logboek/edities/{edition.id}{rest}"


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def body_id(name: str) -> str:
    """The id of the edition's region's body (the form chooses among the region's bodies)."""
    return str(
        db.session.scalar(
            select(FeedbackBody.id)
            .join(Region, Region.id == FeedbackBody.region_id)
            .where(Region.name == "Regio Noord", FeedbackBody.name == name)
        )
    )


def entry_form(**changes) -> dict:
    return {
        "body": body_id("Klankbordgroep"),
        "given_on": (local_today() - timedelta(days=3)).isoformat(),
        "summary": "Werkgevers missen in de casusgroep; de klankbordgroep wil ze erbij.",
        "decisions": "UWV nodigt twee werkgevers uit voor de volgende bijeenkomst.",
        **changes,
    }


def entries() -> list[LogbookFeedback]:
    db.session.expire_all()
    return list(db.session.scalars(select(LogbookFeedback).order_by(LogbookFeedback.id)))


def events(event_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.event_type == event_type)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


@pytest.fixture
def edition(world):
    return issue(world.region, [world.group], world.users[Role.PROJECTLEIDER])


def test_the_projectleider_sees_the_edition_as_issued_and_downloads_its_file(
    client, auth, world, edition
):
    auth.login(LEADER)
    listing = text_of(client.get("/logboek/edities"))
    assert "1 januari 2026 – 31 maart 2026" in listing and world.group.name in listing
    page = text_of(client.get(url(edition)))
    for fact in (world.group.name, edition.sha256, world.users[Role.PROJECTLEIDER].name):
        assert fact in page
    assert "Op deze editie is nog geen feedback vastgelegd." in page
    download = client.get(url(edition, "/downloaden"))
    assert download.status_code == 200
    assert download.data == edition.content
    assert "logboek-2026-01-01-2026-03-31-editie" in download.headers["Content-Disposition"]
    assert docx.Document(io.BytesIO(download.data)).paragraphs[0].text == "Logboek regio Noord"
    [read] = events("logbook_edition_downloaded")
    assert read.user_id == world.users[Role.PROJECTLEIDER].id


def test_feedback_is_recorded_shown_edited_and_deleted_after_a_confirmation(
    client, auth, world, edition
):
    auth.login(LEADER)
    response = post_form(client, url(edition), entry_form())
    assert response.status_code == 302
    [entry] = entries()
    assert response.headers["Location"].endswith(f"#feedback-{entry.id}")
    page = text_of(client.get(response.headers["Location"]))
    assert "De feedback is vastgelegd." in page
    assert "Klankbordgroep" in page and "UWV nodigt twee werkgevers uit" in page

    edit_url = url(edition, f"/feedback/{entry.id}/bewerken")
    assert "Werkgevers missen" in text_of(client.get(edit_url))
    changed = entry_form(
        body=body_id("Beleidsgroep"), summary="De beleidsgroep steunt het voorstel."
    )
    assert post_form(client, edit_url, changed).status_code == 302
    [entry] = entries()
    assert (entry.body.name, entry.summary) == ("Beleidsgroep", changed["summary"])

    delete_url = url(edition, f"/feedback/{entry.id}/verwijderen")
    assert "verwijderen?" in text_of(client.get(delete_url))
    assert entries(), "asking is not deleting"
    assert post_form(client, delete_url).status_code == 302
    assert entries() == []
    recorded = [e.event_type for e in events("logbook_feedback_recorded")]
    assert recorded and events("logbook_feedback_updated") and events("logbook_feedback_deleted")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("summary", "Besproken: cliënt met BSN 111.222.333", "BSN"),
        ("decisions", "Overmaken naar NL91 ABNA 0417 1643 00", "rekeningnummer"),
        ("summary", "Wat de groep zei \u202eneggoloG", "tekens die niet zijn toegestaan"),
        ("summary", "", "Dit veld is vereist."),
    ],
)
def test_personal_data_or_nothing_said_is_refused_and_nothing_stored(
    client, auth, world, edition, field, value, message
):
    auth.login(LEADER)
    response = post_form(client, url(edition), entry_form(**{field: value}))
    assert response.status_code == 200
    errors = re.findall(r'<p class="error"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)
    assert any(message in unescape(error) for error in errors), errors
    assert entries() == []


def test_a_date_in_the_future_is_refused(client, auth, world, edition):
    auth.login(LEADER)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = post_form(client, url(edition), entry_form(given_on=tomorrow))
    assert "De datum kan niet in de toekomst liggen." in text_of(response)
    assert entries() == []


def test_a_body_that_is_no_choice_is_refused(client, auth, world, edition):
    auth.login(LEADER)
    page = client.get(url(edition)).get_data(as_text=True)
    assert "Kies …" in page
    response = post_form(client, url(edition), entry_form(body="gemeenteraad"))
    assert response.status_code == 200 and entries() == []


def test_an_edit_with_a_bsn_keeps_what_was_there(client, auth, world, edition):
    auth.login(LEADER)
    post_form(client, url(edition), entry_form())
    [entry] = entries()
    edit_url = url(edition, f"/feedback/{entry.id}/bewerken")
    response = post_form(client, edit_url, entry_form(decisions="BSN 111222333 nabellen"))
    assert "BSN" in text_of(response)
    [entry] = entries()
    assert entry.decisions == entry_form()["decisions"]


def test_a_work_address_is_kept_after_the_projectleider_confirms_it(client, auth, world, edition):
    auth.login(LEADER)
    with_address = entry_form(decisions="Aanmelden via werkgevers@uwv.example")
    response = post_form(client, url(edition), with_address)
    assert 'name="personal_data_confirmed"' in response.get_data(as_text=True)
    assert entries() == []
    post_form(client, url(edition), {**with_address, "personal_data_confirmed": "y"})
    [entry] = entries()
    confirmation = db.session.scalar(select(PersonalDataConfirmation))
    assert (confirmation.object_type, confirmation.object_id) == ("logbook_feedback", entry.id)


def test_another_regions_edition_is_refused_and_the_refusal_logged(client, auth, world):
    foreign = issue(world.other_region)
    auth.login(LEADER)
    assert client.get(url(foreign)).status_code == 403
    assert client.get(url(foreign, "/downloaden")).status_code == 403
    assert post_form(client, url(foreign), entry_form(), token_from="/account/").status_code == 403
    assert entries() == []
    denied = events("access_denied")
    assert denied and all(e.outcome == AuditOutcome.DENIED for e in denied)
    assert {e.object_type for e in denied} == {"logbook_editions"}
    assert "Casusgroep Zuid" not in text_of(client.get("/logboek/edities"))


def test_feedback_reached_through_another_edition_is_refused(client, auth, world, edition):
    other = issue(world.region)
    leader = world.users[Role.PROJECTLEIDER]
    entry = feedback.record_feedback(
        other,
        body="Focusgroep ervaringsdeskundigen",
        given_on=date(2026, 4, 2),
        summary="De focusgroep mist de stem van de cliënt.",
        decisions="",
        actor=leader,
    )
    db.session.commit()
    auth.login(LEADER)
    assert client.get(url(edition, f"/feedback/{entry.id}/bewerken")).status_code == 403
    response = post_form(
        client, url(edition, f"/feedback/{entry.id}/verwijderen"), token_from=url(edition)
    )
    assert response.status_code == 403
    assert [e.id for e in entries()] == [entry.id]
    assert client.get(url(edition, "/feedback/999999/bewerken")).status_code == 404


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.PROCESBEGELEIDER, Role.DEELNEMER])
def test_nobody_but_the_projectleider_reaches_the_editions(client, auth, world, edition, role):
    auth.login(world.users[role].email)
    for path in ("/logboek/edities", url(edition), url(edition, "/downloaden")):
        assert client.get(path).status_code == 403, path
    response = post_form(client, url(edition), entry_form(), token_from="/account/")
    assert response.status_code == 403
    assert entries() == []


def test_the_projectleider_of_another_region_is_refused(client, auth, world, edition):
    other_leader = factories.make_user(
        world.other_org, Role.PROJECTLEIDER, email="projectleider@zuid.example"
    )
    auth.login(other_leader.email)
    assert client.get(url(edition)).status_code == 403
    assert "1 januari 2026" not in text_of(client.get("/logboek/edities"))


def test_the_edition_pages_read_a_fixed_number_of_queries(
    client, auth, world, edition, count_queries
):
    auth.login(LEADER)
    people = [world.users[Role.PROJECTLEIDER]]
    people += [
        factories.make_user(world.gemeente, Role.PROJECTLEIDER, email=f"pl{n}@noord.example")
        for n in range(3)
    ]

    def measure() -> tuple[int, int]:
        with count_queries() as detail:
            assert client.get(url(edition)).status_code == 200
        with count_queries() as listing:
            assert client.get("/logboek/edities").status_code == 200
        return len(detail), len(listing)

    feedback.record_feedback(
        edition,
        body="klankbordgroep",
        given_on=date(2026, 4, 1),
        summary="Een",
        decisions="",
        actor=people[0],
    )
    issue(world.region, [world.group])
    db.session.commit()
    few = measure()
    for n, person in enumerate(people[1:], start=2):
        feedback.record_feedback(
            edition,
            body="beleidsgroep",
            given_on=date(2026, 4, n),
            summary=f"Nummer {n}",
            decisions="Besluit",
            actor=person,
        )
        issue(world.region, [world.group], person)
    db.session.commit()
    many = measure()
    assert many == few, (few, many)
    print(f"edition page {few[0]} queries, editions list {few[1]} queries")
    assert db.session.scalar(select(func.count(LogbookFeedback.id))) == 4
