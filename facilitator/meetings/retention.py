"""What a correction keeps of the text it replaces: never personal data.

A correction of a completed meeting keeps the old value beside the reason, so that the group
can see what changed. But the usual reason to correct a held meeting is that its text holds
personal data (an old record from before the guard, or one that slipped past it): keeping that
text in the correction would keep the data. When the old value holds a kind the guard always
refuses (a BSN, an IBAN, a birth date, a client's identity), a fixed notice is kept instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from facilitator.exports.screening import identity_values
from facilitator.privacy.guard import refused_kinds
from facilitator.privacy.scope import identities_in_scope
from facilitator.users.models import User

#: Kept instead of an old value that held personal data. Stored, so in the users' language.
REMOVED = "(verwijderd: bevatte persoonsgegevens)"


class OldValues:
    """Decide per old value what a correction keeps, against the identities that matter: those
    in the actor's consent scope and those of the meeting's cases (each read audited)."""

    def __init__(self, *, actor: User, case_ids: Iterable[int], audit_key: str) -> None:
        self.values = [
            *identities_in_scope(actor, audit_key),
            *identity_values(case_ids, actor=actor, reason=f"correction {audit_key}"),
        ]

    def keep(self, old: str) -> str:
        """``old`` itself, or :data:`REMOVED` when it holds a kind the guard always refuses."""
        return REMOVED if old and refused_kinds(old, self.values) else old
