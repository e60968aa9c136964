"""A BSN or IBAN however its groups are cut and whatever lies between them.

The detector's main patterns read numbers as people usually group them, which keeps dates,
times and amounts from passing as a BSN. These second passes catch the rest (odd groupings,
mixed separators, an account number split by slashes or double spaces) on the strength of
the check digits alone, and skip what is plainly something else. Pure: no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from facilitator.privacy.dutch_formats import (
    DATE,
    IBAN_LENGTHS,
    ORGANISATION_NUMBER_BEFORE,
    is_dutch_phone_number,
    is_valid_bsn,
    is_valid_iban,
)

#: Digit groups joined by short runs of anything but letters, digits, a newline, a comma (a
#: decimal or a list) or a colon (a time).
_CHAIN = re.compile(r"(?<![0-9A-Za-z])[0-9]+(?:[^\w\n,:]{1,6}[0-9]+)*(?![0-9A-Za-z])")
_YEAR_RANGE = re.compile(r"(?:19|20)[0-9]{2}[^0-9]{1,6}(?:19|20)[0-9]{2}")
_TIME_RANGE = re.compile(r"[0-2]?[0-9][.h][0-5][0-9][^0-9]{1,6}[0-2]?[0-9][.h][0-5][0-9]")
#: A reference code whose number follows letters ("CL-2024-0387", "zaak/2024 0012").
_CODE_BEFORE = re.compile(r"[A-Za-z][\-/_.]$")
_AMOUNT_BEFORE = re.compile(r"(?:€|eur|euro)\s{0,2}$", re.IGNORECASE)
#: An IBAN's country code and check digits at the start of a word.
_IBAN_START = re.compile(r"(?<![0-9A-Za-z])([A-Za-z]{2})[^0-9A-Za-z\n]{0,3}([0-9]{2})")
#: Between the characters of an IBAN: blanks and punctuation, at most a few at a time.
_IBAN_GAP = 3


def loose_bsn_hits(text: str) -> Iterator[tuple[str, int, int]]:
    """Eight or nine digits in any grouping that pass the elfproef and are nothing else."""
    for match in _CHAIN.finditer(text):
        chain = match.group()
        digits = "".join(char for char in chain if char.isdigit())
        if len(digits) not in (8, 9) or not is_valid_bsn(digits):
            continue
        before = text[max(0, match.start() - 50) : match.start()]
        if (
            DATE.fullmatch(chain)
            or _YEAR_RANGE.fullmatch(chain)
            or _TIME_RANGE.fullmatch(chain)
            or _CODE_BEFORE.search(before)
            or (digits.startswith("0") and is_dutch_phone_number(digits))
            or _AMOUNT_BEFORE.search(before)
            or ORGANISATION_NUMBER_BEFORE.search(before)
        ):
            continue
        yield "bsn", match.start(), match.end()


def loose_iban_hits(text: str) -> Iterator[tuple[str, int, int]]:
    """An IBAN of a known length whose characters are split by blanks or punctuation."""
    for match in _IBAN_START.finditer(text):
        country = match.group(1).upper()
        length = IBAN_LENGTHS.get(country)
        if length is None:
            continue
        chars = [country, match.group(2)]
        count, index, gap = 4, match.end(), 0
        while count < length and index < len(text) and gap <= _IBAN_GAP:
            char = text[index]
            if char.isascii() and char.isalnum():
                chars.append(char)
                count, gap = count + 1, 0
            elif char == "\n":
                break
            else:
                gap += 1
            index += 1
        if count == length and is_valid_iban("".join(chars)):
            yield "iban", match.start(), index
