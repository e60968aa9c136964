"""CaseGroup, GroupMembership and SelectionCriterion."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.regions.models import Region
from facilitator.users.models import User


class Rhythm(LabelledEnum):
    MAANDELIJKS = "maandelijks"
    ZESWEKELIJKS = "zeswekelijks"
    PER_KWARTAAL = "per_kwartaal"
    AD_HOC = "ad_hoc"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.MAANDELIJKS: _l("Monthly"),
            cls.ZESWEKELIJKS: _l("Every six weeks"),
            cls.PER_KWARTAAL: _l("Quarterly"),
            cls.AD_HOC: _l("Ad hoc"),
        }


class GroupRole(LabelledEnum):
    PROCESBEGELEIDER = "procesbegeleider"
    LID = "lid"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.PROCESBEGELEIDER: _l("Process supervisor"), cls.LID: _l("Member")}


class LeaderTitle(LabelledEnum):
    """What the region calls the one who leads a group (the role stays PROCESBEGELEIDER)."""

    PROCESBEGELEIDER = "procesbegeleider"
    TREKKER = "trekker"
    VOORZITTER = "voorzitter"
    GESPREKSLEIDER = "gespreksleider"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PROCESBEGELEIDER: _l("Process supervisor"),
            cls.TREKKER: _l("Lead (trekker)"),
            cls.VOORZITTER: _l("Chair"),
            cls.GESPREKSLEIDER: _l("Discussion leader"),
        }

    @property
    def plural(self) -> str:
        return str(_LEADER_PLURALS[self])


_LEADER_PLURALS = {
    LeaderTitle.PROCESBEGELEIDER: _l("Process supervisors"),
    LeaderTitle.TREKKER: _l("Leads (trekkers)"),
    LeaderTitle.VOORZITTER: _l("Chairs"),
    LeaderTitle.GESPREKSLEIDER: _l("Discussion leaders"),
}


class CaseGroup(db.Model):
    """A casusgroep (or themed werkgroep) of one region."""

    __tablename__ = "case_groups"
    __table_args__ = (UniqueConstraint("region_id", "name", name="uq_case_groups_region_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    #: A werkgroep's theme, e.g. "privacy en gegevensdeling"; empty for a general casusgroep.
    theme: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(String(1000), default="")
    rhythm: Mapped[Rhythm] = mapped_column(enum_column_type(Rhythm, "group_rhythm"))
    #: The id of the protocol file (protocols/*.toml) the group's meetings start with.
    default_protocol: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The title the region gives the group's leader (seed 000: a werkgroep's trekker).
    leader_title: Mapped[LeaderTitle] = mapped_column(
        enum_column_type(LeaderTitle, "leader_title"),
        default=LeaderTitle.PROCESBEGELEIDER,
    )
    #: Whether the leader is independent of the organisations at the table (seed 003).
    leader_independent: Mapped[bool] = mapped_column(default=False)

    region: Mapped[Region] = relationship()
    memberships: Mapped[list[GroupMembership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )
    criteria: Mapped[list[SelectionCriterion]] = relationship(
        back_populates="group", order_by="SelectionCriterion.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<CaseGroup {self.id} {self.name!r}>"

    def membership_of(self, user: User) -> GroupMembership | None:
        return next((m for m in self.memberships if m.user_id == user.id), None)

    @property
    def procesbegeleiders(self) -> list[User]:
        return [m.user for m in self.memberships if m.role == GroupRole.PROCESBEGELEIDER]

    @property
    def leader_heading(self) -> str:
        """What the group calls its leader(s) wherever it names them: the region's title."""
        return leader_heading(self.leader_title, len(self.procesbegeleiders))

    @property
    def active_criteria(self) -> list[SelectionCriterion]:
        return [c for c in self.criteria if c.active]


def leader_heading(title: LeaderTitle, count: int) -> str:
    """The title for ``count`` leaders: singular for one (or none yet), plural for more."""
    return title.plural if count > 1 else title.label


class GroupMembership(db.Model):
    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id", name="uq_group_memberships_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("case_groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    role: Mapped[GroupRole] = mapped_column(enum_column_type(GroupRole, "group_role"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[CaseGroup] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class SelectionCriterion(db.Model):
    """A statement a case must (or may) meet, e.g. "receives a benefit and is in GGZ care"."""

    __tablename__ = "selection_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("case_groups.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(300))
    mandatory: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    #: Retired criteria stay, so that cases that met them keep saying so.
    active: Mapped[bool] = mapped_column(default=True)

    group: Mapped[CaseGroup] = relationship(back_populates="criteria")
