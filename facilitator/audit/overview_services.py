"""Making the client's own overview: read, screen, build, audit; the page and the CLI share it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from facilitator.audit.models import AuditAction
from facilitator.audit.overview import access_overview, overview_place, overview_texts
from facilitator.audit.overview_docx import build_access_overview_docx
from facilitator.audit.services import record
from facilitator.cases.models import Case
from facilitator.core.i18n import in_language
from facilitator.exports.document import house_style
from facilitator.exports.screening import screen_export
from facilitator.users.models import User

#: The overview is for the client, who reads Dutch, whatever the interface language.
LANGUAGE = "nl"


@dataclass(frozen=True)
class AccessOverviewFile:
    filename: str
    content: bytes
    rows: int


def export_access_overview(case: Case, *, actor: User | None) -> AccessOverviewFile:
    """The overview of ``case`` as .docx, screened before and after it is built (every text,
    and the file against the case's identity). Raises ExportRefused on a hit."""
    data = access_overview(case)
    screening = screen_export(
        overview_texts(data), [case.id], actor=actor, reason="access_overview_exported"
    )
    with in_language(LANGUAGE):
        reference = house_style(data.region_id)
        content = build_access_overview_docx(data, reference).getvalue()
        screening.refuse(screening.file(content, overview_place(data, _("The document"))))
    record(
        "access_overview_exported",
        action=AuditAction.EXECUTE,
        actor=actor,
        object_type="case",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
        reason=f"{len(data.entries)} rows",
        check_result="consent_scope" if actor is not None else "operator",
    )
    return AccessOverviewFile(f"inzageoverzicht-{case.pseudonym}.docx", content, len(data.entries))
