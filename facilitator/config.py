"""Configuration: defaults here, then ``instance/config.py``, then ``FACILITATOR_*`` variables."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import Flask

from facilitator.localtime import TIMEZONE_NAME

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class DefaultConfig:
    #: "development", "testing" or "production"; production hardens cookies and refuses defaults.
    ENV = "development"
    SECRET_KEY: str | None = None
    #: Filled in from the instance folder unless DATABASE_URL or the setting itself is given.
    SQLALCHEMY_DATABASE_URI: str | None = None
    #: hide_parameters: a database error in a log must never carry the values it was given.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    SQLITE_BUSY_TIMEOUT_MS = 5000

    LANGUAGES = ("nl", "en")
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = TIMEZONE_NAME  # the one time zone: facilitator.localtime

    #: A form may stay open for a whole meeting: the token is tied to the session, not to a clock.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    SESSION_COOKIE_NAME = "casustafel_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT = timedelta(minutes=15)
    #: More failed passwords or codes than this from one source address within the window,
    #: and that address is refused (every account) until its failures age out of the window.
    LOGIN_THROTTLE_MAX_FAILURES = 20
    LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)
    #: Two-factor login for every user, not only those who must have it (SECURITY.md A5).
    TWO_FACTOR_REQUIRED_FOR_ALL = False
    #: The name an authenticator app shows next to the account.
    TWO_FACTOR_ISSUER = "Casustafel"
    #: How long the state between password and code lasts.
    TWO_FACTOR_PENDING_TIMEOUT = timedelta(minutes=5)
    #: How recent the password must be to change the password or a two-factor setting.
    REAUTH_MAX_AGE = timedelta(minutes=5)
    #: Argon2id cost; the defaults follow RFC 9106's second recommendation (64 MiB, t=3).
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_KIB = 65536
    PASSWORD_HASH_PARALLELISM = 4

    #: Number of proxies in front of the app per header, for werkzeug's ProxyFix (0: no proxy).
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PREFIX = 0

    ITEMS_PER_PAGE = 50

    #: SMTP server for reminders; unset: messages go to the application log (facilitator.mail).
    MAIL_SERVER: str | None = None
    #: Unset: 465 with MAIL_USE_SSL, 587 with MAIL_USE_TLS, else 25.
    MAIL_PORT: int | None = None
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    #: STARTTLS on a plain connection (MAIL_USE_TLS) or TLS from the start (MAIL_USE_SSL).
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    #: The From address, e.g. "Casustafel <casustafel@regio.example>"; required with a server.
    MAIL_SENDER: str | None = None
    MAIL_TIMEOUT = 30
    #: The agenda of a planned meeting, with the preparation of its cases, goes to the group's
    #: members this many days before it (``facilitator meetings send-agenda``, run daily).
    AGENDA_MAIL_DAYS = 7

    #: The host part of every meeting's calendar UID ("meeting-12@<this>"). Unset: a name
    #: derived from SECRET_KEY, the same on every host; set it before changing the secret key,
    #: or calendars will hold every meeting twice.
    CALENDAR_UID_DOMAIN: str | None = None

    #: Comma-separated base64 AES-256 keys that wrap the per-case data keys; the first is
    #: current. Unset: a key is generated into the instance folder (not for production).
    MASTER_KEYS: str | None = None
    #: HMAC key for duplicate detection; unset: generated into the instance folder.
    BLIND_INDEX_KEY: str | None = None
    #: Base64 key of the audit log's HMAC chain (SECURITY.md L2); kept outside the database
    #: like the master keys. Unset: generated into the instance folder (not for production).
    AUDIT_KEY: str | None = None
    #: Where the data keys live: a database apart from the data (default: instance/keystore.db).
    KEYSTORE_URL: str | None = None
    #: Identity of a closed case is erased this many days after closing.
    PRIVACY_RETENTION_DAYS = 183
    #: Consent is valid this many months unless the form says otherwise.
    CONSENT_DEFAULT_MONTHS = 12
    #: The longest a consent may run, from the day it is given or extended.
    CONSENT_MAX_MONTHS = 60
    #: The group page warns this many days before a consent ends.
    CONSENT_WARNING_DAYS = 30
    #: Version of the consent form that new consents are recorded against.
    CONSENT_FORM_VERSION = "2026-1"
    #: Purposes recorded for consents imported from a file, which has no column for them.
    CONSENT_DEFAULT_PURPOSES = (
        "Bespreking in de casusgroep en afstemming van de ondersteuning naar werk tussen de "
        "organisaties die de identiteit mogen zien."
    )


#: Keys that production must be given explicitly: a key generated next to the data it protects
#: would travel with every backup of the server.
PRODUCTION_SECRETS = ("SECRET_KEY", "MASTER_KEYS", "BLIND_INDEX_KEY", "AUDIT_KEY")


def instance_path() -> str:
    """Return the instance folder: FACILITATOR_INSTANCE_PATH, or ``instance/`` beside the code."""
    return os.environ.get("FACILITATOR_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` in order: defaults, instance file, environment, test overrides."""
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FACILITATOR")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)

    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        db_file = Path(app.instance_path) / "casustafel.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_file}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if is_production(app):
        app.config["SESSION_COOKIE_SECURE"] = True
        # The __Host- prefix makes the browser refuse the cookie unless it is Secure, for
        # Path=/ and without a Domain: no subdomain or plain-HTTP page can set or replace it.
        app.config["SESSION_COOKIE_NAME"] = "__Host-casustafel_session"
        app.config["SESSION_COOKIE_PATH"] = "/"
        app.config["SESSION_COOKIE_DOMAIN"] = None
        app.config["DEBUG"] = False
        missing = [name for name in PRODUCTION_SECRETS if not app.config.get(name)]
        if missing:
            raise RuntimeError(
                "production refuses to start without "
                + ", ".join(f"FACILITATOR_{name}" for name in missing)
                + ": generated keys in the instance folder are for development only."
            )
    if not app.config["KEYSTORE_URL"]:
        app.config["KEYSTORE_URL"] = f"sqlite:///{Path(app.instance_path) / 'keystore.db'}"
    app.config["KEYSTORE_URL"] = normalise_database_url(app.config["KEYSTORE_URL"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)


def is_production(app: Flask) -> bool:
    """Tell whether the app runs as production (FACILITATOR_ENV=production)."""
    return app.config.get("ENV") == "production"


def normalise_database_url(url: str) -> str:
    """Make a PostgreSQL URL use psycopg 3, whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(app: Flask) -> str:
    """Read the generated secret key, creating it on the first run (never in production)."""
    if is_production(app):
        raise RuntimeError(
            "FACILITATOR_SECRET_KEY is not set: production refuses to start with a generated "
            "secret. Set it in the environment or in instance/config.py."
        )
    return read_or_create_instance_secret(app, "secret_key", lambda: secrets.token_hex(32))


def read_or_create_instance_secret(app: Flask, name: str, make: Callable[[], str]) -> str:
    """Return the secret in the instance file ``name``, creating it with mode 0600 if absent."""
    path = Path(app.instance_path) / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(make())
    return path.read_text(encoding="ascii").strip()
