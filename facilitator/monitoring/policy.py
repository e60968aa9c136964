"""Who may read a region's figures: its projectleider and the members of its beleidsgroep.

The figures carry no pseudonym and small counts are suppressed, so the beleidsgroeplid (who
never sees a case) may read them; the beheerder sees no client-related figures, and a
procesbegeleider or member works in their own groups, not across the region.
"""

from __future__ import annotations

from facilitator.regions.models import Region
from facilitator.users.models import Role, User

READERS = (Role.PROJECTLEIDER, Role.BELEIDSGROEPLID)


def can_read_figures(user: User, region_id: int) -> bool:
    return user.role in READERS and user.organisation.region_id == region_id


def can_read_region_figures(user: User, region: Region) -> bool:
    """The rule for ``load_or_deny`` of the region in the figures' URLs."""
    return can_read_figures(user, region.id)
