"""MeetingSeries: the rhythm a group's meetings were planned in, for a year at a time.

Every meeting of a series is a meeting of its own (``Meeting.series_id``): moving or cancelling
one leaves the others alone. The series keeps what its meetings were planned from, so that it
can be extended in the same rhythm, and whether it has ended.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, Rhythm
from facilitator.meetings.models import Meeting
from facilitator.users.models import User


class SeriesRhythm(LabelledEnum):
    MAANDELIJKS = "maandelijks"
    ZESWEKELIJKS = "zeswekelijks"
    PER_KWARTAAL = "per_kwartaal"
    ELKE_N_WEKEN = "elke_n_weken"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.MAANDELIJKS: _l("Monthly (the same weekday of the month)"),
            cls.ZESWEKELIJKS: _l("Every six weeks"),
            cls.PER_KWARTAAL: _l("Quarterly (the same weekday of the month)"),
            cls.ELKE_N_WEKEN: _l("Every N weeks"),
        }

    @classmethod
    def of_group(cls, rhythm: Rhythm) -> SeriesRhythm:
        """The series rhythm a group's own rhythm suggests (ad hoc: monthly)."""
        return {
            Rhythm.ZESWEKELIJKS: cls.ZESWEKELIJKS,
            Rhythm.PER_KWARTAAL: cls.PER_KWARTAAL,
        }.get(rhythm, cls.MAANDELIJKS)


class MeetingSeries(db.Model):
    """A group's meetings planned in one rhythm, on one weekday, at one time and place."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("case_groups.id", ondelete="RESTRICT"), index=True
    )
    rhythm: Mapped[SeriesRhythm] = mapped_column(enum_column_type(SeriesRhythm, "series_rhythm"))
    #: The N of "every N weeks"; empty for the other rhythms.
    interval_weeks: Mapped[int | None]
    #: Monday is 0, as Python's ``date.weekday()``.
    weekday: Mapped[int]
    start_time: Mapped[time]
    duration_minutes: Mapped[int]
    location: Mapped[str] = mapped_column(String(200), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    #: The protocol file every meeting of the series is planned with (each keeps its own copy).
    protocol_id: Mapped[str] = mapped_column(String(64))
    #: The first date of the rhythm: monthly and quarterly keep its n-th weekday of the month.
    first_date: Mapped[date]
    #: The last day the series was planned up to, when planned up to a date.
    until: Mapped[date | None]
    #: When the procesbegeleider ended the series; its future meetings were cancelled then.
    ended_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[CaseGroup] = relationship()
    created_by: Mapped[User | None] = relationship()
    meetings: Mapped[list[Meeting]] = relationship(
        order_by=(Meeting.scheduled_at, Meeting.id), viewonly=True
    )

    def __repr__(self) -> str:
        return f"<MeetingSeries {self.id} {self.rhythm.value}>"

    @property
    def has_ended(self) -> bool:
        return self.ended_at is not None
