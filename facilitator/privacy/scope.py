"""Whose identities the personal-data guard keeps out of a text, and the audit of each look.

Decrypting an identity for the guard is a read of identity data (NEN 7513): every one is
audited, in a transaction of its own, so that the row outlives a refused save.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from facilitator.audit.models import AuditAction, AuditEvent
from facilitator.audit.services import record_committed
from facilitator.cases.models import Case, PrivacyMode
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, GroupMembership
from facilitator.privacy.identity import read_identity
from facilitator.privacy.models import Consent
from facilitator.privacy.services import IDENTITY_ROLES, today
from facilitator.users.models import User


def identities_in_scope(
    actor: User | None, audit_key: str = "", since: datetime | None = None
) -> list[str]:
    """The identity values the guard keeps out of everything this user types.

    Every case, in every group the user is a member of, whose active consent covers the
    user's organisation, for a role that may ever see identity (P7): the identities the user
    could look at anyway, kept out of texts that others read, whichever group they go to.
    Decrypting for anyone else would let them test guesses against an identity (the guard's
    answer tells whether a name is a client's), so they get the generic patterns only;
    exports scan every identity again. Each decryption is audited
    in its own transaction: with an ``audit_key``, once per case since ``since`` (an autosave
    records one row per field per step visit, not one per keystroke save).
    """
    if actor is None or actor.role not in IDENTITY_ROLES:
        return []
    day = today()
    cases = [
        case
        for case in db.session.scalars(
            select(Case)
            .join(GroupMembership, GroupMembership.group_id == Case.group_id)
            .where(
                GroupMembership.user_id == actor.id,
                Case.privacy_mode == PrivacyMode.TOESTEMMING,
            )
            .options(
                # The identity rows come with the cases: read_identity finds them loaded.
                selectinload(Case.identity),
                selectinload(Case.consents).selectinload(Consent.organisations),
            )
        )
        if any(c.is_active(day) and c.covers(actor.organisation_id) for c in case.consents)
    ]
    if not cases:
        return []
    reason = f"personal-data guard {audit_key}".strip()[:255]
    already = _scans_recorded(actor, reason, since) if audit_key and since else set()
    values: list[str] = []
    for case in cases:
        identity = read_identity(case)
        if identity is None:
            continue
        if case.pseudonym not in already:
            record_committed(
                "identity_scanned",
                action=AuditAction.READ,
                actor=actor,
                object_type="case_identity",
                object_id=case.id,
                case_pseudonym=case.pseudonym,
                reason=reason,
                check_result="consent_scope",
            )
        values.extend(identity.values_for_scanning())
    return values


def group_identities(group: CaseGroup, *, reason: str) -> list[str]:
    """Every active identity of a group, for an operator's scan from the command line.

    The operator acts on the server itself, outside the consent scopes; each decryption is
    audited with the reason.
    """
    day = today()
    values: list[str] = []
    for case in db.session.scalars(
        select(Case).where(Case.group_id == group.id, Case.privacy_mode == PrivacyMode.TOESTEMMING)
    ):
        if not any(c.is_active(day) for c in case.consents):
            continue
        identity = read_identity(case)
        if identity is None:
            continue
        record_committed(
            "identity_scanned",
            action=AuditAction.READ,
            object_type="case_identity",
            object_id=case.id,
            case_pseudonym=case.pseudonym,
            reason=reason,
            check_result="operator",
        )
        values.extend(identity.values_for_scanning())
    return values


def _scans_recorded(actor: User, reason: str, since: datetime) -> set[str]:
    return set(
        db.session.scalars(
            select(AuditEvent.case_pseudonym).where(
                AuditEvent.event_type == "identity_scanned",
                AuditEvent.user_id == actor.id,
                AuditEvent.reason == reason,
                AuditEvent.occurred_at >= since,
            )
        )
    )
