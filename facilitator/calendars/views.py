"""A meeting's .ics file, the personal subscription feed, and making or revoking its address."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import authenticated, public
from facilitator.calendars import ics, services
from facilitator.core.i18n import in_language
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm
from facilitator.loading import load_or_deny
from facilitator.localtime import local_date
from facilitator.meetings.models import Meeting
from facilitator.meetings.policy import can_view_meeting

bp = Blueprint("calendars", __name__)


def _meeting_page(meeting: Meeting) -> str:
    return url_for("meetings.meeting_detail", meeting_id=meeting.id, _external=True)


def _calendar(body: bytes, disposition: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = disposition
    # The feed is read without a login, so the header hook does not forbid storing it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/bijeenkomsten/<int:meeting_id>.ics")
@authenticated
def meeting_ics(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_view_meeting)
    body = ics.build_calendar([meeting], link=_meeting_page)
    day = local_date(meeting.scheduled_at).isoformat()
    return _calendar(body, f'attachment; filename="bijeenkomst-{day}.ics"')


@bp.route("/agenda/<token>.ics")
@public
def feed(token: str):
    """A calendar app fetches this without logging in: the secret address is the key."""
    owner = services.feed_owner(token)
    if owner is None:
        abort(404)  # unknown, revoked or of a deactivated account: all look the same
    with in_language(owner.language):
        body = ics.build_calendar(
            services.feed_meetings(owner), link=_meeting_page, name=_("Casustafel meetings")
        )
    return _calendar(body, 'inline; filename="casustafel.ics"')


@bp.route("/account/agenda/nieuw", methods=["GET", "POST"])
@authenticated
def feed_new():
    form = ConfirmForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        token = services.create_feed(user, actor=user)
        db.session.commit()
        # Shown in this answer only (not stored, not flashed into the session cookie).
        address = url_for(".feed", token=token, _external=True)
        return render_template("calendars/feed_created.html", address=address)
    existing = services.feed_of(current_user)
    return render_template("calendars/feed_new.html", form=form, existing=existing)


@bp.route("/account/agenda/intrekken", methods=["GET", "POST"])
@authenticated
def feed_revoke():
    form = ConfirmForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.revoke_feed(user, actor=user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your calendar address has been revoked."), "success")
        return redirect(url_for("account.index", _anchor="calendar"))
    return render_template("calendars/feed_revoke.html", form=form)
