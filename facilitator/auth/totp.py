"""TOTP secrets and codes (RFC 6238, SECURITY.md A5): kept encrypted, each code usable once.

The secret is encrypted with AES-256-GCM under the master key ring, with associated data that
names the users table, the row and the column (as the identity columns are), so a ciphertext
copied to another user's row does not decrypt. It never goes to a log or an audit row.
"""

from __future__ import annotations

import hmac
import secrets
import string
from datetime import datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import or_, update

from facilitator.auth import passwords
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.privacy.crypto import associated_data, master_key_ring
from facilitator.users.models import User

#: A code of the step before or after the server's is accepted (clock drift of one step).
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
#: Ten characters from 32 (50 bits), shown as two groups of five; no 0/O or 1/l to confuse.
RECOVERY_ALPHABET = "".join(c for c in string.ascii_lowercase + string.digits if c not in "01lo")
RECOVERY_LENGTH = 10


def _aad(user: User) -> bytes:
    return associated_data("users", user.id, "totp_secret")


def new_secret() -> str:
    """A fresh 160-bit secret in base32, as authenticator apps expect it."""
    return pyotp.random_base32()


def store_secret(user: User, secret: str) -> None:
    """Encrypt a secret into the user's row (the row must have its id)."""
    key_id, blob = master_key_ring().wrap(secret.encode("ascii"), _aad(user))
    user.totp_secret, user.totp_key_id = blob, key_id


def read_secret(user: User) -> str | None:
    if user.totp_secret is None or user.totp_key_id is None:
        return None
    return master_key_ring().unwrap(user.totp_key_id, user.totp_secret, _aad(user)).decode()


def clear(user: User) -> None:
    user.totp_secret = user.totp_key_id = user.totp_enabled_at = user.totp_last_step = None


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user: User, secret: str) -> str:
    issuer = current_app.config["TWO_FACTOR_ISSUER"]
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str, title: str) -> str:
    """The otpauth address as an inline SVG QR code, drawn here: no image service sees it."""
    return segno.make(uri, error="m").svg_inline(scale=4, light="#fff", title=title)


def normalise_code(code: str) -> str:
    return "".join(char for char in code.casefold() if char.isalnum())


def matching_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The time step (within the window) whose code this is, or None."""
    code = normalise_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or utcnow())
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def accept_code(user: User, code: str) -> tuple[bool, str]:
    """Check a code and remember its step; a code of the last accepted step or before is refused.

    Returns (accepted, reason); the reason goes to the audit log and never holds the code.
    """
    secret = read_secret(user)
    if secret is None:
        return False, "no secret"
    step = matching_step(secret, code)
    if step is None:
        return False, "wrong code"
    if user.totp_last_step is not None and step <= user.totp_last_step:
        return False, "code already used"
    # Claimed in the database: of two requests with one code at once, one wins.
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False, "code already used"
    user.totp_last_step = step
    return True, ""


def current_code(secret: str) -> str:
    """The code an authenticator shows now (the demo's dev-only command)."""
    return pyotp.TOTP(secret).now()


def new_recovery_codes() -> list[str]:
    return [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def show_recovery_code(code: str) -> str:
    half = RECOVERY_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def hash_recovery_code(code: str) -> str:
    return passwords.hash_password(normalise_code(code))


def recovery_code_matches(code_hash: str, code: str) -> bool:
    normalised = normalise_code(code)
    if len(normalised) != RECOVERY_LENGTH:
        return False
    return passwords.verify_password(code_hash, normalised)[0]
