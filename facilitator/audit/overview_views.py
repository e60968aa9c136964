"""The download of the client's own overview, on the case page."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.audit.overview_services import export_access_overview
from facilitator.audit.policy import can_export_access_overview
from facilitator.auth.access import authenticated
from facilitator.cases.models import Case
from facilitator.exports.screening import ExportRefused
from facilitator.exports.web import refusal_page, send_export
from facilitator.extensions import db
from facilitator.loading import load_or_deny

bp = Blueprint("access_overview", __name__, url_prefix="/casussen")


@bp.route("/<int:case_id>/inzageoverzicht.docx")
@authenticated
def download(case_id: int):
    """Who looked at or changed the case's data, for the client; refused (409) with places."""
    case = load_or_deny(Case, case_id, can_export_access_overview)
    try:
        overview = export_access_overview(case, actor=current_user)
    except ExportRefused as refusal:
        db.session.commit()  # the refusal's audit rows stay
        back = url_for("cases.case_detail", case_id=case.id)
        return refusal_page(refusal, back_url=back, back_label=_("Back to the case"))
    db.session.commit()
    return send_export(overview.content, overview.filename)
