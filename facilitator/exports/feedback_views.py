"""The projectleider's pages for logbook editions: each edition as issued, its file, and the
feedback of the klankbordgroep, the beleidsgroep or a focusgroep on it. The region's
beleidsgroepleden read the editions, their files and the feedback; only the projectleider
records feedback."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import roles
from facilitator.exceptions import ServiceError
from facilitator.exports import editions, feedback
from facilitator.exports.edition_reading import withheld_from, withheld_page
from facilitator.exports.feedback_forms import FeedbackForm
from facilitator.exports.logbook_policy import can_read_edition, can_record_feedback
from facilitator.exports.models import LogbookEdition, LogbookFeedback
from facilitator.exports.screening import ExportRefused
from facilitator.exports.web import refusal_page, send_export
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.loading import anyone, load_or_deny
from facilitator.users.models import Role

bp = Blueprint("logbook_feedback", __name__, url_prefix="/logboek/edities")
projectleider = roles(Role.PROJECTLEIDER)
#: The issued editions are read by the region's beleidsgroepleden too (read-only).
readers = roles(Role.PROJECTLEIDER, Role.BELEIDSGROEPLID)


@bp.route("")
@readers
def edition_list():
    region_id = current_user.organisation.region_id
    return render_template(
        "exports/edition_list.html",
        editions=editions.editions_of(region_id),
        counts=feedback.feedback_counts(region_id),
    )


@bp.route("/<int:edition_id>", methods=["GET", "POST"])
@readers
def edition_detail(edition_id: int):
    reading = request.method in ("GET", "HEAD")
    rule = can_read_edition if reading else can_record_feedback
    edition = load_or_deny(LogbookEdition, edition_id, rule)
    form = FeedbackForm(edition=edition)
    if form.validate_on_submit():
        try:
            entry = feedback.record_feedback(edition, actor=current_user, **form.details())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The feedback has been recorded."), "success")
            return redirect(_at(entry))
    return render_template(
        "exports/edition_detail.html",
        edition=edition,
        entries=feedback.feedback_on(edition.id),
        form=form if can_record_feedback(current_user, edition) else None,
    )


@bp.route("/<int:edition_id>/downloaden")
@readers
def edition_download(edition_id: int):
    edition = load_or_deny(LogbookEdition, edition_id, can_read_edition)
    if not can_record_feedback(current_user, edition) and withheld_from(current_user, edition):
        return withheld_page(edition)
    try:
        content = editions.download_edition(edition, actor=current_user)
    except ExportRefused as error:
        back = url_for(".edition_detail", edition_id=edition.id)
        return refusal_page(error, back_url=back, back_label=_("Back to the edition"))
    db.session.commit()
    return send_export(content, editions.edition_filename(edition))


@bp.route("/<int:edition_id>/feedback/<int:feedback_id>/bewerken", methods=["GET", "POST"])
@projectleider
def feedback_edit(edition_id: int, feedback_id: int):
    edition = load_or_deny(LogbookEdition, edition_id, can_record_feedback)
    entry = load_or_deny(LogbookFeedback, feedback_id, anyone, within=(edition, "edition_id"))
    form = FeedbackForm.editing(entry)
    if form.validate_on_submit():
        try:
            feedback.update_feedback(entry, actor=current_user, **form.details())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The feedback has been saved."), "success")
            return redirect(_at(entry))
    return render_template("exports/feedback_form.html", edition=edition, entry=entry, form=form)


@bp.route("/<int:edition_id>/feedback/<int:feedback_id>/verwijderen", methods=["GET", "POST"])
@projectleider
def feedback_delete(edition_id: int, feedback_id: int):
    edition = load_or_deny(LogbookEdition, edition_id, can_record_feedback)
    entry = load_or_deny(LogbookFeedback, feedback_id, anyone, within=(edition, "edition_id"))
    form = ConfirmForm()
    if form.validate_on_submit():
        feedback.delete_feedback(entry, actor=current_user)
        db.session.commit()
        flash(_("The feedback has been deleted."), "success")
        return redirect(url_for(".edition_detail", edition_id=edition.id))
    return render_template("exports/feedback_delete.html", edition=edition, entry=entry, form=form)


def _at(entry: LogbookFeedback) -> str:
    return url_for(".edition_detail", edition_id=entry.edition_id, _anchor=f"feedback-{entry.id}")
