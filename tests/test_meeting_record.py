"""The record of a held meeting on its page (issue 9): per agenda case the findings by level,
the signals, the regievoerder and the actions; the meeting-wide findings; the building blocks.
For the group's members and the projectleider, read-only; never for the beheerder or another
group; pseudonyms only; a fixed number of queries whatever the meeting recorded."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select, update

from facilitator.actions.models import ActionItem
from facilitator.audit.models import AuditEvent
from facilitator.cases import regie
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import records
from facilitator.meetings.models import Meeting
from facilitator.regions import contacts
from facilitator.users.models import Role
from tests.factories import IDENTITY, make_meeting
from tests.holding import case_step, hold, record_case

MEMBERS = ["procesbegeleider@noord.example", "deelnemer@noord.example", "extra@noord.example"]


def text_of(response) -> str:
    """The page as a reader sees it: tags gone, entities read, blanks folded."""
    html = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(unescape(html).split())


def record_of(response) -> str:
    """The record section of a meeting page, as text ("" when the page has none)."""
    html = response.get_data(as_text=True)
    match = re.search(r'id="record".*?(?=<section aria-labelledby="attendance)', html, re.S)
    if match is None:
        return ""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


@pytest.fixture
def held(world) -> Meeting:
    """The world's meeting, held: for the case with consent two findings (one a signal), an
    action of the extra member and one of a contact without an account (overdue now); the
    regie to the extra member with the contact as achterwacht; a meeting-wide finding; the
    building blocks."""
    leader = world.users[Role.PROCESBEGELEIDER]
    meeting = db.session.get(Meeting, world.meeting.id)
    adviser = contacts.create_contact(
        world.gemeente, name="Wim Werkgeversadviseur", email="wsp@noord.example", actor=None
    )
    record_case(meeting, world.consent_case, leader, world.extra_member, number=7)
    late = records.add_action(
        meeting,
        case_step(meeting, world.consent_case, "actions"),
        description="Werkgever benaderen voor een proefplaats",
        owner=adviser,
        due_on=local_today(),
        actor=leader,
    )
    records.add_finding(
        meeting,
        "m:opening",
        kind="kans",
        level="beleid_organisatie",
        text="Vaste contactpersonen per organisatie afspreken",
        organisations=[world.gemeente],
        signal=False,
        actor=leader,
    )
    regie.assign_regievoerder(
        world.consent_case,
        world.extra_member,
        actor=leader,
        achterwacht=adviser,
        meeting_id=meeting.id,
    )
    hold(meeting, leader, world.extra_member)
    # Time passes: the contact's action is past its due date and still open.
    db.session.execute(
        update(ActionItem)
        .where(ActionItem.id == late.id)
        .values(due_on=local_today() - timedelta(days=2))
    )
    db.session.commit()
    return meeting


@pytest.mark.parametrize("email", [*MEMBERS, "projectleider@noord.example"])
def test_members_and_the_projectleider_read_the_record_of_a_held_meeting(
    client, auth, world, held, email
):
    auth.login(email)
    response = client.get(f"/bijeenkomsten/{held.id}")
    assert response.status_code == 200
    record = record_of(response)
    # Per agenda case, in agenda order, under its pseudonym.
    assert record.index(world.fictional_case.pseudonym) < record.index(world.consent_case.pseudonym)
    case_part = record[record.index(world.consent_case.pseudonym) :]
    # Findings by level (Kennis en competenties before Uitvoering), knelpunt or kans, signals.
    assert "Kennis en competenties Kans Bevinding 7 kans" in case_part
    assert "Uitvoering Knelpunt Bevinding 7 knelpunt signaal voor de beleidsgroep" in case_part
    # The regievoerder agreed here, with the achterwacht.
    assert "Regievoerder: Extra Lid (Gemeente Noord)" in case_part
    assert "achterwacht: Wim Werkgeversadviseur" in case_part
    assert "afgesproken in deze bijeenkomst" in case_part
    # Each action: what, who, organisation, due date, status; overdue said in words.
    assert "Actie 7 voor de casus Extra Lid Gemeente Noord" in case_part
    overdue = re.search(
        r"Werkgever benaderen voor een proefplaats Wim Werkgeversadviseur \(zonder account\) "
        r"Gemeente Noord \S+ \S+ \d{4} te laat Open",
        case_part,
    )
    assert overdue, case_part
    assert "Actie 7 voor de casus Extra Lid Gemeente Noord" in case_part
    assert "te laat" not in case_part[: case_part.index("Werkgever benaderen")]
    # The meeting-wide finding and the building blocks with the group's remarks.
    assert "Voor de hele bijeenkomst" in record
    assert "Vaste contactpersonen per organisatie afspreken (Gemeente Noord)" in record
    assert "Vertrouwen 4" in record
    assert "Wat ging goed: Goede voorbereiding" in record
    assert "Wat kan beter: Meer tijd voor acties" in record
    # Read-only: the record offers no form.
    assert "<form" not in re.search(
        r'id="record".*?id="attendance', response.get_data(as_text=True), re.S
    ).group(0)


def test_the_record_names_no_identity_for_anyone_even_inside_the_consent_scope(
    client, auth, world, held
):
    identity = (
        IDENTITY.full_name,
        "Voorbeeldt",
        IDENTITY.bsn,
        IDENTITY.client_number,
        "1984",
    )
    for email in [*MEMBERS, "projectleider@noord.example", "beheerder@noord.example"]:
        auth.login(email)
        page = client.get(f"/bijeenkomsten/{held.id}").get_data(as_text=True)
        assert not [value for value in identity if value in page], email
        auth.logout()


def test_the_beheerder_sees_the_meeting_but_not_its_record(client, auth, world, held):
    auth.login("beheerder@noord.example")
    response = client.get(f"/bijeenkomsten/{held.id}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Opbrengst" in page
    assert "die zien de leden van de groep en de projectleider" in page
    for shown_to_members in (
        world.consent_case.pseudonym,
        "Bevinding 7",
        "Vaste contactpersonen",
        "Werkgever benaderen",
        "Goede voorbereiding",
    ):
        assert shown_to_members not in page


@pytest.mark.parametrize("email", ["deelnemer@zuid.example", "pb@zuid.example"])
def test_another_groups_people_are_refused_and_the_denial_logged(client, auth, world, held, email):
    auth.login(email)
    assert client.get(f"/bijeenkomsten/{held.id}").status_code == 403
    db.session.expire_all()
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).one()
    assert denial.object_type == "meetings" and denial.object_id == str(held.id)


def test_an_unknown_meeting_is_not_found(client, auth, world):
    auth.login("projectleider@noord.example")
    assert client.get("/bijeenkomsten/999999").status_code == 404


def test_a_running_meeting_says_its_record_comes_at_the_close(client, auth, world):
    auth.login("projectleider@noord.example")
    page = text_of(client.get(f"/bijeenkomsten/{world.meeting.id}"))
    assert "verschijnen hier zodra ze is afgerond" in page
    assert world.finding.text not in page


def test_a_planned_meeting_has_no_record_yet(client, auth, world):
    leader = world.users[Role.PROCESBEGELEIDER]
    planned = make_meeting(world.group, leader, [world.fictional_case], start=False)
    auth.login("projectleider@noord.example")
    response = client.get(f"/bijeenkomsten/{planned.id}")
    assert response.status_code == 200
    assert 'id="record"' not in response.get_data(as_text=True)


def test_a_case_without_a_regievoerder_is_marked_in_the_record(client, auth, world):
    """The klantreis protocol has no regie step: its case leaves the meeting without one."""
    leader = world.users[Role.PROCESBEGELEIDER]
    meeting = make_meeting(world.group, leader, [world.fictional_case], protocol_id="klantreis")
    hold(meeting, leader)
    db.session.commit()
    auth.login("deelnemer@noord.example")
    record = record_of(client.get(f"/bijeenkomsten/{meeting.id}"))
    assert "Regievoerder: zonder regie" in record
    assert "Geen bevindingen vastgelegd voor deze casus." in record
    assert "Geen acties afgesproken voor deze casus." in record


def _meeting_page_queries(client, count_queries, meeting_id: int) -> int:
    db.session.expire_all()
    with count_queries() as counted:
        assert client.get(f"/bijeenkomsten/{meeting_id}").status_code == 200
    return len(counted)


def _held_meeting(world, records_per_case: int, handovers: int) -> Meeting:
    """A held meeting of the world's two cases with ``records_per_case`` rounds of findings
    and actions per case, after ``handovers`` handovers of the first case's regie."""
    leader = world.users[Role.PROCESBEGELEIDER]
    people = [world.users[Role.DEELNEMER], world.extra_member]
    for number in range(handovers):
        regie.assign_regievoerder(
            world.fictional_case,
            people[number % 2],
            actor=leader,
            reason=f"Overdracht {number}",
        )
    cases = [world.fictional_case, world.consent_case]
    meeting = make_meeting(world.group, leader, cases)
    for number in range(records_per_case):
        for case in cases:
            record_case(meeting, case, leader, world.extra_member, number=number + 1)
    hold(meeting, leader, world.extra_member)
    db.session.commit()
    return meeting


def test_the_meeting_page_reads_its_record_in_a_fixed_number_of_queries(
    client, auth, world, count_queries
):
    auth.login("projectleider@noord.example")
    small = _held_meeting(world, records_per_case=1, handovers=0)
    large = _held_meeting(world, records_per_case=6, handovers=5)
    assert _meeting_page_queries(client, count_queries, small.id) == _meeting_page_queries(
        client, count_queries, large.id
    )
    assert record_of(client.get(f"/bijeenkomsten/{large.id}")).count("Bevinding 6 knelpunt") == 2
