"""The monitoring figures as one CSV for Dutch Excel (``;``, UTF-8 with BOM): one row per shown
figure (table, row, column, value), the same tables and the same suppressed values as the page
and the logbook (:func:`facilitator.monitoring.outline.figure_tables`)."""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.exports.csv import csv_bytes
from facilitator.monitoring.figures import MonitoringFigures, MonitoringScope, monitoring_figures
from facilitator.monitoring.outline import figure_tables
from facilitator.users.models import User


def build_monitoring_csv(figures: MonitoringFigures) -> BytesIO:
    """Every figure of every table, as CSV rows."""
    rows = [
        (item.title, row[0], header, value)
        for item in figure_tables(figures)
        for row in item.table.rows
        for header, value in zip(item.table.headers[1:], row[1:], strict=True)
    ]
    return BytesIO(csv_bytes((_("Table"), _("Row"), _("Column"), _("Value")), rows))


def csv_filename(figures: MonitoringFigures) -> str:
    """No region or group name (free text) in the name: the period only."""
    return f"cijfers-{figures.period_from.isoformat()}-{figures.period_to.isoformat()}.csv"


def export_monitoring_csv(scope: MonitoringScope, *, actor: User | None) -> tuple[bytes, str]:
    """The figures of ``scope`` as CSV and its file name, with an audit row (the caller
    commits). Nothing to screen: the figures hold no free text and no pseudonym."""
    figures = monitoring_figures(scope)
    groups = ",".join(str(i) for i in scope.group_ids) or "all"
    record(
        "monitoring_exported",
        action=AuditAction.READ,
        actor=actor,
        object_type="monitoring",
        object_id=scope.region.id,
        reason=(
            f"csv; region {scope.region.id}, groups {groups}, "
            f"organisation {scope.organisation_id or 'all'}, benefit {scope.benefit or 'all'}, "
            f"{scope.period_from.isoformat()} to {scope.period_to.isoformat()}"
        )[:255],
    )
    return build_monitoring_csv(figures).getvalue(), csv_filename(figures)
