"""Consent and identity workflows: record, extend, withdraw, reveal, sweep (P5-P7)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.audit.services import record
from facilitator.cases.models import Case, CaseStatus, PrivacyMode
from facilitator.cases.policy import can_manage_consent
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.groups.policy import is_member
from facilitator.localtime import local_today
from facilitator.privacy import guard
from facilitator.privacy.identity import IdentityData, erase_identity, read_identity
from facilitator.privacy.models import Consent, ConsentEvent, ConsentStatus
from facilitator.regions.models import Organisation
from facilitator.users.models import Role, User
from facilitator.versions import EditConflict, claim_version

ACTIVE = (ConsentStatus.GEGEVEN, ConsentStatus.VERLENGD)
#: Roles that may ever see a client's identity (DOMAIN.md: not the projectleider, not the
#: beheerder, even when they are a member of the group).
IDENTITY_ROLES = frozenset({Role.DEELNEMER, Role.PROCESBEGELEIDER})


@dataclass
class ConsentInput:
    given_on: date
    valid_until: date
    organisations: list[Organisation]
    purposes: str
    evidence_reference: str
    form_version: str = ""


def today() -> date:
    """Today in the Netherlands: consent dates are calendar dates there."""
    return local_today()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _too_far(valid_until: date, start: date) -> ServiceError | None:
    months = current_app.config["CONSENT_MAX_MONTHS"]
    if valid_until <= add_months(start, months):
        return None
    return ServiceError(
        ngettext(
            "A consent runs at most %(num)d month; ask the client to sign again later.",
            "A consent runs at most %(num)d months; ask the client to sign again later.",
            months,
        ),
        field="valid_until",
    )


def default_valid_until(given_on: date) -> date:
    return add_months(given_on, current_app.config["CONSENT_DEFAULT_MONTHS"])


def consent_problems(case_org_id: int, region_id: int, consent: ConsentInput) -> list[ServiceError]:
    """Every reason to refuse this consent, each naming its field; empty when it is sound.

    A consent given in the past is fine while it still runs (a project that started before
    its cases were entered here); its longest term counts from the day it was given.
    """
    day = today()
    problems: list[ServiceError] = []

    def refuse(message, field: str) -> None:
        problems.append(ServiceError(message, field=field))

    if consent.given_on > day:
        refuse(_l("Consent cannot be given in the future."), "given_on")
    if consent.valid_until <= consent.given_on:
        refuse(_l("The end date must lie after the date consent was given."), "valid_until")
    elif consent.valid_until < day:
        refuse(_l("This consent has already ended."), "valid_until")
    elif too_far := _too_far(consent.valid_until, consent.given_on):
        problems.append(too_far)
    ids = [org.id for org in consent.organisations]
    if case_org_id not in ids:
        refuse(
            _l(
                "The bringing organisation must be among the organisations that "
                "may see the identity."
            ),
            "organisations",
        )
    if len(set(ids)) != len(ids):
        refuse(_l("Name each organisation only once."), "organisations")
    if any(org.region_id != region_id for org in consent.organisations):
        refuse(_l("Only organisations of the group's region can be chosen."), "organisations")
    if not consent.purposes.strip():
        refuse(_l("State the purposes the client agreed to."), "purposes")
    if not consent.evidence_reference.strip():
        refuse(_l("State where the signed form is kept."), "evidence_reference")
    return problems


def validate_consent(case_org_id: int, region_id: int, consent: ConsentInput) -> None:
    """Refuse a consent that is incomplete or inconsistent, naming the field of the first reason."""
    problems = consent_problems(case_org_id, region_id, consent)
    if problems:
        raise problems[0]


def add_consent(case: Case, consent: ConsentInput, *, actor: User | None) -> Consent:
    """Record a consent and its first event; the caller stores the identity with it."""
    validate_consent(case.organisation_id, case.group.region_id, consent)
    record_ = Consent(
        case=case,
        form_version=consent.form_version or current_app.config["CONSENT_FORM_VERSION"],
        given_on=consent.given_on,
        valid_until=consent.valid_until,
        purposes=consent.purposes.strip(),
        evidence_reference=consent.evidence_reference.strip(),
        recorded_by=actor,
        organisations=list(consent.organisations),
    )
    record_.events.append(
        ConsentEvent(kind=ConsentStatus.GEGEVEN, actor=actor, valid_until=consent.valid_until)
    )
    db.session.add(record_)
    db.session.flush()
    record(
        "consent_given",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="consent",
        object_id=record_.id,
        case_pseudonym=case.pseudonym,
    )
    return record_


def active_consent(case: Case) -> Consent | None:
    day = today()
    return next((c for c in reversed(case.consents) if c.is_active(day)), None)


def current_consent(case: Case) -> Consent | None:
    """The latest consent, whatever its state."""
    return case.consents[-1] if case.consents else None


def _check_note(case: Case, note: str, confirmed: bool, actor: User | None) -> None:
    guard.screen(
        {"note": note},
        actor=actor,
        on=case,
        confirmed=confirmed,
        field_prefix="consent_",
    )


def extend_consent(
    case: Case,
    valid_until: date,
    *,
    actor: User,
    note: str = "",
    personal_data_confirmed: bool = False,
    seen: tuple[int, int] | None = None,
) -> Consent:
    """Move the end date of the active consent later; the change is appended as an event.

    ``seen``: the consent and version the form showed; refused when either changed since.
    """
    consent = active_consent(case)
    if consent is None:
        raise ServiceError(_l("This case has no active consent to extend."))
    _claim(consent, seen)
    if valid_until <= consent.valid_until:
        raise ServiceError(
            _l("The new end date must lie after the current one."), field="valid_until"
        )
    if too_far := _too_far(valid_until, today()):
        raise too_far
    _check_note(case, note, personal_data_confirmed, actor)
    consent.valid_until = valid_until
    consent.status = ConsentStatus.VERLENGD
    consent.events.append(
        ConsentEvent(
            kind=ConsentStatus.VERLENGD, actor=actor, valid_until=valid_until, note=note.strip()
        )
    )
    record(
        "consent_extended",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="consent",
        object_id=consent.id,
        case_pseudonym=case.pseudonym,
    )
    return consent


def withdraw_consent(
    case: Case,
    *,
    actor: User | None,
    note: str = "",
    personal_data_confirmed: bool = False,
    seen: tuple[int, int] | None = None,
) -> None:
    """Withdraw: erase identity, blind index and data key; the case goes on as anoniem (P6).

    ``seen``: the consent and version the form showed; refused when either changed since (an
    extension recorded meanwhile: the client may have signed again).
    """
    consent = active_consent(case) or current_consent(case)
    if consent is None or consent.status not in ACTIVE:
        raise ServiceError(_l("This case has no consent to withdraw."))
    _claim(consent, seen)
    _check_note(case, note, personal_data_confirmed, actor)
    _end_consent(case, consent, ConsentStatus.INGETROKKEN, actor=actor, note=note)
    record(
        "consent_withdrawn",
        action=AuditAction.DELETE,
        actor=actor,
        object_type="consent",
        object_id=consent.id,
        case_pseudonym=case.pseudonym,
    )


def _claim(consent: Consent, seen: tuple[int, int] | None) -> None:
    """Claim the consent's next version from the one the form showed (facilitator.versions)."""
    if seen is not None and seen[0] != consent.id:
        raise EditConflict(consent)
    claim_version(consent, seen[1] if seen is not None else None)


def _end_consent(
    case: Case, consent: Consent, kind: ConsentStatus, *, actor: User | None, note: str = ""
) -> None:
    erase_identity(case)
    consent.status = kind
    consent.events.append(ConsentEvent(kind=kind, actor=actor, note=note.strip()[:300]))
    case.privacy_mode = PrivacyMode.ANONIEM


def reveal_identity(case: Case, actor: User) -> IdentityData | None:
    """Decrypt a case's identity for one user on their explicit request, per SECURITY.md P7.

    Allowed for members of the case's group whose organisation is inside the active consent's
    scope and who log in with two factors (A5). Every request, allowed or not, writes an audit
    row; the caller commits it.
    """
    consent = active_consent(case)
    if actor.role not in IDENTITY_ROLES:
        outcome, reason = AuditOutcome.DENIED, "role may not see identity"
    elif not is_member(actor, case.group):
        outcome, reason = AuditOutcome.DENIED, "not a member of the group"
    elif consent is None:
        outcome, reason = AuditOutcome.DENIED, "no active consent"
    elif not consent.covers(actor.organisation_id):
        outcome, reason = AuditOutcome.DENIED, "organisation outside the consent's scope"
    elif not actor.two_factor_enabled:
        # A5: the organisation came into the scope during a session opened with a password.
        outcome, reason = AuditOutcome.DENIED, "no two-factor login"
    else:
        outcome, reason = AuditOutcome.SUCCESS, ""
    identity = read_identity(case) if outcome == AuditOutcome.SUCCESS else None
    if outcome == AuditOutcome.SUCCESS and identity is None:
        outcome, reason = AuditOutcome.FAILURE, "identity erased or unreadable"
    record(
        "identity_viewed",
        action=AuditAction.READ,
        outcome=outcome,
        actor=actor,
        object_type="case_identity",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
        reason=reason,
        check_result="consent_scope",
    )
    return identity


def may_reveal_identity(case: Case, user: User) -> bool:
    """Whether P7 lets this user see the identity (the request itself checks again)."""
    consent = active_consent(case)
    return (
        user.role in IDENTITY_ROLES
        and consent is not None
        and is_member(user, case.group)
        and consent.covers(user.organisation_id)
    )


def _warning_horizon(day: date) -> date:
    return day + timedelta(days=current_app.config["CONSENT_WARNING_DAYS"])


def ends_soon(consent: Consent | None) -> bool:
    """Whether an active consent ends within the warning period: time to extend it."""
    day = today()
    return (
        consent is not None
        and consent.is_active(day)
        and consent.valid_until <= _warning_horizon(day)
    )


def expiring_consents(group: CaseGroup) -> Select:
    """Select active consents of the group's cases that end within the warning period."""
    day = today()
    horizon = _warning_horizon(day)
    return (
        select(Consent)
        .join(Consent.case)
        .options(contains_eager(Consent.case))
        .where(
            Case.group_id == group.id,
            Consent.status.in_(ACTIVE),
            Consent.valid_until >= day,
            Consent.valid_until <= horizon,
        )
        .order_by(Consent.valid_until)
    )


def consents_to_extend(group: CaseGroup, user: User) -> list[Consent]:
    """The group's consents ending soon that this user can extend, soonest first.

    Only they are told a consent ends (the bringing organisation's members and the group's
    procesbegeleiders): for anyone else the warning is noise they cannot act on.
    """
    return [
        consent
        for consent in db.session.scalars(expiring_consents(group))
        if can_manage_consent(user, consent.case)
    ]


@dataclass
class SweepReport:
    expired: list[str] = field(default_factory=list)
    retention: list[str] = field(default_factory=list)


def sweep() -> SweepReport:
    """Erase identity past consent end or past retention after closing; safe to repeat."""
    report = SweepReport()
    day = today()
    overdue = db.session.scalars(
        select(Consent).where(Consent.status.in_(ACTIVE), Consent.valid_until < day)
    ).all()
    for consent in overdue:
        _end_consent(
            consent.case,
            consent,
            ConsentStatus.VERLOPEN,
            actor=None,
            # The history is data in the region's language; the sweep runs without a request.
            note=str(_l("Erased by the nightly sweep: the consent's end date has passed.")),
        )
        record(
            "consent_expired",
            action=AuditAction.DELETE,
            object_type="consent",
            object_id=consent.id,
            case_pseudonym=consent.case.pseudonym,
        )
        report.expired.append(consent.case.pseudonym)
    cutoff = utcnow() - timedelta(days=current_app.config["PRIVACY_RETENTION_DAYS"])
    closed = db.session.scalars(
        select(Case).where(
            Case.status == CaseStatus.AFGESLOTEN, Case.closed_at < cutoff, Case.identity.has()
        )
    ).all()
    for case in closed:
        consent = active_consent(case) or current_consent(case)
        if consent is not None and consent.status in ACTIVE:
            _end_consent(
                case,
                consent,
                ConsentStatus.VERLOPEN,
                actor=None,
                note=str(
                    _l(
                        "Erased by the nightly sweep: the case was closed longer than the "
                        "retention period."
                    )
                ),
            )
        else:
            erase_identity(case)
            case.privacy_mode = PrivacyMode.ANONIEM
        record(
            "identity_erased",
            action=AuditAction.DELETE,
            object_type="case_identity",
            object_id=case.id,
            case_pseudonym=case.pseudonym,
            reason="retention",
        )
        report.retention.append(case.pseudonym)
    return report
