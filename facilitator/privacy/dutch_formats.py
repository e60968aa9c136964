"""Checks for Dutch number and date formats, used by the personal-data detector.

Everything here is pure: no Flask, no database. Patterns use explicit ``[0-9]`` rather than
``\\d`` so that non-ASCII digits never pass a check digit test by accident.
"""

from __future__ import annotations

import re
from datetime import date

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_BSN_SEPARATORS = frozenset(" .-")
_IBAN_FORMAT = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
#: IBAN lengths from the SWIFT IBAN registry; other country codes may have any length (15-34).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "ST": 25, "TL": 23, "TN": 24, "TR": 26, "VG": 24, "XK": 20,
}  # fmt: skip

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augustus": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))

#: A calendar date as people type it: ISO, day-month-year with - / or . (2- or 4-digit year,
#: same separator twice) and the Dutch long form "3 maart 1985". Every repetition is bounded.
DATE = re.compile(
    rf"""(?<![0-9])(?:
        (?P<iy>[0-9]{{4}})-(?P<im>[0-9]{{1,2}})-(?P<id>[0-9]{{1,2}})
      | (?P<d>[0-9]{{1,2}})(?P<sep>[-/.])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<y>[0-9]{{4}}|[0-9]{{2}})
      | (?P<ld>[0-9]{{1,2}})[ \t\u00a0]{{1,3}}(?P<lm>{_MONTH_ALTERNATION})\.?,?[ \t\u00a0]{{1,3}}
        (?P<ly>[0-9]{{4}}|'?[0-9]{{2}})
    )(?![0-9])""",
    re.IGNORECASE | re.VERBOSE,
)

#: Two-letter words, abbreviations and units that follow four digits in ordinary Dutch ("in
#: 2019 en", "3000 MB", "sinds 2021 WW"). Such a pair makes a postcode only in capitals and with
#: an address around it; the price is that a bare "1012 DA" without street or number is missed.
NOT_POSTCODE_LETTERS = frozenset({
    "AD", "AF", "AH", "AL", "AM", "AN", "AO", "AS", "AT", "AU", "BE", "BH", "BV", "BW", "BY", "CA",
    "CD", "CL", "CM", "CO", "CQ", "CT", "DA", "DD", "DE", "DI", "DL", "DO", "DR", "DU", "DV", "EH",
    "EN", "EO", "ER", "EU", "EX", "FA", "FF", "GA", "GB", "GE", "GR", "HA", "HE", "HO", "HR", "HS",
    "IB", "IC", "IE", "IF", "IK", "IN", "IO", "IS", "IT", "JA", "JE", "JL", "JO", "JR", "JU", "KA",
    "KB", "KG", "KM", "KW", "LA", "LE", "LP", "MA", "MB", "MD", "ME", "MG", "MI", "ML", "MM", "MO",
    "MR", "MS", "MW", "MY", "NA", "NE", "NL", "NM", "NO", "NR", "NU", "NV", "OA", "OF", "OH", "OK",
    "OM", "ON", "OP", "OR", "OS", "PA", "PC", "PK", "PM", "PP", "PR", "PS", "PW", "RE", "RI", "RO",
    "SI", "SO", "ST", "SW", "TB", "TE", "TI", "TM", "TO", "TV", "UI", "UK", "UM", "UP", "US", "UW",
    "VA", "VD", "VK", "VM", "VN", "VO", "VR", "VS", "WA", "WC", "WE", "WK", "WO", "WV", "WW", "XL",
    "ZA", "ZE", "ZG", "ZN", "ZO", "ZW",
})  # fmt: skip

#: Before a number: a company's or care provider's 8- or 9-digit number, which may pass the
#: elfproef too, unless a BSN is named in between.
ORGANISATION_NUMBER_BEFORE = re.compile(
    r"(?:kvk|kamer van koophandel|rsin|agb|btw|loonheffingennummer|factuur)"
    r"(?:(?!bsn|burgerservice|sofi)[^0-9]){0,40}$",
    re.IGNORECASE,
)

#: PostNL does not issue these letter combinations.
FORBIDDEN_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})


def is_valid_bsn(value: str) -> bool:
    """Return whether value is a BSN that passes the elfproef (8 digits: a dropped zero)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or not text[0].isdigit() or not text[-1].isdigit():
        return False
    digits = []
    previous_was_separator = False
    for char in text:
        if "0" <= char <= "9":
            digits.append(char)
            previous_was_separator = False
        elif char in _BSN_SEPARATORS and not previous_was_separator:
            previous_was_separator = True
        else:
            return False
    number = "".join(digits)
    if len(number) == 8:
        number = "0" + number
    if len(number) != 9 or number == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(number, _BSN_WEIGHTS, strict=True))
    return total % 11 == 0


def is_valid_iban(value: str) -> bool:
    """Return whether value is an IBAN (any country) with a correct ISO 13616 mod-97 check."""
    if not isinstance(value, str):
        return False
    compact = value.strip().replace(" ", "").upper()
    if not _IBAN_FORMAT.fullmatch(compact):
        return False
    if len(compact) != IBAN_LENGTHS.get(compact[:2], len(compact)):
        return False
    rearranged = compact[4:] + compact[:4]
    # Letters count as 10..35; int(char, 36) gives exactly that for A-Z and 0-9.
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def is_dutch_phone_number(national: str) -> bool:
    """Return whether national (digits only, leading 0) is a plausible Dutch phone number."""
    if len(national) < 8 or national[0] != "0" or not national.isascii() or not national.isdigit():
        return False
    if national.startswith(("0800", "0900", "0906", "0909")):
        # Free and paid service numbers have four or seven digits after the prefix.
        return len(national) in (8, 11)
    if national[1] in "1234567" or national.startswith(("082", "084", "085", "087", "088")):
        return len(national) == 10
    return False


def parse_date(match: re.Match[str]) -> tuple[int, int, int, bool] | None:
    """Return (year, month, day, two_digit_year) for a DATE match, or None if not a real date."""
    groups = match.groupdict()
    if groups["iy"]:
        year, month, day = groups["iy"], groups["im"], groups["id"]
    elif groups["d"]:
        year, month, day = groups["y"], groups["m"], groups["d"]
    else:
        year, month, day = groups["ly"].lstrip("'"), str(MONTHS[groups["lm"].lower()]), groups["ld"]
    two_digit = len(year) == 2
    full_year = 2000 + int(year) if two_digit else int(year)
    try:
        date(full_year, int(month), int(day))
    except ValueError:
        return None
    return int(year), int(month), int(day), two_digit


def same_date(parsed: tuple[int, int, int, bool], target: date) -> bool:
    """Return whether a parsed date (perhaps with a 2-digit year) is target."""
    year, month, day, two_digit = parsed
    target_year = target.year % 100 if two_digit else target.year
    return (year, month, day) == (target_year, target.month, target.day)
