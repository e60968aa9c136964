"""Reads of a meeting's records for its screens, each a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from facilitator.actions.models import ActionItem
from facilitator.extensions import db
from facilitator.groups.people import Person, people_of_group
from facilitator.meetings.models import AgendaItem, BuildingBlockScore, Finding, Meeting
from facilitator.regions.models import Organisation
from facilitator.regions.services import organisations_of_region


def load_agenda(meeting: Meeting) -> None:
    """Load the agenda with the organisations at the table of every case, in one query more
    (not one per case on the agenda)."""
    db.session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting.id)
        .options(selectinload(Meeting.agenda).selectinload(AgendaItem.present_organisations))
    ).one()


def step_findings(meeting: Meeting, ref: str) -> list[Finding]:
    return list(
        db.session.scalars(
            select(Finding)
            .where(Finding.meeting_id == meeting.id, Finding.step_ref == ref)
            .options(selectinload(Finding.organisations))
            .order_by(Finding.id)
        )
    )


def step_actions(meeting: Meeting, ref: str) -> list[ActionItem]:
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.meeting_id == meeting.id, ActionItem.step_ref == ref)
            .options(
                joinedload(ActionItem.owner_user),
                joinedload(ActionItem.owner_contact),
                joinedload(ActionItem.organisation),
            )
            .order_by(ActionItem.id)
        )
    )


def building_block_scores(meeting: Meeting) -> BuildingBlockScore | None:
    return db.session.get(BuildingBlockScore, meeting.id)


def people(meeting: Meeting) -> list[Person]:
    """Who can own an action or be regievoerder: the group's active members, then the
    region's contacts without an account, by name."""
    return people_of_group(meeting.group)


def organisations(meeting: Meeting) -> list[Organisation]:
    """The organisations a finding can concern: those of the group's region."""
    return organisations_of_region(meeting.group.region_id)
