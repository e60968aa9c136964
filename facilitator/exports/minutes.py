"""The minutes (verslag) of a held meeting: one read of everything they say.

What the meeting recorded per agenda case comes from :func:`meeting_outcomes` (the one read of
a meeting's outcomes); this module adds what only the minutes show: the cover facts, the
attendance per organisation, what was typed in each step under the protocol's own titles and
labels, the regievoerder's update per case, the review of earlier actions and whether the group
approved the minutes. A fixed number of queries, whatever the number of cases and records.
Cases appear under their pseudonym only: nothing here reads an identity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitator.cases.models import Case, CaseUpdate
from facilitator.exports.minutes_parts import (
    Approval,
    OrganisationAttendance,
    ReviewedAction,
    approval_of,
    attendance,
    group_memberships,
    reviewed_actions,
)
from facilitator.extensions import db
from facilitator.groups.models import GroupRole, leader_heading
from facilitator.localtime import to_local
from facilitator.meetings.models import (
    AgendaItem,
    FieldValue,
    Meeting,
)
from facilitator.meetings.outcomes import (
    ActionOutcome,
    BlockScore,
    CaseOutcome,
    FindingOutcome,
    LevelFindings,
    by_level,
    meeting_outcomes,
)
from facilitator.meetings.run import RailStep, rail
from facilitator.protocols.schema import FieldType

#: The fields whose answer is a value typed or chosen in the step (the others are records of
#: their own: findings, actions, the regievoerder, attendance, the building blocks).
VALUE_TYPES = frozenset(
    {FieldType.TEXT, FieldType.SHORTTEXT, FieldType.CHOICE, FieldType.CHECKLIST, FieldType.RATING}
)


@dataclass(frozen=True)
class RecordedField:
    key: str
    label: str
    #: As shown: a checklist's ticked options joined, a rating "4 / 5".
    value: str
    #: Free text (passes the guard before an export); choices are the protocol's own words.
    free_text: bool


@dataclass(frozen=True)
class RecordedStep:
    ref: str
    title: str
    fields: tuple[RecordedField, ...]


@dataclass(frozen=True)
class MinutesCase:
    case_id: int
    pseudonym: str
    organisation: str
    #: The case steps in protocol order, only those in which something was typed.
    steps: tuple[RecordedStep, ...]
    outcome: CaseOutcome
    #: The regievoerder's word on how the client is doing, told in this meeting.
    update: str
    #: The step where that update is kept (the review), for a link to correct it.
    update_ref: str
    update_id: int | None = None

    @property
    def findings_by_level(self) -> list[LevelFindings]:
        return self.outcome.findings_by_level


@dataclass(frozen=True)
class MinutesData:
    meeting_id: int
    group_id: int
    group: str
    region: str
    day: date
    starts: time
    ends: time
    place: str
    online: bool
    protocol_title: str
    protocol_version: str
    #: The group's procesbegeleiders.
    leaders: tuple[str, ...]
    approval: Approval | None
    attendance: tuple[OrganisationAttendance, ...]
    #: The opening and closing steps in which something was typed.
    opening: tuple[RecordedStep, ...]
    closing: tuple[RecordedStep, ...]
    cases: tuple[MinutesCase, ...]
    #: Recorded outside the case steps.
    findings: tuple[FindingOutcome, ...]
    actions: tuple[ActionOutcome, ...]
    review: tuple[ReviewedAction, ...]
    building_blocks: tuple[BlockScore, ...]
    went_well: str
    could_be_better: str
    #: The step where the building blocks were scored ("" when the protocol has none).
    blocks_ref: str
    #: The meeting's own review step, where the others' terugkoppeling is corrected.
    review_ref: str = ""
    #: What the group calls its leaders (the region's title), and whether they are independent.
    leader_heading: str = ""
    leader_independent: bool = False
    #: The organisation that hosted the meeting and the member who took the minutes.
    host: str = ""
    notulist: str = ""

    @property
    def is_final(self) -> bool:
        return self.approval is not None

    @property
    def findings_by_level(self) -> list[LevelFindings]:
        return by_level(self.findings)


def minutes_data(meeting: Meeting) -> MinutesData:
    """Everything the minutes of ``meeting`` say, in a fixed number of queries."""
    agenda = _agenda(meeting)
    outcomes = meeting_outcomes(meeting)
    steps = rail(meeting)
    values = _values(meeting)
    group = meeting.group
    members = group_memberships(group.id)
    updates = {
        u.case_id: u
        for u in db.session.scalars(select(CaseUpdate).where(CaseUpdate.meeting_id == meeting.id))
    }
    review_ref = _review_refs(steps)
    starts = to_local(meeting.scheduled_at)
    ends = to_local(meeting.scheduled_at + timedelta(minutes=meeting.duration_minutes))
    cases = tuple(
        MinutesCase(
            case_id=outcome.case_id,
            pseudonym=outcome.pseudonym,
            organisation=agenda[outcome.case_id].organisation.name,
            steps=_recorded([s for s in steps if s.case and s.case.id == outcome.case_id], values),
            outcome=outcome,
            update=updates[outcome.case_id].text if outcome.case_id in updates else "",
            update_ref=review_ref.get(outcome.case_id, review_ref.get(None, "")),
            update_id=updates[outcome.case_id].id if outcome.case_id in updates else None,
        )
        for outcome in outcomes.cases
    )
    # Opening and closing by the protocol's order, also when the agenda had no case.
    opening = {step.key for step in meeting.protocol.opening_steps}
    meeting_steps = [s for s in steps if s.case is None]
    return MinutesData(
        meeting_id=meeting.id,
        group_id=group.id,
        group=group.name,
        region=group.region.name,
        day=starts.date(),
        starts=starts.time(),
        ends=ends.time(),
        place=meeting.location,
        online=bool(meeting.online_link),
        protocol_title=meeting.protocol.title,
        protocol_version=meeting.protocol_version,
        leaders=tuple(sorted(m.user.name for m in members if m.role == GroupRole.PROCESBEGELEIDER)),
        approval=approval_of(meeting),
        attendance=attendance(meeting, members),
        opening=_recorded([s for s in meeting_steps if s.step.key in opening], values),
        closing=_recorded([s for s in meeting_steps if s.step.key not in opening], values),
        cases=cases,
        findings=outcomes.findings,
        actions=outcomes.actions,
        review=reviewed_actions(meeting),
        building_blocks=outcomes.building_blocks,
        went_well=outcomes.went_well,
        could_be_better=outcomes.could_be_better,
        blocks_ref=next(
            (
                s.ref
                for s in steps
                if any(f.type == FieldType.BUILDING_BLOCKS for f in s.step.fields)
            ),
            "",
        ),
        review_ref=review_ref.get(None, ""),
        leader_heading=leader_heading(
            group.leader_title,
            sum(1 for m in members if m.role == GroupRole.PROCESBEGELEIDER),
        ),
        leader_independent=group.leader_independent,
        host=meeting.host_organisation.name if meeting.host_organisation else "",
        notulist=meeting.notulist.name if meeting.notulist else "",
    )


def _agenda(meeting: Meeting) -> dict[int, Case]:
    """The agenda's cases with their bringing organisation, by case id: one query."""
    items = db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .options(joinedload(AgendaItem.case).joinedload(Case.organisation))
    ).unique()
    return {item.case_id: item.case for item in items}


def _values(meeting: Meeting) -> dict[tuple[str, str], str]:
    rows = db.session.execute(
        select(FieldValue.step_ref, FieldValue.field_key, FieldValue.value).where(
            FieldValue.meeting_id == meeting.id
        )
    )
    return {(ref, key): value for ref, key, value in rows}


def _recorded(steps: list[RailStep], values: dict) -> tuple[RecordedStep, ...]:
    """The steps in which something was typed, with the protocol's titles and labels."""
    recorded = []
    for rail_step in steps:
        fields = tuple(
            RecordedField(
                key=f.key,
                label=f.label,
                value=shown,
                free_text=f.type in (FieldType.TEXT, FieldType.SHORTTEXT),
            )
            for f in rail_step.step.fields
            if f.type in VALUE_TYPES
            and (shown := _shown(f.type, values.get((rail_step.ref, f.key), "")))
        )
        if fields:
            recorded.append(RecordedStep(rail_step.ref, rail_step.step.title, fields))
    return tuple(recorded)


def _shown(kind: FieldType, stored: str) -> str:
    stored = stored.strip()
    if kind == FieldType.CHECKLIST:
        return "; ".join(json.loads(stored)) if stored else ""
    if kind == FieldType.RATING and stored:
        return f"{stored} / 5"
    return stored


def _review_refs(steps: list[RailStep]) -> dict[int | None, str]:
    """Where each case's review is kept: its own case step, or the meeting's review (None)."""
    refs: dict[int | None, str] = {}
    for rail_step in steps:
        if rail_step.step.reviews_actions:
            refs.setdefault(rail_step.case.id if rail_step.case else None, rail_step.ref)
    return refs
