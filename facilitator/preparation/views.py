"""The preparation page of a case on a meeting's agenda: the handreiking, answered before."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import roles
from facilitator.cases.models import Case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import show_service_error
from facilitator.loading import load_or_deny
from facilitator.meetings.models import Meeting
from facilitator.preparation import services
from facilitator.preparation.forms import preparation_form
from facilitator.preparation.policy import can_answer, can_read_preparation, case_to_prepare
from facilitator.preparation.queries import preparation_of
from facilitator.users.models import Role

bp = Blueprint("preparation", __name__)

#: The beheerder never sees a case (README, Roles).
READERS = (Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER)


@bp.route("/bijeenkomsten/<int:meeting_id>/voorbereiding/<int:case_id>", methods=["GET", "POST"])
@roles(*READERS)
def prepare(meeting_id: int, case_id: int):
    # Reading is for who may see the cases; a post only for who may answer now (a logged 403).
    rule = can_answer if request.method == "POST" else can_read_preparation
    meeting = load_or_deny(Meeting, meeting_id, rule)
    case = load_or_deny(Case, case_id, case_to_prepare(meeting), within=(meeting.group, "group_id"))
    preparation = preparation_of(meeting).of(case.id)
    form = preparation_form(preparation)
    if form.validate_on_submit():
        try:
            services.save_answers(
                meeting,
                case,
                form.answers(),
                actor=current_user,
                seen_versions=form.seen_versions(),
                confirmed=form.personal_data_confirmed.data,
            )
        except services.PreparationConflict as error:
            db.session.rollback()
            form.show_conflict(error)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Preparation saved."), "success")
            return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    return _page(meeting, case, preparation, form, can_answer(current_user, meeting))


def _page(meeting: Meeting, case: Case, preparation, form, editable: bool):
    """The page; 409 after a conflict, 422 after a refusal, with what was typed."""
    html = render_template(
        "preparation/prepare.html",
        meeting=meeting,
        case=case,
        preparation=preparation,
        form=form,
        editable=editable,
    )
    return html, 409 if form.conflict else 422 if form.errors or form.form_errors else 200
