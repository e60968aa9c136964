"""CalendarFeed: a user's secret calendar subscription address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.users.models import User


class CalendarFeed(db.Model):
    """The one subscription address of a user. The token itself is shown once and never kept:
    only its SHA-256, so a copy of the database opens no one's calendar."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: Hex SHA-256 of the token in the address (256 random bits: no salt or slow hash needed).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
