"""The action item (vervolgactie) of a group, and the history of its updates."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import Due, due_state
from facilitator.meetings.models import Meeting
from facilitator.regions.models import Contact, Organisation
from facilitator.users.models import User

#: Exactly one of the two: a user with an account, or a contact without one.
ONE_OWNER = (
    "(owner_user_id IS NOT NULL AND owner_contact_id IS NULL)"
    " OR (owner_user_id IS NULL AND owner_contact_id IS NOT NULL)"
)


class ActionStatus(LabelledEnum):
    OPEN = "open"
    IN_UITVOERING = "in_uitvoering"
    GEREED = "gereed"
    VERVALLEN = "vervallen"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.OPEN: _l("Open"),
            cls.IN_UITVOERING: _l("Being carried out"),
            cls.GEREED: _l("Done"),
            cls.VERVALLEN: _l("Dropped"),
        }

    @property
    def is_open(self) -> bool:
        """Still to be done: open or being carried out."""
        return self in OPEN_STATUSES


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_UITVOERING)


class ActionItem(db.Model):
    """A vervolgactie: what, who (a user or a contact), which organisation, by when.

    It belongs to a group (whose board shows it), and may concern one of its cases and come
    from one of its meetings; it outlives that meeting.
    """

    __tablename__ = "action_items"
    __table_args__ = (CheckConstraint(ONE_OWNER, name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("case_groups.id", ondelete="RESTRICT"), index=True
    )
    #: The meeting where it was agreed, if any; the action stays when the meeting goes.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="RESTRICT"), index=True
    )
    #: The meeting step it was recorded in ("" outside a meeting).
    step_ref: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    owner_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="RESTRICT"), index=True
    )
    #: The organisation that carries it out: the owner's when it was given to them.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    due_on: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(
        enum_column_type(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Raised by every edit and status change through a form: one made on an older version
    #: is refused with what changed (SECURITY.md R3; facilitator.versions).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    group: Mapped[CaseGroup] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    case: Mapped[Case | None] = relationship()
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    owner_contact: Mapped[Contact | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", order_by="ActionUpdate.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<ActionItem {self.id} {self.status.value}>"

    @property
    def owner(self) -> User | Contact:
        """Who carries it out: the user, or the contact without an account."""
        return self.owner_user if self.owner_user is not None else self.owner_contact

    @owner.setter
    def owner(self, person: User | Contact) -> None:
        if isinstance(person, Contact):
            self.owner_user, self.owner_contact = None, person
        else:
            self.owner_user, self.owner_contact = person, None

    def is_owned_by(self, user: User) -> bool:
        return self.owner_user_id is not None and self.owner_user_id == user.id

    def due(self, today: date | None = None) -> Due | None:
        """Where its deadline stands; None once it is done or dropped."""
        return due_state(self.due_on, today) if self.status.is_open else None

    def is_overdue(self, today: date | None = None) -> bool:
        return self.due(today) == Due.OVERDUE


class ActionUpdate(db.Model):
    """One step in an action's history: a status change or a new due date, with the
    terugkoppeling note of who made it, and when."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    status_from: Mapped[ActionStatus] = mapped_column(
        enum_column_type(ActionStatus, "action_status_from")
    )
    status_to: Mapped[ActionStatus] = mapped_column(
        enum_column_type(ActionStatus, "action_status_to")
    )
    #: Set when the due date moved, from and to.
    due_from: Mapped[date | None]
    due_to: Mapped[date | None]
    #: The terugkoppeling: screened by the guard like every typed text.
    note: Mapped[str] = mapped_column(Text, default="")
    #: The meeting in which it was recorded, if any (the review of earlier actions).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    action: Mapped[ActionItem] = relationship(back_populates="updates")
    by: Mapped[User] = relationship()

    @property
    def status_changed(self) -> bool:
        return self.status_from != self.status_to

    @property
    def due_changed(self) -> bool:
        return self.due_to is not None and self.due_from != self.due_to
