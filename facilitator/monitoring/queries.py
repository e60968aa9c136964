"""The queries behind the monitoring figures: a fixed number, whatever the size of the region.

Each returns plain tuples, never ORM objects and never a pseudonym: cases appear by id only.
Dates are bucketed in Python from the stored UTC moments (``local_date``), so the figures are
the same on SQLite and PostgreSQL. The meetings, attendance and building blocks are the
logbook's own queries (:mod:`facilitator.exports.logbook_queries`), read with this scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, or_, select

from facilitator.actions.models import OPEN_STATUSES, ActionItem
from facilitator.cases.models import Case, RegievoerderAssignment
from facilitator.exports.logbook_queries import bounds
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.meetings.models import AgendaItem, Meeting, MeetingStatus
from facilitator.regions.models import Organisation

if TYPE_CHECKING:
    from facilitator.monitoring.figures import MonitoringScope


def _cases_in_scope(scope: MonitoringScope) -> list:
    """The conditions on a case: its group, bringing organisation and benefit."""
    if scope.group_ids:
        conditions = [Case.group_id.in_(scope.group_ids)]
    else:
        conditions = [
            Case.group_id.in_(select(CaseGroup.id).where(CaseGroup.region_id == scope.region.id))
        ]
    if scope.organisation_id is not None:
        conditions.append(Case.organisation_id == scope.organisation_id)
    if scope.benefit is not None:
        conditions.append(Case.benefit == scope.benefit)
    return conditions


def relevant_case_ids(scope: MonitoringScope) -> Select:
    """The cases that can count in the period: registered before its end and not closed
    before its start (a case discussed or closed in the period is one of them)."""
    start, end = bounds(scope.period_from, scope.period_to)
    return select(Case.id).where(
        *_cases_in_scope(scope),
        Case.created_at < end,
        or_(Case.closed_at.is_(None), Case.closed_at >= start),
    )


def case_rows(scope: MonitoringScope) -> Sequence:
    """(id, group id, group name, organisation id, organisation name, benefit, created_at,
    closed_at, closure kind, when its first action still open was agreed) of every relevant
    case."""
    first_open_action = (
        select(func.min(ActionItem.created_at))
        .where(ActionItem.case_id == Case.id, ActionItem.status.in_(OPEN_STATUSES))
        .scalar_subquery()
    )
    return db.session.execute(
        select(
            Case.id,
            Case.group_id,
            CaseGroup.name,
            Case.organisation_id,
            Organisation.name,
            Case.benefit,
            Case.created_at,
            Case.closed_at,
            Case.closure_kind,
            first_open_action,
        )
        .join(CaseGroup, CaseGroup.id == Case.group_id)
        .join(Organisation, Organisation.id == Case.organisation_id)
        .where(Case.id.in_(relevant_case_ids(scope)))
        .order_by(Case.id)
    ).all()


def discussion_rows(scope: MonitoringScope) -> Sequence:
    """(case id, scheduled_at) of each held meeting before the period's end with the case on
    its agenda, one row per case and meeting: the first discussion and those in the period."""
    end = bounds(scope.period_from, scope.period_to)[1]
    return db.session.execute(
        select(AgendaItem.case_id, Meeting.scheduled_at)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            AgendaItem.case_id.in_(relevant_case_ids(scope)),
            Meeting.status == MeetingStatus.AFGEROND,
            Meeting.scheduled_at < end,
        )
        .group_by(AgendaItem.case_id, Meeting.scheduled_at)
    ).all()


def regie_rows(scope: MonitoringScope) -> Sequence:
    """(case id, since, ended_at) of every regie assignment that started by the period's end."""
    return db.session.execute(
        select(
            RegievoerderAssignment.case_id,
            RegievoerderAssignment.since,
            RegievoerderAssignment.ended_at,
        ).where(
            RegievoerderAssignment.case_id.in_(relevant_case_ids(scope)),
            RegievoerderAssignment.since <= scope.period_to,
        )
    ).all()
