"""Case workflows: register, edit, close, list. Shared by the screens, the CLI and the import."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from facilitator.actions.models import OPEN_STATUSES, ActionItem
from facilitator.audit.models import AuditAction
from facilitator.audit.services import record, record_committed
from facilitator.cases.models import (
    BenefitType,
    Case,
    CaseStatus,
    ClosureReason,
    PrivacyMode,
    YesNoUnknown,
)
from facilitator.cases.pseudonyms import new_pseudonym
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, SelectionCriterion
from facilitator.groups.services import missing_mandatory
from facilitator.privacy import guard
from facilitator.privacy.duplicates import flag_possible_duplicate
from facilitator.privacy.identity import (
    IdentityData,
    find_known_cases,
    store_identity,
)
from facilitator.privacy.services import (
    ConsentInput,
    add_consent,
    consent_problems,
    may_reveal_identity,
)
from facilitator.regions.models import Organisation
from facilitator.users.models import User


class KnownClientError(ServiceError):
    """The client is already registered in the region."""


class RegistrationRefused(ServiceError):
    """Every reason a registration is refused; ``message`` and ``field`` are the first's."""

    def __init__(self, problems: list[ServiceError]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems


@dataclass
class CaseDetails:
    description: str
    benefit: BenefitType | str
    ggz_treatment: YesNoUnknown | str
    criteria_ids: set[int]


def _criteria(group: CaseGroup, ids: set[int]) -> list[SelectionCriterion]:
    by_id = {c.id: c for c in group.active_criteria}
    unknown = ids - set(by_id)
    if unknown:
        raise ServiceError(_l("Choose only criteria of this group."), field="criteria")
    missing = missing_mandatory(group, ids)
    if missing:
        raise ServiceError(
            _l("The case does not meet the mandatory criterion: %(text)s", text=missing[0].text),
            field="criteria",
        )
    return [by_id[i] for i in sorted(ids)]


def _check_shape(
    group: CaseGroup,
    organisation: Organisation,
    mode: PrivacyMode,
    identity: IdentityData | None,
    consent: ConsentInput | None,
) -> None:
    """Refuse what no correction of the details can mend: the caller's mistakes."""
    if not group.active:
        raise ServiceError(_l("This group is archived; it takes no new cases."))
    if organisation.region_id != group.region_id:
        raise ServiceError(
            _l("The bringing organisation must belong to the group's region."),
            field="organisation_id",
        )
    if mode != PrivacyMode.TOESTEMMING and (identity is not None or consent is not None):
        raise ServiceError(
            _l("A fictitious or anonymous case takes no identity data."), field="full_name"
        )
    if mode == PrivacyMode.TOESTEMMING and (identity is None or consent is None):
        raise ServiceError(
            _l("A case with consent needs the client's identity and the consent record."),
            field="full_name",
        )


def register_case(
    group: CaseGroup,
    *,
    actor: User | None,
    brought_by: User,
    organisation: Organisation,
    mode: PrivacyMode | str,
    details: CaseDetails,
    identity: IdentityData | None = None,
    consent: ConsentInput | None = None,
    personal_data_confirmed: bool = False,
    duplicate_accepted: bool = False,
) -> Case:
    """Register a case under a new pseudonym; identity only with consent (P2, P5, P8).

    Every check runs before anything is stored, and a refusal names every problem at once
    (:class:`RegistrationRefused`): the form shows them together, the import prints them all.
    """
    mode = PrivacyMode(mode)
    _check_shape(group, organisation, mode, identity, consent)
    problems: list[ServiceError] = []
    criteria = []
    try:
        criteria = _criteria(group, details.criteria_ids)
    except ServiceError as error:
        problems.append(error)
    texts = {"description": details.description}
    if consent is not None:
        problems += consent_problems(organisation.id, group.region_id, consent)
        texts |= {"purposes": consent.purposes, "evidence_reference": consent.evidence_reference}
    # The duplicate search first: its audit row is written before anything else is.
    known: list[Case] = []
    if identity is not None:
        try:
            known = _known_clients(group, identity, actor, duplicate_accepted)
        except KnownClientError as error:
            problems.append(error)
    screening = guard.check(
        texts,
        actor=actor,
        confirmed=personal_data_confirmed,
        identity_values=identity.values_for_scanning() if identity else (),
    )
    problems += screening.refusals
    if problems:
        raise RegistrationRefused(problems)
    case = Case(
        pseudonym=new_pseudonym(),
        group=group,
        organisation=organisation,
        brought_by=brought_by,
        privacy_mode=mode,
        description=details.description.strip(),
        benefit=BenefitType(details.benefit),
        ggz_treatment=YesNoUnknown(details.ggz_treatment),
        criteria=criteria,
    )
    db.session.add(case)
    db.session.flush()
    screening.record(actor=actor, on=case)
    if identity is not None and consent is not None:
        add_consent(case, consent, actor=actor)
        store_identity(case, identity)
    for existing in known:
        flag_possible_duplicate(case, existing, actor=actor)
    record(
        "case_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="case",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
    )
    return case


def _known_clients(
    group: CaseGroup, identity: IdentityData, actor: User | None, duplicate_accepted: bool
) -> list[Case]:
    """The region's cases of the same client (P3), without an oracle.

    Someone inside an existing case's consent scope sees its pseudonym and chooses: use that
    case, or register anyway. Anyone else learns nothing, not even that the client is known:
    the registration goes through and the possible duplicate is flagged for the procesbegeleider
    of the group that holds the existing case.
    """
    known = find_known_cases(group.region_id, identity)
    # Every search is recorded alike, found or not: the row itself tells nothing.
    record_committed(
        "identity_search",
        action=AuditAction.READ,
        actor=actor,
        object_type="case_group",
        object_id=group.id,
        reason="duplicate check at registration",
        check_result="blind_index",
    )
    visible = [c.pseudonym for c in known if actor is not None and may_reveal_identity(c, actor)]
    if visible and not duplicate_accepted:
        raise KnownClientError(
            _l(
                "This client is already known in the region as case %(pseudonyms)s. Use that "
                "case, or confirm that you register the client again.",
                pseudonyms=", ".join(sorted(visible)),
            ),
            field="full_name",
        )
    return known


def update_case(
    case: Case, details: CaseDetails, *, actor: User, personal_data_confirmed: bool = False
) -> None:
    """Change a case's description, classifications and criteria."""
    criteria = _criteria(case.group, details.criteria_ids)
    guard.screen(
        {"description": details.description},
        actor=actor,
        on=case,
        confirmed=personal_data_confirmed,
    )
    case.description = details.description.strip()
    case.benefit = BenefitType(details.benefit)
    case.ggz_treatment = YesNoUnknown(details.ggz_treatment)
    # Criteria retired since the case was registered are not offered again, but stay met.
    case.criteria = criteria + [c for c in case.criteria if not c.active]
    record(
        "case_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
    )


def set_status(case: Case, status: CaseStatus | str, *, actor: User) -> None:
    """Move an open case along: aangemeld, geagendeerd, besproken, in opvolging."""
    status = CaseStatus(status)
    if status == CaseStatus.AFGESLOTEN:
        raise ServiceError(_l("Close a case with a reason."), field="status")
    if case.is_closed:
        raise ServiceError(_l("This case is closed; reopen it first."), field="status")
    case.status = status
    record(
        "case_status_changed",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
        reason=status.value,
    )


def close_case(
    case: Case,
    kind: ClosureReason | str,
    explanation: str = "",
    *,
    actor: User,
    personal_data_confirmed: bool = False,
) -> None:
    """Close a case with a structured reason; its identity is erased after the retention period."""
    if case.is_closed:
        raise ServiceError(_l("This case is already closed."))
    try:
        kind = ClosureReason(kind)
    except ValueError:
        raise ServiceError(_l("Choose why the case is closed."), field="closure_kind") from None
    if still_open := open_actions_count(case):
        raise ServiceError(
            ngettext(
                "This case still has %(num)d open action: mark it done or dropped first.",
                "This case still has %(num)d open actions: mark them done or dropped first.",
                still_open,
            )
        )
    explanation = explanation.strip()
    if kind is ClosureReason.ANDERS and not explanation:
        raise ServiceError(
            _l("Explain the reason when you choose “other”."), field="closure_reason"
        )
    guard.screen(
        {"closure_reason": explanation},
        actor=actor,
        on=case,
        confirmed=personal_data_confirmed,
    )
    case.status = CaseStatus.AFGESLOTEN
    case.closure_kind = kind
    case.closure_reason = explanation
    case.closed_at = utcnow()
    record(
        "case_closed",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
        reason=kind.value,
    )


def open_actions_count(case: Case) -> int:
    """How many of the case's actions are still open or being carried out."""
    return db.session.scalar(
        select(func.count())
        .select_from(ActionItem)
        .where(ActionItem.case_id == case.id, ActionItem.status.in_(OPEN_STATUSES))
    )


def reopen_case(case: Case, *, actor: User) -> None:
    """Reopen a closed case (e.g. closed by mistake); it goes back into follow-up."""
    if not case.is_closed:
        raise ServiceError(_l("This case is not closed."))
    case.status = CaseStatus.IN_OPVOLGING
    case.closed_at = None
    record(
        "case_reopened",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
    )


def cases_of_group(group: CaseGroup) -> Select:
    """Select a group's cases, open ones first, newest first."""
    return (
        select(Case)
        .where(Case.group_id == group.id)
        .options(selectinload(Case.organisation))
        .order_by((Case.status == CaseStatus.AFGESLOTEN).asc(), Case.created_at.desc())
    )


def all_cases(group: CaseGroup | None = None) -> Select:
    """Select cases for listings, by group and pseudonym."""
    query = (
        select(Case)
        .join(Case.group)
        .options(selectinload(Case.organisation), selectinload(Case.group))
        .order_by(CaseGroup.name, Case.pseudonym)
    )
    if group is not None:
        query = query.where(Case.group_id == group.id)
    return query
