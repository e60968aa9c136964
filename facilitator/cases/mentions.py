"""Which cases a free text names by pseudonym: what a beleidsgroeplid reads must name none.

A member may write "zoals bij AB-CD2" in a finding, and a projectleider in the feedback on a
logbook edition; the guard looks for identities, not for pseudonyms. This finds every token of
a pseudonym's shape (any case of letters) and keeps those that are a case's, in one query.

The text is read as a person reads it, with the guard's normalisation (facilitator.privacy.
normalise: zero-width characters dropped, fullwidth letters plain) and every dash alike: the
pseudonym written with a non-breaking hyphen, an en dash or a minus sign names the same case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import select

from facilitator.cases.pseudonyms import ALPHABET
from facilitator.extensions import db
from facilitator.privacy.normalise import NormalisedText, normalise

#: What replaces a case's pseudonym in a text read outside the group.
MASK = "[casus]"

_TOKEN = re.compile(
    rf"(?<![{ALPHABET}])[{ALPHABET}]{{2}}-[{ALPHABET}]{{3}}(?![{ALPHABET}])", re.IGNORECASE
)
#: Dashes that are not a category Pd character: the minus sign.
_OTHER_DASHES = frozenset("\u2212")


def named_cases(texts: Iterable[str]) -> list[str]:
    """The pseudonyms of existing cases that the texts name, sorted (one query, or none)."""
    tokens = {match.group().upper() for text in texts for match in _matches(text)[1]}
    return sorted(_existing(tokens))


def mask_cases(texts: Iterable[str]) -> list[str]:
    """The texts with every pseudonym of an existing case (in any letter case, with any dash)
    replaced by :data:`MASK`; other text as it was (one query, or none)."""
    texts = list(texts)
    found = [_matches(text) for text in texts]
    known = _existing({m.group().upper() for _, matches in found for m in matches})
    masked = []
    for text, (plain, matches) in zip(texts, found, strict=True):
        text = text or ""
        for match in reversed(matches):  # from the end, so earlier spans stay where they are
            if match.group().upper() in known:
                start, end = plain.source_span(match.start(), match.end())
                text = text[:start] + MASK + text[end:]
        masked.append(text)
    return masked


def _matches(text: str | None) -> tuple[NormalisedText, list[re.Match]]:
    plain = normalise(text or "")
    dashed = "".join(
        "-" if unicodedata.category(char) == "Pd" or char in _OTHER_DASHES else char
        for char in plain.text
    )  # one character for one: the origins still hold
    return plain, list(_TOKEN.finditer(dashed))


def _existing(tokens: set[str]) -> set[str]:
    from facilitator.cases.models import Case

    if not tokens:
        return set()
    return set(db.session.scalars(select(Case.pseudonym).where(Case.pseudonym.in_(tokens))))
