"""Contacts: professionals without an account, who can own an action or hold a case's regie.

A contact works for an organisation of the region, like a user, but never logs in; someone
who does log in records what they report. Their name and e-mail address are a professional's
work details: the name passes the guard as such (``professional_details``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.auth.services import find_user_by_email, normalise_email
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.privacy import guard
from facilitator.regions.models import Contact, Organisation, Region

if TYPE_CHECKING:
    from facilitator.users.models import User


def contacts_in(region_id: int | None = None) -> Select:
    """Select contacts, optionally of one region, by region, organisation and name."""
    query = (
        select(Contact)
        .join(Contact.organisation)
        .join(Organisation.region)
        .options(contains_eager(Contact.organisation).contains_eager(Organisation.region))
        .order_by(Region.name, Organisation.name, Contact.name)
    )
    if region_id is not None:
        query = query.where(Organisation.region_id == region_id)
    return query


def active_contacts_of_region(region_id: int) -> list[Contact]:
    """The contacts that can be chosen in a region, by name, with their organisation."""
    query = (
        contacts_in(region_id)
        .where(Contact.active.is_(True))
        .order_by(None)
        .order_by(Contact.name, Organisation.name)
    )
    return list(db.session.scalars(query))


def find_contact(region_id: int, email: str) -> Contact | None:
    """The region's contact with this e-mail address, whatever its case."""
    return db.session.scalar(
        select(Contact)
        .join(Contact.organisation)
        .where(Organisation.region_id == region_id, Contact.email == normalise_email(email))
    )


def _checked(organisation: Organisation, name: str, email: str, contact: Contact | None) -> str:
    """Refuse what cannot be stored; return the e-mail address as stored."""
    if not name.strip():
        raise ServiceError(_l("Give the contact's name."), field="name")
    normalised = normalise_email(email)
    if not normalised:
        raise ServiceError(_l("Give the contact's work e-mail address."), field="email")
    if find_user_by_email(normalised) is not None:
        raise ServiceError(
            _l("This person has an account: choose the account instead of a contact."),
            field="email",
        )
    existing = find_contact(organisation.region_id, normalised)
    if existing is not None and existing is not contact:
        raise ServiceError(
            _l("The region already has a contact with this e-mail address."), field="email"
        )
    return normalised


def _screen(name: str, actor: User | None) -> None:
    guard.screen({"name": name}, actor=actor, on=None, professional_details=True)


def create_contact(
    organisation: Organisation, *, name: str, email: str, actor: User | None
) -> Contact:
    """Add a professional without an account to an organisation."""
    stored_email = _checked(organisation, name, email, None)
    _screen(name, actor)
    contact = Contact(organisation=organisation, name=name.strip(), email=stored_email)
    db.session.add(contact)
    db.session.flush()
    record(
        "contact_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="contact",
        object_id=contact.id,
    )
    return contact


def update_contact(
    contact: Contact,
    *,
    name: str,
    email: str,
    organisation: Organisation,
    actor: User | None,
) -> None:
    """Correct a contact's name, e-mail address or organisation (within the region)."""
    if organisation.region_id != contact.organisation.region_id:
        raise ServiceError(
            _l("A contact stays in the region: choose an organisation of this region."),
            field="organisation_id",
        )
    stored_email = _checked(organisation, name, email, contact)
    _screen(name, actor)
    contact.name = name.strip()
    contact.email = stored_email
    contact.organisation = organisation
    db.session.flush()
    record(
        "contact_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="contact",
        object_id=contact.id,
    )


def set_contact_active(contact: Contact, active: bool, *, actor: User | None) -> None:
    """Deactivate a contact (kept with their actions and regie history), or activate again."""
    contact.active = active
    record(
        "contact_activated" if active else "contact_deactivated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="contact",
        object_id=contact.id,
    )
