"""A large region-year for the logbook benchmark: 6 groups, 60 meetings, 250 cases, 1,500
findings, 2,000 actions, with attendance, building-block scores, regie and action history.

Written straight through the models (no guard, no audit): the benchmark measures the export,
not the input. Deterministic (a seeded random), so every run exports the same content.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from facilitator.actions.models import ActionItem, ActionStatus, ActionUpdate
from facilitator.cases.models import (
    BenefitType,
    Case,
    CaseStatus,
    ClosureReason,
    PrivacyMode,
    RegievoerderAssignment,
    YesNoUnknown,
)
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, GroupMembership, GroupRole, Rhythm
from facilitator.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BuildingBlockScore,
    Finding,
    FindingKind,
    FindingLevel,
    Meeting,
    MeetingStatus,
)
from facilitator.protocols.loader import protocols
from facilitator.regions.models import Domain, Organisation, OrganisationKind, Region
from facilitator.users.models import Role, User

REGION = "Regio Benchmark"
YEAR = 2025
GROUPS, MEETINGS, CASES, FINDINGS, ACTIONS = 6, 60, 250, 1500, 2000
_KINDS = [
    OrganisationKind.GGZ,
    OrganisationKind.GEMEENTE,
    OrganisationKind.UWV,
    OrganisationKind.SW_BEDRIJF,
    OrganisationKind.WERKGEVER,
    OrganisationKind.GGZ,
    OrganisationKind.GEMEENTE,
    OrganisationKind.CLIENTORGANISATIE,
]
_SENTENCES = [
    "De werkgever weet niet bij wie hij terecht kan als het misgaat",
    "Behandelaar en jobcoach stemmen het re-integratieplan af",
    "De uitkering stopt bij het eerste loon: de kandidaat durft niet te beginnen",
    "Gemeente en UWV kennen elkaars regelingen onvoldoende",
    "Een vaste contactpersoon per organisatie werkt goed",
    "De wachttijd voor behandeling houdt de plaatsing op",
]


def _at(day: date, hour: int = 14) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def populate() -> Region:
    rng = random.Random(2025)
    loaded = protocols().get("casusgroep-samenwerking")
    region = Region(name=REGION)
    organisations = [
        Organisation(
            region=region, name=f"Organisatie {n + 1} ({kind.value})", kind=kind,
            domain=kind.usual_domain if kind.usual_domain else Domain.OVERIG,
        )
        for n, kind in enumerate(_KINDS)
    ]  # fmt: skip
    users = [
        User(
            name=f"Professional {n + 1}",
            email=f"p{n + 1}@benchmark.example",
            organisation=organisations[n % len(organisations)],
            role=Role.PROCESBEGELEIDER if n < GROUPS else Role.DEELNEMER,
            password_hash="!",
        )
        for n in range(48)
    ]
    db.session.add_all([region, *organisations, *users])
    groups = [
        CaseGroup(region=region, name=f"Casusgroep {n + 1}", rhythm=Rhythm.MAANDELIJKS)
        for n in range(GROUPS)
    ]
    db.session.add_all(groups)
    members = {}
    for n, group in enumerate(groups):
        members[n] = [users[n], *users[GROUPS + n * 7 : GROUPS + n * 7 + 7]]
        db.session.add(GroupMembership(group=group, user=users[n], role=GroupRole.PROCESBEGELEIDER))
        for member in members[n][1:]:
            db.session.add(GroupMembership(group=group, user=member, role=GroupRole.LID))
    db.session.flush()

    cases = []
    for n in range(CASES):
        g = n % GROUPS
        closed = n % 5 == 0
        cases.append(
            Case(
                pseudonym=f"K-BENCH{n:04d}",
                group=groups[g],
                organisation=members[g][1 + n % 7].organisation,
                brought_by=members[g][1 + n % 7],
                privacy_mode=[PrivacyMode.FICTIEF, PrivacyMode.ANONIEM][n % 2],
                benefit=list(BenefitType)[n % len(BenefitType)],
                ggz_treatment=YesNoUnknown.JA,
                status=CaseStatus.AFGESLOTEN if closed else CaseStatus.BESPROKEN,
                closure_kind=list(ClosureReason)[n % len(ClosureReason)] if closed else None,
                closure_reason="Afgerond" if closed else "",
                closed_at=_at(date(YEAR, 12, 1)) if closed else None,
                created_at=_at(date(YEAR, 1, 1) + timedelta(days=n)),
            )
        )
    db.session.add_all(cases)

    meetings = []
    for n in range(MEETINGS):
        g = n % GROUPS
        day = date(YEAR, 1, 15) + timedelta(days=6 * n)
        meeting = Meeting(
            group=groups[g],
            scheduled_at=_at(day),
            duration_minutes=120,
            location="Stadskantoor",
            protocol_id=loaded.protocol.id,
            protocol_version=loaded.protocol.version,
            protocol_hash=loaded.sha256,
            protocol_source=loaded.text,
            status=MeetingStatus.AFGEROND if n % 12 else MeetingStatus.GEANNULEERD,
            started_at=_at(day),
            closed_at=_at(day, 16),
        )
        meetings.append(meeting)
        group_cases = [c for c in cases if c.group is groups[g]]
        for position, case in enumerate(rng.sample(group_cases, 4)):
            meeting.agenda.append(AgendaItem(case=case, position=position))
        for member in members[g]:
            status = AttendanceStatus.AANWEZIG if rng.random() < 0.8 else AttendanceStatus.AFGEMELD
            meeting.attendance.append(
                Attendance(user=member, organisation=member.organisation, status=status)
            )
    db.session.add_all(meetings)
    db.session.flush()
    for n, meeting in enumerate(meetings):
        g = n % GROUPS
        db.session.add(
            BuildingBlockScore(
                meeting_id=meeting.id,
                **{key: rng.randint(2, 5) for key in (
                    "kennen", "begrijpen", "waarderen", "vertrouwen", "samenwerken",
                    "doelen_realiseren",
                )},
                went_well="Iedereen was voorbereid",
                could_be_better="Werkgever vaker uitnodigen",
                recorded_by_id=members[g][0].id,
            )
        )  # fmt: skip

    for n in range(FINDINGS):
        meeting = meetings[n % MEETINGS]
        item = meeting.agenda[n % 4] if n % 3 else None
        finding = Finding(
            meeting_id=meeting.id,
            case_id=item.case_id if item else None,
            step_ref="case:1:bevindingen",
            kind=list(FindingKind)[n % len(FindingKind)],
            level=list(FindingLevel)[n % len(FindingLevel)],
            text=f"{_SENTENCES[n % len(_SENTENCES)]} ({n + 1}).",
            signal=n % 9 == 0,
            created_by_id=meeting.group.memberships[0].user_id,
            created_at=meeting.scheduled_at,
        )
        finding.organisations = rng.sample(organisations, 2)
        db.session.add(finding)
    for n in range(ACTIONS):
        meeting = meetings[n % MEETINGS]
        owner = members[(n % MEETINGS) % GROUPS][1 + n % 7]
        status = list(ActionStatus)[n % len(ActionStatus)]
        action = ActionItem(
            group=meeting.group,
            meeting=meeting,
            case_id=meeting.agenda[n % 4].case_id,
            description=f"Afspraak maken met de werkgever over de proefplaatsing ({n + 1})",
            owner_user=owner,
            organisation=owner.organisation,
            due_on=meeting.scheduled_at.date() + timedelta(days=14 + n % 60),
            status=status,
            created_by_id=meeting.group.memberships[0].user_id,
            created_at=meeting.scheduled_at,
        )
        if status != ActionStatus.OPEN:
            action.updates.append(
                ActionUpdate(
                    status_from=ActionStatus.OPEN, status_to=status, note="Besproken",
                    by_id=owner.id, at=meeting.scheduled_at + timedelta(days=20),
                )
            )  # fmt: skip
        db.session.add(action)
    for n, case in enumerate(cases[:200]):
        group_members = members[n % GROUPS]
        person = group_members[1 + n % 7]
        db.session.add(
            RegievoerderAssignment(
                case=case, user=person, organisation=person.organisation,
                since=date(YEAR, 2, 1) + timedelta(days=n), created_by_id=group_members[0].id,
            )
        )  # fmt: skip
    db.session.commit()
    return region
