"""The regievoerder of a case: who holds the regie now, the handover, and the history."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case, RegievoerderAssignment
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.privacy import guard
from facilitator.regions.models import Contact, Organisation
from facilitator.users.models import User

MAX_REASON = 300


def _people() -> tuple:
    """The people of an assignment, loaded with it (a function: see actions.queries.shown)."""
    return (
        joinedload(RegievoerderAssignment.user).joinedload(User.organisation),
        joinedload(RegievoerderAssignment.contact).joinedload(Contact.organisation),
        joinedload(RegievoerderAssignment.organisation),
        joinedload(RegievoerderAssignment.achterwacht_user),
        joinedload(RegievoerderAssignment.achterwacht_contact),
    )


def current_regievoerder(case: Case) -> RegievoerderAssignment | None:
    """The assignment in force, if the case has a regievoerder."""
    return db.session.scalar(
        select(RegievoerderAssignment)
        .where(RegievoerderAssignment.case_id == case.id, RegievoerderAssignment.ended_at.is_(None))
        .options(*_people())
    )


def regie_history(case_ids: list[int]) -> list[RegievoerderAssignment]:
    """Every assignment of these cases, newest first per case, with the people: one query."""
    if not case_ids:
        return []
    return list(
        db.session.scalars(
            select(RegievoerderAssignment)
            .where(RegievoerderAssignment.case_id.in_(case_ids))
            .options(*_people())
            .order_by(
                RegievoerderAssignment.case_id,
                RegievoerderAssignment.since.desc(),
                RegievoerderAssignment.id.desc(),
            )
        ).unique()
    )


def assign_regievoerder(
    case: Case,
    who: User | Contact,
    *,
    actor: User | None,
    since: date | None = None,
    reason: str = "",
    achterwacht: User | Contact | None = None,
    meeting_id: int | None = None,
    confirmed: bool = False,
) -> RegievoerderAssignment:
    """Give the regie of a case to a user or a contact, from ``since`` (default today).

    The assignment in force ends (a handover, with ``reason``); the history is kept. Giving
    it to whom already holds it, with the same achterwacht, changes nothing. A handover says
    why, unless it was agreed in a meeting (``meeting_id``): that meeting is its record.
    """
    since = since or local_today()
    if case.is_closed:
        raise ServiceError(_l("This case is closed; reopen it first."))
    _check_person(case, who, "regievoerder")
    if achterwacht is not None:
        _check_person(case, achterwacht, "achterwacht")
        if _same(achterwacht, who):
            raise ServiceError(
                _l("The achterwacht is someone else than the regievoerder."), field="achterwacht"
            )
    if len(reason.strip()) > MAX_REASON:
        raise ServiceError(_l("This reason is too long."), field="reason")
    current = current_regievoerder(case)
    unchanged = current is not None and _same(current.person, who)
    if unchanged and _same(current.achterwacht, achterwacht):
        return current
    if current is not None and not unchanged and meeting_id is None and not reason.strip():
        raise ServiceError(
            _l("Say why the regie goes to someone else: the next reader of the case needs it."),
            field="reason",
        )
    if current is not None and since < current.since:
        raise ServiceError(
            _l("A handover cannot lie before the current regie started."), field="since"
        )
    if since > local_today():
        raise ServiceError(_l("The regie starts today or earlier."), field="since")
    # Screened before anything changes; a confirmation is recorded on the new assignment.
    screening = guard.check({"reason": reason}, actor=actor, confirmed=confirmed)
    if screening.refusals:
        raise screening.refusals[0]
    if current is not None:
        current.ended_at = utcnow()
        db.session.flush()  # the one in force ends before the next starts (a unique index)
    assignment = RegievoerderAssignment(
        case_id=case.id,
        organisation_id=who.organisation_id,
        meeting_id=meeting_id,
        since=since,
        handover_reason=reason.strip(),
        created_by_id=actor.id if actor is not None else None,
    )
    _set_people(assignment, who, achterwacht)
    try:
        with db.session.begin_nested():
            db.session.add(assignment)
    except IntegrityError:  # someone else assigned one a moment ago
        raise ServiceError(
            _l("Someone else changed the regievoerder in the meantime; look again.")
        ) from None
    screening.record(actor=actor, on=assignment)
    db.session.expire(case, ["regie_in_force"])  # read with the case: read it again
    record(
        "regievoerder_assigned",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
        reason="handover" if current is not None else "first",
    )
    return assignment


def _check_person(case: Case, person: User | Contact, field: str) -> None:
    organisation: Organisation = person.organisation
    if organisation.region_id != case.group.region_id or not person.active:
        raise ServiceError(_l("Choose an active professional of the region."), field=field)


def _same(one: User | Contact | None, other: User | Contact | None) -> bool:
    return type(one) is type(other) and getattr(one, "id", None) == getattr(other, "id", None)


def _set_people(
    assignment: RegievoerderAssignment, who: User | Contact, achterwacht: User | Contact | None
) -> None:
    if isinstance(who, Contact):
        assignment.contact = who
    else:
        assignment.user = who
    if isinstance(achterwacht, Contact):
        assignment.achterwacht_contact = achterwacht
    elif achterwacht is not None:
        assignment.achterwacht_user = achterwacht
