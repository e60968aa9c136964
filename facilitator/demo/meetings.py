"""Demo meetings: held ones with everything a meeting records, and a planned one."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.groups.models import CaseGroup
from facilitator.meetings import planning, records, run
from facilitator.meetings.models import AttendanceStatus, Meeting
from facilitator.protocols.schema import FieldType
from facilitator.users.models import User

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TEXT = {
    FieldType.TEXT: "De inbrenger licht toe waar de samenwerking vastloopt: afspraken tussen "
    "klantmanager en behandelaar lopen via de cliënt, niemand overziet het geheel.",
    FieldType.SHORTTEXT: "Wie houdt de lijnen bij elkaar rond werk en behandeling?",
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


def hold_meeting(meeting: Meeting, leader: User, owner: User) -> None:
    """Run a meeting through every step, filling what each field asks, and close it."""
    run.start_meeting(meeting, actor=leader)
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
            _answer(meeting, step, field, number, leader, owner)
    run.close_meeting(meeting, actor=leader)


def _answer(meeting, step, field, number, leader, owner) -> None:
    kind = field.type
    if kind in TEXT:
        run.save_field(meeting, step.ref, field.key, TEXT[kind], expected_version=0, actor=leader)
    elif kind in (FieldType.CHOICE, FieldType.CHECKLIST):
        value = field.options[0] if kind == FieldType.CHOICE else "\n".join(field.options[:2])
        run.save_field(meeting, step.ref, field.key, value, expected_version=0, actor=leader)
    elif kind == FieldType.RATING:
        run.save_field(meeting, step.ref, field.key, "4", expected_version=0, actor=leader)
    elif kind == FieldType.FINDINGS:
        finding_kind, level, text, signal = FINDINGS[number % len(FINDINGS)]
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
            due_on=meeting.scheduled_at.date() + timedelta(days=21),
            actor=leader,
        )
    elif kind == FieldType.REGIEVOERDER and step.case is not None:
        records.assign_regievoerder(meeting, step.case, owner, actor=leader)
    elif kind == FieldType.BUILDING_BLOCKS:
        records.save_building_blocks(
            meeting,
            {
                "kennen": 4,
                "begrijpen": 4,
                "waarderen": 3,
                "vertrouwen": 4,
                "samenwerken": 3,
                "doelen_realiseren": 3,
            },
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
    """Two held meetings and one planned meeting for a group, at 14:00 Amsterdam time."""
    today = utcnow().astimezone(AMSTERDAM).date()

    def at_two(day):
        return datetime.combine(day, time(14, 0), tzinfo=AMSTERDAM).astimezone(UTC)

    for weeks_ago, cases in ((12, held_cases[:1]), (6, held_cases)):
        meeting = planning.plan_meeting(
            group,
            scheduled_at=at_two(today - timedelta(weeks=weeks_ago)),
            protocol_id=protocol_id,
            actor=leader,
            location="Stadskantoor Lindewaard, zaal 2",
        )
        for case in cases:
            planning.add_to_agenda(meeting, case, actor=leader)
        hold_meeting(meeting, leader, owner)
    planned = planning.plan_meeting(
        group,
        scheduled_at=at_two(today + timedelta(weeks=2)),
        protocol_id=protocol_id,
        actor=leader,
        location="Stadskantoor Lindewaard, zaal 2",
    )
    for case in planned_cases or held_cases[-1:]:
        planning.add_to_agenda(planned, case, actor=leader)
