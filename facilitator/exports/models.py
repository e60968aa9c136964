"""What the exports keep: approved minutes, logbook editions and the feedback on them, and a
region's house style."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.database import utcnow
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


class FeedbackBody(db.Model):
    """A body of a region that a logbook edition is put to: the klankbordgroep, the
    beleidsgroep, the projectgroep a werkgroep reports to (facilitator.exports.feedback_bodies)."""

    __tablename__ = "feedback_bodies"
    __table_args__ = (UniqueConstraint("region_id", "name", name="uq_feedback_bodies_region_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: A deactivated body keeps its feedback but is offered no more.
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    region: Mapped[Region] = relationship()

    @property
    def label(self) -> str:
        """What the pages and the documents call the body: its name, as the region wrote it."""
        return self.name


class LogbookFeedback(db.Model):
    """What a body said about an edition, and what was decided; shown in the next edition."""

    __tablename__ = "logbook_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("logbook_editions.id", ondelete="CASCADE"), index=True
    )
    body_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_bodies.id", ondelete="RESTRICT"), index=True
    )
    given_on: Mapped[date]
    summary: Mapped[str] = mapped_column(Text)
    decisions: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    edition: Mapped[LogbookEdition] = relationship(back_populates="feedback")
    #: Loaded with the row: every list of feedback names its body.
    body: Mapped[FeedbackBody] = relationship(lazy="joined")
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
