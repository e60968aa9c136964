"""Two people editing the same record never overwrite each other silently (SECURITY.md R3).

Each test has two logged-in browsers (two test clients, CSRF on) that open the same form, and
then both save: the first save is kept, the second is refused with a Dutch message that shows
what is saved now next to what the second person entered, and nothing of theirs is stored. The
refused form carries the current version, so saving it again is their decision and is kept.
Where the two work through different processes matters, the second browser talks to a second
app instance on the same database (make_app). Runs on SQLite and PostgreSQL alike.

* a meeting's field (FieldValue.version; the plain form and the autosave script);
* an action item: its edit form and its status change (the terugkoppeling);
* a consent: extending it, and withdrawing it after someone else extended it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from facilitator.actions.models import ActionItem, ActionStatus, ActionUpdate
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import GroupRole
from facilitator.meetings import run
from facilitator.meetings.models import FieldValue, Meeting
from facilitator.privacy.identity import read_identity
from facilitator.privacy.models import Consent, ConsentStatus
from facilitator.users.models import Role
from tests.crawling import Filler, parse
from tests.factories import PASSWORD
from tests.helpers import AuthActions

CONFLICT = "Iemand anders heeft een wijziging opgeslagen terwijl u bewerkte."
EXTRA = "extra@noord.example"
OWNER = "deelnemer@noord.example"
LEADER = "procesbegeleider@noord.example"


def logged_in(app, email: str):
    client = app.test_client()
    assert AuthActions(client).login(email, PASSWORD).status_code == 302
    return client


def opened(client, page: str, action_suffix: str, **typed):
    """The form on ``page`` whose action ends with ``action_suffix``, filled as a browser
    fills it, with ``typed`` entered; what it would send, to send later."""
    response = client.get(page)
    assert response.status_code == 200, page
    [form] = [
        f
        for f in parse(page, response.get_data(as_text=True)).forms
        if f.action.split("?")[0].endswith(action_suffix)
    ]
    data = Filler().fill(form, {}, confirm=False)
    for name, value in typed.items():
        data.setlist(name, [value])
    return form.action, data


def refilled(response, url: str):
    """What the browser sends when the form for ``url`` on this answer is submitted again."""
    forms = parse(url, response.get_data(as_text=True)).forms
    [form] = [f for f in forms if f.action == url]
    return Filler().fill(form, {}, confirm=False)


def text(response) -> str:
    return unescape(re.sub(r"<[^>]+>|\s+", " ", response.get_data(as_text=True)))


def conflict_rows(response) -> dict[str, tuple[str, str]]:
    """The "what changed" table: field -> (saved now, you entered)."""
    html = response.get_data(as_text=True)
    table = re.search(r'<table class="conflict">(.*?)</table>', html, re.S)
    assert table, "no table of what changed"
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th><td class="prewrap">(.*?)</td>'
        r'<td class="prewrap">(.*?)</td></tr>',
        table.group(1),
        re.S,
    )
    return {unescape(label): (unescape(now), unescape(yours)) for label, now, yours in rows}


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


# --- a meeting's field --------------------------------------------------------------------------


@pytest.fixture
def second_leader(world):
    """The projectleider co-leads the group: a second person at the facilitation screen."""
    groups.add_member(
        world.group, world.users[Role.PROJECTLEIDER], GroupRole.PROCESBEGELEIDER, actor=None
    )
    db.session.commit()
    return "projectleider@noord.example"


def text_field(meeting_id: int) -> tuple[str, str]:
    meeting = db.session.get(Meeting, meeting_id)
    for step in run.rail(meeting):
        for field in step.step.fields:
            if field.type.value in ("text", "textarea"):
                return step.ref, field.key
    raise AssertionError("no text field in the protocol")


def field_form(client, meeting_id: int, ref: str, key: str, value: str):
    page = f"/bijeenkomsten/{meeting_id}/leiden?stap={ref}"
    response = client.get(page)
    forms = [
        f
        for f in parse(page, response.get_data(as_text=True)).forms
        if f.action.endswith("/veld")
        and any(c.name == "key" and c.value == key for c in f.controls)
    ]
    assert forms, f"no form for {ref}/{key}"
    data = Filler().fill(forms[0], {}, confirm=False)
    data.setlist("value", [value])
    return forms[0].action, data


def saved_field(key: str) -> FieldValue:
    db.session.expire_all()
    return db.session.scalar(select(FieldValue).where(FieldValue.field_key == key))


@pytest.mark.parametrize("second_app", [False, True], ids=["one app", "two apps"])
def test_a_meeting_field_saved_by_two_people_keeps_the_first_and_shows_it_to_the_second(
    app, make_app, world, second_leader, second_app
):
    ref, key = text_field(world.meeting.id)
    first = logged_in(app, LEADER)
    second = logged_in(make_app() if second_app else app, second_leader)
    action, mine = field_form(first, world.meeting.id, ref, key, "Tekst van Pim")
    _, theirs = field_form(second, world.meeting.id, ref, key, "Tekst van de projectleider")
    assert mine["version"] == theirs["version"]

    assert first.post(action, data=mine).status_code == 302
    refused = second.post(action, data=theirs)
    assert refused.status_code == 409
    assert "Tekst van Pim" in text(refused)  # the text saved now, next to theirs as typed
    assert "Tekst van de projectleider" in text(refused)
    assert saved_field(key).value == "Tekst van Pim"

    # The autosave script gets the same refusal, with the text and version saved now.
    script = second.post(action, data=theirs, headers={"X-Requested-With": "fetch"})
    assert script.status_code == 409
    answer = script.get_json()
    assert answer["status"] == "conflict"
    assert (answer["value"], answer["version"]) == ("Tekst van Pim", saved_field(key).version)
    # Saving on the version now shown is the second person's decision; it is kept.
    theirs.setlist("version", [str(answer["version"])])
    assert second.post(action, data=theirs).status_code == 302
    assert saved_field(key).value == "Tekst van de projectleider"


# --- an action item -----------------------------------------------------------------------------


def updates_of(action_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count(ActionUpdate.id)).where(ActionUpdate.action_id == action_id)
    )


@pytest.mark.parametrize("second_app", [False, True], ids=["one app", "two apps"])
def test_an_action_edited_by_two_people_keeps_the_first_and_shows_the_second_what_changed(
    app, make_app, world, second_app
):
    action_id = world.action.id
    first = logged_in(app, OWNER)
    second = logged_in(make_app() if second_app else app, EXTRA)
    page = f"/acties/{action_id}/bewerken"
    url, mine = opened(first, page, "/bewerken", description="Driegesprek plannen met UWV")
    _, theirs = opened(second, page, "/bewerken", description="Driegesprek in mei plannen")

    assert first.post(url, data=mine).status_code == 302
    refused = second.post(url, data=theirs)
    assert refused.status_code == 409
    assert CONFLICT in text(refused)
    assert conflict_rows(refused)["Wat"] == (
        "Driegesprek plannen met UWV",
        "Driegesprek in mei plannen",
    )
    assert fresh(ActionItem, action_id).description == "Driegesprek plannen met UWV"
    # What they typed is still in the form, now on the current version: saving is deciding.
    again = refilled(refused, url)
    assert again["description"] == "Driegesprek in mei plannen"
    assert again["version"] == str(fresh(ActionItem, action_id).version)
    assert second.post(url, data=again).status_code == 302
    assert fresh(ActionItem, action_id).description == "Driegesprek in mei plannen"


@pytest.mark.parametrize("second_app", [False, True], ids=["one app", "two apps"])
def test_a_status_change_on_an_action_someone_else_updated_is_refused_showing_theirs(
    app, make_app, world, second_app
):
    action_id = world.action.id
    first = logged_in(app, OWNER)
    second = logged_in(make_app() if second_app else app, EXTRA)
    page = f"/acties/{action_id}"
    url, mine = opened(
        first,
        page,
        "/terugkoppeling",
        status="gereed",
        note="Driegesprek gehouden, afgerond",
        due_on="",
    )
    _, theirs = opened(
        second,
        page,
        "/terugkoppeling",
        status="in_uitvoering",
        note="Uitnodiging verstuurd",
        due_on="",
    )

    assert first.post(url, data=mine).status_code == 302
    before = updates_of(action_id)
    refused = second.post(url, data=theirs)
    assert refused.status_code == 409
    assert CONFLICT in text(refused)
    rows = conflict_rows(refused)
    assert rows["Status"] == ("Gereed", "In uitvoering")
    assert rows["Laatste terugkoppeling"] == (
        "Driegesprek gehouden, afgerond",
        "Uitnodiging verstuurd",
    )
    assert updates_of(action_id) == before, "the refused update must not be stored"
    assert fresh(ActionItem, action_id).status == ActionStatus.GEREED


def test_an_edit_on_an_action_whose_status_changed_meanwhile_is_refused(app, world):
    action_id = world.action.id
    first, second = logged_in(app, OWNER), logged_in(app, EXTRA)
    url, theirs = opened(
        second, f"/acties/{action_id}/bewerken", "/bewerken", description="Ander plan"
    )
    update_url, mine = opened(
        first,
        f"/acties/{action_id}",
        "/terugkoppeling",
        status="vervallen",
        note="Niet meer nodig",
        due_on="",
    )
    assert first.post(update_url, data=mine).status_code == 302
    refused = second.post(url, data=theirs)
    assert refused.status_code == 409
    assert fresh(ActionItem, action_id).description == "Driegesprek plannen"


# --- a consent ----------------------------------------------------------------------------------


def consent_of(case_id: int) -> Consent:
    db.session.expire_all()
    return db.session.scalars(select(Consent).where(Consent.case_id == case_id)).one()


def later(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("second_app", [False, True], ids=["one app", "two apps"])
def test_a_consent_extended_by_two_people_keeps_the_first_and_shows_the_second_its_date(
    app, make_app, world, second_app
):
    case_id = world.consent_case.id
    first = logged_in(app, OWNER)
    second = logged_in(make_app() if second_app else app, LEADER)
    page = f"/casussen/{case_id}/toestemming/verlengen"
    url, mine = opened(first, page, "/verlengen", valid_until=later(500))
    _, theirs = opened(second, page, "/verlengen", valid_until=later(600))

    assert first.post(url, data=mine).status_code == 302
    refused = second.post(url, data=theirs)
    assert refused.status_code == 409
    assert CONFLICT in text(refused)
    rows = conflict_rows(refused)
    assert rows["Eindigt op"][0] != rows["Eindigt op"][1]
    assert rows["Laatst gewijzigd door"][0] == world.users[Role.DEELNEMER].name
    assert consent_of(case_id).valid_until == date.today() + timedelta(days=500)
    again = refilled(refused, url)
    assert again["valid_until"] == later(600)
    assert second.post(url, data=again).status_code == 302
    assert consent_of(case_id).valid_until == date.today() + timedelta(days=600)


@pytest.mark.parametrize("second_app", [False, True], ids=["one app", "two apps"])
def test_withdrawing_a_consent_someone_extended_meanwhile_erases_nothing_until_decided(
    app, make_app, world, second_app
):
    case_id = world.consent_case.id
    first = logged_in(app, OWNER)
    second = logged_in(make_app() if second_app else app, LEADER)
    url, extension = opened(
        first, f"/casussen/{case_id}/toestemming/verlengen", "/verlengen", valid_until=later(500)
    )
    withdraw_url, withdrawal = opened(
        second, f"/casussen/{case_id}/toestemming/intrekken", "/intrekken"
    )

    assert first.post(url, data=extension).status_code == 302
    refused = second.post(withdraw_url, data=withdrawal)
    assert refused.status_code == 409
    assert CONFLICT in text(refused)
    assert conflict_rows(refused)["Status"] == ("Verlengd", "Ingetrokken")
    consent = consent_of(case_id)
    assert consent.status == ConsentStatus.VERLENGD
    assert read_identity(consent.case) is not None, "the identity must not be erased"
    # Withdrawing after seeing the extension is the second person's decision.
    assert second.post(withdraw_url, data=refilled(refused, withdraw_url)).status_code == 302
    assert consent_of(case_id).status == ConsentStatus.INGETROKKEN
    assert read_identity(fresh(Consent, consent.id).case) is None


def test_a_second_withdrawal_finds_the_consent_withdrawn_and_changes_nothing(app, world):
    case_id = world.consent_case.id
    first, second = logged_in(app, OWNER), logged_in(app, LEADER)
    page = f"/casussen/{case_id}/toestemming/intrekken"
    url, mine = opened(first, page, "/intrekken")
    _, theirs = opened(second, page, "/intrekken")
    assert first.post(url, data=mine).status_code == 302
    events = len(consent_of(case_id).events)
    response = second.post(url, data=theirs, follow_redirects=True)
    assert "Deze casus heeft geen toestemming die ingetrokken kan worden." in text(response)
    assert len(consent_of(case_id).events) == events
