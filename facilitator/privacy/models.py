"""Identity (encrypted), blind indexes, consent with its events, and recorded confirmations."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table, Text, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.regions.models import Organisation
from facilitator.users.models import User


class CaseIdentity(db.Model):
    """The client's identity, one row per case with consent, every column AES-256-GCM encrypted.

    The data key of the row lives in the key store, not in this database (SECURITY.md P2).
    """

    __tablename__ = "case_identities"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    full_name: Mapped[bytes] = mapped_column(LargeBinary)
    birth_date: Mapped[bytes] = mapped_column(LargeBinary)
    bsn: Mapped[bytes | None] = mapped_column(LargeBinary)
    client_number: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="identity")


class IdentityBlindIndex(db.Model):
    """HMAC-SHA256 of a normalised identity value, for duplicate detection within a region."""

    __tablename__ = "identity_blind_indexes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    #: "bsn" or "name_birth_date".
    kind: Mapped[str] = mapped_column(String(20))
    digest: Mapped[str] = mapped_column(String(64), index=True)


class ConsentStatus(LabelledEnum):
    GEGEVEN = "gegeven"
    VERLENGD = "verlengd"
    INGETROKKEN = "ingetrokken"
    VERLOPEN = "verlopen"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.GEGEVEN: _l("Given"),
            cls.VERLENGD: _l("Extended"),
            cls.INGETROKKEN: _l("Withdrawn"),
            cls.VERLOPEN: _l("Expired"),
        }


consent_organisations = Table(
    "consent_organisations",
    db.metadata,
    Column("consent_id", ForeignKey("consents.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id", ForeignKey("organisations.id", ondelete="RESTRICT"), primary_key=True
    ),
)


class Consent(db.Model):
    """A client's written consent to store their identity (SECURITY.md P5).

    ``status`` and ``valid_until`` are the current state; every change is also appended to
    ``events``, which are never changed or removed.
    """

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    form_version: Mapped[str] = mapped_column(String(40))
    given_on: Mapped[date]
    valid_until: Mapped[date] = mapped_column(index=True)
    purposes: Mapped[str] = mapped_column(Text)
    #: Where the signed form is kept, e.g. "dossier GGZ Rivierduin, map toestemmingen".
    evidence_reference: Mapped[str] = mapped_column(String(300))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ConsentStatus] = mapped_column(
        enum_column_type(ConsentStatus, "consent_status"), default=ConsentStatus.GEGEVEN
    )
    #: Raised by every extension and withdrawal: a form made on an older version is refused
    #: with what changed (SECURITY.md R3; facilitator.versions).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    case: Mapped[Case] = relationship(back_populates="consents")
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=consent_organisations, order_by=Organisation.name
    )
    recorded_by: Mapped[User] = relationship()
    events: Mapped[list[ConsentEvent]] = relationship(
        back_populates="consent", order_by="ConsentEvent.id", cascade="all, delete-orphan"
    )

    def is_active(self, today: date) -> bool:
        return (
            self.status in (ConsentStatus.GEGEVEN, ConsentStatus.VERLENGD)
            and self.given_on <= today <= self.valid_until
        )

    @classmethod
    def active_on(cls, today: date):
        """``is_active`` as an SQL condition, for a query that must not load every consent."""
        return and_(
            cls.status.in_((ConsentStatus.GEGEVEN, ConsentStatus.VERLENGD)),
            cls.given_on <= today,
            cls.valid_until >= today,
        )

    def covers(self, organisation_id: int) -> bool:
        return any(org.id == organisation_id for org in self.organisations)


class ConsentEvent(db.Model):
    """One appended change of a consent: given, extended, withdrawn or expired."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ConsentStatus] = mapped_column(enum_column_type(ConsentStatus, "consent_event"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None when the system acted (the nightly privacy sweep).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    valid_until: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(300), default="")

    consent: Mapped[Consent] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class PersonalDataConfirmation(db.Model):
    """A user's explicit confirmation that flagged text (e-mail, phone, postcode) may be saved.

    Records which kinds were flagged, never the text itself.
    """

    __tablename__ = "personal_data_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    field: Mapped[str] = mapped_column(String(64))
    kinds: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DuplicateDecision(LabelledEnum):
    OPEN = "open"
    VERSCHILLEND = "verschillend"
    DEZELFDE = "dezelfde"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.OPEN: _l("to be decided"),
            cls.VERSCHILLEND: _l("different clients"),
            cls.DEZELFDE: _l("the same client"),
        }


class PossibleDuplicate(db.Model):
    """A new case whose identity matches a case already known in the region (P3).

    Shown only to the procesbegeleiders of the group that holds the existing case, who decide;
    the person who registered the new case learns nothing from it.
    """

    __tablename__ = "possible_duplicates"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    existing_case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    decision: Mapped[DuplicateDecision] = mapped_column(
        enum_column_type(DuplicateDecision, "duplicate_decision"), default=DuplicateDecision.OPEN
    )
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    existing_case: Mapped[Case] = relationship(foreign_keys=[existing_case_id])
