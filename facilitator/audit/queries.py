"""Reading the audit log: one page of rows with who acted, in a fixed number of queries.

Users and organisations are joined by id with LEFT joins: a row outlives its account (the
log keeps the id; the page shows it), and the organisation is the one the user had then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select

from facilitator.audit.models import AuditEvent
from facilitator.audit.words import ACTION_WORDS, OUTCOME_WORDS, describe_event, role_words
from facilitator.extensions import db
from facilitator.localtime import from_local
from facilitator.pagination import paginate_rows
from facilitator.regions.models import Organisation
from facilitator.users.models import User


@dataclass(frozen=True)
class AuditFilter:
    """What the audit reader asked for; empty fields filter nothing."""

    pseudonym: str = ""
    user_id: int | None = None
    organisation_id: int | None = None
    #: Dutch calendar days, both included.
    date_from: date | None = None
    date_to: date | None = None
    event_type: str = ""

    def summary(self) -> str:
        """The filter for the audit row of the look (the pseudonym goes in its own column)."""
        parts = [
            f"user={self.user_id}" if self.user_id is not None else "",
            f"organisation={self.organisation_id}" if self.organisation_id is not None else "",
            f"from={self.date_from.isoformat()}" if self.date_from else "",
            f"to={self.date_to.isoformat()}" if self.date_to else "",
            f"type={self.event_type}" if self.event_type else "",
        ]
        return " ".join(part for part in parts if part) or "no filter"


@dataclass(frozen=True)
class AuditLine:
    """One audit row as the page shows it."""

    event: AuditEvent
    #: None: no user (the system, the command line) or an account that no longer exists.
    user_name: str | None
    organisation_name: str | None

    @property
    def description(self) -> str:
        return describe_event(self.event.event_type, self.event.action)

    @property
    def action_words(self) -> str:
        return str(ACTION_WORDS[self.event.action])

    @property
    def outcome_words(self) -> str:
        return str(OUTCOME_WORDS[self.event.outcome])

    @property
    def role_words(self) -> str:
        return role_words(self.event.user_role)


def audit_rows(audit_filter: AuditFilter, *, oldest_first: bool = False) -> Select:
    """Select the rows the filter asks for with the user's name and organisation's name."""
    query = (
        select(
            AuditEvent,
            User.name.label("user_name"),
            Organisation.name.label("organisation_name"),
        )
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Organisation, Organisation.id == AuditEvent.organisation_id)
    )
    f = audit_filter
    if f.pseudonym:
        query = query.where(AuditEvent.case_pseudonym == f.pseudonym)
    if f.user_id is not None:
        query = query.where(AuditEvent.user_id == f.user_id)
    if f.organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == f.organisation_id)
    if f.date_from is not None:
        query = query.where(AuditEvent.occurred_at >= from_local(f.date_from, time.min))
    if f.date_to is not None:
        next_day = from_local(f.date_to + timedelta(days=1), time.min)
        query = query.where(AuditEvent.occurred_at < next_day)
    if f.event_type:
        query = query.where(AuditEvent.event_type == f.event_type)
    if oldest_first:
        return query.order_by(AuditEvent.occurred_at, AuditEvent.id)
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def audit_page(audit_filter: AuditFilter, *, oldest_first: bool = False) -> Pagination:
    """The page named by ``?pagina=``: newest first, or oldest first for a chronology."""
    page = paginate_rows(audit_rows(audit_filter, oldest_first=oldest_first))
    page.items = [AuditLine(*row) for row in page.items]
    return page


def event_types() -> list[str]:
    """The event types present in the log, for the filter's choice."""
    return list(db.session.scalars(select(AuditEvent.event_type).distinct()))


def filter_people() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The users and organisations to filter by: (id, name) pairs, by name."""
    users = db.session.execute(select(User.id, User.name).order_by(User.name, User.id)).all()
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name, Organisation.id)
    ).all()
    return [tuple(u) for u in users], [tuple(o) for o in organisations]


def user_name(user_id: int) -> str | None:
    """The name of the account with this id; None when there is none (any longer)."""
    return db.session.scalar(select(User.name).where(User.id == user_id))
