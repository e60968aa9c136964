"""The dashboard's read model: ``dashboard_data(region, as_of)`` in a fixed number of queries.

It carries no pseudonym and no meeting content: the beleidsgroeplid reads it. Each part comes
from its own package's read, for the same period: the monitoring figures, the signals and their
follow-up, the approved stories and the issued logbook editions; each part's partial template
renders it (``templates/dashboard/page.html``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from facilitator.exports.models import LogbookEdition, LogbookFeedback
from facilitator.extensions import db
from facilitator.monitoring.figures import MonitoringFigures, MonitoringScope, monitoring_figures
from facilitator.regions.models import Region
from facilitator.signals.queries import SignalLine, dashboard_signals
from facilitator.stories.queries import StoryLine, approved_stories


@dataclass(frozen=True)
class FeedbackLine:
    """What a body of the region said about an edition, and what it decided."""

    body: str
    given_on: date
    summary: str
    decisions: str


@dataclass(frozen=True)
class EditionLine:
    """A logbook edition as issued: its period, its groups (none: the whole region)."""

    id: int
    issued_at: datetime
    period_from: date
    period_to: date
    groups: tuple[str, ...]
    feedback: tuple[FeedbackLine, ...]


@dataclass(frozen=True)
class DashboardData:
    region_id: int
    region_name: str
    as_of: date
    period_from: date
    period_to: date
    #: The region's issued logbook editions, newest first.
    editions: tuple[EditionLine, ...]
    #: The figures of the period by quarter, small counts suppressed (monitoring/_dashboard.html).
    figures: MonitoringFigures
    #: The signals raised in held meetings of the period and what became of them, pseudonyms
    #: masked (signals/_dashboard.html).
    signals: tuple[SignalLine, ...]
    #: The stories approved in the period (stories/_dashboard.html).
    stories: tuple[StoryLine, ...]


def current_year(as_of: date) -> tuple[date, date]:
    """The dashboard's default period: the calendar year of ``as_of``."""
    return date(as_of.year, 1, 1), date(as_of.year, 12, 31)


def dashboard_data(
    region: Region,
    as_of: date,
    *,
    period_from: date | None = None,
    period_to: date | None = None,
) -> DashboardData:
    """The region's dashboard for a period (by default the year of ``as_of``), in a fixed
    number of queries however many editions, signals and stories."""
    default_from, default_to = current_year(as_of)
    start, end = period_from or default_from, period_to or default_to
    return DashboardData(
        region_id=region.id,
        region_name=region.name,
        as_of=as_of,
        period_from=start,
        period_to=end,
        editions=issued_editions(region.id),
        figures=monitoring_figures(MonitoringScope(region, (), start, end, "quarter")),
        signals=dashboard_signals(region.id, period_from=start, period_to=end),
        stories=approved_stories(region.id, period_from=start, period_to=end),
    )


def issued_editions(region_id: int) -> tuple[EditionLine, ...]:
    """Every issued edition of the region with its groups and feedback (three queries); the
    kept file itself is not read."""
    editions = db.session.scalars(
        select(LogbookEdition)
        .where(LogbookEdition.region_id == region_id)
        .options(
            selectinload(LogbookEdition.groups),
            selectinload(LogbookEdition.feedback).joinedload(LogbookFeedback.body),
        )
        .order_by(LogbookEdition.issued_at.desc(), LogbookEdition.id.desc())
    )
    return tuple(
        EditionLine(
            id=edition.id,
            issued_at=edition.issued_at,
            period_from=edition.period_from,
            period_to=edition.period_to,
            groups=tuple(sorted(group.name for group in edition.groups)),
            feedback=tuple(
                FeedbackLine(entry.body.label, entry.given_on, entry.summary, entry.decisions)
                for entry in sorted(edition.feedback, key=lambda e: (e.given_on, e.id))
            ),
        )
        for edition in editions
    )
