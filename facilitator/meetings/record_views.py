"""The records made on the facilitation screen: findings and actions (added, edited, removed),
the review of earlier actions and of each case, the regievoerder and the building-block scores.

A save comes back at what it saved (``#finding-3``), not at the top of the step, and the page's
script moves the focus there. A refused form comes back in its step with what was typed and
why, rendered by :func:`facilitator.meetings.facilitate.render_screen`: the records are part
of that screen.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.actions.models import ActionItem
from facilitator.auth.access import authenticated
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm
from facilitator.groups.people import load_person
from facilitator.loading import anyone, load_or_deny
from facilitator.meetings import conflicts, queries, records, review, run
from facilitator.meetings.forms import (
    ActionForm,
    ActionReviewForm,
    BuildingBlocksForm,
    CaseUpdateForm,
    FindingForm,
    NewActionForm,
    NewFindingForm,
    RegievoerderForm,
)
from facilitator.meetings.models import AgendaItem, Finding, Meeting, MeetingStatus
from facilitator.meetings.policy import action_of_group, can_run_meeting
from facilitator.meetings.screen_saving import back_to_step as _back
from facilitator.meetings.screen_saving import save_on_screen

bp = Blueprint("meeting_records", __name__, url_prefix="/bijeenkomsten/<int:meeting_id>")


@bp.route("/bevindingen", methods=["POST"])
@authenticated
def finding_add(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    organisations = queries.organisations(meeting)
    form = NewFindingForm(organisations=organisations)
    return _save(
        meeting,
        form.ref.data,
        form,
        "finding_form",
        lambda: records.add_finding(
            meeting, form.ref.data, actor=current_user, **_finding(form, organisations)
        ),
        lambda finding: f"finding-{finding.id}",
    )


@bp.route("/bevindingen/<int:finding_id>", methods=["POST"])
@authenticated
def finding_edit(meeting_id: int, finding_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    finding = load_or_deny(Finding, finding_id, anyone, within=(meeting, "meeting_id"))
    organisations = queries.organisations(meeting)
    form = FindingForm.editing(finding, organisations, posted=True)
    return _save(
        meeting,
        finding.step_ref,
        form,
        ("finding", finding.id),
        lambda: records.update_finding(
            meeting, finding, actor=current_user, **_finding(form, organisations)
        ),
        lambda saved: f"finding-{saved.id}",
    )


@bp.route("/bevindingen/<int:finding_id>/verwijderen", methods=["POST"])
@authenticated
def finding_remove(meeting_id: int, finding_id: int):
    return _remove(meeting_id, Finding, finding_id, "findings")


@bp.route("/acties", methods=["POST"])
@authenticated
def action_add(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = NewActionForm(people=queries.people(meeting))
    return _save(
        meeting,
        form.ref.data,
        form,
        "action_form",
        lambda: records.add_action(
            meeting, form.ref.data, actor=current_user, **_action(form, meeting)
        ),
        lambda action: f"action-{action.id}",
    )


@bp.route("/acties/<int:action_id>", methods=["POST"])
@authenticated
def action_edit(meeting_id: int, action_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    action = load_or_deny(ActionItem, action_id, anyone, within=(meeting, "meeting_id"))
    form = ActionForm.editing(action, queries.people(meeting), posted=True)
    return _save(
        meeting,
        action.step_ref,
        form,
        ("action", action.id),
        lambda: records.update_action(
            meeting,
            action,
            actor=current_user,
            seen_version=form.version.data,
            **_action(form, meeting),
        ),
        lambda saved: f"action-{saved.id}",
        changes=lambda: conflicts.action_changes(form, action),
    )


@bp.route("/acties/<int:action_id>/verwijderen", methods=["POST"])
@authenticated
def action_remove(meeting_id: int, action_id: int):
    return _remove(meeting_id, ActionItem, action_id, "actions")


@bp.route("/acties/<int:action_id>/status", methods=["POST"])
@authenticated
def action_status(meeting_id: int, action_id: int):
    """The review of an earlier action: done, goes on until a new date, or dropped."""
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    action = load_or_deny(ActionItem, action_id, action_of_group(meeting))
    form = ActionReviewForm.of(action)
    return _save(
        meeting,
        form.ref.data or meeting.current_step,
        form,
        ("review", action.id),
        lambda: review.review_action(
            meeting,
            action,
            form.status.data,
            note=form.note.data,
            due_on=form.due_on.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
            seen_version=form.version.data,
        ),
        lambda _saved: f"review-{action.id}",
        changes=lambda: conflicts.review_changes(form, action),
    )


@bp.route("/agenda/<int:item_id>/stand-van-zaken", methods=["POST"])
@authenticated
def case_update(meeting_id: int, item_id: int):
    """The regievoerder's update on how the client of an agenda case is doing."""
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    item = load_or_deny(AgendaItem, item_id, anyone, within=(meeting, "meeting_id"))
    form = CaseUpdateForm.of(item)

    def save():
        try:
            return review.record_case_update(
                meeting,
                item,
                form.text.data,
                expected_version=form.version.data,
                actor=current_user,
                confirmed=form.personal_data_confirmed.data,
            )
        except review.CaseUpdateConflict as conflict:
            form.version.data = conflict.current.version  # saving again replaces theirs
            raise

    return _save(
        meeting,
        form.ref.data or meeting.current_step,
        form,
        ("case_update", item.id),
        save,
        lambda _saved: f"case-update-{item.id}",
    )


@bp.route("/regievoerder", methods=["POST"])
@authenticated
def regievoerder(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = RegievoerderForm(people=queries.people(meeting))
    if not form.validate_on_submit():
        return _back(meeting, form.ref.data)
    try:
        case = run.find_step(meeting, form.ref.data).case
    except ServiceError:
        case = None
    if case is None:
        flash(_("A regievoerder is chosen in a case step."), "error")
        return _back(meeting, form.ref.data)
    return _apply(
        meeting,
        form.ref.data,
        lambda: records.assign_regievoerder(
            meeting, case, load_person(form.person.data, meeting.group), actor=current_user
        ),
        "regievoerder",
    )


@bp.route("/bouwstenen", methods=["POST"])
@authenticated
def building_blocks(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = BuildingBlocksForm()
    return _save(
        meeting,
        form.ref.data,
        form,
        "blocks_form",
        lambda: records.save_building_blocks(
            meeting,
            form.scores(),
            went_well=form.went_well.data or "",
            could_be_better=form.could_be_better.data or "",
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
        lambda _saved: "building-blocks",
    )


def _finding(form: FindingForm, organisations) -> dict:
    """What a finding form holds, as the services take it."""
    chosen = set(form.organisations.data or ())
    return {
        "kind": form.kind.data,
        "level": form.level.data,
        "text": form.text.data,
        "organisations": [o for o in organisations if o.id in chosen],
        "signal": form.signal.data,
        "confirmed": form.personal_data_confirmed.data,
    }


def _action(form: ActionForm, meeting: Meeting) -> dict:
    """What an action form holds, as the services take it (the owner loaded by the rule)."""
    return {
        "description": form.description.data,
        "owner": load_person(form.owner_id.data, meeting.group),
        "due_on": form.due_on.data,
        "confirmed": form.personal_data_confirmed.data,
    }


def _save(
    meeting: Meeting,
    ref: str,
    form,
    form_key,
    service: Callable,
    anchor: Callable,
    changes: Callable | None = None,
):
    """Answer a record's form while the meeting runs (screen_saving.save_on_screen)."""
    return save_on_screen(
        meeting,
        ref,
        form,
        form_key,
        service,
        anchor,
        status=MeetingStatus.LOPEND,
        wrong_status=records.NOT_RUNNING,
        saved=_("Saved."),
        changes=changes,
    )


def _apply(meeting: Meeting, ref: str, service: Callable, anchor: str):
    """Run a service that takes no typed text; a refusal is flashed (it quotes nothing)."""
    try:
        service()
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _back(meeting, ref)
    db.session.commit()
    flash(_("Saved."), "success")
    return _back(meeting, ref, anchor)


def _remove(meeting_id: int, model: type[Finding] | type[ActionItem], item_id: int, anchor: str):
    """Remove a finding or action of this meeting; one of another meeting is a logged 403."""
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    item = load_or_deny(model, item_id, anyone, within=(meeting, "meeting_id"))
    if not ConfirmForm().validate_on_submit():
        return _back(meeting, item.step_ref)
    return _apply(
        meeting,
        item.step_ref,
        lambda: records.remove_record(meeting, item, actor=current_user),
        anchor,
    )
