"""The call for cases (oproep) of a meeting and the cases members propose for its agenda."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.groups.models import SelectionCriterion
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.users.models import User


class ProposalStatus(LabelledEnum):
    VOORGESTELD = "voorgesteld"
    GEACCEPTEERD = "geaccepteerd"
    AFGEWEZEN = "afgewezen"
    INGETROKKEN = "ingetrokken"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.VOORGESTELD: _l("Proposed"),
            cls.GEACCEPTEERD: _l("Accepted"),
            cls.AFGEWEZEN: _l("Declined"),
            cls.INGETROKKEN: _l("Withdrawn"),
        }


class CaseCall(db.Model):
    """The call for cases of one meeting: members propose cases until the deadline."""

    __tablename__ = "case_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: One call per meeting.
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    #: The last (Dutch) day on which members may propose; before the meeting's day.
    deadline: Mapped[date]
    #: What the procesbegeleider asks, screened by the guard; the mail carries it.
    message: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Closed early by the procesbegeleider: no more proposals, whatever the deadline.
    closed: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship()
    opened_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<CaseCall {self.id} meeting {self.meeting_id}>"

    def accepts_proposals(self, today: date) -> bool:
        """Open for proposals on ``today``: not closed, deadline not passed, meeting planned."""
        return (
            not self.closed
            and today <= self.deadline
            and self.meeting.status == MeetingStatus.GEPLAND
        )


proposal_criteria = Table(
    "proposal_criteria",
    db.metadata,
    Column("proposal_id", ForeignKey("case_proposals.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "criterion_id", ForeignKey("selection_criteria.id", ondelete="CASCADE"), primary_key=True
    ),
)

#: A proposal still waiting for the procesbegeleider's decision.
OPEN_PROPOSAL = text("status = 'voorgesteld'")


class CaseProposal(db.Model):
    """A case a member proposes for a meeting's agenda, with the criteria they confirmed."""

    __tablename__ = "case_proposals"
    __table_args__ = (
        # One open proposal per meeting and case; a declined or withdrawn one may be followed.
        Index(
            "uq_case_proposals_open",
            "meeting_id",
            "case_id",
            unique=True,
            sqlite_where=OPEN_PROPOSAL,
            postgresql_where=OPEN_PROPOSAL,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column_type(ProposalStatus, "proposal_status"), default=ProposalStatus.VOORGESTELD
    )
    #: Why the proposer brings it now, screened by the guard.
    note: Mapped[str] = mapped_column(Text, default="")
    #: Why the procesbegeleider declined it, screened by the guard; mailed to the proposer.
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship()
    case: Mapped[Case] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    #: The group's selection criteria the proposer confirmed the case meets.
    criteria: Mapped[list[SelectionCriterion]] = relationship(
        secondary=proposal_criteria, order_by="SelectionCriterion.position"
    )

    def __repr__(self) -> str:
        return f"<CaseProposal {self.id} {self.status.value}>"

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.VOORGESTELD
