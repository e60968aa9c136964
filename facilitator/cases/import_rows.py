"""Reading a case import file: its columns, its rows, and each row as far as it can be read.

Problems are named by line, column and reason, never by the value: the file holds client data.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from facilitator.cases.models import BenefitType, PrivacyMode, YesNoUnknown
from facilitator.cli_output import counted
from facilitator.extensions import db
from facilitator.forms import has_forbidden_characters
from facilitator.groups.models import CaseGroup
from facilitator.groups.policy import is_member
from facilitator.privacy.detector import is_valid_bsn
from facilitator.privacy.identity import IdentityData
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


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str


class ImportError_(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(counted(len(problems), "problem", "problems"))
        self.problems = problems


@dataclass
class Row:
    """One line of the file, as far as it could be read: complete only without problems."""

    line: int
    brought_by: User | None = None
    organisation: Organisation | None = None
    mode: PrivacyMode | None = None
    description: str = ""
    benefit: BenefitType | None = None
    ggz_treatment: YesNoUnknown | None = None
    identity: IdentityData | None = None
    consent: ConsentInput | None = None


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


def check_header(header: list[str]) -> list[Problem]:
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


def parse_row(line: int, values: dict[str, str], group: CaseGroup) -> tuple[Row, list[Problem]]:
    """Read one line; the row is complete, and may be registered, only without problems."""
    problems: list[Problem] = []

    def problem(column: str, reason) -> None:
        problems.append(Problem(line, column, str(reason)))

    for column in REQUIRED:
        if not values.get(column):
            problem(column, _l("Required."))
    for column, limit in MAX_LENGTHS.items():
        value = values.get(column, "")
        if len(value) > limit:
            problem(
                column,
                ngettext(
                    "Too long: at most %(num)d character.",
                    "Too long: at most %(num)d characters.",
                    limit,
                ),
            )
        elif has_forbidden_characters(value):
            problem(column, _l("Contains characters that are not allowed."))
    row = Row(line, description=values.get("omschrijving", ""))
    row.mode = MODES.get(values.get("modus", "").lower())
    if values.get("modus") and row.mode is None:
        problem("modus", _l("Use fictief, anoniem or toestemming."))
    row.organisation = _organisation(group, values.get("organisatie", ""))
    if values.get("organisatie") and row.organisation is None:
        problem("organisatie", _l("No organisation with this name in the group's region."))
    user = db.session.scalar(
        select(User).where(User.email == values.get("ingebracht_door", "").lower())
    )
    if values.get("ingebracht_door") and (user is None or not is_member(user, group)):
        problem("ingebracht_door", _l("Not the e-mail address of a member of the group."))
    elif user is not None and row.organisation and user.organisation_id != row.organisation.id:
        problem("ingebracht_door", _l("This member does not work at the organisation given."))
    else:
        row.brought_by = user
    row.benefit = _choice(values.get("uitkering", ""), BenefitType, "uitkering", problem)
    row.ggz_treatment = _choice(
        values.get("ggz_behandeling", ""), YesNoUnknown, "ggz_behandeling", problem
    )
    if row.mode is not None and row.mode != PrivacyMode.TOESTEMMING:
        for column in IDENTITY_COLUMNS:
            if values.get(column):
                problem(column, _l("Must be empty unless modus is toestemming."))
    elif row.mode == PrivacyMode.TOESTEMMING:
        row.identity, row.consent = _identity_and_consent(values, group, problem)
    return row, problems


def _organisation(group: CaseGroup, name: str) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(
            Organisation.region_id == group.region_id, Organisation.name == name
        )
    )


def _choice(value: str, enum_cls, column: str, problem):
    if not value:
        return enum_cls("onbekend")
    try:
        return enum_cls(value.lower())
    except ValueError:
        problem(column, _l("Use one of: %(values)s.", values=", ".join(e.value for e in enum_cls)))
        return None


def _identity_and_consent(values: dict[str, str], group: CaseGroup, problem):
    """The identity and the consent, each as far as the row gives them (None when it cannot)."""
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
    organisations = _consent_organisations(values, group, problem)
    identity = consent = None
    if values.get("naam") and "geboortedatum" in dates:
        identity = IdentityData(
            full_name=values["naam"],
            birth_date=dates["geboortedatum"],
            bsn=values.get("bsn", ""),
            client_number=values.get("clientnummer", ""),
        )
    if "toestemming_datum" in dates:
        given = dates["toestemming_datum"]
        consent = ConsentInput(
            given_on=given,
            valid_until=dates.get("toestemming_tot") or default_valid_until(given),
            organisations=organisations,
            purposes=current_app.config["CONSENT_DEFAULT_PURPOSES"],
            evidence_reference=values.get("toestemming_bewijs", ""),
        )
    return identity, consent


def _consent_organisations(values: dict[str, str], group: CaseGroup, problem):
    organisations: list[Organisation] = []
    names = filter(None, (n.strip() for n in values.get("toestemming_organisaties", "").split("|")))
    for name in names:
        org = _organisation(group, name)
        if org is None:
            problem(
                "toestemming_organisaties",
                _l("No organisation with this name in the group's region."),
            )
        elif org in organisations:
            # Named once in the consent: twice would break the consent's list, not mean more.
            problem("toestemming_organisaties", _l("An organisation is named twice."))
        else:
            organisations.append(org)
    return organisations
