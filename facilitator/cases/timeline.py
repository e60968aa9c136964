"""The timeline of a case: the meetings that discussed it with what they found and agreed, its
regievoerder now and before, and the actions agreed between meetings.

The case page reads it here, in five queries whatever the number of meetings, findings,
actions and handovers. Findings and actions take the shape of a meeting's record
(:mod:`facilitator.meetings.outcomes`), so both pages show them alike. Nothing here reads an
identity: the case is named by its pseudonym only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import load_only

from facilitator.actions.models import ActionItem
from facilitator.cases.models import Case, RegievoerderAssignment
from facilitator.cases.regie import regie_history
from facilitator.extensions import db
from facilitator.localtime import local_date, local_today
from facilitator.meetings.models import AgendaItem, Finding, Meeting, MeetingStatus
from facilitator.meetings.outcomes import (
    ActionOutcome,
    FindingOutcome,
    LevelFindings,
    action_outcome,
    actions_where,
    by_level,
    finding_outcome,
    findings_where,
    sorted_findings,
)
from facilitator.regions.models import Contact


@dataclass(frozen=True)
class RegieEntry:
    """One regievoerder of the case, from ``since`` until ``until`` (None: in force)."""

    name: str
    #: False for a contact without an account.
    has_account: bool
    organisation: str
    since: date
    until: date | None
    achterwacht: str
    #: Why the regie went to this person (empty for the first, or when agreed in a meeting).
    reason: str
    #: The meeting in which it was agreed, if any, and its day.
    meeting_id: int | None
    meeting_day: date | None


@dataclass(frozen=True)
class MeetingEntry:
    """A meeting that has (or had) the case on its agenda, with what it recorded for the case."""

    meeting_id: int
    scheduled_at: datetime
    status: MeetingStatus
    findings: tuple[FindingOutcome, ...]
    #: The actions for the case agreed in this meeting, with their status today.
    actions: tuple[ActionOutcome, ...]
    #: The regievoerder chosen in this meeting, if one was.
    regievoerder: str

    @property
    def held(self) -> bool:
        return self.status == MeetingStatus.AFGEROND

    @property
    def findings_by_level(self) -> list[LevelFindings]:
        return by_level(self.findings)


@dataclass(frozen=True)
class CaseTimeline:
    #: Newest first; a cancelled meeting discussed nothing and is left out.
    meetings: tuple[MeetingEntry, ...]
    #: The regievoerder in force, if any.
    regievoerder: RegieEntry | None
    #: The ones before, newest first.
    earlier_regie: tuple[RegieEntry, ...]
    #: Actions for the case agreed outside the meetings above (on the case page, the board).
    other_actions: tuple[ActionOutcome, ...]

    @property
    def open_actions(self) -> int:
        every = (*self.other_actions, *(a for m in self.meetings for a in m.actions))
        return sum(1 for action in every if action.status.is_open)


def case_timeline(case: Case) -> CaseTimeline:
    """What happened to ``case``, meeting by meeting, in five queries."""
    meetings = db.session.scalars(
        select(Meeting)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.case_id == case.id, Meeting.status != MeetingStatus.GEANNULEERD)
        .options(load_only(Meeting.id, Meeting.scheduled_at, Meeting.status))
        .order_by(Meeting.scheduled_at.desc(), Meeting.id.desc())
    ).all()
    findings = findings_where(Finding.case_id == case.id)
    actions = actions_where(ActionItem.case_id == case.id)
    regie = _entries(regie_history([case.id]), {m.id: m for m in meetings})
    today = local_today()
    listed = {m.id for m in meetings}
    return CaseTimeline(
        meetings=tuple(
            MeetingEntry(
                meeting_id=meeting.id,
                scheduled_at=meeting.scheduled_at,
                status=meeting.status,
                findings=sorted_findings(
                    finding_outcome(f) for f in findings if f.meeting_id == meeting.id
                ),
                actions=tuple(
                    action_outcome(a, today) for a in actions if a.meeting_id == meeting.id
                ),
                regievoerder=next((r.name for r in regie if r.meeting_id == meeting.id), ""),
            )
            for meeting in meetings
        ),
        regievoerder=next((r for r in regie if r.until is None), None),
        earlier_regie=tuple(r for r in regie if r.until is not None),
        other_actions=tuple(
            action_outcome(a, today) for a in actions if a.meeting_id not in listed
        ),
    )


def _entries(
    history: list[RegievoerderAssignment], meetings: dict[int, Meeting]
) -> list[RegieEntry]:
    """The assignments as entries, newest first; each ended one lasted until the next began."""
    entries = []
    following: RegievoerderAssignment | None = None
    for assignment in history:  # newest first
        person = assignment.person
        meeting = meetings.get(assignment.meeting_id) if assignment.meeting_id else None
        entries.append(
            RegieEntry(
                name=person.name,
                has_account=not isinstance(person, Contact),
                organisation=assignment.organisation.name,
                since=assignment.since,
                until=_until(assignment, following),
                achterwacht=assignment.achterwacht.name if assignment.achterwacht else "",
                reason=assignment.handover_reason,
                meeting_id=meeting.id if meeting else None,
                meeting_day=local_date(meeting.scheduled_at) if meeting else None,
            )
        )
        following = assignment
    return entries


def _until(assignment: RegievoerderAssignment, following: RegievoerderAssignment | None):
    if assignment.in_force:
        return None
    return following.since if following is not None else local_date(assignment.ended_at)
