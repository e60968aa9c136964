"""Demo meetings: held ones with everything a meeting records, and a planned one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

from facilitator.actions.models import ActionItem, ActionUpdate
from facilitator.cases.models import Case, CaseUpdate, RegievoerderAssignment
from facilitator.database import utcnow
from facilitator.exports.minutes_services import approve_minutes, reissue_approved
from facilitator.exports.models import MinutesApproval
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local, local_date, local_today
from facilitator.meetings import planning, records, review, run
from facilitator.meetings.models import (
    AttendanceStatus,
    BuildingBlockScore,
    FieldValue,
    Finding,
    Meeting,
    StepVisit,
)
from facilitator.protocols.schema import FieldType
from facilitator.users.models import User

#: How long before the first meeting that discusses it a demo case was registered.
REGISTERED_BEFORE_MEETING = timedelta(weeks=3)
#: Timestamps set while a demo meeting is held; moved to the meeting's day afterwards.
RECORDED_DURING_A_MEETING = (
    FieldValue.updated_at,
    Finding.created_at,
    ActionItem.created_at,
    RegievoerderAssignment.created_at,
    RegievoerderAssignment.ended_at,
    BuildingBlockScore.recorded_at,
    Case.updated_at,
    ActionUpdate.at,
    CaseUpdate.recorded_at,
    MinutesApproval.approved_at,
)
TEXT = {
    FieldType.TEXT: "De inbrenger licht toe waar de samenwerking vastloopt: afspraken tussen "
    "klantmanager en behandelaar lopen via de cliënt, niemand overziet het geheel.",
    FieldType.SHORTTEXT: "Wie houdt de lijnen bij elkaar rond werk en behandeling?",
}
#: What the group recorded in the text fields of the demo groups' protocols, by field key, so
#: that the minutes read like a real meeting's; other fields get the general text above.
TEXT_BY_FIELD = {
    "verduidelijking": "De klantmanager wist niet dat de cliënt al een IPS-traject had; "
    "de behandelaar had geen zicht op de afspraken over de re-integratie.",
    "betrokkenen": "Gemeente (klantmanager), GGZ (behandelaar en IPS-coach) en UWV "
    "(arbeidsdeskundige). Contact loopt per e-mail en via de cliënt; een gezamenlijk "
    "overleg is er nog niet geweest.",
    "opbrengst": "Iedere organisatie weet nu wie de andere betrokkenen zijn; er is één "
    "regievoerder en het eerste driegesprek staat gepland.",
    "signalen_beleidsgroep": "De regels voor het verrekenen van inkomsten maken werken in "
    "kleine stappen onaantrekkelijk; de groep vraagt de beleidsgroep hier ruimte voor te zoeken.",
    "persona": "Een man van midden veertig met een Wajong-uitkering die graag buiten werkt.",
    "startpunt": "Hij meldt zich bij de gemeente na het stoppen van zijn dagbesteding.",
    "route": "Via de gemeente naar UWV en terug; drie intakes in twee maanden, "
    "steeds met dezelfde vragen.",
    "betere_route": "Eén intake met de drie organisaties aan tafel, met toestemming van de "
    "cliënt om de uitkomst te delen.",
}
FINDINGS = [
    (
        "knelpunt",
        "uitvoering",
        "Informatie over de behandeling bereikt de klantmanager pas "
        "na weken; er is geen vast overlegmoment.",
        True,
    ),
    (
        "kans",
        "kennis_competenties",
        "De IPS-coach kent de werkgevers in de regio; de gemeente kan daar gebruik van maken.",
        False,
    ),
    (
        "knelpunt",
        "wet_regelgeving",
        "De verrekening van inkomsten bij een Wajong-uitkering "
        "maakt uitbreiden van uren onaantrekkelijk.",
        True,
    ),
]


#: What the group says in the second meeting about the first, and about its actions.
CORRECTIONS = "Bij de vervolgacties toegevoegd dat de klantmanager het driegesprek voorbereidt."
REVIEWED = "Driegesprek gevoerd; de cliënt start met een proefplaatsing via het Werkbedrijf."
CASE_UPDATE = (
    "Werkt sinds drie weken twee ochtenden per week in de groenvoorziening; "
    "de behandeling loopt door en sluit daar nu op aan."
)


#: The scores the demo groups give their collaboration, unless told otherwise.
SCORES = {
    "kennen": 4,
    "begrijpen": 4,
    "waarderen": 3,
    "vertrouwen": 4,
    "samenwerken": 3,
    "doelen_realiseren": 3,
}


def hold_meeting(
    meeting: Meeting,
    leader: User,
    owner: User,
    *,
    previous: Meeting | None = None,
    findings: list[tuple[str, str, str, bool]] = FINDINGS,
    scores: dict[str, int] = SCORES,
    before_closing: Callable[[Meeting], None] | None = None,
) -> None:
    """Run a meeting through every step, filling what each field asks, and close it.

    With a ``previous`` meeting the group approves its minutes in the opening, goes through
    the actions agreed there and hears how the clients discussed then are doing. Each
    findings field gets the next of ``findings``, the building blocks get ``scores``;
    ``before_closing`` records more while the meeting still runs.
    """
    run.start_meeting(meeting, actor=leader)
    if previous is not None:
        approve_minutes(previous, in_meeting=meeting, corrections=CORRECTIONS, actor=leader)
        _review_previous(meeting, previous, leader)
    for membership in meeting.group.memberships:
        status = (
            AttendanceStatus.AFGEMELD
            if membership.user.email.startswith("ervaringsdeskundige")
            else AttendanceStatus.AANWEZIG
        )
        planning.set_attendance(meeting, membership.user, status, actor=leader)
    for number, step in enumerate(run.rail(meeting)):
        run.go_to_step(meeting, step.ref, actor=leader)
        for field in step.step.fields:
            _answer(meeting, step, field, number, leader, owner, findings, scores)
    if before_closing is not None:
        before_closing(meeting)
    run.close_meeting(meeting, actor=leader)


def _review_previous(meeting: Meeting, previous: Meeting, leader: User) -> None:
    """The actions of the previous meeting are done; the regievoerder tells how it goes."""
    for item in review.meeting_review(meeting).items:
        if item.action.meeting_id == previous.id:
            review.review_action(
                meeting, item.action, "gereed", note=REVIEWED, due_on=None, actor=leader
            )
    discussed = {i.case_id for i in previous.agenda}
    for item in meeting.agenda:
        if item.case_id in discussed:
            review.record_case_update(meeting, item, CASE_UPDATE, expected_version=0, actor=leader)


def _answer(meeting, step, field, number, leader, owner, findings, scores) -> None:
    kind = field.type
    if kind in TEXT:
        text = TEXT_BY_FIELD.get(field.key, TEXT[kind])
        run.save_field(meeting, step.ref, field.key, text, expected_version=0, actor=leader)
    elif kind in (FieldType.CHOICE, FieldType.CHECKLIST):
        value = field.options[0] if kind == FieldType.CHOICE else "\n".join(field.options[:2])
        run.save_field(meeting, step.ref, field.key, value, expected_version=0, actor=leader)
    elif kind == FieldType.RATING:
        run.save_field(meeting, step.ref, field.key, "4", expected_version=0, actor=leader)
    elif kind == FieldType.FINDINGS:
        finding_kind, level, text, signal = findings[number % len(findings)]
        records.add_finding(
            meeting,
            step.ref,
            kind=finding_kind,
            level=level,
            text=text,
            organisations=[owner.organisation],
            signal=signal,
            actor=leader,
        )
    elif kind == FieldType.ACTIONS:
        records.add_action(
            meeting,
            step.ref,
            description="Driegesprek plannen met cliënt, "
            "klantmanager en behandelaar over de volgende stap naar werk.",
            owner=owner,
            due_on=local_date(meeting.scheduled_at) + timedelta(days=21),
            actor=leader,
        )
    elif kind == FieldType.REGIEVOERDER and step.case is not None:
        records.assign_regievoerder(meeting, step.case, owner, actor=leader)
    elif kind == FieldType.BUILDING_BLOCKS:
        records.save_building_blocks(
            meeting,
            scores,
            went_well="Iedereen bracht de eigen mogelijkheden in.",
            could_be_better="Meer tijd voor de vervolgacties.",
            actor=leader,
        )


def seed_demo_meetings(
    group: CaseGroup,
    leader: User,
    owner: User,
    protocol_id: str,
    *,
    held_cases: list[Case],
    planned_cases: list[Case],
) -> None:
    """Two held meetings and one planned meeting for a group, at 14:00 Amsterdam time.

    The dates add up as they would in a region that has used the tool for months: each case
    was registered before the first meeting that discussed it (and after its consent was
    given), and the held meetings took place, with everything recorded in them, on their day.
    """
    today = local_today()
    held = [
        (at_two(today - timedelta(weeks=weeks_ago)), cases)
        for weeks_ago, cases in ((12, held_cases[:1]), (6, held_cases))
    ]
    planned_at = at_two(today + timedelta(weeks=2))
    planned_cases = planned_cases or held_cases[-1:]
    date_registrations([*held, (planned_at, planned_cases)])
    previous = None
    for scheduled_at, cases in held:
        since = utcnow()
        meeting = planning.plan_meeting(
            group,
            scheduled_at=scheduled_at,
            protocol_id=protocol_id,
            actor=leader,
            location="Stadskantoor Lindewaard, zaal 2",
        )
        for case in cases:
            planning.add_to_agenda(meeting, case, actor=leader)
        hold_meeting(meeting, leader, owner, previous=previous)
        date_held_meeting(meeting, since)
        if previous is not None:  # the approved file says the day it was approved on
            reissue_approved(previous)
        previous = meeting
    planned = planning.plan_meeting(
        group,
        scheduled_at=planned_at,
        protocol_id=protocol_id,
        actor=leader,
        location="Stadskantoor Lindewaard, zaal 2",
    )
    for case in planned_cases:
        planning.add_to_agenda(planned, case, actor=leader)


def at_two(day: date) -> datetime:
    """14:00 in Amsterdam on ``day``, in UTC."""
    return from_local(day, time(14, 0))


def date_registrations(schedule: list[tuple[datetime, list[Case]]]) -> None:
    """Date each case's registration before the first meeting that has it on the agenda.

    Three weeks before that meeting, at 10:00, but never before its consent was given nor after
    today; the consent and the identity are recorded with the case.
    """
    now = utcnow()
    dated: set[int] = set()
    for scheduled_at, cases in schedule:
        for case in (c for c in cases if c.id not in dated):
            dated.add(case.id)
            day = local_date(scheduled_at - REGISTERED_BEFORE_MEETING)
            if case.consents:
                day = max(day, case.consents[0].given_on + timedelta(days=1))
            registered = min(from_local(day, time(10, 0)), now)
            case.created_at = case.updated_at = registered
            for consent in case.consents:
                consent.recorded_at = registered
                for event in consent.events:
                    event.occurred_at = registered
            if case.identity is not None:
                case.identity.created_at = registered
    db.session.flush()


def date_held_meeting(meeting: Meeting, since: datetime) -> None:
    """Move what holding a demo meeting recorded, from ``since`` on, to the meeting's own day.

    The meeting was planned two weeks before, started on time and closed at its end; each
    step was opened in turn, and what was recorded in it was recorded during the meeting.
    """
    start = meeting.scheduled_at
    end = start + timedelta(minutes=meeting.duration_minutes)
    during = start + (end - start) / 2
    for column in RECORDED_DURING_A_MEETING:
        db.session.execute(
            update(column.class_)
            .where(column >= since)
            .values({column.key: during})
            .execution_options(synchronize_session=False)
        )
    visits = db.session.scalars(
        select(StepVisit).where(StepVisit.meeting_id == meeting.id).order_by(StepVisit.id)
    ).all()
    for number, visit in enumerate(visits):
        visit.started_at = start + (end - start) * number / max(len(visits), 1)
    meeting.created_at = start - timedelta(weeks=2)
    meeting.started_at = start
    meeting.current_step_since = visits[-1].started_at if visits else start
    meeting.closed_at = end
    db.session.flush()
    db.session.expire_all()
