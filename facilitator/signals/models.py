"""The follow-up of a signal for the beleidsgroep, and the timeline of its changes.

A finding marked as a signal (facilitator.meetings.models.Finding.signal) has at most one
follow-up; a signal without one stands as "nieuw". Every recorded change is kept as a row of
the timeline (as Decidim's accountability keeps its results' changes), also when the finding's
signal mark is corrected away later.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.meetings.models import Finding
from facilitator.users.models import User


class SignalStatus(LabelledEnum):
    NIEUW = "nieuw"
    GEAGENDEERD = "geagendeerd"
    BESLUIT_GENOMEN = "besluit_genomen"
    UITGEVOERD = "uitgevoerd"
    NIET_OVERGENOMEN = "niet_overgenomen"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.NIEUW: _l("New"),
            cls.GEAGENDEERD: _l("On the agenda"),
            cls.BESLUIT_GENOMEN: _l("Decision taken"),
            cls.UITGEVOERD: _l("Carried out"),
            cls.NIET_OVERGENOMEN: _l("Not adopted"),
        }

    @property
    def needs_decision(self) -> bool:
        """A decision, its execution or its refusal is told in a sentence."""
        return self in DECIDED


DECIDED = (SignalStatus.BESLUIT_GENOMEN, SignalStatus.UITGEVOERD, SignalStatus.NIET_OVERGENOMEN)


class SignalFollowUp(db.Model):
    """How a signal stands with the beleidsgroep: its status, the decision, since when."""

    __tablename__ = "signal_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: One follow-up per finding: the first record makes it, later ones change it.
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[SignalStatus] = mapped_column(enum_column_type(SignalStatus, "signal_status"))
    #: The decision in a sentence: screened by the guard like every typed text.
    decision: Mapped[str] = mapped_column(Text, default="")
    #: The day of the decision, or of the status (the beleidsgroep's meeting).
    decided_on: Mapped[date]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Raised by every record: one made on an older version is refused (facilitator.versions).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    finding: Mapped[Finding] = relationship()
    recorded_by: Mapped[User] = relationship()
    updates: Mapped[list[SignalUpdate]] = relationship(
        back_populates="follow_up", order_by="SignalUpdate.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<SignalFollowUp {self.finding_id} {self.status.value}>"


class SignalUpdate(db.Model):
    """One change in a signal's timeline: the status and decision as recorded, by whom, when."""

    __tablename__ = "signal_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(
        ForeignKey("signal_follow_ups.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[SignalStatus] = mapped_column(
        enum_column_type(SignalStatus, "signal_update_status")
    )
    #: As recorded then: screened by the guard like the follow-up's.
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date]
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    follow_up: Mapped[SignalFollowUp] = relationship(back_populates="updates")
    by: Mapped[User] = relationship()
