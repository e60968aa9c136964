"""How a form posted from the facilitation screen is answered, for records made while a meeting
runs (record_views.py) and for corrections once it is held (correction_views.py).

Validate, run the one service, commit, and come back at what was saved (``#finding-3``); a
refused form comes back in its step with what was typed and why (the guard's fragments go back
in this response only: a flash would carry them in the session cookie). A form refused because
someone else saved the record since it was shown (facilitator.versions) comes back with 409 and
what is saved now next to what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for

from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import show_service_error
from facilitator.meetings.facilitate import render_screen
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.versions import EditConflict, show_conflict


def back_to_step(meeting: Meeting, ref: str, anchor: str = ""):
    """To the step ``ref``, at ``anchor`` (a record or its list) when given."""
    return redirect(
        url_for(
            "facilitate.screen",
            meeting_id=meeting.id,
            stap=ref or meeting.current_step,
            _anchor=anchor or None,
        )
    )


def save_on_screen(
    meeting: Meeting,
    ref: str,
    form,
    form_key,
    service: Callable,
    anchor: Callable[[object], str],
    *,
    status: MeetingStatus,
    wrong_status: str,
    saved: str,
    changes: Callable[[], list[tuple]] | None = None,
):
    """Answer ``form`` for a meeting in ``status`` (else ``wrong_status`` is flashed: a step
    in another state shows no form to come back to). ``changes``: for a form with a version,
    the rows (label, saved now, entered) to show after an edit conflict."""
    if meeting.status != status:
        flash(str(wrong_status), "error")
        return back_to_step(meeting, ref)
    if not form.validate_on_submit():
        return render_screen(meeting, ref, forms={form_key: form}, status=422)
    try:
        result = service()
    except EditConflict as error:
        db.session.rollback()
        show_conflict(form, error, changes() if changes else [])
        return render_screen(meeting, ref, forms={form_key: form}, status=409)
    except ServiceError as error:
        db.session.rollback()
        show_service_error(form, error)
        return render_screen(meeting, ref, forms={form_key: form}, status=422)
    db.session.commit()
    flash(saved, "success")
    return back_to_step(meeting, ref, anchor(result))
