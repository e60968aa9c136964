"""Which cases a free text names by pseudonym: what a beleidsgroeplid reads must name none.

A member may write "zoals bij AB-CD2" in a finding, and a projectleider in the feedback on a
logbook edition; the guard looks for identities, not for pseudonyms. This finds every token of
a pseudonym's shape (any case of letters) and keeps those that are a case's, in one query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from facilitator.cases.pseudonyms import ALPHABET
from facilitator.extensions import db

_TOKEN = re.compile(
    rf"(?<![{ALPHABET}])[{ALPHABET}]{{2}}-[{ALPHABET}]{{3}}(?![{ALPHABET}])", re.IGNORECASE
)


def named_cases(texts: Iterable[str]) -> list[str]:
    """The pseudonyms of existing cases that the texts name, sorted (one query, or none)."""
    from facilitator.cases.models import Case

    tokens = {match.upper() for text in texts for match in _TOKEN.findall(text or "")}
    if not tokens:
        return []
    return sorted(db.session.scalars(select(Case.pseudonym).where(Case.pseudonym.in_(tokens))))
