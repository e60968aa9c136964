"""The queries of the logbook's read model: one per subject, each an aggregate or a flat row
read, so the logbook costs the same number of queries for one meeting or a region-year.

Rows come back as plain tuples (no ORM objects, no lazy loads); :mod:`facilitator.exports.logbook`
turns them into the sections. Nothing here reads an identity: cases appear by id and, where a
refusal must name a place, by pseudonym.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from facilitator.actions.models import ActionItem
from facilitator.cases.models import Case, RegievoerderAssignment
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local
from facilitator.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BuildingBlockScore,
    Finding,
    Meeting,
    MeetingStatus,
)
from facilitator.regions.models import Contact, Organisation
from facilitator.signals.models import SignalFollowUp
from facilitator.users.models import User

if TYPE_CHECKING:
    from facilitator.exports.logbook import LogbookScope


def bounds(period_from: date, period_to: date) -> tuple[datetime, datetime]:
    """The period as UTC moments: from the first day's midnight to the midnight after the last
    day, in Dutch local time."""
    return (
        from_local(period_from, time(0)),
        from_local(period_to + timedelta(days=1), time(0)),
    )


def _in_groups(scope: LogbookScope, column) -> object:
    """The scope's groups, or every group of its region."""
    if scope.group_ids:
        return column.in_(scope.group_ids)
    return column.in_(select(CaseGroup.id).where(CaseGroup.region_id == scope.region.id))


def _meetings_in_period(scope: LogbookScope) -> object:
    start, end = bounds(scope.period_from, scope.period_to)
    return and_(
        _in_groups(scope, Meeting.group_id),
        Meeting.scheduled_at >= start,
        Meeting.scheduled_at < end,
    )


def held_meeting_ids(scope: LogbookScope) -> Select:
    """The meetings of the scope held (closed) in the period, as a subquery."""
    return select(Meeting.id).where(
        _meetings_in_period(scope), Meeting.status == MeetingStatus.AFGEROND
    )


def meeting_rows(scope: LogbookScope) -> Sequence:
    """(id, group name, scheduled_at, status) of every held or cancelled meeting."""
    return db.session.execute(
        select(Meeting.id, CaseGroup.name, Meeting.scheduled_at, Meeting.status)
        .join(CaseGroup, CaseGroup.id == Meeting.group_id)
        .where(
            _meetings_in_period(scope),
            Meeting.status.in_((MeetingStatus.AFGEROND, MeetingStatus.GEANNULEERD)),
        )
        .order_by(Meeting.scheduled_at, Meeting.id)
    ).all()


def attendance_rows(scope: LogbookScope) -> Sequence:
    """(organisation name, domain, people present, meetings attended) per organisation."""
    return db.session.execute(
        select(
            Organisation.name,
            Organisation.domain,
            func.count(Attendance.id),
            func.count(func.distinct(Attendance.meeting_id)),
        )
        .join(Organisation, Organisation.id == Attendance.organisation_id)
        .where(
            Attendance.meeting_id.in_(held_meeting_ids(scope)),
            Attendance.status == AttendanceStatus.AANWEZIG,
        )
        .group_by(Organisation.id, Organisation.name, Organisation.domain)
        .order_by(Organisation.name)
    ).all()


def case_rows(scope: LogbookScope) -> Sequence:
    """The cases registered, discussed (in a held meeting) or closed in the period:
    (id, pseudonym, privacy mode, organisation, benefit, status, closure kind, registered in
    the period, discussed in the period, closed in the period)."""
    start, end = bounds(scope.period_from, scope.period_to)
    discussed = exists().where(
        AgendaItem.case_id == Case.id, AgendaItem.meeting_id.in_(held_meeting_ids(scope))
    )
    registered = and_(Case.created_at >= start, Case.created_at < end)
    closed = and_(Case.closed_at >= start, Case.closed_at < end)
    return db.session.execute(
        select(
            Case.id,
            Case.pseudonym,
            Case.privacy_mode,
            Organisation.name,
            Case.benefit,
            Case.status,
            Case.closure_kind,
            registered,
            discussed,
            closed,
        )
        .join(Organisation, Organisation.id == Case.organisation_id)
        .where(_in_groups(scope, Case.group_id), or_(registered, discussed, closed))
        .order_by(Case.id)
    ).all()


def finding_rows(scope: LogbookScope) -> Sequence:
    """Every finding of a held meeting: (id, kind, level, text, signal, meeting id,
    scheduled_at, group name, case id, case pseudonym, follow-up status, decision)."""
    return db.session.execute(
        select(
            Finding.id,
            Finding.kind,
            Finding.level,
            Finding.text,
            Finding.signal,
            Meeting.id,
            Meeting.scheduled_at,
            CaseGroup.name,
            Finding.case_id,
            Case.pseudonym,
            SignalFollowUp.status,
            SignalFollowUp.decision,
        )
        .join(Meeting, Meeting.id == Finding.meeting_id)
        .join(CaseGroup, CaseGroup.id == Meeting.group_id)
        .outerjoin(Case, Case.id == Finding.case_id)
        .outerjoin(SignalFollowUp, SignalFollowUp.finding_id == Finding.id)
        .where(Finding.meeting_id.in_(held_meeting_ids(scope)))
        .order_by(Meeting.scheduled_at, Finding.id)
    ).all()


def action_rows(scope: LogbookScope) -> Sequence:
    """Every action agreed in the period: (id, description, status, due_on, organisation,
    group name, agreed at, owner name, meeting id, case id, case pseudonym)."""
    start, end = bounds(scope.period_from, scope.period_to)
    return db.session.execute(
        select(
            ActionItem.id,
            ActionItem.description,
            ActionItem.status,
            ActionItem.due_on,
            Organisation.name,
            CaseGroup.name,
            ActionItem.created_at,
            func.coalesce(User.name, Contact.name),
            ActionItem.meeting_id,
            ActionItem.case_id,
            Case.pseudonym,
        )
        .join(Organisation, Organisation.id == ActionItem.organisation_id)
        .join(CaseGroup, CaseGroup.id == ActionItem.group_id)
        .outerjoin(User, User.id == ActionItem.owner_user_id)
        .outerjoin(Contact, Contact.id == ActionItem.owner_contact_id)
        .outerjoin(Case, Case.id == ActionItem.case_id)
        .where(
            _in_groups(scope, ActionItem.group_id),
            ActionItem.created_at >= start,
            ActionItem.created_at < end,
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    ).all()


def regie_rows(case_ids: list[int]) -> Sequence:
    """Every regie assignment of these cases, oldest first per case: (id, case id, pseudonym,
    group name, organisation, since, ended_at, handover reason, meeting id)."""
    if not case_ids:
        return []
    organisation = aliased(Organisation)
    return db.session.execute(
        select(
            RegievoerderAssignment.id,
            RegievoerderAssignment.case_id,
            Case.pseudonym,
            CaseGroup.name,
            organisation.name,
            RegievoerderAssignment.since,
            RegievoerderAssignment.ended_at,
            RegievoerderAssignment.handover_reason,
            RegievoerderAssignment.meeting_id,
        )
        .join(Case, Case.id == RegievoerderAssignment.case_id)
        .join(CaseGroup, CaseGroup.id == Case.group_id)
        .join(organisation, organisation.id == RegievoerderAssignment.organisation_id)
        .where(RegievoerderAssignment.case_id.in_(case_ids))
        .order_by(
            RegievoerderAssignment.case_id,
            RegievoerderAssignment.since,
            RegievoerderAssignment.id,
        )
    ).all()


def building_block_rows(scope: LogbookScope) -> Sequence:
    """The scores of every held meeting that has them, per group in time order: (score row
    columns..., meeting id, scheduled_at, group id, group name)."""
    return db.session.execute(
        select(BuildingBlockScore, Meeting.id, Meeting.scheduled_at, CaseGroup.id, CaseGroup.name)
        .join(Meeting, Meeting.id == BuildingBlockScore.meeting_id)
        .join(CaseGroup, CaseGroup.id == Meeting.group_id)
        .where(BuildingBlockScore.meeting_id.in_(held_meeting_ids(scope)))
        .order_by(CaseGroup.name, Meeting.scheduled_at)
    ).all()


def groups_of_region(region_id: int) -> list[CaseGroup]:
    """The region's groups, archived ones too (their history belongs in the logbook)."""
    return list(
        db.session.scalars(
            select(CaseGroup).where(CaseGroup.region_id == region_id).order_by(CaseGroup.name)
        )
    )
