"""Meeting screens: plan, agenda and attendance. The facilitation screen is in facilitate.py."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from facilitator.auth.access import authenticated
from facilitator.cases.models import Case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.groups.models import CaseGroup
from facilitator.groups.policy import can_see_cases, person_of_region
from facilitator.loading import anyone, load_or_deny
from facilitator.localtime import from_local, local_today, to_local
from facilitator.meetings import attendance, planning, policy, queries, run
from facilitator.meetings.forms import (
    AgendaAddForm,
    AgendaMoveForm,
    AttendanceForm,
    CasePresenceForm,
    GuestForm,
    MeetingEditForm,
    PlanMeetingForm,
)
from facilitator.meetings.models import AgendaItem, Attendance, Meeting, MeetingStatus
from facilitator.meetings.outcomes import meeting_outcomes
from facilitator.preparation.policy import can_answer
from facilitator.preparation.queries import preparation_of
from facilitator.proposals import queries as proposals
from facilitator.protocols.loader import protocols
from facilitator.regions.models import Organisation
from facilitator.regions.services import organisations_of_region
from facilitator.series.policy import can_read_series_of
from facilitator.signals.queries import meeting_feedback
from facilitator.users.models import User

bp = Blueprint("meetings", __name__)


def can_plan(user, meeting: Meeting) -> bool:
    return policy.can_plan_meetings(user, meeting.group)


@bp.route("/groepen/<int:group_id>/bijeenkomsten/nieuw", methods=["GET", "POST"])
@authenticated
def meeting_plan(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_plan_meetings)
    form = PlanMeetingForm(
        protocols=protocols().choices(), protocol_id=group.default_protocol or None
    )
    if form.validate_on_submit():
        try:
            meeting = planning.plan_meeting(
                group,
                scheduled_at=from_local(form.date.data, form.time.data),
                protocol_id=form.protocol_id.data,
                location=form.location.data,
                online_link=form.online_link.data,
                duration_minutes=form.duration_minutes.data,
                actor=current_user,
                personal_data_confirmed=form.personal_data_confirmed.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Meeting planned. Now put the cases on the agenda."), "success")
            return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
    return render_template("meetings/plan.html", form=form, group=group)


@bp.route("/bijeenkomsten/<int:meeting_id>/bewerken", methods=["GET", "POST"])
@authenticated
def meeting_edit(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_plan)
    local = to_local(meeting.scheduled_at)
    form = MeetingEditForm(meeting=meeting, date=local.date(), time=local.time())
    if form.validate_on_submit():
        try:
            planning.update_meeting(
                meeting,
                scheduled_at=from_local(form.date.data, form.time.data),
                location=form.location.data,
                online_link=form.online_link.data,
                duration_minutes=form.duration_minutes.data or meeting.duration_minutes,
                actor=current_user,
                personal_data_confirmed=form.personal_data_confirmed.data,
                host_organisation_id=form.host_organisation_id.data or None,
                notulist_id=form.notulist_id.data or None,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Meeting saved."), "success")
            return _back(meeting)
    return render_template("meetings/edit.html", form=form, meeting=meeting)


@bp.route("/bijeenkomsten/<int:meeting_id>")
@authenticated
def meeting_detail(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, policy.can_view_meeting)
    return _detail_page(meeting)


def _detail_page(meeting: Meeting, *, guest_form: GuestForm | None = None, status: int = 200):
    """The meeting page; a refused guest comes back in ``guest_form`` with what was typed."""
    queries.load_agenda(meeting)
    # Deactivated accounts keep their membership, but are not at a meeting any more.
    members = sorted(
        (m.user for m in meeting.group.memberships if m.user.active), key=lambda u: u.name
    )
    recorded = {a.user_id: a for a in meeting.attendance if a.user_id}
    show_cases = can_see_cases(current_user, meeting.group)
    add_form = AgendaAddForm()
    add_form.case_id.choices = [
        SelectChoice(c.id, f"{c.pseudonym} ({c.organisation.name})")
        for c in (planning.agenda_candidates(meeting) if show_cases else ())
    ]
    held = meeting.status == MeetingStatus.AFGEROND
    html = render_template(
        "meetings/detail.html",
        meeting=meeting,
        outcomes=meeting_outcomes(meeting) if show_cases and held else None,
        preparation=preparation_of(meeting) if show_cases else None,
        can_answer_preparation=can_answer(current_user, meeting),
        members=members,
        recorded=recorded,
        add_form=add_form,
        guest_form=guest_form
        or GuestForm(formdata=None, organisations=organisations_of_region(meeting.group.region_id)),
        attendance_form=AttendanceForm.for_members(
            members, recorded, _return_step(meeting, request.args.get("stap", ""))
        ),
        move_form=AgendaMoveForm(),
        needed=planning.agenda_minutes(meeting),
        can_plan=can_plan(current_user, meeting),
        show_cases=show_cases,
        can_run=policy.can_run_meeting(current_user, meeting),
        calls=proposals.for_meeting_page(meeting, current_user, local_today())
        if show_cases
        else None,
        series_visible=can_read_series_of(current_user, meeting.group),
        signal_feedback=meeting_feedback(meeting)
        if show_cases and meeting.is_open_for_edits
        else None,
        presence_form=CasePresenceForm,
        region_orgs=_region_organisations(meeting),
        default_presence=planning.default_case_presence(meeting),
        present_orgs=sorted(
            {
                a.organisation.name
                for a in meeting.attendance
                if a.organisation and a.status.value == "aanwezig"
            }
        ),
    )
    return html, status


def _back(meeting: Meeting):
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


@bp.route("/bijeenkomsten/<int:meeting_id>/agenda", methods=["POST"])
@authenticated
def agenda_add(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, policy.can_change_agenda)
    form = AgendaAddForm()
    form.case_id.choices = [
        SelectChoice(c.id, c.pseudonym) for c in planning.agenda_candidates(meeting)
    ]
    if form.validate_on_submit():
        try:
            planning.add_to_agenda(
                meeting,
                load_or_deny(Case, form.case_id.data, anyone, within=(meeting.group, "group_id")),
                actor=current_user,
            )
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Case added to the agenda."), "success")
    else:
        flash(_("Choose a case of this group that is not on the agenda yet."), "error")
    return _back(meeting)


def _agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    return load_or_deny(AgendaItem, item_id, anyone, within=(meeting, "meeting_id"))


@bp.route("/bijeenkomsten/<int:meeting_id>/agenda/<int:item_id>/verwijderen", methods=["POST"])
@authenticated
def agenda_remove(meeting_id: int, item_id: int):
    meeting = load_or_deny(Meeting, meeting_id, policy.can_change_agenda)
    item = _agenda_item(meeting, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            planning.remove_from_agenda(meeting, item, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
    return _back(meeting)


@bp.route("/bijeenkomsten/<int:meeting_id>/agenda/<int:item_id>/verplaatsen", methods=["POST"])
@authenticated
def agenda_move(meeting_id: int, item_id: int):
    meeting = load_or_deny(Meeting, meeting_id, policy.can_change_agenda)
    item = _agenda_item(meeting, item_id)
    form = AgendaMoveForm()
    if form.validate_on_submit():
        try:
            planning.move_on_agenda(meeting, item, int(form.direction.data), actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
    return _back(meeting)


@bp.route("/bijeenkomsten/<int:meeting_id>/aanwezigheid", methods=["POST"])
@authenticated
def attendance_set(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_plan)
    form = AttendanceForm()
    if not form.validate_on_submit():
        flash(_("The attendance was not saved: reload the page and try again."), "error")
        return _back_to_attendance(meeting, form.return_step.data)
    # Anyone outside the group's region cannot come from the page: a forged id, logged 403.
    rows = {
        load_or_deny(User, user_id, person_of_region(meeting.group)): row
        for user_id, row in form.statuses().items()
    }
    try:
        changed = attendance.record_attendance(
            meeting,
            {user: status for user, (status, _shown) in rows.items()},
            shown={user.id: shown for user, (_status, shown) in rows.items()},
            fill_open=form.everyone_present.data,
            actor=current_user,
        )
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back_to_attendance(meeting)
    db.session.commit()
    saved = ngettext(
        "Attendance saved: %(num)d change.", "Attendance saved: %(num)d changes.", changed
    )
    flash(saved, "success")
    return _back_to_attendance(meeting, form.return_step.data)


def _return_step(meeting: Meeting, ref: str) -> str:
    """The facilitation step to go back to: only while the meeting runs, for who runs it."""
    running = meeting.status == MeetingStatus.LOPEND
    return ref if running and policy.can_run_meeting(current_user, meeting) else ""


def _back_to_attendance(meeting: Meeting, step: str = ""):
    if step := _return_step(meeting, step):
        return redirect(url_for("facilitate.screen", meeting_id=meeting.id, stap=step))
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id, _anchor="attendance"))


@bp.route("/bijeenkomsten/<int:meeting_id>/gasten", methods=["POST"])
@authenticated
def guest_add(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_plan)
    form = GuestForm(organisations=organisations_of_region(meeting.group.region_id))
    if form.validate_on_submit():
        try:
            attendance.add_guest(meeting, **_guest_details(form), actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Guest added."), "success")
            return _back_to_attendance(meeting)
    return _detail_page(meeting, guest_form=form, status=422)


def _guest_details(form: GuestForm) -> dict:
    return {
        "name": form.guest_name.data,
        "role": form.guest_role.data,
        "organisation_id": form.organisation_id.data or None,
        "status": form.status.data,
        "personal_data_confirmed": form.personal_data_confirmed.data,
    }


def _guest(meeting: Meeting, guest_id: int) -> Attendance:
    return load_or_deny(Attendance, guest_id, is_guest, within=(meeting, "meeting_id"))


def is_guest(_user, row: Attendance) -> bool:
    """A member's attendance is set in the attendance form, never corrected as a guest."""
    return row.user_id is None


@bp.route("/bijeenkomsten/<int:meeting_id>/gasten/<int:guest_id>", methods=["GET", "POST"])
@authenticated
def guest_edit(meeting_id: int, guest_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_plan)
    guest = _guest(meeting, guest_id)
    form = GuestForm(
        organisations=organisations_of_region(meeting.group.region_id),
        obj=guest,
        status=guest.status.value,
        organisation_id=guest.organisation_id or 0,
    )
    if form.validate_on_submit():
        try:
            attendance.correct_guest(guest, **_guest_details(form), actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Guest saved."), "success")
            return _back_to_attendance(meeting)
    return render_template("meetings/guest_edit.html", form=form, meeting=meeting, guest=guest)


@bp.route(
    "/bijeenkomsten/<int:meeting_id>/gasten/<int:guest_id>/verwijderen", methods=["GET", "POST"]
)
@authenticated
def guest_remove(meeting_id: int, guest_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_plan)
    guest = _guest(meeting, guest_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            attendance.remove_guest(guest, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Guest removed."), "success")
        return _back_to_attendance(meeting)
    return render_template("meetings/guest_remove.html", form=form, meeting=meeting, guest=guest)


@bp.route("/bijeenkomsten/<int:meeting_id>/annuleren", methods=["POST"])
@authenticated
def meeting_cancel(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_plan)
    if ConfirmForm().validate_on_submit():
        try:
            planning.cancel_meeting(meeting, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Meeting cancelled."), "success")
    return _back(meeting)


@bp.route("/bijeenkomsten/<int:meeting_id>/starten", methods=["POST"])
@authenticated
def meeting_start(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, policy.can_run_meeting)
    if ConfirmForm().validate_on_submit():
        try:
            run.start_meeting(meeting, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
            return _back(meeting)
        db.session.commit()
        return redirect(url_for("facilitate.screen", meeting_id=meeting.id))
    return _back(meeting)


@bp.route("/bijeenkomsten/<int:meeting_id>/agenda/<int:item_id>/aanwezig", methods=["POST"])
@authenticated
def case_presence(meeting_id: int, item_id: int):
    meeting = load_or_deny(Meeting, meeting_id, policy.can_change_agenda)
    item = _agenda_item(meeting, item_id)
    organisations = _region_organisations(meeting)
    form = CasePresenceForm(organisations=organisations)
    if form.validate_on_submit():
        chosen = set(form.organisations.data or ())
        try:
            planning.set_case_presence(
                meeting, item, [o for o in organisations if o.id in chosen], actor=current_user
            )
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("Organisations present for %(pseudonym)s saved.", pseudonym=item.case.pseudonym),
                "success",
            )
    return _back(meeting)


def _region_organisations(meeting: Meeting) -> list[Organisation]:
    return organisations_of_region(meeting.group.region_id, active_only=True)
