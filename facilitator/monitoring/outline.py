"""The monitoring figures as titled tables: written once, shown on the figures page (each
charted table with its chart beside it), in the logbook's Monitoring section and, row for row,
in the CSV. So the three cannot show different figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from facilitator.exports.logbook_outline import Table
from facilitator.meetings.models import BUILDING_BLOCKS
from facilitator.monitoring.figures import FlowLine, GroupEvaluations, MonitoringFigures
from facilitator.monitoring.suppression import NO_FIGURE, SMALL, WITHHELD, Shown


@dataclass(frozen=True)
class FigureTable:
    #: Names the table in the CSV and its chart on the page ("" for none).
    key: str
    title: str
    table: Table


def shown(value: Shown) -> str | int:
    """A figure as text: a median with one decimal only when it has one."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else f"{value:.1f}".replace(".", ",")
    return value


def legend() -> str:
    return _(
        "%(small)s: 1 to 4 cases. %(withheld)s: withheld so that a total does not give a small "
        "count away. %(none)s: no figure, as it would rest on fewer than 5 cases.",
        small=SMALL,
        withheld=WITHHELD,
        none=NO_FIGURE,
    )


def flow_headers(first: str) -> tuple[str, ...]:
    return (
        first,
        _("Registered"),
        _("Discussed"),
        _("With a regievoerder"),
        _("With open actions"),
        _("Closed"),
        _("To paid work"),
        _("To paid work (%)"),
        _("Median days to first discussion"),
        _("Median days to closing"),
    )


def flow_row(line: FlowLine) -> tuple:
    return tuple(
        shown(value)
        for value in (
            line.label,
            line.registered,
            line.discussed,
            line.with_regievoerder,
            line.with_open_actions,
            line.closed,
            line.to_paid_work,
            line.paid_work_share,
            line.days_to_discussion,
            line.days_to_closing,
        )
    )


def _flow_table(first: str, lines: Sequence[FlowLine], total: FlowLine) -> Table:
    return Table(flow_headers(first), [*(flow_row(line) for line in lines), flow_row(total)])


def figure_tables(figures: MonitoringFigures) -> list[FigureTable]:
    """Every table of the figures, in the order the page and the logbook show them."""
    tables = [
        FigureTable(
            "stroom",
            _("In-, through- and outflow per period"),
            _flow_table(_("Period"), figures.per_bucket, figures.total),
        ),
        FigureTable(
            "per-groep",
            _("Per group"),
            _flow_table(_("Group"), figures.per_group, figures.total),
        ),
        FigureTable(
            "per-organisatie",
            _("Per bringing organisation"),
            _flow_table(_("Organisation"), figures.per_organisation, figures.total),
        ),
        FigureTable(
            "per-uitkering",
            _("Per benefit"),
            _flow_table(_("Benefit"), figures.per_benefit, figures.total),
        ),
        FigureTable("uitstroom", _("Outflow per reason for closing"), _reasons_table(figures)),
        FigureTable("bijeenkomsten", _("Meetings held"), _meetings_table(figures)),
        FigureTable(
            "aanwezigheid",
            _("Attendance per organisation"),
            Table(
                (_("Organisation"), _("People present"), _("Meetings attended")),
                [(a.organisation, a.present, a.meetings) for a in figures.attendance],
            ),
        ),
    ]
    tables += [
        FigureTable(
            "", _("Building blocks of %(group)s", group=group.group), evaluation_table(group)
        )
        for group in figures.building_blocks
    ]
    return tables


def _reasons_table(figures: MonitoringFigures) -> Table:
    return Table(
        (_("Reason"), *(b.label for b in figures.buckets), _("Total")),
        [
            *((line.label, *map(shown, line.per_bucket), shown(line.total))
              for line in figures.closure_reasons),
            (_("Closed"), *(shown(line.closed) for line in figures.per_bucket),
             shown(figures.total.closed)),
        ],
    )  # fmt: skip


def _meetings_table(figures: MonitoringFigures) -> Table:
    held = zip(figures.buckets, figures.meetings_held, strict=True)
    return Table(
        (_("Period"), _("Meetings held")),
        [*((b.label, count) for b, count in held), (_("Total"), figures.meetings_total)],
    )


def evaluation_table(group: GroupEvaluations) -> Table:
    """Per building block, the score at each evaluation (zero, interim, final)."""
    evaluations = group.evaluations
    rows = [(str(label), *(e.scores[key] for e in evaluations)) for key, label in BUILDING_BLOCKS]
    return Table(
        (_("Building block"), *(f"{e.label} ({e.day.isoformat()})" for e in evaluations)),
        [*rows, (_("Average"), *(shown(e.average) for e in evaluations))],
    )
