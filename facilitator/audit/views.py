"""The audit page (SECURITY.md L3): the log filtered, and the chronology of a case or a user.

Only audit readers (:func:`facilitator.audit.policy.can_read_audit_log`) see it, whatever their
role; every look at it is itself logged, with the filter (never the rows shown).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.audit.forms import AuditFilterForm
from facilitator.audit.models import AuditAction
from facilitator.audit.policy import can_read_audit_log
from facilitator.audit.queries import (
    AuditFilter,
    audit_page,
    event_types,
    filter_people,
    user_name,
)
from facilitator.audit.services import record_committed
from facilitator.auth.access import authenticated, deny
from facilitator.cases.pseudonyms import is_pseudonym

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.before_request
def audit_readers_only() -> None:
    """Refuse, logged, everyone without the audit right (the beheerder too)."""
    if current_user.is_authenticated and not can_read_audit_log(current_user):
        asked = request.view_args or {}
        if "user_id" in asked:  # whose trail was asked for belongs in the denial's row
            deny("audit_right", object_type="users", object_id=asked["user_id"])
        pseudonym = asked.get("pseudonym", "")
        deny("audit_right", case_pseudonym=pseudonym if is_pseudonym(pseudonym) else "")


@bp.route("/")
@authenticated
def log():
    users, organisations = filter_people()
    form = AuditFilterForm(
        request.args, users=users, organisations=organisations, event_types=event_types()
    )
    if not form.validate():
        _viewed("log", AuditFilter(), "filter refused")
        return render_template("audit/log.html", form=form, page=None), 422
    audit_filter = form.audit_filter()
    page = audit_page(audit_filter)
    _viewed("log", audit_filter)
    return render_template("audit/log.html", form=form, page=page)


@bp.route("/casus/<pseudonym>")
@authenticated
def case_chronology(pseudonym: str):
    if not is_pseudonym(pseudonym):
        abort(404)
    page = audit_page(AuditFilter(pseudonym=pseudonym), oldest_first=True)
    _viewed("case chronology", AuditFilter(pseudonym=pseudonym))
    title = _("Chronology of case %(pseudonym)s", pseudonym=pseudonym)
    return render_template("audit/chronology.html", page=page, title=title)


@bp.route("/gebruiker/<int:user_id>")
@authenticated
def user_chronology(user_id: int):
    page = audit_page(AuditFilter(user_id=user_id), oldest_first=True)
    _viewed("user chronology", AuditFilter(user_id=user_id))
    name = user_name(user_id) or _("account %(id)d (no longer exists)", id=user_id)
    title = _("Chronology of %(name)s", name=name)
    return render_template("audit/chronology.html", page=page, title=title)


def _viewed(view: str, audit_filter: AuditFilter, note: str = "") -> None:
    """Log the look, in its own transaction: it happened whatever the request does next."""
    record_committed(
        "audit_log_viewed",
        action=AuditAction.READ,
        actor=current_user,
        object_type="audit_log",
        case_pseudonym=audit_filter.pseudonym,
        reason=f"{view}: {note or audit_filter.summary()}, page {_page_number()}",
        check_result="audit_right",
    )


def _page_number() -> int:
    return request.args.get("pagina", 1, type=int)
