"""What the exports keep: approved minutes, logbook editions and the feedback on them, and a
region's house style."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.meetings.models import Meeting
from facilitator.regions.models import Region
from facilitator.users.models import User


class MinutesApproval(db.Model):
    """The minutes of a meeting as the group approved them, at its next meeting.

    The file is kept as it was issued: the approved version does not change when a record of
    the meeting is corrected later.
    """

    __tablename__ = "minutes_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    #: The meeting in which the group approved them.
    approved_in_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL")
    )
    #: The corrections the group asked for, noted in the approved version.
    corrections: Mapped[str] = mapped_column(Text, default="")
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))

    meeting: Mapped[Meeting] = relationship(foreign_keys=[meeting_id])
    approved_in: Mapped[Meeting | None] = relationship(foreign_keys=[approved_in_meeting_id])
    approved_by: Mapped[User] = relationship()


logbook_edition_groups = Table(
    "logbook_edition_groups",
    db.metadata,
    Column(
        "edition_id",
        ForeignKey("logbook_editions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("group_id", ForeignKey("case_groups.id", ondelete="CASCADE"), primary_key=True),
)


class LogbookEdition(db.Model):
    """A logbook as it was issued: its scope and period, who issued it and when, the file."""

    __tablename__ = "logbook_editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), index=True
    )
    period_from: Mapped[date]
    period_to: Mapped[date]
    #: None when issued from the command line.
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Deferred: lists and pages read the row; only a download or a document reads the file.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))

    region: Mapped[Region] = relationship()
    #: Empty: the whole region.
    groups: Mapped[list[CaseGroup]] = relationship(
        secondary=logbook_edition_groups, order_by=CaseGroup.name
    )
    issued_by: Mapped[User | None] = relationship()
    feedback: Mapped[list[LogbookFeedback]] = relationship(
        back_populates="edition",
        order_by="(LogbookFeedback.given_on, LogbookFeedback.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class FeedbackBody(LabelledEnum):
    """Who gave feedback on a logbook edition."""

    KLANKBORDGROEP = "klankbordgroep"
    BELEIDSGROEP = "beleidsgroep"
    FOCUSGROEP = "focusgroep"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.KLANKBORDGROEP: _l("Sounding board group"),
            cls.BELEIDSGROEP: _l("Policy group"),
            cls.FOCUSGROEP: _l("Focus group of experts by experience"),
        }


class LogbookFeedback(db.Model):
    """What a body said about an edition, and what was decided; shown in the next edition."""

    __tablename__ = "logbook_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("logbook_editions.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[FeedbackBody] = mapped_column(enum_column_type(FeedbackBody, "feedback_body"))
    given_on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text)
    decisions: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    edition: Mapped[LogbookEdition] = relationship(back_populates="feedback")
    recorded_by: Mapped[User] = relationship()


class HouseStyle(db.Model):
    """A region's reference document: its styles, header, footer and logo dress every export."""

    __tablename__ = "house_styles"

    region_id: Mapped[int] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    #: Deferred: lists and pages read the row; only a download or a document reads the file.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User] = relationship()
