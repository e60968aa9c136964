"""The password policy (SECURITY.md A1) and Argon2id hashing."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

MIN_LENGTH = 12
MAX_LENGTH = 128


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("facilitator.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def policy_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Return what is wrong with a new password; empty when it is acceptable.

    No composition rules (NIST SP 800-63B, ASVS 2.1.9): length, and not a known-common one.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(
            ngettext(
                "Use at least %(num)d character.", "Use at least %(num)d characters.", MIN_LENGTH
            )
        )
    if len(password) > MAX_LENGTH:
        problems.append(
            ngettext(
                "Use at most %(num)d character.", "Use at most %(num)d characters.", MAX_LENGTH
            )
        )
    folded = password.casefold()
    personal = {value.casefold() for value in (email, email.partition("@")[0], name) if value}
    if folded in _common_passwords() or len(set(folded)) <= 2:
        problems.append(_l("This password is too common; choose a longer or less obvious one."))
    elif folded in personal:
        problems.append(_l("Do not use your name or e-mail address as your password."))
    return problems


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"],
        memory_cost=config["PASSWORD_HASH_MEMORY_KIB"],
        parallelism=config["PASSWORD_HASH_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> tuple[bool, str | None]:
    """Check a password; also return a fresh hash when the stored one used other parameters."""
    hasher = _hasher()
    try:
        hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored_hash) else None


def burn_verification_time(password: str) -> None:
    """Spend one verification's time, so an unknown account answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


def _dummy_hash() -> str:
    key = "_casustafel_dummy_hash"
    if key not in current_app.extensions:
        current_app.extensions[key] = hash_password("casustafel-timing-equaliser")
    return current_app.extensions[key]
