"""The reads of series: a group's series for its page, one series with its meetings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.meetings.models import Meeting
from facilitator.series.models import MeetingSeries


def _with_meetings():
    meetings = selectinload(MeetingSeries.meetings)
    return (
        meetings.selectinload(Meeting.agenda),
        meetings.selectinload(Meeting.host_organisation),
        meetings.selectinload(Meeting.notulist),
    )


def series_of_group(group: CaseGroup) -> list[MeetingSeries]:
    """The group's series, newest first, with their meetings, hosts and notulists: a fixed
    number of queries, however many meetings."""
    return list(
        db.session.scalars(
            select(MeetingSeries)
            .where(MeetingSeries.group_id == group.id)
            .options(*_with_meetings())
            .order_by(MeetingSeries.created_at.desc(), MeetingSeries.id.desc())
        )
    )


def load_series_meetings(series: MeetingSeries) -> MeetingSeries:
    """Load a series' meetings with their agendas, hosts and notulists (the series page)."""
    db.session.scalars(
        select(MeetingSeries).where(MeetingSeries.id == series.id).options(*_with_meetings())
    ).all()
    return series
