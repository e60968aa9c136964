"""Reads of actions for "Mijn acties", the group's board, a case page and the CLI: each a
``select()`` that loads what the page shows with it, so a page reads a fixed number of queries
whatever the number of actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import joinedload

from facilitator.actions.models import OPEN_STATUSES, ActionItem, ActionStatus, ActionUpdate
from facilitator.cases.models import Case, CaseStatus
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.regions.models import Contact
from facilitator.users.models import User


def shown() -> tuple:
    """What every list shows of an action, loaded with it: owner, organisation, case, group.

    A function, not a constant: building loader options configures the mappers, which must
    wait until every model is imported.
    """
    return (
        joinedload(ActionItem.owner_user),
        joinedload(ActionItem.owner_contact),
        joinedload(ActionItem.organisation),
        joinedload(ActionItem.case),
        joinedload(ActionItem.group),
    )


def _ordered(query: Select) -> Select:
    """Open first (open and being carried out), then by due date."""
    still_open = case((ActionItem.status.in_(OPEN_STATUSES), 0), else_=1)
    return query.order_by(still_open, ActionItem.due_on, ActionItem.id)


def _overdue(today: date):
    return ActionItem.status.in_(OPEN_STATUSES) & (ActionItem.due_on < today)


@dataclass(frozen=True)
class BoardFilter:
    """The board's filters, from its GET parameters; None (or False) shows everything."""

    status: ActionStatus | None = None
    overdue: bool = False
    organisation_id: int | None = None
    case_id: int | None = None
    #: ("user", id) or ("contact", id)
    owner: tuple[str, int] | None = None


def board(group: CaseGroup, chosen: BoardFilter, today: date) -> Select:
    """Select the group's actions that pass the filters, open first."""
    query = select(ActionItem).where(ActionItem.group_id == group.id).options(*shown())
    if chosen.status is not None:
        query = query.where(ActionItem.status == chosen.status)
    if chosen.overdue:
        query = query.where(_overdue(today))
    if chosen.organisation_id is not None:
        query = query.where(ActionItem.organisation_id == chosen.organisation_id)
    if chosen.case_id is not None:
        query = query.where(ActionItem.case_id == chosen.case_id)
    if chosen.owner is not None:
        kind, person_id = chosen.owner
        column = ActionItem.owner_contact_id if kind == "contact" else ActionItem.owner_user_id
        query = query.where(column == person_id)
    return _ordered(query)


def owned_by(user: User) -> Select:
    """Select the actions a user owns, in every group, open first."""
    return _ordered(select(ActionItem).where(ActionItem.owner_user_id == user.id).options(*shown()))


def open_owned_by(user: User, limit: int) -> tuple[list[ActionItem], bool]:
    """The first ``limit`` open actions a user owns, and whether there are more: one query."""
    found = db.session.scalars(
        owned_by(user).where(ActionItem.status.in_(OPEN_STATUSES)).limit(limit + 1)
    ).all()
    return list(found[:limit]), len(found) > limit


def of_case(case_: Case) -> list[ActionItem]:
    """The case's actions, open first."""
    return list(
        db.session.scalars(
            _ordered(select(ActionItem).where(ActionItem.case_id == case_.id).options(*shown()))
        )
    )


def history(action: ActionItem) -> list[ActionUpdate]:
    """Every update of an action, oldest first, with who made it."""
    return list(
        db.session.scalars(
            select(ActionUpdate)
            .where(ActionUpdate.action_id == action.id)
            .options(joinedload(ActionUpdate.by))
            .order_by(ActionUpdate.at, ActionUpdate.id)
        )
    )


def listing(
    group: CaseGroup | None = None, owner_email: str = "", status: ActionStatus | None = None
) -> Select:
    """Select actions for the CLI: of a group, of an owner (user or contact), with a status."""
    query = select(ActionItem).options(*shown())
    if group is not None:
        query = query.where(ActionItem.group_id == group.id)
    if owner_email:
        email = owner_email.strip().lower()
        query = query.where(
            or_(
                ActionItem.owner_user_id.in_(select(User.id).where(User.email == email)),
                ActionItem.owner_contact_id.in_(select(Contact.id).where(Contact.email == email)),
            )
        )
    if status is not None:
        query = query.where(ActionItem.status == status)
    return query.order_by(ActionItem.group_id, ActionItem.due_on, ActionItem.id)


def cases_to_choose(group: CaseGroup, *, open_only: bool) -> list[Case]:
    """The group's cases by pseudonym, to link an action to or filter by."""
    query = select(Case).where(Case.group_id == group.id).order_by(Case.pseudonym)
    if open_only:
        query = query.where(Case.status != CaseStatus.AFGESLOTEN)
    return list(db.session.scalars(query))
