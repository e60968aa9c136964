"""Correcting the records of a completed meeting on its facilitation screen, with a reason.

Where an export's refusal links to (``#finding-3``, the regievoerder's update, the building
blocks, a terugkoppeling); a correction comes back at what it corrected, and a refused one in
its step with what was typed and why (see :mod:`facilitator.meetings.corrections`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.actions.models import ActionUpdate
from facilitator.auth.access import authenticated
from facilitator.cases.models import CaseUpdate
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import show_service_error
from facilitator.loading import anyone, load_or_deny
from facilitator.meetings import corrections, queries, run
from facilitator.meetings.correction_forms import (
    BlocksCorrectionForm,
    CaseUpdateCorrectionForm,
    FindingCorrectionForm,
    GuestCorrectionForm,
    PlaceCorrectionForm,
    ReviewNoteCorrectionForm,
)
from facilitator.meetings.models import (
    Attendance,
    BuildingBlockScore,
    Finding,
    Meeting,
    MeetingStatus,
)
from facilitator.meetings.policy import can_run_meeting, can_view_meeting
from facilitator.meetings.screen_saving import back_to_step as _back
from facilitator.meetings.screen_saving import save_on_screen
from facilitator.protocols.schema import FieldType

bp = Blueprint("corrections", __name__, url_prefix="/bijeenkomsten/<int:meeting_id>/correcties")


@bp.route("/bevindingen/<int:finding_id>", methods=["POST"])
@authenticated
def finding(meeting_id: int, finding_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    found = load_or_deny(Finding, finding_id, anyone, within=(meeting, "meeting_id"))
    organisations = queries.organisations(meeting)
    form = FindingCorrectionForm.correcting(found, organisations, posted=True)
    chosen = set(form.organisations.data or ())
    return _correct(
        meeting,
        found.step_ref,
        form,
        ("correct_finding", found.id),
        lambda: corrections.correct_finding(
            meeting,
            found,
            kind=form.kind.data,
            level=form.level.data,
            text=form.text.data,
            organisations=[o for o in organisations if o.id in chosen],
            signal=form.signal.data,
            reason=form.reason.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
        f"finding-{found.id}",
    )


@bp.route("/bevindingen/<int:finding_id>", methods=["GET"])
@authenticated
def finding_spot(meeting_id: int, finding_id: int):
    """Where a finding is corrected, for a link from any export (the logbook names meetings
    and findings, not steps): its step for the procesbegeleider, else the meeting's record."""
    meeting = load_or_deny(Meeting, meeting_id, can_view_meeting)
    found = load_or_deny(Finding, finding_id, anyone, within=(meeting, "meeting_id"))
    return _spot(meeting, found.step_ref, f"finding-{found.id}")


@bp.route("/bouwstenen", methods=["GET"])
@authenticated
def blocks_spot(meeting_id: int):
    """Where the building-block remarks are corrected (see :func:`finding_spot`)."""
    meeting = load_or_deny(Meeting, meeting_id, can_view_meeting)
    blocks = FieldType.BUILDING_BLOCKS
    ref = next(
        (s.ref for s in run.rail(meeting) if any(f.type == blocks for f in s.step.fields)), ""
    )
    return _spot(meeting, ref, "building-blocks")


def _spot(meeting: Meeting, ref: str, anchor: str):
    if can_run_meeting(current_user, meeting) and ref:
        return _back(meeting, ref, anchor)
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id, _anchor="record"))


@bp.route("/stand-van-zaken/<int:case_update_id>", methods=["POST"])
@authenticated
def case_update(meeting_id: int, case_update_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    update = load_or_deny(CaseUpdate, case_update_id, anyone, within=(meeting, "meeting_id"))
    form = CaseUpdateCorrectionForm.of(update)
    return _correct(
        meeting,
        form.ref.data,
        form,
        ("correct_case_update", update.id),
        lambda: corrections.correct_case_update(
            meeting,
            update,
            text=form.text.data,
            reason=form.reason.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
        f"case-update-text-{update.id}",
    )


@bp.route("/terugkoppeling/<int:action_update_id>", methods=["POST"])
@authenticated
def review_note(meeting_id: int, action_update_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    update = load_or_deny(ActionUpdate, action_update_id, anyone, within=(meeting, "meeting_id"))
    form = ReviewNoteCorrectionForm.of(update)
    return _correct(
        meeting,
        form.ref.data,
        form,
        ("correct_note", update.id),
        lambda: corrections.correct_review_note(
            meeting,
            update,
            note=form.note.data,
            reason=form.reason.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
        f"review-{update.action_id}",
    )


@bp.route("/bouwstenen", methods=["POST"])
@authenticated
def building_blocks(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    row = load_or_deny(BuildingBlockScore, meeting.id, anyone)
    form = BlocksCorrectionForm.of(row)
    return _correct(
        meeting,
        form.ref.data,
        form,
        "correct_blocks",
        lambda: corrections.correct_building_blocks(
            meeting,
            went_well=form.went_well.data or "",
            could_be_better=form.could_be_better.data or "",
            reason=form.reason.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
        "building-blocks",
    )


@bp.route("/gasten/<int:guest_id>", methods=["GET", "POST"])
@authenticated
def guest(meeting_id: int, guest_id: int):
    """A guest's name and role as the minutes show them (a member is refused by the service)."""
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    row = load_or_deny(Attendance, guest_id, anyone, within=(meeting, "meeting_id"))
    form = GuestCorrectionForm(obj=row)
    return _correct_page(
        meeting,
        form,
        [form.guest_name, form.guest_role],
        _("Correct guest %(name)s", name=row.guest_name),
        lambda: corrections.correct_guest(
            meeting,
            row,
            name=form.guest_name.data or "",
            role=form.guest_role.data or "",
            reason=form.reason.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
    )


@bp.route("/plaats", methods=["GET", "POST"])
@authenticated
def place(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = PlaceCorrectionForm(obj=meeting)
    return _correct_page(
        meeting,
        form,
        [form.location],
        _("Correct the place of the meeting"),
        lambda: corrections.correct_location(
            meeting,
            location=form.location.data or "",
            reason=form.reason.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
    )


def _correct_page(meeting: Meeting, form, fields: list, title: str, service: Callable):
    """A page of its own for what the meeting page shows: the form, then back to the meeting."""
    detail = url_for("meetings.meeting_detail", meeting_id=meeting.id, _anchor="attendance")
    if meeting.status != MeetingStatus.AFGEROND:
        flash(str(corrections.NOT_HELD), "error")
        return redirect(detail)
    status = 200
    if form.validate_on_submit():
        try:
            service()
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Correction saved."), "success")
            return redirect(detail)
    if form.is_submitted():
        status = 422
    html = render_template(
        "meetings/correct_details.html", meeting=meeting, form=form, fields=fields, title=title
    )
    return html, status


def _correct(meeting: Meeting, ref: str, form, form_key, service: Callable, anchor: str):
    """Answer a correction's form once the meeting is held (screen_saving.save_on_screen)."""
    return save_on_screen(
        meeting,
        ref,
        form,
        form_key,
        service,
        lambda _saved: anchor,
        status=MeetingStatus.AFGEROND,
        wrong_status=corrections.NOT_HELD,
        saved=_("Correction saved."),
    )
