"""Issuing the logbook: screened first, then built, kept as an edition and audited.

The page, its CSV downloads and ``facilitator export logbook`` all come through here, so each
file that leaves has passed the same screening (SECURITY.md P8, P9): on any hit
:class:`~facilitator.exports.screening.ExportRefused` names the places and no file is made.
"""

from __future__ import annotations

from flask_babel import gettext as _

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.exports.csv import csv_bytes
from facilitator.exports.document import house_style
from facilitator.exports.editions import issue_edition
from facilitator.exports.logbook import (
    LogbookData,
    LogbookScope,
    action_texts,
    finding_texts,
    logbook_data,
    logbook_texts,
)
from facilitator.exports.logbook_docx import build_logbook_docx
from facilitator.exports.models import LogbookEdition
from facilitator.exports.screening import screen_export
from facilitator.users.models import User

#: The two lists a logbook offers as CSV, by the name in their address.
CSV_KINDS = ("bevindingen", "acties")


def export_logbook(scope: LogbookScope, *, actor: User | None) -> LogbookEdition:
    """Screen, build and keep the logbook of ``scope`` as a new edition (the caller commits)."""
    data = logbook_data(scope)
    screen_export(logbook_texts(data), data.case_ids, actor=actor, reason="logbook export")
    content = build_logbook_docx(data, reference=house_style(scope.region.id)).getvalue()
    edition = issue_edition(
        region=scope.region,
        groups=list(scope.groups),
        period_from=scope.period_from,
        period_to=scope.period_to,
        content=content,
        actor=actor,
    )
    _audit(scope, actor, AuditAction.EXECUTE, f"edition {edition.id}", edition.id)
    return edition


def export_logbook_csv(scope: LogbookScope, kind: str, *, actor: User | None) -> bytes:
    """The findings or the actions of ``scope`` as a CSV for Dutch Excel, screened first."""
    if kind not in CSV_KINDS:
        raise ValueError(kind)
    data = logbook_data(scope)
    texts = finding_texts(data) if kind == "bevindingen" else action_texts(data)
    screen_export(texts, data.case_ids, actor=actor, reason=f"logbook csv {kind}")
    content = findings_csv(data) if kind == "bevindingen" else actions_csv(data)
    _audit(scope, actor, AuditAction.READ, f"csv {kind}", "")
    return content


def csv_filename(scope: LogbookScope, kind: str) -> str:
    return f"logboek-{kind}-{scope.period_from.isoformat()}-{scope.period_to.isoformat()}.csv"


def findings_csv(data: LogbookData) -> bytes:
    """One row per finding: group, date, level, kind, the finding, signal."""
    return csv_bytes(
        [_("Group"), _("Meeting date"), _("Level"), _("Kind"), _("Finding"), _("Signal")],
        [
            (
                f.group,
                f.day.isoformat(),
                str(f.level.label),
                str(f.kind.label),
                f.text,
                _("yes") if f.signal else _("no"),
            )
            for group in data.findings.groups
            for f in group.findings
        ],
    )


def actions_csv(data: LogbookData) -> bytes:
    """One row per action agreed in the period."""
    return csv_bytes(
        [
            _("Group"),
            _("Agreed on"),
            _("Action"),
            _("Owner"),
            _("Organisation"),
            _("Due"),
            _("Status"),
            _("Overdue"),
        ],
        [
            (
                a.group,
                a.agreed_on.isoformat(),
                a.description,
                a.owner,
                a.organisation,
                a.due_on.isoformat(),
                str(a.status.label),
                _("yes") if a.overdue else _("no"),
            )
            for a in data.actions.actions
        ],
    )


def _audit(scope: LogbookScope, actor, action: AuditAction, what: str, object_id) -> None:
    groups = ",".join(str(i) for i in scope.group_ids) or "all"
    record(
        "logbook_exported",
        action=action,
        actor=actor,
        object_type="logbook_edition" if object_id else "logbook",
        object_id=object_id,
        reason=(
            f"{what}; region {scope.region.id}, groups {groups}, "
            f"{scope.period_from.isoformat()} to {scope.period_to.isoformat()}"
        )[:255],
    )
