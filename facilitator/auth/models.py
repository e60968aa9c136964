"""Rows of the login itself: recovery codes and recent login failures per source address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.database import utcnow
from facilitator.extensions import db


class RecoveryCode(db.Model):
    """One of a user's ten single-use recovery codes: only its Argon2id hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set when the code was used; a used code never opens a session again.
    used_at: Mapped[datetime | None]


class LoginFailure(db.Model):
    """A failed password or code from one source address: the throttle counts these rows.

    Kept in the database so that every process of the app sees the same count (A2)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
