"""The demo's series: Casusgroep Lindewaard meets every six weeks for the coming year, each
meeting hosted by another member organisation, the minutes taken by the next host (seed 001).

The series starts four weeks after the group's planned meeting, which stays a meeting of its
own (the browser tests start it), on the same weekday at the same time.
"""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_today
from facilitator.meetings.hosting import rotation_candidates
from facilitator.meetings.models import Meeting
from facilitator.series import services
from facilitator.series.models import SeriesRhythm
from facilitator.series.rotation import propose_rotation
from facilitator.users.models import User

#: The demo's planned meeting is two weeks ahead (demo/meetings.py); the series follows it.
FIRST_WEEKS_AHEAD = 6


def seed_demo_series(group: CaseGroup, leader: User, protocol_id: str) -> None:
    """Plan a year of six-weekly meetings with a rotation of host and notulist, the group's
    earlier meetings and its next one having taken their turns before."""
    _earlier_turns(group)
    first = local_today() + timedelta(weeks=FIRST_WEEKS_AHEAD)
    settings = services.SeriesSettings(
        rhythm=SeriesRhythm.ZESWEKELIJKS,
        weekday=first.weekday(),
        start_time=time(14, 0),
        first_date=first,
        protocol_id=protocol_id,
        location="Stadskantoor Lindewaard, zaal 2",
    )
    rows = services.preview_rows(group, settings)
    services.plan_series(group, settings, rows, actor=leader)


def _earlier_turns(group: CaseGroup) -> None:
    """Give the meetings planned one by one (held, cancelled, the next) a host and a notulist
    in the same turn, ending where the series begins, so their minutes name them."""
    meetings = db.session.scalars(
        select(Meeting)
        .where(Meeting.group_id == group.id, Meeting.series_id.is_(None))
        .order_by(Meeting.scheduled_at)
    ).all()
    candidates = rotation_candidates(group)
    if not meetings or not candidates:
        return
    start = -len(meetings) % len(candidates)
    for meeting, turn in zip(
        meetings, propose_rotation(len(meetings), candidates, start), strict=True
    ):
        meeting.host_organisation_id = turn.host_organisation_id
        meeting.notulist_id = turn.notulist_id
    db.session.flush()
