"""Recording the candidate and the employer at the table for one case, from the meeting page
or the facilitation screen's case step."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import authenticated
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.loading import anyone, load_or_deny
from facilitator.meetings import policy
from facilitator.meetings.models import AgendaItem, Meeting, MeetingStatus
from facilitator.meetings.table import set_table_presence
from facilitator.meetings.table_forms import TablePresenceForm

bp = Blueprint("meeting_table", __name__, url_prefix="/bijeenkomsten/<int:meeting_id>")


@bp.route("/agenda/<int:item_id>/aan-tafel", methods=["POST"])
@authenticated
def table_presence(meeting_id: int, item_id: int):
    meeting = load_or_deny(Meeting, meeting_id, policy.can_change_agenda)
    item = load_or_deny(AgendaItem, item_id, anyone, within=(meeting, "meeting_id"))
    form = TablePresenceForm()
    if form.validate_on_submit():
        try:
            set_table_presence(
                meeting,
                item,
                candidate=form.candidate_present.data,
                employer=form.employer_present.data,
                actor=current_user,
            )
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("Who is at the table for %(pseudonym)s saved.", pseudonym=item.case.pseudonym),
                "success",
            )
    return _back(meeting, form.ref.data or "")


def _back(meeting: Meeting, ref: str):
    """Back to the facilitation step it came from while the meeting runs, else the agenda."""
    running = meeting.status == MeetingStatus.LOPEND
    if ref and running and policy.can_run_meeting(current_user, meeting):
        return redirect(url_for("facilitate.screen", meeting_id=meeting.id, stap=ref))
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id, _anchor="agenda"))
