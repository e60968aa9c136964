"""Action workflows: create, edit, and change the status with a terugkoppeling note.

Used by the board, the case page, "Mijn acties" and the meeting's records alike; each takes
the acting user, screens what was typed, writes its audit row and flushes, never commits.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from facilitator.actions.models import ActionItem, ActionStatus, ActionUpdate
from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_today
from facilitator.privacy import guard
from facilitator.regions.models import Contact
from facilitator.users.models import User
from facilitator.versions import claim_version

if TYPE_CHECKING:
    from facilitator.meetings.models import Meeting

#: What an action and a note may hold: a sentence or two, as the forms allow.
MAX_DESCRIPTION = 1000
MAX_NOTE = 1000


def create_action(
    group: CaseGroup,
    *,
    description: str,
    owner: User | Contact,
    due_on: date,
    actor: User,
    case: Case | None = None,
    meeting: Meeting | None = None,
    step_ref: str = "",
    not_before: date | None = None,
    confirmed: bool = False,
) -> ActionItem:
    """Agree an action in a group: what, who (and so which organisation), by when.

    ``not_before`` is the earliest due date (default today; a meeting passes its own day).
    """
    _check_description(description)
    _check_owner(group, owner)
    _check_links(group, case, meeting)
    _check_due(due_on, not_before)
    action = ActionItem(
        group_id=group.id,
        meeting_id=meeting.id if meeting is not None else None,
        case_id=case.id if case is not None else None,
        step_ref=step_ref,
        description=description.strip(),
        organisation_id=owner.organisation_id,
        due_on=due_on,
        created_by_id=actor.id,
    )
    action.owner = owner
    guard.screen({"description": description}, actor=actor, on=action, confirmed=confirmed)
    db.session.add(action)
    db.session.flush()
    record(
        "action_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="action_item",
        object_id=action.id,
        case_pseudonym=case.pseudonym if case is not None else "",
    )
    return action


def edit_action(
    action: ActionItem,
    *,
    description: str,
    owner: User | Contact,
    due_on: date,
    case: Case | None,
    actor: User,
    not_before: date | None = None,
    confirmed: bool = False,
    seen_version: int | None = None,
) -> ActionItem:
    """Correct what, who, by when, and the case it concerns.

    A new owner brings their organisation; a moved due date is kept in the history. An edit
    made on an older version than ``seen_version`` is refused (facilitator.versions).
    """
    claim_version(action, seen_version)
    _check_description(description)
    if owner is not action.owner:
        _check_owner(action.group, owner)
    if case is not action.case:
        _check_links(action.group, case, None)
    if due_on != action.due_on:
        _check_due(due_on, not_before)
    guard.screen({"description": description}, actor=actor, on=action, confirmed=confirmed)
    new_owner = owner is not action.owner
    changed = sorted(
        name
        for name, differs in (
            ("description", description.strip() != action.description),
            ("owner", new_owner),
            ("organisation", new_owner and owner.organisation_id != action.organisation_id),
            ("due_on", due_on != action.due_on),
            ("case", case is not action.case),
        )
        if differs
    )
    if due_on != action.due_on:
        _add_update(action, action.status, actor=actor, due_on=due_on, note="")
    if new_owner:  # the organisation follows a new owner, not an old one's move
        action.organisation_id = owner.organisation_id
        action.owner = owner
    action.description = description.strip()
    action.due_on = due_on
    action.case = case
    db.session.flush()
    record(
        "action_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="action_item",
        object_id=action.id,
        case_pseudonym=case.pseudonym if case is not None else "",
        reason=",".join(changed) or "unchanged",
    )
    return action


def change_status(
    action: ActionItem,
    status: ActionStatus | str,
    *,
    note: str,
    actor: User,
    due_on: date | None = None,
    meeting: Meeting | None = None,
    confirmed: bool = False,
    seen_version: int | None = None,
) -> ActionUpdate:
    """Record how an action stands, with a short terugkoppeling note (always required).

    The status may stay as it is (a progress note); ``due_on`` moves the due date of an action
    that goes on. ``meeting`` is the meeting in which the update was recorded, if any. An
    update made on an older version than ``seen_version`` is refused (facilitator.versions).
    """
    claim_version(action, seen_version)
    new_status = ActionStatus(status)
    if not note.strip():
        raise ServiceError(
            _l("Write a short note on how the action stands (terugkoppeling)."), field="note"
        )
    if len(note.strip()) > MAX_NOTE:
        raise ServiceError(_l("This note is too long."), field="note")
    moved = due_on is not None and due_on != action.due_on
    if moved and not new_status.is_open:
        raise ServiceError(_l("A new due date is for an action that goes on."), field="due_on")
    if moved:
        _check_due(due_on, None)
    guard.screen({"note": note}, actor=actor, on=action, confirmed=confirmed)
    update = _add_update(
        action, new_status, actor=actor, due_on=due_on if moved else None, note=note
    )
    update.meeting_id = meeting.id if meeting is not None else None
    if moved:
        action.due_on = due_on
    action.status = new_status
    db.session.flush()
    record(
        "action_status",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="action_item",
        object_id=action.id,
        case_pseudonym=action.case.pseudonym if action.case is not None else "",
        reason=f"{update.status_from.value}->{update.status_to.value}"
        + (",due_on" if moved else ""),
    )
    return update


def _add_update(
    action: ActionItem, status: ActionStatus, *, actor: User, due_on: date | None, note: str
) -> ActionUpdate:
    update = ActionUpdate(
        status_from=action.status,
        status_to=status,
        due_from=action.due_on if due_on is not None else None,
        due_to=due_on,
        note=note.strip(),
        by_id=actor.id,
    )
    action.updates.append(update)
    return update


def _check_description(description: str) -> None:
    if not description.strip():
        raise ServiceError(_l("Describe the action."), field="description")
    if len(description.strip()) > MAX_DESCRIPTION:
        raise ServiceError(_l("This description is too long."), field="description")


def _check_owner(group: CaseGroup, owner: User | Contact) -> None:
    if owner.organisation.region_id != group.region_id:
        raise ServiceError(_l("The owner must work in the group's region."), field="owner_id")
    if not owner.active:
        raise ServiceError(_l("Choose an active professional of the region."), field="owner_id")


def _check_links(group: CaseGroup, case: Case | None, meeting: Meeting | None) -> None:
    if case is not None and case.group_id != group.id:
        raise ServiceError(_l("Choose a case of this group."), field="case_id")
    if meeting is not None and meeting.group_id != group.id:
        raise ServiceError(_l("This meeting is not one of the group's."))


def _check_due(due_on: date | None, not_before: date | None) -> None:
    if due_on is None:
        raise ServiceError(_l("Give the date by which it is done."), field="due_on")
    earliest = not_before or local_today()
    if due_on < earliest:
        message = (
            _l("The due date lies before the meeting.")
            if not_before is not None
            else _l("The due date lies in the past.")
        )
        raise ServiceError(message, field="due_on")
