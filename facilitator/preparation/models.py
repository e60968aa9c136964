"""A preparation answer: one question of the meeting's handreiking, for one case on its agenda."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.users.models import User


class PreparationAnswer(db.Model):
    """What a member answered to one question of the handreiking, before the meeting.

    The questions come from the meeting's own copy of its protocol (``Meeting.protocol_source``),
    so an answer keeps the question it answered however the file changes later. ``version``
    guards against silent overwrites (facilitator.versions, SECURITY.md R3).
    """

    __tablename__ = "preparation_answers"
    __table_args__ = (
        UniqueConstraint(
            "meeting_id", "case_id", "question_key", name="uq_preparation_answers_question"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    #: The key of the question in the meeting's protocol (``[[preparation]]``).
    question_key: Mapped[str] = mapped_column(String(48))
    #: The answer: screened by the guard (facilitator.privacy.guard).
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    #: Loaded with the answer: every use names the case by its pseudonym (the audit row too).
    case: Mapped[Case] = relationship(lazy="joined")
    updated_by: Mapped[User | None] = relationship()
