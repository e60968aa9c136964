"""The declarative base, column types and the SQLite connection settings (SECURITY.md R1)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, MetaData, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

#: Stable constraint names, so that Alembic batch migrations can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def name_key(name: str) -> str:
    """What makes two names the same name: case and surrounding blanks aside, in any script.

    Compared in Python, not with SQL's lower(): SQLite's folds only ASCII, so "Ærø" and
    "ærø" would pass as different names there and one could pass a check that the database's
    exact unique constraint then refuses with an error.
    """
    return name.strip().casefold()


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always handed back timezone-aware.

    SQLite keeps no timezone, so the type normalises on the way in and out; a naive datetime
    is refused because its meaning would depend on the server's clock settings.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use facilitator.database.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """Apply durability and integrity settings to every new SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    from flask import current_app, has_app_context

    busy_ms = 5000
    if has_app_context():
        busy_ms = int(current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", busy_ms))
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms:d}")
    cursor.close()


#: SQLite's companion files, created by SQLite itself with the database file's permissions.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def restrict_sqlite_files(url: str, relative_to: str) -> None:
    """Make a SQLite database readable by its owner only, before SQLite opens it.

    SQLite creates the -wal and -shm files with the database file's mode, so a database file
    created here as 0600 keeps the write-ahead log private too; existing files are tightened.
    """
    parsed = make_url(url)
    path = parsed.database
    if not parsed.drivername.startswith("sqlite") or not path or path == ":memory:":
        return
    if path.startswith("file:"):
        return  # a URI filename: its owner configures it
    if not os.path.isabs(path):  # where the engine will look for it
        path = os.path.join(relative_to, path)
    if not os.path.exists(path) and os.path.isdir(os.path.dirname(os.path.abspath(path))):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for suffix in SQLITE_COMPANIONS:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(path + suffix, 0o600)
