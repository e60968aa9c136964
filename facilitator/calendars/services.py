"""The personal calendar subscription: make, replace and revoke its secret address; read it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.audit.services import record, record_committed
from facilitator.calendars.models import CalendarFeed
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import GroupMembership
from facilitator.localtime import from_local, local_today
from facilitator.meetings.models import Meeting
from facilitator.users.models import User

#: The subscription shows meetings from this many days back (held and cancelled ones too),
#: and every meeting ahead.
FEED_PAST_DAYS = 92


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def create_feed(user: User, *, actor: User | None) -> str:
    """Give ``user`` a new secret subscription address, ending any earlier one; return its
    token. Only the token's hash is kept: the caller shows it this once."""
    token = secrets.token_urlsafe(32)
    feed = feed_of(user)
    renewed = feed is not None
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash = _digest(token)
    feed.created_at = utcnow()
    db.session.flush()
    record(
        "calendar_feed_renewed" if renewed else "calendar_feed_created",
        action=AuditAction.UPDATE if renewed else AuditAction.CREATE,
        actor=actor,
        object_type="calendar_feed",
        object_id=feed.id,
    )
    return token


def revoke_feed(user: User, *, actor: User | None) -> None:
    """End ``user``'s subscription address: calendar apps get 404 from now on."""
    feed = feed_of(user)
    if feed is None:
        raise ServiceError(_l("There is no calendar address to revoke."))
    db.session.delete(feed)
    record(
        "calendar_feed_revoked",
        action=AuditAction.DELETE,
        actor=actor,
        object_type="calendar_feed",
        object_id=feed.id,
    )


def feed_owner(token: str) -> User | None:
    """The active user whose address holds ``token``; None for any other token, logged as a
    refused read (never with the token) like every other denial."""
    feed = db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.token_hash == _digest(token))
        .options(joinedload(CalendarFeed.user))
    )
    if feed is not None and feed.user.active:
        return feed.user
    record_committed(
        "calendar_feed_refused",
        action=AuditAction.READ,
        outcome=AuditOutcome.DENIED,
        actor=feed.user if feed is not None else None,
        object_type="calendar_feed",
        object_id=feed.id if feed is not None else "",
        reason="account inactive" if feed is not None else "unknown or revoked address",
    )
    return None


def feed_meetings(user: User) -> list[Meeting]:
    """The meetings of the user's groups for the subscription, in one query."""
    since = from_local(local_today() - timedelta(days=FEED_PAST_DAYS), time())
    return list(
        db.session.scalars(
            select(Meeting)
            .join(GroupMembership, GroupMembership.group_id == Meeting.group_id)
            .where(GroupMembership.user_id == user.id, Meeting.scheduled_at >= since)
            .options(
                joinedload(Meeting.group),
                joinedload(Meeting.host_organisation),
                joinedload(Meeting.notulist),
            )
            .order_by(Meeting.scheduled_at, Meeting.id)
        )
    )
