"""Meeting, its agenda and attendance, what is typed per step, and the records a meeting makes.

The actions agreed in a meeting live in :mod:`facilitator.actions`, the regievoerder of a case
in :mod:`facilitator.cases`: both outlive the meeting.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.protocols.review import protocol_to_run
from facilitator.protocols.schema import MeetingProtocol
from facilitator.regions.models import Organisation
from facilitator.users.models import User


class MeetingStatus(LabelledEnum):
    GEPLAND = "gepland"
    LOPEND = "lopend"
    AFGEROND = "afgerond"
    GEANNULEERD = "geannuleerd"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.GEPLAND: _l("Planned"),
            cls.LOPEND: _l("In progress"),
            cls.AFGEROND: _l("Completed"),
            cls.GEANNULEERD: _l("Cancelled"),
        }


class AttendanceStatus(LabelledEnum):
    AANWEZIG = "aanwezig"
    AFWEZIG = "afwezig"
    AFGEMELD = "afgemeld"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.AANWEZIG: _l("Present"),
            cls.AFWEZIG: _l("Absent"),
            cls.AFGEMELD: _l("Sent apologies"),
        }


class Meeting(db.Model):
    """A meeting of a group, run with the protocol as it was when the meeting was planned."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("case_groups.id", ondelete="RESTRICT"), index=True
    )
    scheduled_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int]
    location: Mapped[str] = mapped_column(String(200), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    #: The protocol's id, version and file hash, and the file itself: a later edit of the file
    #: never changes a meeting that used it.
    protocol_id: Mapped[str] = mapped_column(String(64))
    protocol_version: Mapped[str] = mapped_column(String(20))
    protocol_hash: Mapped[str] = mapped_column(String(64))
    protocol_source: Mapped[str] = mapped_column(Text)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column_type(MeetingStatus, "meeting_status"), default=MeetingStatus.GEPLAND
    )
    #: The step the procesbegeleider has open, e.g. "m:opening" or "c:12:presentatie".
    current_step: Mapped[str] = mapped_column(String(120), default="")
    #: When the current step was last entered: one visit, for auditing the guard's scans once.
    current_step_since: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    #: The iCalendar SEQUENCE: raised whenever what a calendar shows changes (date, time,
    #: length, place, cancellation), so that calendar apps replace their copy.
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The series the meeting was planned in (facilitator.series); it stays a meeting of its own.
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    #: The organisation that organises the meeting and offers the room (seed 001).
    host_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    #: The member who takes the minutes; the minutes name them.
    notulist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    group: Mapped[CaseGroup] = relationship()
    host_organisation: Mapped[Organisation | None] = relationship()
    notulist: Mapped[User | None] = relationship(foreign_keys=[notulist_id])
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", order_by="Attendance.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.status.value}>"

    @cached_property
    def protocol(self) -> MeetingProtocol:
        """The protocol as stored with the meeting, with the review of open actions that every
        meeting holds (added at the start when the protocol has none)."""
        return protocol_to_run(self.protocol_source)

    @property
    def is_open_for_edits(self) -> bool:
        return self.status in (MeetingStatus.GEPLAND, MeetingStatus.LOPEND)


agenda_item_organisations = Table(
    "agenda_item_organisations",
    db.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id", ForeignKey("organisations.id", ondelete="RESTRICT"), primary_key=True
    ),
)


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "case_id", name="uq_agenda_items_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int]

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    #: Loaded with the item: every use of the agenda shows the case (the rail, its pseudonym).
    case: Mapped[Case] = relationship(lazy="joined")
    #: The organisations at the table while this case was discussed (people may join for one
    #: case only); recorded per case, apart from the meeting's attendance list.
    present_organisations: Mapped[list[Organisation]] = relationship(
        secondary=agenda_item_organisations, order_by=Organisation.name
    )
    #: Whether the candidate (the client) and their employer were at the table for this case:
    #: recorded without a name, as the Gespreksleidraad advises (facilitator.meetings.table).
    candidate_present: Mapped[bool] = mapped_column(default=False)
    employer_present: Mapped[bool] = mapped_column(default=False)


class Attendance(db.Model):
    """A member or a guest at a meeting. Guests need no account."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_attendance_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    guest_name: Mapped[str] = mapped_column(String(120), default="")
    guest_role: Mapped[str] = mapped_column(String(120), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column_type(AttendanceStatus, "attendance_status")
    )

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def name(self) -> str:
        return self.user.name if self.user is not None else self.guest_name


class StepVisit(db.Model):
    """When a step was first opened: the time box counts from here, across reloads."""

    __tablename__ = "step_visits"
    __table_args__ = (UniqueConstraint("meeting_id", "step_ref", name="uq_step_visits_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    step_ref: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)


class FieldValue(db.Model):
    """What was typed in one field of one step; ``version`` guards against silent overwrites."""

    __tablename__ = "field_values"
    __table_args__ = (
        UniqueConstraint("meeting_id", "step_ref", "field_key", name="uq_field_values_field"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    step_ref: Mapped[str] = mapped_column(String(120))
    field_key: Mapped[str] = mapped_column(String(48))
    value: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    updated_by: Mapped[User | None] = relationship()


class FieldCorrection(db.Model):
    """A change to a completed meeting, with the reason the procesbegeleider gave."""

    __tablename__ = "field_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    field_value_id: Mapped[int] = mapped_column(
        ForeignKey("field_values.id", ondelete="CASCADE"), index=True
    )
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(300))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordCorrection(db.Model):
    """A change to a record of a completed meeting (a finding, the regievoerder's update, the
    building-block remarks, a terugkoppeling), one row per field changed, with the reason."""

    __tablename__ = "record_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    #: The table of the corrected record: findings, case_updates, building_block_scores or
    #: action_updates; ``object_id`` its row (the meeting's id for the building blocks).
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    #: The attribute corrected, e.g. "text" or "organisations".
    field: Mapped[str] = mapped_column(String(40))
    #: What it was, unless it held a kind of personal data the guard always refuses: then
    #: :data:`facilitator.meetings.retention.REMOVED` (a correction never keeps personal data).
    old_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(300))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class FindingKind(LabelledEnum):
    KNELPUNT = "knelpunt"
    KANS = "kans"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.KNELPUNT: _l("Bottleneck"), cls.KANS: _l("Opportunity")}


class FindingLevel(LabelledEnum):
    KENNIS = "kennis_competenties"
    UITVOERING = "uitvoering"
    BELEID = "beleid_organisatie"
    WETGEVING = "wet_regelgeving"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.KENNIS: _l("Knowledge and skills"),
            cls.UITVOERING: _l("Practice"),
            cls.BELEID: _l("Policy and organisational choices"),
            cls.WETGEVING: _l("Laws and regulations"),
        }


finding_organisations = Table(
    "finding_organisations",
    db.metadata,
    Column("finding_id", ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id", ForeignKey("organisations.id", ondelete="RESTRICT"), primary_key=True
    ),
)


class Finding(db.Model):
    """A bevinding: a bottleneck or opportunity in the collaboration, at one level."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    step_ref: Mapped[str] = mapped_column(String(120))
    kind: Mapped[FindingKind] = mapped_column(enum_column_type(FindingKind, "finding_kind"))
    level: Mapped[FindingLevel] = mapped_column(enum_column_type(FindingLevel, "finding_level"))
    text: Mapped[str] = mapped_column(Text)
    #: A signal the projectleider takes to the beleidsgroep.
    signal: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=finding_organisations, order_by=Organisation.name
    )
    case: Mapped[Case | None] = relationship()


BUILDING_BLOCKS = (
    ("kennen", _l("Knowing each other")),
    ("begrijpen", _l("Understanding")),
    ("waarderen", _l("Appreciating")),
    ("vertrouwen", _l("Trust")),
    ("samenwerken", _l("Working together")),
    ("doelen_realiseren", _l("Achieving shared goals")),
)


class BuildingBlockScore(db.Model):
    """The group's scores on the six bouwstenen at the close of a meeting (seed 000, bijlage 2)."""

    __tablename__ = "building_block_scores"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    kennen: Mapped[int]
    begrijpen: Mapped[int]
    waarderen: Mapped[int]
    vertrouwen: Mapped[int]
    samenwerken: Mapped[int]
    doelen_realiseren: Mapped[int]
    went_well: Mapped[str] = mapped_column(String(300), default="")
    could_be_better: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
