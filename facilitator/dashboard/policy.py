"""Who reads a region's dashboard: its projectleider and its beleidsgroepleden.

The beleidsgroeplid (a manager in the region's beleidsgroep) is read-only and belongs to no
group: the dashboard and the issued logbook editions of their region are all they read.
"""

from __future__ import annotations

from facilitator.users.models import Role, User

#: The roles that read a region's dashboard, each in their own region only.
DASHBOARD_READERS = frozenset({Role.PROJECTLEIDER, Role.BELEIDSGROEPLID})


def can_read_dashboard(user: User, region_id: int) -> bool:
    return user.role in DASHBOARD_READERS and user.organisation.region_id == region_id


def can_read_region_dashboard(user: User, region) -> bool:
    """The rule for load_or_deny, which hands over the region itself."""
    return can_read_dashboard(user, region.id)
