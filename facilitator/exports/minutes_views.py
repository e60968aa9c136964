"""The minutes of a held meeting: the download, and their approval in the next meeting."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import authenticated
from facilitator.exceptions import ServiceError
from facilitator.exports.minutes_forms import MinutesApprovalForm
from facilitator.exports.minutes_services import approve_minutes, export_minutes, is_held
from facilitator.exports.screening import ExportRefused
from facilitator.exports.web import refusal_page, send_export
from facilitator.extensions import db
from facilitator.forms import show_service_error
from facilitator.loading import anyone, load_or_deny
from facilitator.meetings import run
from facilitator.meetings.facilitate import render_screen
from facilitator.meetings.models import Meeting
from facilitator.meetings.policy import can_read_minutes, can_run_meeting

bp = Blueprint("minutes", __name__, url_prefix="/bijeenkomsten/<int:meeting_id>")


@bp.route("/verslag.docx")
@authenticated
def download(meeting_id: int):
    """The minutes as Word: the approved file, or a draft; refused (409) with the places."""
    meeting = load_or_deny(Meeting, meeting_id, can_read_minutes)
    if not is_held(meeting):
        flash(_("A meeting has minutes once it is held and closed."), "error")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    try:
        minutes = export_minutes(meeting, actor=current_user)
    except ExportRefused as refusal:
        db.session.commit()  # the refusal's audit rows stay
        back = url_for("meetings.meeting_detail", meeting_id=meeting.id)
        return refusal_page(refusal, back_url=back, back_label=_("Back to the meeting"))
    db.session.commit()
    return send_export(minutes.content, minutes.filename)


@bp.route("/verslag-vaststellen", methods=["POST"])
@authenticated
def approve(meeting_id: int):
    """Approve the previous meeting's minutes in the opening of this one."""
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = MinutesApprovalForm()
    opening = run.rail(meeting)[0].ref
    if not form.validate_on_submit():
        return render_screen(meeting, opening, forms={"minutes_form": form}, status=400)
    minutes_of = load_or_deny(
        Meeting, form.minutes_id.data, anyone, within=(meeting.group, "group_id")
    )
    try:
        approve_minutes(
            minutes_of,
            in_meeting=meeting,
            corrections=form.corrections.data or "",
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        )
    except ServiceError as error:
        db.session.rollback()
        show_service_error(form, error)
        hits = error.hits if isinstance(error, ExportRefused) else ()
        return render_screen(
            meeting, opening, forms={"minutes_form": form, "minutes_hits": hits}, status=422
        )
    db.session.commit()
    flash(_("The minutes of the previous meeting are approved."), "success")
    return redirect(url_for("facilitate.screen", meeting_id=meeting.id, stap=opening))
