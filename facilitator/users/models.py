"""User and Role."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.auth import passwords
from facilitator.database import utcnow
from facilitator.enums import LabelledEnum, enum_column_type
from facilitator.extensions import db
from facilitator.regions.models import Organisation, Region


class Role(LabelledEnum):
    BEHEERDER = "beheerder"
    PROJECTLEIDER = "projectleider"
    PROCESBEGELEIDER = "procesbegeleider"
    DEELNEMER = "deelnemer"
    #: A manager in the region's beleidsgroep: reads the figures, signals, stories and logbook
    #: editions of their region; never a case, a pseudonym or a meeting's content.
    BELEIDSGROEPLID = "beleidsgroeplid"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.BEHEERDER: _l("Administrator"),
            cls.PROJECTLEIDER: _l("Project leader"),
            cls.PROCESBEGELEIDER: _l("Process supervisor"),
            cls.DEELNEMER: _l("Participant"),
            cls.BELEIDSGROEPLID: _l("Policy group member"),
        }


class User(UserMixin, db.Model):
    """A professional with an account, working for one organisation in one region."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: Stored lower-cased, so uniqueness is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "user_role"))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Set when a beheerder chose the password: the user must pick their own at the next login.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    #: Part of the login id: raising it ends every session of this user (SECURITY.md A3).
    session_version: Mapped[int] = mapped_column(default=1)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    #: The audit right (SECURITY.md L3): granted by a beheerder; needs two-factor login.
    can_read_audit: Mapped[bool] = mapped_column(default=False)
    #: The TOTP secret, AES-256-GCM under the master key ring, bound to this row and column
    #: (facilitator.auth.totp). Set while enrolling; in use once ``totp_enabled_at`` is set.
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Which master key wrapped ``totp_secret`` (its public fingerprint).
    totp_key_id: Mapped[str | None] = mapped_column(String(16))
    totp_enabled_at: Mapped[datetime | None]
    #: The last accepted TOTP time step: a code of this step or an earlier one is a replay.
    totp_last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"

    @property
    def region(self) -> Region:
        return self.organisation.region

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in or stay logged in
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        """Hash and store a new password; the caller has checked it against the policy."""
        self.password_hash = passwords.hash_password(password)
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        """Verify a password, upgrading the stored hash when the cost settings changed."""
        ok, new_hash = passwords.verify_password(self.password_hash, password)
        if ok and new_hash:
            self.password_hash = new_hash
        return ok

    def end_all_sessions(self) -> None:
        """Invalidate every session of this user, on every device and process."""
        self.session_version += 1

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now
