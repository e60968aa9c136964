"""The periods (buckets) the figures are cut into: months, quarters or years of local dates,
the first and last cut to the chosen period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _


@dataclass(frozen=True)
class Bucket:
    label: str
    start: date
    end: date

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def buckets(period_from: date, period_to: date, interval: str) -> tuple[Bucket, ...]:
    """The periods from ``period_from`` to ``period_to``, each named."""
    found = []
    start = period_from
    while start <= period_to:
        natural_start, next_start = _natural(start, interval)
        end = min(next_start - timedelta(days=1), period_to)
        found.append(Bucket(_label(natural_start, interval), start, end))
        start = next_start
    return tuple(found)


def _natural(day: date, interval: str) -> tuple[date, date]:
    """The month, quarter or year holding ``day``: its first day and the next one's."""
    if interval == "year":
        return date(day.year, 1, 1), date(day.year + 1, 1, 1)
    months = 3 if interval == "quarter" else 1
    first_month = months * ((day.month - 1) // months) + 1
    first = date(day.year, first_month, 1)
    following = first_month + months
    if following > 12:
        return first, date(day.year + 1, following - 12, 1)
    return first, date(day.year, following, 1)


def _label(start: date, interval: str) -> str:
    if interval == "year":
        return str(start.year)
    if interval == "quarter":
        return _("Q%(quarter)s %(year)s", quarter=(start.month - 1) // 3 + 1, year=start.year)
    return format_date(start, "MMM yyyy")
