"""The demo's series: Casusgroep Lindewaard meets every six weeks for the coming year, each
meeting hosted by another member organisation, the minutes taken by the next host (seed 001).

The series starts four weeks after the group's planned meeting, which stays a meeting of its
own (the browser tests start it), on the same weekday at the same time.
"""

from __future__ import annotations

from datetime import time, timedelta

from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_today
from facilitator.series import services
from facilitator.series.models import SeriesRhythm
from facilitator.users.models import User

#: The demo's planned meeting is two weeks ahead (demo/meetings.py); the series follows it.
FIRST_WEEKS_AHEAD = 6


def seed_demo_series(group: CaseGroup, leader: User, protocol_id: str) -> None:
    """Plan a year of six-weekly meetings with a rotation of host and notulist."""
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
