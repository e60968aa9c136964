"""Region and Organisation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db

if TYPE_CHECKING:
    from facilitator.users.models import User


class OrganisationKind(LabelledEnum):
    GEMEENTE = "gemeente"
    UWV = "uwv"
    GGZ = "ggz"
    SW_BEDRIJF = "sw_bedrijf"
    CLIENTORGANISATIE = "clientorganisatie"
    WERKGEVER = "werkgever"
    ZORGVERZEKERAAR = "zorgverzekeraar"
    OVERIG = "overig"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.GEMEENTE: _l("Municipality"),
            cls.UWV: _l("UWV"),
            cls.GGZ: _l("Mental-health institution"),
            cls.SW_BEDRIJF: _l("Sheltered-work company"),
            cls.CLIENTORGANISATIE: _l("Client organisation"),
            cls.WERKGEVER: _l("Employer"),
            cls.ZORGVERZEKERAAR: _l("Health insurer"),
            cls.OVERIG: _l("Other"),
        }

    @property
    def usual_domain(self) -> Domain:
        """Return the domain an organisation of this kind usually belongs to."""
        if self in (OrganisationKind.GGZ, OrganisationKind.ZORGVERZEKERAAR):
            return Domain.ZORG
        if self in (OrganisationKind.GEMEENTE, OrganisationKind.UWV, OrganisationKind.SW_BEDRIJF):
            return Domain.WERK_INKOMEN
        return Domain.OVERIG


class Domain(LabelledEnum):
    ZORG = "zorg"
    WERK_INKOMEN = "werk_inkomen"
    OVERIG = "overig"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ZORG: _l("Care"),
            cls.WERK_INKOMEN: _l("Work & income"),
            cls.OVERIG: _l("Other"),
        }


class Region(db.Model):
    """An arbeidsmarktregio: the top-level scope of groups, organisations and users."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unique across the deployment, e.g. "Friesland" or "Rijk van Nijmegen".
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisations: Mapped[list[Organisation]] = relationship(
        back_populates="region", order_by="Organisation.name"
    )

    def __repr__(self) -> str:
        return f"<Region {self.id} {self.name!r}>"


class Organisation(db.Model):
    """A participating organisation within one region, with its contact person and backup."""

    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("region_id", "name", name="uq_organisations_region_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column_type(OrganisationKind, "organisation_kind")
    )
    domain: Mapped[Domain] = mapped_column(enum_column_type(Domain, "organisation_domain"))
    #: The aanspreekpunt for the collaboration, and the achterwacht who covers absence.
    #: Professionals' work contact details, never client data.
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    backup_name: Mapped[str] = mapped_column(String(120), default="")
    backup_email: Mapped[str] = mapped_column(String(254), default="")
    backup_phone: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship(back_populates="organisations")
    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Contact(db.Model):
    """A professional without an account who can own an action or hold the regie of a case.

    Work contact details of a professional, never client data; the region is the organisation's.
    """

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    #: Stored lower-cased: where reminders go, and how the CLI finds the contact.
    email: Mapped[str] = mapped_column(String(254))
    #: A deactivated contact keeps their actions and regie history but is offered no more.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f"<Contact {self.id}>"

    @property
    def region(self) -> Region:
        return self.organisation.region
