"""Demo history for the figures page: a third group, Casusgroep Oosterbroek, that met four times
over the past year, so that the region's in-, door- and uitstroom are worth looking at. It has a
procesbegeleider of its own, so the other demo accounts (and the tests that log in as them)
meet the same groups, cases and actions as before.

Four cohorts of cases, each registered three weeks before the meeting that first discussed
it; some discussed again at a later meeting; eleven closed with several reasons (paid work most
often), so some figures show and others are suppressed as "<5". Everything goes through the
demo's own import and meeting services; dates are relative to the day of seeding.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem
from facilitator.cases import services as cases
from facilitator.cases.importer import import_cases
from facilitator.cases.models import Case, ClosureReason
from facilitator.database import utcnow
from facilitator.demo.meetings import (
    FINDINGS,
    at_two,
    date_held_meeting,
    date_registrations,
    hold_meeting,
)
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import GroupRole, Rhythm
from facilitator.localtime import local_today
from facilitator.meetings import planning
from facilitator.regions.models import Region
from facilitator.users.models import User

GROUP = "Casusgroep Oosterbroek"
HEADER = (
    "modus;organisatie;ingebracht_door;omschrijving;uitkering;ggz_behandeling;naam;"
    "geboortedatum;bsn;clientnummer;toestemming_datum;toestemming_tot;toestemming_organisaties;"
    "toestemming_bewijs\n"
)
#: Invented situations, each told in a line without anything that identifies a person.
SITUATIONS = (
    ("UWV Lindewaard", "arbeidsdeskundige", "ww", "Wil na een reorganisatie in de zorg aan de "
     "slag, maar mist een diploma; omscholing en uitkering moeten samengaan."),
    ("Gemeente Oosterbroek", "jobcoach", "participatiewet", "Zoekt werk in de horeca en heeft "
     "een proefplaats nodig met begeleiding op de werkvloer."),
    ("UWV Lindewaard", "arbeidsdeskundige", "wia", "Na een ongeval deels arbeidsongeschikt; "
     "de vorige werkgever heeft een andere functie, de behandelaar twijfelt."),
    ("Gemeente Oosterbroek", "jobcoach", "participatiewet", "Jongere zonder startkwalificatie "
     "wil in de techniek werken; school, gemeente en werkgever spreken elkaar niet."),
    ("Gemeente Oosterbroek", "jobcoach", "geen", "Zonder inkomen na een scheiding; schulden "
     "en werk zoeken lopen door elkaar."),
    ("UWV Lindewaard", "arbeidsdeskundige", "wajong", "Werkt vier uur per week en wil "
     "uitbreiden zonder de uitkering in gevaar te brengen."),
)  # fmt: skip
#: Days before today of the four meetings, and how many new cases each took up.
MEETINGS = ((320, 7), (230, 6), (140, 7), (45, 6))
#: Per cohort (by meeting), the cases closed and why, some weeks after that meeting.
CLOSED = (
    (ClosureReason.BETAALD_WERK, ClosureReason.BETAALD_WERK, ClosureReason.BETAALD_WERK,
     ClosureReason.OPLEIDING_TRAJECT, ClosureReason.GEEN_VERVOLG),
    (ClosureReason.BETAALD_WERK, ClosureReason.BETAALD_WERK,
     ClosureReason.VRIJWILLIGERSWERK_DAGBESTEDING, ClosureReason.VERHUISD),
    (ClosureReason.BETAALD_WERK, ClosureReason.OPLEIDING_TRAJECT),
    (),
)  # fmt: skip


def seed_demo_monitoring(region: Region, leader: User, members: list[User]) -> None:
    """The group, its members, its four held meetings with their cases, and the closures."""
    group = groups.create_group(
        region,
        name=GROUP,
        rhythm=Rhythm.PER_KWARTAAL,
        theme="",
        description="Professionals van UWV en gemeente bespreken de cliënten die tussen "
        "uitkering en werk vastlopen.",
        actor=None,
    )
    groups.add_member(group, leader, GroupRole.PROCESBEGELEIDER, actor=None)
    for member in members:
        groups.add_member(group, member, GroupRole.LID, actor=None)
    today = local_today()
    earlier: list[Case] = []
    for number, (days_ago, count) in enumerate(MEETINGS):
        day = today - timedelta(days=days_ago)
        cohort = import_cases(_cases(number, count), group)
        date_registrations([(at_two(day), cohort)])
        # The open cases of the cohort before come back once: how is it going?
        again = [case for case in earlier if not case.is_closed][:2]
        _held(group, leader, members[0], day, [*cohort, *again])
        _close(cohort, CLOSED[number], leader, day)
        earlier = cohort


def _cases(number: int, count: int) -> bytes:
    lines = []
    for index in range(count):
        organisation, bringer, benefit, text = SITUATIONS[(number + index) % len(SITUATIONS)]
        lines.append(
            f'fictief;{organisation};{bringer}@lindewaard.example;"{text}";{benefit};nee;;;;;;;;\n'
        )
    return (HEADER + "".join(lines)).encode("utf-8")


def _held(group, leader: User, owner: User, day, agenda: list[Case]) -> None:
    since = utcnow()
    meeting = planning.plan_meeting(
        group,
        scheduled_at=at_two(day),
        protocol_id="casusgroep-samenwerking",
        actor=leader,
        location="Gemeentehuis Oosterbroek, kamer 2.04",
    )
    for case in agenda:
        planning.add_to_agenda(meeting, case, actor=leader)
    # Its findings are no signals: the Casusgroep Lindewaard's are the region's (demo/signals.py),
    # and two dozen copies of the same signal would bury them on the dashboard.
    hold_meeting(meeting, leader, owner, findings=[(*f[:3], False) for f in FINDINGS])
    date_held_meeting(meeting, since)


def _close(cohort: list[Case], reasons, leader: User, day) -> None:
    """Close the first cases of the cohort, a few weeks apart, after their meeting, once their
    actions are done (the others keep theirs open)."""
    for index, (case, reason) in enumerate(zip(cohort, reasons, strict=False)):
        closed_at = at_two(day + timedelta(days=30 + 9 * index))
        for action in db.session.scalars(select(ActionItem).where(ActionItem.case_id == case.id)):
            if action.status.is_open:
                actions.change_status(action, "gereed", note="Afgerond.", actor=leader)
                for update in action.updates:
                    update.at = closed_at - timedelta(days=2)
        cases.close_case(case, reason, actor=leader)
        case.closed_at = case.updated_at = closed_at
    db.session.flush()
