"""Bulk registration of cases from a CSV file (``facilitator cases import``).

All or nothing: every row is checked before anything is stored, and one bad row rejects the
whole file, naming line, column and reason, never the value. Dutch Excel writes ``;``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from facilitator.cases import services
from facilitator.cases.models import BenefitType, Case, PrivacyMode, YesNoUnknown
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import has_forbidden_characters
from facilitator.groups.models import CaseGroup
from facilitator.groups.policy import is_member
from facilitator.privacy.detector import is_valid_bsn
from facilitator.privacy.identity import IdentityData
from facilitator.privacy.keystore import keystore
from facilitator.privacy.services import ConsentInput, default_valid_until
from facilitator.regions.models import Organisation
from facilitator.users.models import User

COLUMNS = (
    "modus",
    "organisatie",
    "ingebracht_door",
    "omschrijving",
    "uitkering",
    "ggz_behandeling",
    "naam",
    "geboortedatum",
    "bsn",
    "clientnummer",
    "toestemming_datum",
    "toestemming_tot",
    "toestemming_organisaties",
    "toestemming_bewijs",
)
REQUIRED = ("modus", "organisatie", "ingebracht_door", "omschrijving")
#: The database's limits, checked up front so that no row fails half-way through storing.
MAX_LENGTHS = {
    "modus": 20,
    "organisatie": 160,
    "ingebracht_door": 254,
    "omschrijving": 2000,
    "uitkering": 20,
    "ggz_behandeling": 20,
    "naam": 200,
    "geboortedatum": 10,
    "bsn": 20,
    "clientnummer": 40,
    "toestemming_datum": 10,
    "toestemming_tot": 10,
    "toestemming_organisaties": 2000,
    "toestemming_bewijs": 300,
}
IDENTITY_COLUMNS = COLUMNS[6:]
MODES = {
    "fictief": PrivacyMode.FICTIEF,
    "anoniem": PrivacyMode.ANONIEM,
    "toestemming": PrivacyMode.TOESTEMMING,
}
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


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str


class ImportError_(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Row:
    line: int
    brought_by: User
    organisation: Organisation
    mode: PrivacyMode
    details: services.CaseDetails
    identity: IdentityData | None
    consent: ConsentInput | None


def parse_date(text: str) -> date:
    """Accept YYYY-MM-DD and DD-MM-YYYY."""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_rows(content: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode (UTF-8, with or without BOM), detect ``;`` or ``,`` and return header and rows."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportError_([Problem(1, "-", str(_l("The file is not UTF-8 text.")))]) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        rows.append((reader.line_num, dict(zip(header, (v.strip() for v in values), strict=False))))
    return header, rows


def _check_header(header: list[str]) -> list[Problem]:
    # An unknown cell is named by its position, never its text: a file without a header row
    # would otherwise print a client's data as "column names".
    if not set(REQUIRED) & set(header):
        return [Problem(1, "-", str(_l("The first line is not the header row.")))]
    problems = [
        Problem(1, str(_l("column %(n)d", n=position)), str(_l("Unknown column.")))
        for position, name in enumerate(header, start=1)
        if name not in COLUMNS
    ]
    problems += [
        Problem(1, name, str(_l("Required column is missing.")))
        for name in REQUIRED
        if name not in header
    ]
    return problems


def import_cases(content: bytes, group: CaseGroup) -> list[Case]:
    """Register every case in the file for the group, or none; raise ImportError_ with reasons."""
    header, raw_rows = read_rows(content)
    problems = _check_header(header)
    if problems:
        raise ImportError_(problems)
    if not raw_rows:
        raise ImportError_([Problem(2, "-", str(_l("The file holds no cases.")))])
    rows: list[Row] = []
    for line, values in raw_rows:
        row, row_problems = _parse_row(line, values, group)
        problems += row_problems
        if row is not None:
            rows.append(row)
    if problems:
        raise ImportError_(problems)
    return _register_all(rows, group)


def _register_all(rows: list[Row], group: CaseGroup) -> list[Case]:
    created: list[Case] = []
    mandatory = {c.id for c in group.active_criteria if c.mandatory}
    try:
        for row in rows:
            row.details.criteria_ids = set(mandatory)
            try:
                created.append(
                    services.register_case(
                        group,
                        actor=row.brought_by,
                        brought_by=row.brought_by,
                        organisation=row.organisation,
                        mode=row.mode,
                        details=row.details,
                        identity=row.identity,
                        consent=row.consent,
                    )
                )
            except ServiceError as error:
                column = FIELD_COLUMNS.get(error.field or "", "-")
                raise ImportError_([Problem(row.line, column, str(error.message))]) from error
    except Exception:
        discard(created)
        raise
    return created


def discard(created: list[Case]) -> None:
    """Undo an import: roll back, and destroy the data keys already committed to the key store."""
    case_ids = [case.id for case in created]
    db.session.rollback()
    for case_id in case_ids:
        keystore().erase(case_id)


def _parse_row(line: int, values: dict[str, str], group: CaseGroup):
    problems: list[Problem] = []

    def problem(column: str, reason) -> None:
        problems.append(Problem(line, column, str(reason)))

    for column in REQUIRED:
        if not values.get(column):
            problem(column, _l("Required."))
    for column, limit in MAX_LENGTHS.items():
        value = values.get(column, "")
        if len(value) > limit:
            problem(column, _l("Too long: at most %(n)d characters.", n=limit))
        elif has_forbidden_characters(value):
            problem(column, _l("Contains characters that are not allowed."))
    mode = MODES.get(values.get("modus", "").lower())
    if values.get("modus") and mode is None:
        problem("modus", _l("Use fictief, anoniem or toestemming."))
    organisation = db.session.scalar(
        select(Organisation).where(
            Organisation.region_id == group.region_id,
            Organisation.name == values.get("organisatie"),
        )
    )
    if values.get("organisatie") and organisation is None:
        problem("organisatie", _l("No organisation with this name in the group's region."))
    user = db.session.scalar(
        select(User).where(User.email == values.get("ingebracht_door", "").lower())
    )
    if values.get("ingebracht_door") and (user is None or not is_member(user, group)):
        problem("ingebracht_door", _l("Not the e-mail address of a member of the group."))
    elif user is not None and organisation is not None and user.organisation_id != organisation.id:
        problem("ingebracht_door", _l("This member does not work at the organisation given."))
    benefit = _choice(values.get("uitkering", ""), BenefitType, "uitkering", problem)
    ggz = _choice(values.get("ggz_behandeling", ""), YesNoUnknown, "ggz_behandeling", problem)

    identity = consent = None
    if mode is not None and mode != PrivacyMode.TOESTEMMING:
        for column in IDENTITY_COLUMNS:
            if values.get(column):
                problem(column, _l("Must be empty unless modus is toestemming."))
    elif mode == PrivacyMode.TOESTEMMING:
        identity, consent = _identity_and_consent(values, group, problem)
    if problems:
        return None, problems
    details = services.CaseDetails(
        description=values["omschrijving"], benefit=benefit, ggz_treatment=ggz, criteria_ids=set()
    )
    return Row(line, user, organisation, mode, details, identity, consent), problems


def _choice(value: str, enum_cls, column: str, problem):
    if not value:
        return enum_cls("onbekend")
    try:
        return enum_cls(value.lower())
    except ValueError:
        problem(column, _l("Use one of: %(values)s.", values=", ".join(e.value for e in enum_cls)))
        return None


def _identity_and_consent(values: dict[str, str], group: CaseGroup, problem):
    for column in (
        "naam",
        "geboortedatum",
        "toestemming_datum",
        "toestemming_organisaties",
        "toestemming_bewijs",
    ):
        if not values.get(column):
            problem(column, _l("Required when modus is toestemming."))
    dates = {}
    for column in ("geboortedatum", "toestemming_datum", "toestemming_tot"):
        if values.get(column):
            try:
                dates[column] = parse_date(values[column])
            except ValueError:
                problem(column, _l("Not a date: use YYYY-MM-DD or DD-MM-YYYY."))
    if values.get("bsn") and not is_valid_bsn(values["bsn"]):
        problem("bsn", _l("Not a valid BSN (it fails the elfproef)."))
    organisations = []
    for name in filter(
        None, (n.strip() for n in values.get("toestemming_organisaties", "").split("|"))
    ):
        org = db.session.scalar(
            select(Organisation).where(
                Organisation.region_id == group.region_id, Organisation.name == name
            )
        )
        if org is None:
            problem(
                "toestemming_organisaties",
                _l("No organisation with this name in the group's region."),
            )
        else:
            organisations.append(org)
    if "geboortedatum" not in dates or "toestemming_datum" not in dates:
        return None, None
    identity = IdentityData(
        full_name=values["naam"],
        birth_date=dates["geboortedatum"],
        bsn=values.get("bsn", ""),
        client_number=values.get("clientnummer", ""),
    )
    given = dates["toestemming_datum"]
    consent = ConsentInput(
        given_on=given,
        valid_until=dates.get("toestemming_tot") or default_valid_until(given),
        organisations=organisations,
        purposes=current_app.config["CONSENT_DEFAULT_PURPOSES"],
        evidence_reference=values.get("toestemming_bewijs", ""),
    )
    return identity, consent
