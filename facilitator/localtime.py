"""Local time: the regions meet, plan and set deadlines in the Netherlands.

Timestamps are stored in UTC (``database.UTCDateTime``); calendar dates (a due date, a consent's
end, a meeting's day) are Dutch calendar dates. Every conversion between the two, and every
"due", "overdue" and "within N days", is decided here, so that they mean one thing on every page,
in every command and in every mail, whatever the server's clock settings.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from facilitator.database import utcnow

#: The one time zone of the product (also Flask-Babel's, see ``config.BABEL_DEFAULT_TIMEZONE``).
TIMEZONE_NAME = "Europe/Amsterdam"
AMSTERDAM = ZoneInfo(TIMEZONE_NAME)

#: "Due soon": a deadline within this many days from today (today included).
DUE_SOON_DAYS = 3


def local_now() -> datetime:
    """The current time in the Netherlands, timezone-aware."""
    return utcnow().astimezone(AMSTERDAM)


def local_today() -> date:
    """Today's date in the Netherlands (not the server's)."""
    return local_now().date()


def to_local(moment: datetime) -> datetime:
    """A stored (aware) timestamp as Dutch local time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; stored timestamps are aware (UTC)")
    return moment.astimezone(AMSTERDAM)


def local_date(moment: datetime) -> date:
    """The Dutch calendar date of a stored timestamp."""
    return to_local(moment).date()


def from_local(day: date, at: time) -> datetime:
    """A Dutch wall-clock date and time as an aware UTC timestamp, ready to store."""
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC)


class Due(enum.StrEnum):
    """Where a deadline stands on a given day."""

    OVERDUE = "overdue"  # the due date has passed
    DUE_SOON = "due_soon"  # today or within DUE_SOON_DAYS
    LATER = "later"


def is_overdue(due_on: date, today: date | None = None) -> bool:
    """A deadline is overdue from the day after its due date."""
    return due_on < (today or local_today())


def within_days(due_on: date, days: int, today: date | None = None) -> bool:
    """Due from today up to and including ``days`` days ahead (an overdue date is not)."""
    today = today or local_today()
    return today <= due_on <= today + timedelta(days=days)


def due_state(due_on: date, today: date | None = None, days: int = DUE_SOON_DAYS) -> Due:
    today = today or local_today()
    if is_overdue(due_on, today):
        return Due.OVERDUE
    if within_days(due_on, days, today):
        return Due.DUE_SOON
    return Due.LATER
