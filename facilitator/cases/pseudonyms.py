"""Pseudonyms (SECURITY.md P1): random from the OS's CSPRNG, readable, unique."""

import secrets

from sqlalchemy import select

from facilitator.extensions import db

#: No 0/O, 1/I/L: a pseudonym is read aloud in meetings and typed from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def random_pseudonym() -> str:
    """Return e.g. "K7-QF3": 31⁵ ≈ 29 million possibilities, nothing derived from the client."""
    chars = [secrets.choice(ALPHABET) for _ in range(5)]
    return "".join(chars[:2]) + "-" + "".join(chars[2:])


def new_pseudonym() -> str:
    """Return a pseudonym no case has yet."""
    from facilitator.cases.models import Case

    while True:
        candidate = random_pseudonym()
        if db.session.scalar(select(Case.id).where(Case.pseudonym == candidate)) is None:
            return candidate
