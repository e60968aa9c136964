"""The dates of a series, as pure functions of its rhythm (no database, no clock).

Monthly and quarterly keep the n-th weekday of the month of the first date ("the second
Tuesday"); a first date on the fifth weekday of its month keeps "the last" one, since not every
month has a fifth. Six-weekly and every N weeks step whole weeks from the first date.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

from facilitator.series.models import SeriesRhythm

#: No series runs longer than this many meetings in one go (every week for two years).
MAX_DATES = 104


def first_on_weekday(start: date, weekday: int) -> date:
    """The first day on or after ``start`` that falls on ``weekday`` (Monday 0)."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1-4, or 5 for the last) ``weekday`` of a month."""
    days = [
        day
        for day in calendar.Calendar().itermonthdates(year, month)
        if day.month == month and day.weekday() == weekday
    ]
    return days[-1] if nth >= 5 else days[nth - 1]


def _months_after(first: date, months: int) -> tuple[int, int]:
    index = first.year * 12 + first.month - 1 + months
    return index // 12, index % 12 + 1


def rhythm_dates(
    rhythm: SeriesRhythm | str, first: date, interval_weeks: int | None = None
) -> Iterator[date]:
    """Every date of the rhythm from ``first`` on, without end."""
    rhythm = SeriesRhythm(rhythm)
    if rhythm in (SeriesRhythm.MAANDELIJKS, SeriesRhythm.PER_KWARTAAL):
        step = 1 if rhythm == SeriesRhythm.MAANDELIJKS else 3
        nth = (first.day - 1) // 7 + 1
        number = 0
        while True:
            yield _nth_weekday(*_months_after(first, number * step), first.weekday(), nth)
            number += 1
    weeks = 6 if rhythm == SeriesRhythm.ZESWEKELIJKS else max(1, interval_weeks or 1)
    day = first
    while True:
        yield day
        day += timedelta(weeks=weeks)


def series_dates(
    rhythm: SeriesRhythm | str,
    first: date,
    *,
    interval_weeks: int | None = None,
    count: int | None = None,
    until: date | None = None,
    after: date | None = None,
) -> list[date]:
    """The dates of a series: ``count`` of them, or up to ``until`` (at most :data:`MAX_DATES`);
    with ``after``, only the dates later than that day (to extend a series)."""
    limit = min(count, MAX_DATES) if count is not None else MAX_DATES
    found: list[date] = []
    for day in rhythm_dates(rhythm, first, interval_weeks):
        if until is not None and day > until:
            break
        if after is not None and day <= after:
            continue
        found.append(day)
        if len(found) >= limit:
            break
    return found


def default_until(first: date) -> date:
    """A year of meetings: up to the day before the same date next year."""
    try:
        return first.replace(year=first.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return first.replace(year=first.year + 1, day=28)


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday) // 433
    month = (h + weekday - 7 * m + 90) // 25
    return date(year, month, (h + weekday - 7 * m + 33 * month + 19) % 32)


def dutch_holidays(year: int) -> set[date]:
    """The Dutch public holidays of a year (Bevrijdingsdag every year: many organisations close)."""
    easter = _easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1),
        easter - timedelta(days=2),
        easter,
        easter + timedelta(days=1),
        kings_day,
        date(year, 5, 5),
        easter + timedelta(days=39),
        easter + timedelta(days=49),
        easter + timedelta(days=50),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def is_holiday(day: date) -> bool:
    return day in dutch_holidays(day.year)
