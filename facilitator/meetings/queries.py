"""Reads of a meeting's records for its screens, each a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from facilitator.extensions import db
from facilitator.meetings.models import ActionItem, BuildingBlockScore, Finding, Meeting
from facilitator.regions.models import Organisation
from facilitator.regions.services import organisations_of_region
from facilitator.users.models import User


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
            .options(joinedload(ActionItem.owner), joinedload(ActionItem.organisation))
            .order_by(ActionItem.id)
        )
    )


def building_block_scores(meeting: Meeting) -> BuildingBlockScore | None:
    return db.session.get(BuildingBlockScore, meeting.id)


def people(meeting: Meeting) -> list[User]:
    """Who can own an action or be regievoerder: the group's active members, by name."""
    return sorted(
        (m.user for m in meeting.group.memberships if m.user.active), key=lambda u: u.name
    )


def organisations(meeting: Meeting) -> list[Organisation]:
    """The organisations a finding can concern: those of the group's region."""
    return organisations_of_region(meeting.group.region_id)
