"""An edition's page: what it covers and the feedback recorded on it.

A placeholder until the feedback forms land (recording, correcting and deleting feedback is
another change): it shows the edition and its feedback, so the logbook page can link to it.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from facilitator.auth.access import roles
from facilitator.exports.logbook_policy import can_read_edition
from facilitator.exports.models import LogbookEdition
from facilitator.loading import load_or_deny
from facilitator.users.models import Role

bp = Blueprint("logbook_feedback", __name__)


@bp.route("/logboek/edities/<int:edition_id>")
@roles(Role.PROJECTLEIDER)
def edition_detail(edition_id: int):
    edition = load_or_deny(LogbookEdition, edition_id, can_read_edition)
    return render_template("exports/edition_detail.html", edition=edition)
