"""Reads of a meeting's records for its screens, each one query."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.meetings.models import ActionItem, BuildingBlockScore, Finding, Meeting


def step_findings(meeting: Meeting, ref: str) -> list[Finding]:
    return list(
        db.session.scalars(
            select(Finding).where(Finding.meeting_id == meeting.id, Finding.step_ref == ref)
        )
    )


def step_actions(meeting: Meeting, ref: str) -> list[ActionItem]:
    return list(
        db.session.scalars(
            select(ActionItem).where(
                ActionItem.meeting_id == meeting.id, ActionItem.step_ref == ref
            )
        )
    )


def building_block_scores(meeting: Meeting) -> BuildingBlockScore | None:
    return db.session.get(BuildingBlockScore, meeting.id)
