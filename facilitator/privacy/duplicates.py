"""Possible duplicates: flagged to those inside the existing case's scope, never an oracle (P3)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.policy import is_group_procesbegeleider
from facilitator.privacy.models import DuplicateDecision, PossibleDuplicate
from facilitator.privacy.services import may_reveal_identity
from facilitator.users.models import User


def flag_possible_duplicate(case: Case, existing: Case, *, actor: User | None) -> None:
    """Record that a new case may be a client the region already knows."""
    flag = PossibleDuplicate(case_id=case.id, existing_case_id=existing.id)
    db.session.add(flag)
    db.session.flush()
    record(
        "possible_duplicate_flagged",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="possible_duplicate",
        object_id=flag.id,
        case_pseudonym=existing.pseudonym,
        reason=f"new case {case.pseudonym}",
        check_result="blind_index",
    )


def can_decide_duplicate(user: User, flag: PossibleDuplicate) -> bool:
    """The procesbegeleiders of the group that holds the existing case who are inside its
    consent scope (P3, P7), and never the person who registered the new case: for anyone
    else the flag would tell that two pseudonyms are one client."""
    return (
        is_group_procesbegeleider(user, flag.existing_case.group)
        and may_reveal_identity(flag.existing_case, user)
        and flag.case.brought_by_id != user.id
    )


def duplicates_shown_to(user: User, case: Case) -> list[PossibleDuplicate]:
    """The flags on this case that this user may see and decide, newest first."""
    flags = db.session.scalars(
        select(PossibleDuplicate)
        .where(
            or_(PossibleDuplicate.case_id == case.id, PossibleDuplicate.existing_case_id == case.id)
        )
        .options(
            selectinload(PossibleDuplicate.case).selectinload(Case.group),
            selectinload(PossibleDuplicate.existing_case).selectinload(Case.group),
        )
        .order_by(PossibleDuplicate.flagged_at.desc())
    )
    return [flag for flag in flags if can_decide_duplicate(user, flag)]


def decide_duplicate(
    flag: PossibleDuplicate, decision: DuplicateDecision | str, *, actor: User
) -> None:
    """Record whether the two cases are the same client or different ones."""
    decision = DuplicateDecision(decision)
    if decision == DuplicateDecision.OPEN:
        raise ServiceError(_l("Choose whether these are the same client."))
    flag.decision = decision
    flag.decided_at = utcnow()
    flag.decided_by_id = actor.id
    record(
        "possible_duplicate_decided",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="possible_duplicate",
        object_id=flag.id,
        case_pseudonym=flag.existing_case.pseudonym,
        reason=decision.value,
    )
