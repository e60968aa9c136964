"""The reads of signals and their follow-up: one function per page, each in a fixed number of
queries, returning frozen lines without a case or a pseudonym (the dashboard's rule)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import joinedload

from facilitator.cases.mentions import mask_cases
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local, local_date
from facilitator.meetings.models import Finding, FindingKind, FindingLevel, Meeting, MeetingStatus
from facilitator.signals.models import SignalFollowUp, SignalStatus, SignalUpdate
from facilitator.users.models import User


@dataclass(frozen=True)
class SignalLine:
    """A signal and how it stands: what the projectleider's list, the group page, the next
    meeting and the dashboard show. No case and no pseudonym."""

    finding_id: int
    group_id: int
    group: str
    meeting_day: date
    text: str
    kind: FindingKind
    level: FindingLevel
    #: "nieuw" until a follow-up is recorded.
    status: SignalStatus
    decision: str
    decided_on: date | None
    recorded_by: str
    version: int

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class StatusCount:
    status: SignalStatus
    count: int


def region_signals(
    region_id: int,
    *,
    period_from: date | None = None,
    period_to: date | None = None,
    held: bool = False,
) -> tuple[SignalLine, ...]:
    """Every signal of the region's groups, newest meeting first; with a period, those raised
    in a meeting between the two days (local dates, both included); ``held``: of held
    meetings only. One query."""
    where = [CaseGroup.region_id == region_id]
    if held:
        where.append(Meeting.status == MeetingStatus.AFGEROND)
    if period_from is not None:
        where.append(Meeting.scheduled_at >= from_local(period_from, time(0)))
    if period_to is not None:
        where.append(Meeting.scheduled_at < from_local(period_to + timedelta(days=1), time(0)))
    return _lines(*where)


def dashboard_signals(
    region_id: int, *, period_from: date | None = None, period_to: date | None = None
) -> tuple[SignalLine, ...]:
    """The region's signals as the beleidsgroep reads them: of held meetings only (as the
    logbook quotes them), every case's pseudonym in the signal and the decision masked
    (cases.mentions.mask_cases). Two queries."""
    lines = region_signals(region_id, period_from=period_from, period_to=period_to, held=True)
    return masked(lines)


def masked(lines: tuple[SignalLine, ...]) -> tuple[SignalLine, ...]:
    """The lines with every case's pseudonym in their texts masked. One query, or none."""
    texts = mask_cases([text for line in lines for text in (line.text, line.decision)])
    return tuple(
        replace(line, text=texts[2 * index], decision=texts[2 * index + 1])
        for index, line in enumerate(lines)
    )


def group_signals(group: CaseGroup) -> tuple[SignalLine, ...]:
    """The group's signals and what became of them, newest first. One query."""
    return _lines(CaseGroup.id == group.id)


def meeting_feedback(meeting: Meeting) -> tuple[SignalLine, ...]:
    """The terugkoppeling at a meeting that is still to be held: the follow-ups of the group's
    signals recorded since its previous held meeting (all of them, when it has none). One
    query."""
    previous = (
        select(func.max(Meeting.scheduled_at))
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.status == MeetingStatus.AFGEROND,
            Meeting.scheduled_at < meeting.scheduled_at,
        )
        .scalar_subquery()
    )
    return _lines(
        CaseGroup.id == meeting.group_id,
        SignalFollowUp.id.is_not(None),
        or_(previous.is_(None), SignalFollowUp.recorded_at > previous),
    )


def status_counts(lines: tuple[SignalLine, ...]) -> tuple[StatusCount, ...]:
    """How many signals stand at each status, every status listed."""
    return tuple(
        StatusCount(status, sum(1 for line in lines if line.status == status))
        for status in SignalStatus
    )


def timeline(finding: Finding) -> list[SignalUpdate]:
    """Every change recorded for the signal, oldest first, with who made it. One query."""
    return list(
        db.session.scalars(
            select(SignalUpdate)
            .join(SignalFollowUp, SignalFollowUp.id == SignalUpdate.follow_up_id)
            .where(SignalFollowUp.finding_id == finding.id)
            .options(joinedload(SignalUpdate.by))
            .order_by(SignalUpdate.id)
        )
    )


def signal_line(finding: Finding) -> SignalLine | None:
    """The one signal as its line, when it still is a signal. One query."""
    lines = _lines(Finding.id == finding.id)
    return lines[0] if lines else None


def _lines(*where) -> tuple[SignalLine, ...]:
    rows = db.session.execute(
        select(
            Finding.id,
            CaseGroup.id,
            CaseGroup.name,
            Meeting.scheduled_at,
            Finding.text,
            Finding.kind,
            Finding.level,
            SignalFollowUp.status,
            SignalFollowUp.decision,
            SignalFollowUp.decided_on,
            User.name,
            SignalFollowUp.version,
        )
        .join(Meeting, Meeting.id == Finding.meeting_id)
        .join(CaseGroup, CaseGroup.id == Meeting.group_id)
        .outerjoin(SignalFollowUp, SignalFollowUp.finding_id == Finding.id)
        .outerjoin(User, User.id == SignalFollowUp.recorded_by_id)
        .where(Finding.signal == true(), *where)
        .order_by(Meeting.scheduled_at.desc(), Finding.id.desc())
    ).all()
    return tuple(
        SignalLine(
            finding_id=finding_id,
            group_id=group_id,
            group=group,
            meeting_day=local_date(scheduled_at),
            text=text,
            kind=kind,
            level=level,
            status=status or SignalStatus.NIEUW,
            decision=decision or "",
            decided_on=decided_on,
            recorded_by=recorded_by or "",
            version=version or 0,
        )
        for finding_id, group_id, group, scheduled_at, text, kind, level, status, decision,
        decided_on, recorded_by, version in rows
    )  # fmt: skip
