"""Action screens: "Mijn acties", the group's board, an action's page with its history, and
agreeing, editing and updating an action."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.actions import queries
from facilitator.actions import services as actions
from facilitator.actions.forms import NO_CASE, ActionForm, BoardFilterForm, UpdateForm
from facilitator.actions.models import ActionItem
from facilitator.actions.policy import (
    can_add_actions,
    can_edit_action,
    can_update_action,
    can_view_action,
    can_view_board,
)
from facilitator.auth.access import authenticated
from facilitator.cases.models import Case
from facilitator.cases.policy import can_view_case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import database_int, show_service_error
from facilitator.groups.models import CaseGroup
from facilitator.groups.people import load_person, people_of_group
from facilitator.loading import load_or_deny, note_reads
from facilitator.localtime import local_today
from facilitator.pagination import paginate
from facilitator.regions.services import organisations_of_region
from facilitator.versions import EditConflict, show_conflict

bp = Blueprint("actions", __name__)


@bp.route("/acties")
@authenticated
def my_actions():
    page = paginate(queries.owned_by(current_user))
    note_reads(page.items, listed_by="own_actions")
    forms = {action.id: UpdateForm.for_action(action, "mijn") for action in page.items}
    return render_template("actions/my_actions.html", page=page, forms=forms, today=local_today())


@bp.route("/acties/<int:action_id>")
@authenticated
def action_detail(action_id: int):
    action = load_or_deny(ActionItem, action_id, can_view_action)
    return _detail(action, UpdateForm.for_action(action, "actie"))


def _detail(action: ActionItem, form: UpdateForm, status: int = 200):
    """The action's page: its facts, history, and the update form for who may use it."""
    html = render_template(
        "actions/action_detail.html",
        action=action,
        history=queries.history(action),
        form=form,
        can_update=can_update_action(current_user, action),
        can_edit=can_edit_action(current_user, action),
        can_see_group=can_view_board(current_user, action.group),
        today=local_today(),
    )
    return html, status


@bp.route("/acties/<int:action_id>/terugkoppeling", methods=["POST"])
@authenticated
def action_update(action_id: int):
    action = load_or_deny(ActionItem, action_id, can_update_action)
    form = UpdateForm().identify(action)
    if form.validate_on_submit():
        try:
            actions.change_status(
                action,
                form.status.data,
                note=form.note.data,
                due_on=form.due_on.data,
                actor=current_user,
                confirmed=form.personal_data_confirmed.data,
                seen_version=form.version.data,
            )
        except EditConflict as error:
            db.session.rollback()
            show_conflict(form, error, form.changes_since(action))
            return _detail(action, form, 409)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Update saved."), "success")
            return redirect(_back_to(action, form.back.data))
    return _detail(action, form, 422)


def _back_to(action: ActionItem, where: str) -> str:
    """Back where the update was made: "Mijn acties", the start page, the board, the case."""
    anchor = f"action-{action.id}"
    if where == "mijn":
        return url_for(".my_actions", _anchor=anchor)
    if where == "start":
        return url_for("core.index", _anchor=anchor)
    if where == "bord":
        return url_for(".board", group_id=action.group_id, _anchor=anchor)
    if where == "casus" and action.case_id is not None:
        return url_for("cases.case_detail", case_id=action.case_id, _anchor=anchor)
    return url_for(".action_detail", action_id=action.id)


@bp.route("/groepen/<int:group_id>/acties")
@authenticated
def board(group_id: int):
    group = load_or_deny(CaseGroup, group_id, can_view_board)
    filters = BoardFilterForm(
        request.args,
        organisations=organisations_of_region(group.region_id),
        cases=queries.cases_to_choose(group, open_only=False),
        people=people_of_group(group),
    )
    page = paginate(queries.board(group, filters.chosen(), local_today()))
    note_reads(page.items, listed_by="can_view_board")
    forms = {action.id: UpdateForm.for_action(action, "bord") for action in page.items}
    return render_template(
        "actions/board.html",
        group=group,
        filters=filters,
        page=page,
        forms=forms,
        can_add=can_add_actions(current_user, group),
        today=local_today(),
    )


@bp.route("/groepen/<int:group_id>/acties/nieuw", methods=["GET", "POST"])
@authenticated
def action_create(group_id: int):
    group = load_or_deny(CaseGroup, group_id, can_add_actions)
    form = ActionForm.creating(
        people=people_of_group(group), cases=queries.cases_to_choose(group, open_only=True)
    )
    if not form.is_submitted():
        form.case_id.data = request.args.get("casus", NO_CASE, type=database_int)
    if form.validate_on_submit():
        try:
            action = actions.create_action(group, actor=current_user, **_fields(form, group))
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Action agreed."), "success")
            return redirect(url_for(".action_detail", action_id=action.id))
    return render_template("actions/action_form.html", form=form, group=group, action=None)


@bp.route("/acties/<int:action_id>/bewerken", methods=["GET", "POST"])
@authenticated
def action_edit(action_id: int):
    action = load_or_deny(ActionItem, action_id, can_edit_action)
    group = action.group
    cases = queries.cases_to_choose(group, open_only=True)
    form = ActionForm.editing(action, people_of_group(group), cases)
    if form.validate_on_submit():
        fields = _fields(form, group)
        try:
            actions.edit_action(
                action, actor=current_user, seen_version=form.version.data, **fields
            )
        except EditConflict as error:
            db.session.rollback()
            show_conflict(form, error, form.changes_since(action))
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Action saved."), "success")
            return redirect(url_for(".action_detail", action_id=action.id))
    html = render_template("actions/action_form.html", form=form, group=group, action=action)
    return html, 409 if form.conflict else 200


def _fields(form: ActionForm, group: CaseGroup) -> dict:
    """What the form holds, as the services take it: owner and case loaded by their rules."""
    case_id = form.case_id.data
    return {
        "description": form.description.data,
        "owner": load_person(form.owner_id.data, group),
        "due_on": form.due_on.data,
        "case": None
        if case_id == NO_CASE
        else load_or_deny(Case, case_id, can_view_case, within=(group, "group_id")),
        "confirmed": form.personal_data_confirmed.data,
    }
