"""Demo actions and regie: open, overdue and finished actions with their history, an owner
without an account, and a handover of the regie, dated as in a region that uses the tool."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem, ActionUpdate
from facilitator.cases import regie
from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local, local_today
from facilitator.regions import contacts
from facilitator.regions.models import Contact, Organisation
from facilitator.users.models import User

#: The owner without an account: invented, like every name in the demo.
CONTACT = ("Lisa Verbeek", "lisa.verbeek@lindewaard.example", "Werkbedrijf Lindewaard")


def seed_demo_actions(group: CaseGroup, leader: User, owner: User, cases: list[Case]) -> None:
    """Follow up the group's meeting actions and add some agreed between meetings.

    The older meeting's action is done (recorded in the newer meeting's review, see
    demo/meetings.py), the newer one's is being carried out and overdue; a contact without an
    account owns an open one; one was dropped; one is due in two days.
    """
    contact = _contact(group)
    older, newer = db.session.scalars(
        select(ActionItem).where(ActionItem.group_id == group.id).order_by(ActionItem.due_on)
    ).all()[:2]
    if older.status.is_open:
        _update(
            older,
            "gereed",
            owner,
            weeks_ago=8,
            note="Driegesprek gevoerd; de cliënt start met een proefplaatsing via het Werkbedrijf.",
        )
    _update(
        newer,
        "in_uitvoering",
        owner,
        weeks_ago=4,
        note="Afspraak staat; de behandelaar reageert pas na de zomer.",
    )
    proefplaats = _agree(
        group,
        leader,
        "Bij Bakkerij De Korenschoof vragen naar een proefplaats van twaalf uur per week.",
        contact,
        case=cases[-1],
        due_in=10,
        weeks_ago=2,
    )
    _update(
        proefplaats,
        "in_uitvoering",
        leader,
        weeks_ago=1,
        note="Lisa belde: een kennismaking met de bakker staat voor volgende week.",
    )
    dropped = _agree(
        group,
        leader,
        "Herbeoordeling aanvragen bij UWV.",
        owner,
        case=cases[0],
        due_in=30,
        weeks_ago=5,
    )
    _update(
        dropped,
        "vervallen",
        owner,
        weeks_ago=3,
        note="Niet meer nodig: de uren gaan stap voor stap omhoog binnen de huidige regeling.",
    )
    _agree(
        group,
        leader,
        "Overzicht maken van de vaste contactpersonen per organisatie voor de groep.",
        owner,
        case=None,
        due_in=2,
        weeks_ago=1,
    )
    _hand_over(cases[0], owner, contact, leader)


def _contact(group: CaseGroup) -> Contact:
    name, email, organisation_name = CONTACT
    organisation = db.session.scalar(
        select(Organisation).where(
            Organisation.region_id == group.region_id, Organisation.name == organisation_name
        )
    )
    return contacts.create_contact(organisation, name=name, email=email, actor=None)


def _ago(weeks: int) -> datetime:
    """10:00 in Amsterdam, ``weeks`` weeks ago."""
    return from_local(local_today() - timedelta(weeks=weeks), time(10, 0))


def _agree(group, leader, description, owner, *, case, due_in, weeks_ago) -> ActionItem:
    action = actions.create_action(
        group,
        description=description,
        owner=owner,
        due_on=local_today() + timedelta(days=due_in),
        case=case,
        actor=leader,
    )
    action.created_at = _ago(weeks_ago)
    return action


def _update(action: ActionItem, status: str, by: User, *, weeks_ago: int, note: str) -> None:
    update: ActionUpdate = actions.change_status(action, status, note=note, actor=by)
    update.at = _ago(weeks_ago)
    db.session.flush()


def _hand_over(case: Case, first: User, contact: Contact, leader: User) -> None:
    """The regie of a case goes from the klantmanager to the contact, with a reason."""
    if regie.current_regievoerder(case) is None:
        regie.assign_regievoerder(
            case, first, actor=leader, since=local_today() - timedelta(weeks=12)
        )
    before = regie.current_regievoerder(case)
    regie.assign_regievoerder(
        case,
        contact,
        actor=leader,
        since=local_today() - timedelta(weeks=2),
        reason="De cliënt start bij het Werkbedrijf; de jobcoach daar houdt de lijnen bij elkaar.",
        achterwacht=first,
    )
    before.ended_at = _ago(2)
    db.session.flush()
