"""Case, its classifications, its regievoerder and the regievoerder's updates."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, SelectionCriterion
from facilitator.regions.models import Contact, Organisation
from facilitator.users.models import User

if TYPE_CHECKING:
    from facilitator.privacy.models import CaseIdentity, Consent


class PrivacyMode(LabelledEnum):
    FICTIEF = "fictief"
    ANONIEM = "anoniem"
    TOESTEMMING = "toestemming"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.FICTIEF: _l("Fictitious"),
            cls.ANONIEM: _l("Anonymous"),
            cls.TOESTEMMING: _l("With consent"),
        }


class BenefitType(LabelledEnum):
    PARTICIPATIEWET = "participatiewet"
    WW = "ww"
    WIA = "wia"
    WAJONG = "wajong"
    GEEN = "geen"
    ONBEKEND = "onbekend"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PARTICIPATIEWET: _l("Participatiewet"),
            cls.WW: _l("WW"),
            cls.WIA: _l("WIA"),
            cls.WAJONG: _l("Wajong"),
            cls.GEEN: _l("None"),
            cls.ONBEKEND: _l("Unknown"),
        }


class YesNoUnknown(LabelledEnum):
    JA = "ja"
    NEE = "nee"
    ONBEKEND = "onbekend"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.JA: _l("Yes"), cls.NEE: _l("No"), cls.ONBEKEND: _l("Unknown")}


class CaseStatus(LabelledEnum):
    AANGEMELD = "aangemeld"
    GEAGENDEERD = "geagendeerd"
    BESPROKEN = "besproken"
    IN_OPVOLGING = "in_opvolging"
    AFGESLOTEN = "afgesloten"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.AANGEMELD: _l("Registered"),
            cls.GEAGENDEERD: _l("On an agenda"),
            cls.BESPROKEN: _l("Discussed"),
            cls.IN_OPVOLGING: _l("In follow-up"),
            cls.AFGESLOTEN: _l("Closed"),
        }


#: A case in one of these has been discussed in a held meeting (closing a meeting moves its
#: cases to "besproken"); from then on it needs a regievoerder.
DISCUSSED = (CaseStatus.BESPROKEN, CaseStatus.IN_OPVOLGING)


class ClosureReason(LabelledEnum):
    """Why a case ends: the regions report these as outflow (uitstroom)."""

    BETAALD_WERK = "betaald_werk"
    OPLEIDING_TRAJECT = "opleiding_traject"
    VRIJWILLIGERSWERK_DAGBESTEDING = "vrijwilligerswerk_dagbesteding"
    GEEN_VERVOLG = "geen_vervolg"
    TOESTEMMING_INGETROKKEN = "toestemming_ingetrokken"
    VERHUISD = "verhuisd"
    ANDERS = "anders"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.BETAALD_WERK: _l("Outflow to paid work"),
            cls.OPLEIDING_TRAJECT: _l("Outflow to education or a programme"),
            cls.VRIJWILLIGERSWERK_DAGBESTEDING: _l("Outflow to volunteer work or day activities"),
            cls.GEEN_VERVOLG: _l("No follow-up needed"),
            cls.TOESTEMMING_INGETROKKEN: _l("Consent withdrawn"),
            cls.VERHUISD: _l("Moved or outside the region"),
            cls.ANDERS: _l("Other (explain)"),
        }


case_criteria = Table(
    "case_criteria",
    db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "criterion_id", ForeignKey("selection_criteria.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Case(db.Model):
    """A client case under its pseudonym; identity, if any, lives in the privacy tables."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, readable, unique (SECURITY.md P1); never derived from the client.
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("case_groups.id", ondelete="RESTRICT"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    brought_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    privacy_mode: Mapped[PrivacyMode] = mapped_column(enum_column_type(PrivacyMode, "privacy_mode"))
    #: Short, without identifying data: checked by the personal-data guard on every save.
    description: Mapped[str] = mapped_column(Text, default="")
    benefit: Mapped[BenefitType] = mapped_column(enum_column_type(BenefitType, "benefit_type"))
    ggz_treatment: Mapped[YesNoUnknown] = mapped_column(enum_column_type(YesNoUnknown, "ggz_care"))
    status: Mapped[CaseStatus] = mapped_column(
        enum_column_type(CaseStatus, "case_status"), default=CaseStatus.AANGEMELD
    )
    #: Why the case was closed (None while open), and an explanation (required for "anders").
    closure_kind: Mapped[ClosureReason | None] = mapped_column(
        enum_column_type(ClosureReason, "closure_reason")
    )
    closure_reason: Mapped[str] = mapped_column(String(300), default="")
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    group: Mapped[CaseGroup] = relationship()
    organisation: Mapped[Organisation] = relationship()
    brought_by: Mapped[User] = relationship()
    criteria: Mapped[list[SelectionCriterion]] = relationship(secondary=case_criteria)
    identity: Mapped[CaseIdentity | None] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="case", order_by="Consent.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Case {self.pseudonym}>"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.AFGESLOTEN

    @property
    def without_regie(self) -> bool:
        """Discussed, and nobody holds its regie now: marked "zonder regie" wherever it is
        listed (``regie_in_force`` is read with the case, see below)."""
        return self.status in DISCUSSED and not self.regie_in_force


#: Exactly one regievoerder (a user or a contact) and at most one achterwacht per assignment.
ONE_REGIEVOERDER = (
    "(user_id IS NOT NULL AND contact_id IS NULL) OR (user_id IS NULL AND contact_id IS NOT NULL)"
)
AT_MOST_ONE_ACHTERWACHT = "achterwacht_user_id IS NULL OR achterwacht_contact_id IS NULL"
#: The assignment in force has not ended; a case has at most one.
IN_FORCE = text("ended_at IS NULL")


class RegievoerderAssignment(db.Model):
    """Who holds the regie of a case from when, with an optional achterwacht (backup).

    One is in force per case (a partial unique index); a handover ends it and starts the
    next, with the reason, so the history stays.
    """

    __tablename__ = "regievoerder_assignments"
    __table_args__ = (
        CheckConstraint(ONE_REGIEVOERDER, name="one_regievoerder"),
        CheckConstraint(AT_MOST_ONE_ACHTERWACHT, name="one_achterwacht"),
        Index(
            "uq_regievoerder_assignments_in_force",
            "case_id",
            unique=True,
            sqlite_where=IN_FORCE,
            postgresql_where=IN_FORCE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="RESTRICT"))
    #: The regievoerder's organisation when the regie was given to them.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    achterwacht_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    achterwacht_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="RESTRICT")
    )
    #: The meeting in which it was agreed, if any.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    #: The day the regie started, as agreed.
    since: Mapped[date]
    #: Why the regie went to this person (a handover); screened by the guard.
    handover_reason: Mapped[str] = mapped_column(String(300), default="")
    ended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    case: Mapped[Case] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    contact: Mapped[Contact | None] = relationship(foreign_keys=[contact_id])
    organisation: Mapped[Organisation] = relationship()
    achterwacht_user: Mapped[User | None] = relationship(foreign_keys=[achterwacht_user_id])
    achterwacht_contact: Mapped[Contact | None] = relationship(
        foreign_keys=[achterwacht_contact_id]
    )

    @property
    def person(self) -> User | Contact:
        """The regievoerder: a user, or a contact without an account."""
        return self.user if self.user is not None else self.contact

    @property
    def achterwacht(self) -> User | Contact | None:
        return self.achterwacht_user or self.achterwacht_contact

    @property
    def in_force(self) -> bool:
        return self.ended_at is None


#: Whether someone holds the regie of the case now, read in the case's own row (an EXISTS), so
#: that every list marking cases "zonder regie" keeps its number of queries.
Case.regie_in_force = column_property(
    exists()
    .where(RegievoerderAssignment.case_id == Case.id, RegievoerderAssignment.ended_at.is_(None))
    .correlate_except(RegievoerderAssignment)
)


class CaseUpdate(db.Model):
    """How the client is doing, as the regievoerder tells it in a meeting's review of the
    actions (the terugkoppeling over de huidige situatie): one per case and meeting.

    ``version`` guards against silent overwrites, as with a meeting's fields (R3).
    """

    __tablename__ = "case_updates"
    __table_args__ = (UniqueConstraint("case_id", "meeting_id", name="uq_case_updates_meeting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: The meeting it was told in; the update stays with the case when the meeting goes.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    #: What the regievoerder said, in a few sentences: screened by the guard.
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    recorded_by: Mapped[User] = relationship()
