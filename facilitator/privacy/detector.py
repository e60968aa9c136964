"""The persoonsgegevens-detector: find a client's identity and personal data in free text.

Free text in Casustafel must never identify a client. :func:`scan` reports BSNs, IBANs, birth
dates, the case's own identity values (all refused on save) and e-mail addresses, phone numbers
and postcodes (saved only after the user confirms). It needs no Flask app; only rendering
:attr:`Finding.message` does. Every pattern has bounded repetition so scanning stays linear.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from facilitator.privacy.dutch_formats import (
    DATE,
    FORBIDDEN_POSTCODE_LETTERS,
    NOT_POSTCODE_LETTERS,
    ORGANISATION_NUMBER_BEFORE,
    is_dutch_phone_number,
    is_valid_bsn,
    is_valid_iban,
    parse_date,
    same_date,
)
from facilitator.privacy.loose_numbers import loose_bsn_hits, loose_iban_hits
from facilitator.privacy.normalise import normalise

__all__ = ["Finding", "Severity", "is_valid_bsn", "is_valid_iban", "scan"]


class Severity(StrEnum):
    BLOCK = "block"
    CONFIRM = "confirm"


_MESSAGES = {
    "bsn": _l("This looks like a BSN; use the case's pseudonym instead."),
    "iban": _l("This looks like a bank account number (IBAN); leave it out."),
    "email": _l("This looks like an e-mail address; leave it out unless it is not the client's."),
    "phone": _l("This looks like a phone number; leave it out unless it is not the client's."),
    "postcode": _l("This looks like a postcode or address; leave it out unless it is not the "
                   "client's."),
    "birth_date": _l("This looks like a date of birth; use the case's pseudonym instead."),
    "identity": _l("This is part of the client's identity; use the case's pseudonym instead."),
}  # fmt: skip

_SEVERITY = {
    "identity": Severity.BLOCK,
    "iban": Severity.BLOCK,
    "bsn": Severity.BLOCK,
    "birth_date": Severity.BLOCK,
    "email": Severity.CONFIRM,
    "phone": Severity.CONFIRM,
    "postcode": Severity.CONFIRM,
}
# When hits overlap the first kind here wins: the more specific and more serious hit is kept
# (a BSN inside an IBAN is reported as the IBAN; the case's own BSN as identity).
_RANK = {kind: rank for rank, kind in enumerate(_SEVERITY)}


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: Severity
    start: int
    end: int
    fragment: str

    @property
    def message(self) -> str:
        """Explain the finding to the user (lazily translated; render in a request)."""
        return _MESSAGES[self.kind]


# --- generic patterns -------------------------------------------------------------------------

# The whole run of an IBAN-like token, valid or not, compact or in groups of four; its digits
# are never a BSN or phone number.
_IBAN_SHAPE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ .\-]?[A-Za-z0-9]{4}){2,7}(?:[ .\-]?[A-Za-z0-9]{1,4})?"
    r"(?![A-Za-z0-9])"
)
# Eight or nine digits, ungrouped or in groups of 2-4 with one kind of separator; never a piece
# of a longer number ("06-12345678", "0417 1643 00") and never an amount ("€ 123.456.782").
# People group a BSN ending in three digits ("123.456.782", "1234 56 782", "12-34-56-782");
# _bsn_hits demands that, which keeps out dates ("12-03-2024") and times ("0900-1700").
_BSN = re.compile(
    r"(?<![0-9])(?<![0-9][ .\-/])(?<!€)(?<!€ )"
    r"[0-9]{2,9}(?:([ .\-/])[0-9]{2,4}(?:\1[0-9]{2,4}){0,3})?"
    r"(?![0-9])(?![ .\-/][0-9])(?!,[0-9])(?!\.L[0-9]{2})"  # not a loonheffingennummer
)
# Letters may be accented ("jörg@müller.de"); a top-level domain is ASCII.
_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w%+\-][\w.%+\-]{0,63}"
    r"@(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.){1,8}[A-Za-z]{2,24}(?![\w\-])"
)
# Digits may be grouped by a space, a dash or a slash ("06 - 12345678", "06/12345678").
_PHONE = re.compile(
    r"(?<![\w+])(?<![0-9][ \-/.,])"
    r"(?:(?P<intl>(?:\+|00)31)[ \-]?(?:\(0\)[ \-]?)?|\((?P<area>0[0-9]{1,3})\)[ \-]?|(?=0))"
    r"(?P<body>[0-9](?:(?: ?[\-/] ?| )?[0-9]){4,11})"
)
# Day-month-year at the start of a phone-like run is a date followed by a number, not a phone.
_PHONE_DATE_START = re.compile(r"[0-9]{1,2}([\-/])[0-9]{1,2}\1(?:[0-9]{4}|[0-9]{2}(?!\1))")
_HOURS_AFTER = re.compile(r" ?(?:uur|u\b)", re.IGNORECASE)
_POSTCODE = re.compile(r"(?<![\w.,€/+\-])(?<!€ )[1-9][0-9]{3} ?(?P<letters>[A-Za-z]{2})(?!\w)")
_HOUSE_NUMBER_AFTER = re.compile(r" {1,2}[0-9]{1,5}(?: ?[A-Za-z](?!\w))?(?![\w,.][0-9])")
_STREET_BEFORE = re.compile(
    r"(?<!\w)[^\W\d_][\w'.\-]{1,40} [0-9]{1,5}(?:[ \-]?[A-Za-z]\b)?(?:[ \-][0-9]{1,4})?,? {0,2}$"
)
_CITY_AFTER = re.compile(r" {1,2}[A-Z][a-z]{2,}")
_BIRTH_KEYWORD = re.compile(
    r"(?<!\w)(?:geboortedatum|geb\.? ?datum|geboren|geb|dob)(?!\w)", re.IGNORECASE
)
_BIRTH_WINDOW = 25  # characters between the keyword and the date
# Between keyword and date: a comma, another number or a new clause means the date is another
# event ("geboren in 1990, afspraak op 12-03-2024", "geboren in Syrië en sinds 12-03-2024").
_BIRTH_GAP_BREAK = re.compile(
    r"[0-9,;]|(?<!\w)(?:en|maar|sinds|vanaf|per|tot|na|voor|afspraak|gesprek)(?!\w)",
    re.IGNORECASE,
)
_TUSSENVOEGSELS = frozenset({
    "van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "'t", "la", "le", "du",
    "da", "von", "zu", "el", "al", "bin",
})  # fmt: skip


def scan(text: str, identity_values: Iterable[str] = ()) -> list[Finding]:
    """Return every personal-data hit in text, ordered by position, no overlapping duplicates.

    The text is read as a person sees it (:mod:`.normalise`): invisible characters, look-alike
    digits and odd separators hide nothing. Findings point at the text as typed.
    """
    if not text:
        return []
    normalised = normalise(text)
    values = [normalise(str(value or "")).text for value in identity_values]
    findings = []
    for finding in _scan_plain(normalised.text, values):
        start, end = normalised.source_span(finding.start, finding.end)
        findings.append(Finding(finding.kind, finding.severity, start, end, text[start:end]))
    return findings


def _scan_plain(text: str, identity_values: list[str]) -> list[Finding]:
    if not text:
        return []
    shapes = [(m.start(), m.end()) for m in _IBAN_SHAPE.finditer(text)]
    hits: list[tuple[str, int, int]] = []
    hits.extend(_identity_hits(text, identity_values))
    hits.extend(_iban_hits(text, shapes))
    hits.extend(loose_iban_hits(text))
    hits.extend(_outside(shapes, _bsn_hits(text)))
    hits.extend(_outside(shapes, loose_bsn_hits(text)))
    hits.extend(_birth_date_hits(text))
    hits.extend(("email", m.start(), m.end()) for m in _EMAIL.finditer(text))
    hits.extend(_outside(shapes, _phone_hits(text)))
    hits.extend(_outside(shapes, _postcode_hits(text)))
    return _resolve(text, hits)


def _resolve(text: str, hits: list[tuple[str, int, int]]) -> list[Finding]:
    """Keep the best of overlapping hits (by kind rank, then length) and sort by position."""
    hits.sort(key=lambda hit: (_RANK[hit[0]], hit[1] - hit[2], hit[1]))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in hits:
        index = bisect.bisect_right(starts, start)
        if index > 0 and ends[index - 1] > start:
            continue
        if index < len(starts) and starts[index] < end:
            continue
        starts.insert(index, start)
        ends.insert(index, end)
        kept.append((kind, start, end))
    kept.sort(key=lambda hit: hit[1])
    return [Finding(kind, _SEVERITY[kind], s, e, text[s:e]) for kind, s, e in kept]


def _outside(
    shapes: list[tuple[int, int]], hits: Iterable[tuple[str, int, int]]
) -> Iterator[tuple[str, int, int]]:
    """Drop hits lying within an IBAN-like token: they are digits of an account number."""
    starts = [start for start, _ in shapes]
    for hit in hits:
        index = bisect.bisect_right(starts, hit[1]) - 1
        if index < 0 or shapes[index][1] < hit[2]:
            yield hit


def _iban_hits(text: str, shapes: list[tuple[int, int]]) -> Iterator[tuple[str, int, int]]:
    for start, end in shapes:
        # A spaced IBAN may have swallowed a following four-letter word ("... 7034 voor").
        while end - start >= 15:
            if is_valid_iban(re.sub(r"[.\-]", "", text[start:end])):
                yield "iban", start, end
                break
            cut = text.rfind(" ", start, end)
            if cut < 0:
                break
            end = cut


def _bsn_hits(text: str) -> Iterator[tuple[str, int, int]]:
    for match in _BSN.finditer(text):
        groups = re.split(r"[ .\-/]", match.group())
        if len(groups) > 1 and len(groups[-1]) != 3:
            continue
        if sum(map(len, groups)) not in (8, 9) or not is_valid_bsn("".join(groups)):
            continue
        if not ORGANISATION_NUMBER_BEFORE.search(text, max(0, match.start() - 50), match.start()):
            yield "bsn", match.start(), match.end()


def _phone_hits(text: str) -> Iterator[tuple[str, int, int]]:
    for match in _PHONE.finditer(text):
        body_start = match.start("body")
        # Try the whole run first, then shorter ones ending at a separator: a number may run
        # into a following count ("06 12345678 12 keer").
        cuts = [match.end()] + [
            i
            for i in range(match.end() - 1, body_start, -1)
            if text[i] in " -/" and text[i - 1].isdigit()
        ]
        for cut in cuts:
            if cut < len(text) and (text[cut].isalnum() or text[cut] == "_"):
                continue
            if _HOURS_AFTER.match(text, cut) or _PHONE_DATE_START.match(text, match.start(), cut):
                continue
            digits = "".join(c for c in text[body_start:cut] if c.isdigit())
            if match.group("intl"):
                national = "0" + digits if not digits.startswith("0") and len(digits) == 9 else ""
            else:
                national = (match.group("area") or "") + digits
            if is_dutch_phone_number(national):
                yield "phone", match.start(), cut
                break


def _postcode_hits(text: str) -> Iterator[tuple[str, int, int]]:
    for match in _POSTCODE.finditer(text):
        letters = match.group("letters")
        if letters.upper() in FORBIDDEN_POSTCODE_LETTERS:
            continue
        start, end = match.span()
        house = _HOUSE_NUMBER_AFTER.match(text, end)
        street = _STREET_BEFORE.search(text, max(0, start - 50), start)
        # "in 2019 en", "3000 MB": such a pair counts only in capitals inside an address.
        in_address = house or street or _CITY_AFTER.match(text, end)
        if letters.upper() in NOT_POSTCODE_LETTERS and not (letters.isupper() and in_address):
            continue
        if house:
            end = house.end()
        if street:
            start = street.start()
        yield "postcode", start, end


def _birth_date_hits(text: str) -> Iterator[tuple[str, int, int]]:
    keyword_ends = [m.end() for m in _BIRTH_KEYWORD.finditer(text)]
    if not keyword_ends:
        return
    for match in DATE.finditer(text):
        index = bisect.bisect_right(keyword_ends, match.start()) - 1
        if index < 0 or match.start() - keyword_ends[index] > _BIRTH_WINDOW:
            continue
        if _BIRTH_GAP_BREAK.search(text, keyword_ends[index], match.start()):
            continue
        if parse_date(match) is not None:
            yield "birth_date", match.start(), match.end()


# --- the case's own identity ------------------------------------------------------------------


def _identity_hits(text: str, values: Iterable[str]) -> Iterator[tuple[str, int, int]]:
    names: list[str] = []
    birth_dates: list[date] = []
    numbers: list[str] = []
    for raw in values:
        value = str(raw or "").strip()
        if not value:
            continue
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            with contextlib.suppress(ValueError):  # not a real date: nothing to look for
                birth_dates.append(date.fromisoformat(value))
        elif any(char.isdigit() for char in value):
            numbers.append(value)
        else:
            names.append(value)
    if birth_dates:
        for match in DATE.finditer(text):
            parsed = parse_date(match)
            if parsed and any(same_date(parsed, day) for day in birth_dates):
                yield "identity", match.start(), match.end()
    for number in numbers:
        for pattern in _number_patterns(number):
            yield from (("identity", m.start(), m.end()) for m in pattern.finditer(text))
    yield from _name_hits(text, names)


#: Between the characters of a number, any short run of punctuation or blanks ("W&I-20931").
_ANY_SEPARATOR = "[\\W_]{0,3}"
#: The digits of a client number alone are distinctive from this many on ("20931").
_DISTINCTIVE_DIGITS = 5


def _number_patterns(value: str) -> list[re.Pattern[str]]:
    """Match a BSN or client number as a whole token, however its characters are grouped,
    and a client number also by its longest run of digits alone."""
    chars = [char for char in value if char.isalnum()]
    if len(chars) < 4:
        return []
    optional_zero = ""
    all_digits = all(char.isdigit() for char in chars)
    if len(chars) in (8, 9) and all_digits:
        # A BSN is also written without its leading zero, and an 8-digit one with it.
        chars = list("".join(chars).zfill(9))
        if chars[0] == "0":
            optional_zero, chars = f"(?:0{_ANY_SEPARATOR})?", chars[1:]
    patterns = [_token(optional_zero + _ANY_SEPARATOR.join(re.escape(c) for c in chars))]
    if not all_digits:
        digits = max(re.findall(r"[0-9]+", value), key=len, default="")
        if len(digits) >= _DISTINCTIVE_DIGITS:
            patterns.append(_token(_ANY_SEPARATOR.join(digits)))
    return patterns


def _token(body: str) -> re.Pattern[str]:
    """A pattern that matches body only as a whole token, never inside a longer number."""
    return re.compile(
        f"(?<![^\\W_])(?<![0-9][ ./\\-]){body}(?![^\\W_])(?![ ./\\-][0-9])", re.IGNORECASE
    )


def _fold(text: str) -> tuple[str, list[int]]:
    """Return text lower-cased without accents, and for each folded character its source index."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            plain = char.lower()
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        folded.append(plain)
        origin.extend([index] * len(plain))
    return "".join(folded), origin


def _name_parts(names: list[str]) -> list[str]:
    parts = set()
    for name in names:
        for part in re.split(r"[\s\-]+", _fold(name)[0]):
            part = part.strip(".,;:")
            if sum(char.isalpha() for char in part) >= 3 and part not in _TUSSENVOEGSELS:
                parts.add(part)
    return sorted(parts, key=len, reverse=True)


def _name_hits(text: str, names: list[str]) -> Iterator[tuple[str, int, int]]:
    parts = _name_parts(names)
    if not parts:
        return
    folded, origin = _fold(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, parts)) + r")(?!\w)")
    for match in pattern.finditer(folded):
        yield "identity", origin[match.start()], origin[match.end() - 1] + 1
