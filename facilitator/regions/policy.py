"""Who may look after the contacts (professionals without an account) of a region."""

from __future__ import annotations

from facilitator.regions.models import Contact, Organisation, Region
from facilitator.users.models import Role, User


def can_manage_contacts_in(user: User, organisation: Organisation) -> bool:
    """The beheerder everywhere; a procesbegeleider in their own region."""
    if user.role == Role.BEHEERDER:
        return True
    return (
        user.role == Role.PROCESBEGELEIDER and organisation.region_id == user.organisation.region_id
    )


def can_manage_contact(user: User, contact: Contact) -> bool:
    return can_manage_contacts_in(user, contact.organisation)


def can_keep_house_style(user: User, region: Region) -> bool:
    """The beheerder keeps every region's house style (the beheerder works across regions)."""
    return user.role == Role.BEHEERDER
