"""A story of a casusgroep: a klantverhaal or a voorbeeldcasus, approved before it is shown.

The informal half of the region's reporting (issue 14, seed 001): told by members, optionally
about one of the group's cases, and read by the dashboard and the logbook only once the
group's procesbegeleider approved it. Its region is its group's.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.users.models import User

#: A title is a line; a story a page at most (about 700 words).
MAX_TITLE = 120
MAX_TEXT = 5000


class StoryKind(LabelledEnum):
    KLANTVERHAAL = "klantverhaal"
    VOORBEELDCASUS = "voorbeeldcasus"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.KLANTVERHAAL: _l("Client story"),
            cls.VOORBEELDCASUS: _l("Example case"),
        }


class StoryStatus(LabelledEnum):
    """Written (concept), waiting for approval (ingediend), approved, or sent back with a
    reason; a story sent back is edited and submitted again."""

    CONCEPT = "concept"
    INGEDIEND = "ingediend"
    GOEDGEKEURD = "goedgekeurd"
    TERUGGESTUURD = "teruggestuurd"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.CONCEPT: _l("Draft"),
            cls.INGEDIEND: _l("Waiting for approval"),
            cls.GOEDGEKEURD: _l("Approved"),
            cls.TERUGGESTUURD: _l("Sent back"),
        }

    @property
    def is_draft(self) -> bool:
        """Not (yet) put forward: a draft, or a story sent back to its author."""
        return self in (StoryStatus.CONCEPT, StoryStatus.TERUGGESTUURD)


class Story(db.Model):
    """A klantverhaal or voorbeeldcasus of a group, told without identifying details."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("case_groups.id", ondelete="RESTRICT"), index=True
    )
    #: The group's case it is about, if any: members see its pseudonym, the dashboard and the
    #: logbook never (stories.queries reads neither the case nor its pseudonym).
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[StoryKind] = mapped_column(enum_column_type(StoryKind, "story_kind"))
    #: Screened by the guard, and refused when it holds a pseudonym (stories.services).
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[StoryStatus] = mapped_column(
        enum_column_type(StoryStatus, "story_status"), default=StoryStatus.CONCEPT
    )
    #: Why the procesbegeleider sent it back ("" otherwise); screened like the story.
    sent_back_reason: Mapped[str] = mapped_column(Text, default="")
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Who approved it and when; cleared when it is edited or sent back.
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    approved_at: Mapped[datetime | None]
    #: Raised by every change through a form (SECURITY.md R3; facilitator.versions).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    group: Mapped[CaseGroup] = relationship()
    case: Mapped[Case | None] = relationship()
    written_by: Mapped[User] = relationship(foreign_keys=[written_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    def __repr__(self) -> str:
        return f"<Story {self.id} {self.status.value}>"

    def is_written_by(self, user: User) -> bool:
        return self.written_by_id == user.id
