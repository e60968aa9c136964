"""Bulk registration of cases from a CSV file (``facilitator cases import``).

All or nothing: one bad row rejects the whole file. Every row is checked, and every problem
of every row is reported at once, naming line, column and reason, never the value: those in
the file itself (a missing column, a date that is no date) and those found while registering
(an ended consent, a client already known, personal data in a description). Rows are
registered one after another, so that a row can find a client of an earlier row; a row that
is refused stores nothing, and when any row is refused the whole file is rolled back. Dutch
Excel writes ``;``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from facilitator.cases import services
from facilitator.cases.import_rows import (
    ImportError_,
    Problem,
    Row,
    check_header,
    parse_row,
    read_rows,
)
from facilitator.cases.models import Case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.privacy import guard
from facilitator.privacy.identity import blind_indexes
from facilitator.privacy.keystore import keystore
from facilitator.privacy.services import consent_problems

__all__ = ["ImportError_", "discard", "import_cases"]

#: Service fields named in errors, mapped back to the file's columns.
FIELD_COLUMNS = {
    "description": "omschrijving",
    "full_name": "naam",
    "organisations": "toestemming_organisaties",
    "given_on": "toestemming_datum",
    "valid_until": "toestemming_tot",
    "evidence_reference": "toestemming_bewijs",
    "criteria": "omschrijving",
    "organisation_id": "organisatie",
}


def import_cases(content: bytes, group: CaseGroup) -> list[Case]:
    """Register every case in the file for the group, or none; raise ImportError_ with reasons."""
    header, raw_rows = read_rows(content)
    problems = check_header(header)
    if problems:
        raise ImportError_(problems)
    if not raw_rows:
        raise ImportError_([Problem(2, "-", str(_l("The file holds no cases.")))])
    created: list[Case] = []
    clients: dict[str, int] = {}
    try:
        for line, values in raw_rows:
            row, row_problems = parse_row(line, values, group)
            row_problems += _same_client_again(row, clients)
            if row_problems:
                problems += row_problems + _unparsed_row_problems(row, group, row_problems)
                continue
            case, row_problems = _register(row, group)
            problems += row_problems
            if case is not None:
                created.append(case)
        if problems:
            raise ImportError_(problems)
    except Exception:
        discard(created)
        raise
    return created


def _problems_of(line: int, error: ServiceError) -> list[Problem]:
    return [
        Problem(line, FIELD_COLUMNS.get(p.field or "", "-"), str(p.message))
        for p in getattr(error, "problems", [error])
    ]


def _register(row: Row, group: CaseGroup) -> tuple[Case | None, list[Problem]]:
    """Register one complete row; on refusal nothing of it is stored and every reason is named."""
    details = services.CaseDetails(
        description=row.description,
        benefit=row.benefit,
        ggz_treatment=row.ggz_treatment,
        # The file was selected by the group's mandatory criteria (README).
        criteria_ids={c.id for c in group.active_criteria if c.mandatory},
    )
    try:
        case = services.register_case(
            group,
            actor=row.brought_by,
            brought_by=row.brought_by,
            organisation=row.organisation,
            mode=row.mode,
            details=details,
            identity=row.identity,
            consent=row.consent,
        )
    except ServiceError as error:
        return None, _problems_of(row.line, error)
    return case, []


def _same_client_again(row: Row, clients: dict[str, int]) -> list[Problem]:
    """The same client on two lines of one file is a mistake in the file: name the first line."""
    if row.identity is None:
        return []
    earlier = None
    for _, digest in blind_indexes(row.identity):
        earlier = earlier or clients.get(digest)
        clients.setdefault(digest, row.line)
    if earlier is None:
        return []
    reason = _l("The same client as on line %(line)d.", line=earlier)
    return [Problem(row.line, "naam", str(reason))]


def _unparsed_row_problems(row: Row, group: CaseGroup, known: list[Problem]) -> list[Problem]:
    """What registering would also have refused in a row that cannot be registered as it is.

    The consent's dates and organisations and the personal-data guard on its texts, as far as
    the row could be read, so that one run names every problem; a column already named is
    left out. Nothing is stored: the guard only reads.
    """
    found: list[ServiceError] = []
    if row.consent is not None and row.organisation is not None:
        found += consent_problems(row.organisation.id, group.region_id, row.consent)
    texts = {"description": row.description}
    if row.consent is not None:
        texts["evidence_reference"] = row.consent.evidence_reference
    found += guard.check(
        texts,
        actor=row.brought_by,
        identity_values=row.identity.values_for_scanning() if row.identity else (),
    ).refusals
    named = {problem.column for problem in known}
    return [
        problem
        for error in found
        for problem in _problems_of(row.line, error)
        if problem.column not in named
    ]


def discard(created: list[Case]) -> None:
    """Undo an import: roll back, and destroy the data keys already committed to the key store."""
    case_ids = [case.id for case in created]
    db.session.rollback()
    for case_id in case_ids:
        keystore().erase(case_id)
