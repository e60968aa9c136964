"""The reads of stories: a group's list, and the approved stories of a region for the
dashboard and the logbook (without pseudonym or case), each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local, local_date
from facilitator.stories.models import Story, StoryKind, StoryStatus


@dataclass(frozen=True)
class StoryLine:
    """An approved story as readers outside the group see it: no case, no pseudonym."""

    id: int
    kind: StoryKind
    title: str
    text: str
    group: str
    approved_on: date

    @property
    def label(self) -> str:
        """The kind in words: "Klantverhaal" or "Voorbeeldcasus"."""
        return self.kind.label


def stories_of_group(group: CaseGroup) -> Select:
    """Select the group's stories, the newest first, with their author and case."""
    return (
        select(Story)
        .where(Story.group_id == group.id)
        .options(joinedload(Story.written_by), joinedload(Story.case))
        .order_by(Story.written_at.desc(), Story.id.desc())
    )


def approved_stories(
    region_id: int,
    *,
    period_from: date | None = None,
    period_to: date | None = None,
    group_ids: Sequence[int] = (),
) -> tuple[StoryLine, ...]:
    """The approved stories of the region's groups (or of ``group_ids`` among them), approved
    within the period of local dates when given, the newest first: one query."""
    query = (
        select(
            Story.id,
            Story.kind,
            Story.title,
            Story.text,
            CaseGroup.name,
            Story.approved_at,
        )
        .join(CaseGroup, Story.group_id == CaseGroup.id)
        .where(
            CaseGroup.region_id == region_id,
            Story.status == StoryStatus.GOEDGEKEURD,
            Story.approved_at.is_not(None),
        )
        .order_by(Story.approved_at.desc(), Story.id.desc())
    )
    if group_ids:
        query = query.where(Story.group_id.in_(list(group_ids)))
    if period_from is not None:
        query = query.where(Story.approved_at >= from_local(period_from, time(0)))
    if period_to is not None:
        query = query.where(Story.approved_at < from_local(period_to + timedelta(days=1), time(0)))
    return tuple(
        StoryLine(id_, kind, title, text, group, local_date(approved_at))
        for id_, kind, title, text, group, approved_at in db.session.execute(query)
    )
