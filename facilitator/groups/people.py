"""Who can own an action or hold a case's regie in a group: a user, or a contact without an
account. Forms name either as one value ("user:12", "contact:3"); views load it by its rule."""

from __future__ import annotations

import re
from typing import TypeAlias

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, GroupMembership
from facilitator.groups.policy import person_of_region
from facilitator.loading import load_or_deny
from facilitator.regions.contacts import active_contacts_of_region
from facilitator.regions.models import Contact
from facilitator.users.models import User

Person: TypeAlias = User | Contact

_KEY = re.compile(r"^(user|contact):([0-9]{1,10})$")


def person_key(person: Person | None) -> str:
    """The value that names ``person`` in a form."""
    if person is None:
        return ""
    return f"{'contact' if isinstance(person, Contact) else 'user'}:{person.id}"


def person_label(person: Person) -> str:
    """Name and organisation; a contact is marked as having no account."""
    label = f"{person.name} ({person.organisation.name})"
    return _("%(person)s, without an account", person=label) if is_contact(person) else label


def is_contact(person: Person | None) -> bool:
    return isinstance(person, Contact)


def people_of_group(group: CaseGroup) -> list[Person]:
    """The group's active members, then the region's active contacts, each by name: two
    queries, whatever the number of people."""
    members = db.session.scalars(
        select(User)
        .join(GroupMembership, GroupMembership.user_id == User.id)
        .where(GroupMembership.group_id == group.id, User.active.is_(True))
        .options(joinedload(User.organisation))
        .order_by(User.name, User.id)
    )
    return [*members, *active_contacts_of_region(group.region_id)]


def person_choices(people: list[Person], keep: Person | None = None) -> list[SelectChoice]:
    """Options for choosing among ``people``; ``keep`` stays a choice when it is no longer one
    of them (an owner who left the group), so that saving another change keeps them."""
    if keep is not None and person_key(keep) not in {person_key(p) for p in people}:
        people = [*people, keep]
    return [SelectChoice(person_key(p), person_label(p)) for p in people]


def load_person(key: str | None, group: CaseGroup) -> Person:
    """The user or contact a form names, of the group's region: 404, or a logged 403."""
    match = _KEY.match(key or "")
    if match is None:
        abort(404)
    model = Contact if match.group(1) == "contact" else User
    return load_or_deny(model, int(match.group(2)), person_of_region(group))
