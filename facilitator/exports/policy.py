"""Who may read a logbook edition and record the feedback on it (SECURITY.md A7)."""

from __future__ import annotations

from facilitator.exports.models import LogbookEdition
from facilitator.users.models import Role, User


def can_keep_feedback(user: User, edition: LogbookEdition) -> bool:
    """The projectleider of the edition's region: they issue the logbook and take it to the
    klankbordgroep and the beleidsgroep."""
    return user.role == Role.PROJECTLEIDER and user.organisation.region_id == edition.region_id
