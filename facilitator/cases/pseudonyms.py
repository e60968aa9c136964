"""Pseudonyms (SECURITY.md P1): random from the OS's CSPRNG, readable, unique."""

import re
import secrets

from sqlalchemy import select

from facilitator.extensions import db

#: No 0/O, 1/I/L: a pseudonym is read aloud in meetings and typed from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: The shape of every pseudonym: two signs, a hyphen, three signs.
_SHAPE = re.compile(f"[{ALPHABET}]{{2}}-[{ALPHABET}]{{3}}")


def is_pseudonym(text: str) -> bool:
    """Whether ``text`` has a pseudonym's shape (a typed filter; a number is never one)."""
    return _SHAPE.fullmatch(text) is not None


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
