"""Shared steps of the series tests: the rhythm form's answers, the preview's rows as posted."""

from __future__ import annotations

import re
from datetime import date, timedelta

from facilitator.localtime import local_today

#: A Tuesday well ahead, so no date of a year's series lies in the past.
TUESDAY = 1


def first_from() -> date:
    return local_today() + timedelta(days=14)


def settings(**overrides) -> dict:
    """Step 1's answers, as the GET form sends them."""
    return {
        "rhythm": "zeswekelijks",
        "interval_weeks": "",
        "weekday": str(TUESDAY),
        "first_date": first_from().isoformat(),
        "start_time": "14:00",
        "duration_minutes": "",
        "location": "Stadskantoor, zaal 3",
        "online_link": "",
        "protocol_id": "casusgroep-samenwerking",
        "count": "",
        "until": "",
        **overrides,
    }


_ROW = re.compile(
    r'name="rows-(\d+)-(day|start|host_organisation_id|notulist_id|drop)"'
    r'(?:[^>]*?value="([^"]*)")?'
)
_SELECTED = re.compile(
    r'<select[^>]*name="rows-(\d+)-(host_organisation_id|notulist_id)"[^>]*>(.*?)</select>', re.S
)


def preview_rows(html: str) -> list[dict]:
    """The rows of a preview page as a browser would post them (dropped ones unticked)."""
    rows: dict[int, dict] = {}
    for index, name, value in _ROW.findall(html):
        if name in ("day", "start"):
            rows.setdefault(int(index), {})[name] = value
    for index, name, options in _SELECTED.findall(html):
        chosen = re.search(
            r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', options
        )
        value = next(v for v in chosen.groups() if v is not None) if chosen else "0"
        rows.setdefault(int(index), {})[name] = value
    return [rows[i] for i in sorted(rows)]


def rows_form(rows: list[dict], **extra) -> dict:
    """Post data of the preview's rows (``drop: True`` in a row ticks its box)."""
    data = {}
    for index, row in enumerate(rows):
        for name, value in row.items():
            if name == "drop":
                if value:
                    data[f"rows-{index}-drop"] = "y"
            else:
                data[f"rows-{index}-{name}"] = value
    return {**data, **extra}


def plan_world_series(world, count: int = 3, *, foreign: bool = False):
    """A six-weekly series of ``count`` meetings in the world's group (or the other region's
    group), planned by its procesbegeleider through the service."""
    from datetime import time

    from facilitator.extensions import db
    from facilitator.series import services
    from facilitator.series.models import SeriesRhythm

    group = world.other_group if foreign else world.group
    settings = services.SeriesSettings(
        rhythm=SeriesRhythm.ZESWEKELIJKS,
        weekday=TUESDAY,
        start_time=time(14, 0),
        first_date=first_from(),
        protocol_id="casusgroep-samenwerking",
        location="Stadskantoor, zaal 3",
    )
    rows = services.preview_rows(group, settings, count=count)
    series = services.plan_series(group, settings, rows, actor=group.procesbegeleiders[0])
    db.session.commit()
    return series


def preview_url(group_id: int, **overrides) -> str:
    from urllib.parse import urlencode

    return f"/groepen/{group_id}/reeksen/nieuw?" + urlencode(settings(**overrides))


def counts() -> tuple[int, int]:
    """(series, meetings) in the database now."""
    from sqlalchemy import func, select

    from facilitator.extensions import db
    from facilitator.meetings.models import Meeting
    from facilitator.series.models import MeetingSeries

    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(MeetingSeries.id))),
        db.session.scalar(select(func.count(Meeting.id))),
    )
