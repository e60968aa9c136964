"""The timeline on a case's page (issue 9): the meetings that discussed it, with their date, a
link and what they recorded for the case; its regievoerder now and before; its actions with
their status. One read (cases/timeline.py) in a fixed number of queries; pseudonyms only."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select, update

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem
from facilitator.audit.models import AuditEvent
from facilitator.cases import regie
from facilitator.cases.models import Case
from facilitator.cases.timeline import case_timeline
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import planning
from facilitator.meetings.models import MeetingStatus
from facilitator.regions import contacts
from facilitator.users.models import Role
from tests.factories import IDENTITY, make_case, make_meeting
from tests.holding import hold, record_case

READERS = [
    "procesbegeleider@noord.example",
    "deelnemer@noord.example",
    "extra@noord.example",
    "projectleider@noord.example",
]


def timeline_text(response) -> str:
    html = response.get_data(as_text=True)
    part = html[html.index('<h2 id="timeline-heading"') :]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", part)).split())


@pytest.fixture
def story(world):
    """The consent case's story: discussed in the world's meeting (held, with findings, an
    action and the regie to the deelnemer), then handed over to a contact without an account,
    an action agreed between meetings, and on the agenda of a planned meeting; a cancelled
    meeting that had it on its agenda too."""
    leader = world.users[Role.PROCESBEGELEIDER]
    case = world.consent_case
    meeting = world.meeting
    record_case(meeting, case, leader, world.extra_member, number=3)
    regie.assign_regievoerder(
        case,
        world.users[Role.DEELNEMER],
        actor=leader,
        since=local_today() - timedelta(days=20),
        meeting_id=meeting.id,
    )
    hold(meeting, leader)
    adviser = contacts.create_contact(
        world.gemeente, name="Wim Werkgeversadviseur", email="wsp@noord.example", actor=None
    )
    regie.assign_regievoerder(
        case,
        adviser,
        actor=leader,
        since=local_today() - timedelta(days=5),
        reason="Cliënt start bij een werkgever; de adviseur houdt de lijnen bij elkaar",
        achterwacht=world.users[Role.DEELNEMER],
    )
    between = actions.create_action(
        world.group,
        description="Proefplaats regelen bij de bakker",
        owner=adviser,
        due_on=local_today() + timedelta(days=10),
        case=case,
        actor=leader,
    )
    actions.change_status(between, "in_uitvoering", note="Eerste gesprek gehad", actor=leader)
    planned = make_meeting(
        world.group, leader, [case], start=False, when=meeting.scheduled_at + timedelta(weeks=6)
    )
    cancelled = make_meeting(
        world.group, leader, [case], start=False, when=meeting.scheduled_at + timedelta(weeks=3)
    )
    planning.cancel_meeting(cancelled, actor=leader)
    db.session.commit()
    return {"meeting": meeting, "planned": planned, "cancelled": cancelled, "adviser": adviser}


def test_the_timeline_reads_the_story_of_a_case(world, story):
    timeline = case_timeline(db.session.get(Case, world.consent_case.id))

    assert [m.meeting_id for m in timeline.meetings] == [story["planned"].id, world.meeting.id]
    planned, held = timeline.meetings
    assert planned.status == MeetingStatus.GEPLAND and not planned.held
    assert (planned.findings, planned.actions, planned.regievoerder) == ((), (), "")
    assert held.held
    assert [(f.kind.value, f.text) for f in held.findings] == [
        ("kans", "Bevinding 3 kans"),
        ("knelpunt", "Bevinding 3 knelpunt"),
    ]
    assert [a.description for a in held.actions] == ["Actie 3 voor de casus"]
    assert held.regievoerder == "Deelnemer GGZ Noord"

    now = timeline.regievoerder
    assert (now.name, now.has_account, now.organisation) == (
        "Wim Werkgeversadviseur",
        False,
        "Gemeente Noord",
    )
    assert now.until is None and now.achterwacht == "Deelnemer GGZ Noord"
    assert now.reason.startswith("Cliënt start bij een werkgever")
    (before,) = timeline.earlier_regie
    assert before.name == "Deelnemer GGZ Noord" and before.has_account
    # It lasted until the handover's day, not until the moment it was recorded.
    assert (before.since, before.until) == (
        local_today() - timedelta(days=20),
        local_today() - timedelta(days=5),
    )
    assert before.meeting_id == world.meeting.id and before.reason == ""

    (between,) = timeline.other_actions
    assert between.description == "Proefplaats regelen bij de bakker"
    assert between.status.value == "in_uitvoering" and not between.owner_has_account
    assert timeline.open_actions == 2


@pytest.mark.parametrize("email", READERS)
def test_members_and_the_projectleider_see_the_timeline_on_the_case_page(
    client, auth, world, story, email
):
    auth.login(email)
    response = client.get(f"/casussen/{world.consent_case.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = timeline_text(response)
    # The regievoerder now, and the history with who, organisation, from, until, achterwacht
    # and why.
    assert text.startswith(
        "Tijdlijn Regievoerder Wim Werkgeversadviseur (Gemeente Noord, zonder account), sinds"
    )
    history = text[text.index("Regievoerders van deze casus") :]
    assert re.search(
        r"Wim Werkgeversadviseur \(zonder account\) Gemeente Noord \S+ \S+ \d{4} nu "
        r"Deelnemer GGZ Noord Cliënt start bij een werkgever",
        history,
    ), history
    assert re.search(
        r"Deelnemer GGZ Noord GGZ Noord (\S+ \S+ \d{4} ){2}— afgesproken in de bijeenkomst van",
        history,
    ), history
    # The meetings, newest first, with a link each; the cancelled one is left out.
    links = re.findall(r'<h4 id="timeline-meeting-(\d+)"><a href="/bijeenkomsten/(\d+)"', html)
    assert links == [(str(m.id), str(m.id)) for m in (story["planned"], world.meeting)]
    assert f"/bijeenkomsten/{story['cancelled'].id}" not in html
    meetings = text[text.index("Bijeenkomsten") :]
    assert "Gepland Geagendeerd; nog niet besproken." in meetings
    assert "Afgerond Regievoerder gekozen: Deelnemer GGZ Noord" in meetings
    assert "Uitvoering Knelpunt Bevinding 3 knelpunt signaal voor de beleidsgroep" in meetings
    assert "Actie 3 voor de casus Extra Lid Gemeente Noord" in meetings
    # The action agreed between meetings, with its status.
    between = text[text.index("Acties afgesproken tussen de bijeenkomsten") :]
    assert "Proefplaats regelen bij de bakker Wim Werkgeversadviseur" in between
    assert "In uitvoering" in between


def test_an_overdue_action_on_the_timeline_says_so(client, auth, world, story):
    db.session.execute(
        update(ActionItem)
        .where(ActionItem.description == "Proefplaats regelen bij de bakker")
        .values(due_on=local_today() - timedelta(days=1))
    )
    db.session.commit()
    auth.login("deelnemer@noord.example")
    text = timeline_text(client.get(f"/casussen/{world.consent_case.id}"))
    between = text[text.index("Acties afgesproken tussen de bijeenkomsten") :]
    assert re.search(r"Gemeente Noord \S+ \S+ \d{4} te laat In uitvoering", between), between


def test_the_case_page_names_no_identity_around_the_timeline(client, auth, world, story):
    for email in READERS:
        auth.login(email)
        page = client.get(f"/casussen/{world.consent_case.id}").get_data(as_text=True)
        for value in (IDENTITY.full_name, "Voorbeeldt", IDENTITY.bsn, IDENTITY.client_number):
            assert value not in page, (email, value)
        auth.logout()


@pytest.mark.parametrize(
    "email", ["beheerder@noord.example", "deelnemer@zuid.example", "pb@zuid.example"]
)
def test_the_beheerder_and_other_groups_are_refused_the_case_and_logged(
    client, auth, world, story, email
):
    auth.login(email)
    assert client.get(f"/casussen/{world.consent_case.id}").status_code == 403
    db.session.expire_all()
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).one()
    assert denial.case_pseudonym == world.consent_case.pseudonym


def test_a_case_never_on_an_agenda_has_an_empty_timeline(client, auth, world):
    case = _new_case(world)
    timeline = case_timeline(case)
    assert (timeline.meetings, timeline.regievoerder, timeline.earlier_regie) == ((), None, ())
    assert (timeline.other_actions, timeline.open_actions) == ((), 0)
    auth.login("deelnemer@noord.example")
    text = timeline_text(client.get(f"/casussen/{case.id}"))
    assert "Nog geen regievoerder." in text
    assert "Nog niet op de agenda van een bijeenkomst." in text


def _new_case(world) -> Case:
    return make_case(world.group, world.users[Role.DEELNEMER], description="Nieuwe casus")


# --- a fixed number of queries -------------------------------------------------------------


def _grow(world, rounds: int) -> Case:
    """A new case with ``rounds`` held meetings (findings and an action each), as many
    handovers and as many actions between meetings."""
    leader = world.users[Role.PROCESBEGELEIDER]
    case = _new_case(world)
    people = [world.users[Role.DEELNEMER], world.extra_member, leader]
    for number in range(rounds):
        meeting = make_meeting(
            world.group,
            leader,
            [case],
            when=world.meeting.scheduled_at - timedelta(days=10 - number),
        )
        record_case(meeting, case, leader, world.extra_member, number=number)
        hold(meeting, leader, people[number % 3])
        regie.assign_regievoerder(
            case, people[(number + 1) % 3], actor=leader, reason=f"Overdracht {number}"
        )
        actions.create_action(
            world.group,
            description=f"Tussendoor {number}",
            owner=world.extra_member,
            due_on=local_today() + timedelta(days=number),
            case=case,
            actor=leader,
        )
    db.session.commit()
    return case


def test_the_timeline_is_read_in_five_queries_whatever_the_case_holds(world, count_queries):
    def queries(case_id: int) -> int:
        db.session.expire_all()
        case = db.session.get(Case, case_id)
        with count_queries() as counted:
            timeline = case_timeline(case)
            assert timeline.regievoerder is not None
        return len(counted)

    small, large = _grow(world, 1), _grow(world, 5)
    assert len(case_timeline(large).meetings) == 5
    assert len(case_timeline(large).earlier_regie) >= 5
    assert queries(small.id) == queries(large.id) == 5


def test_the_case_page_reads_a_fixed_number_of_queries(client, auth, world, count_queries):
    def queries(case_id: int) -> int:
        db.session.expire_all()
        with count_queries() as counted:
            assert client.get(f"/casussen/{case_id}").status_code == 200
        return len(counted)

    auth.login("projectleider@noord.example")
    small, large = _grow(world, 1), _grow(world, 5)
    assert queries(small.id) == queries(large.id)
