"""One database of a backup: copied with the database's own online backup, and put back.

SQLite uses its online backup API (``sqlite3.Connection.backup``): a consistent copy while the
server keeps writing. PostgreSQL uses ``pg_dump`` in its custom format, on a snapshot exported
from a transaction that also counts the rows, so the counts in the manifest are those of the
dump. The client tools run without a shell; the password goes to them in PGPASSWORD, never on
a command line or in a message.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump and pg_restore only, fixed argument lists, no shell
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import URL

from facilitator.exceptions import ServiceError

TOOL_TIMEOUT_S = 3600


class BackupError(ServiceError):
    """A backup or restore that cannot go on; nothing was changed unless the message says so."""


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows per table of the database behind ``connection``."""
    return {
        name: connection.scalar(select(func.count()).select_from(table(name)))
        for name in sorted(inspect(connection).get_table_names())
    }


@dataclass(frozen=True)
class Dumped:
    dialect: str
    tables: dict[str, int]


class SqlitePart:
    """A SQLite database file, copied page by page by SQLite itself."""

    dialect = "sqlite"
    suffix = ".sqlite3"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.path = Path(engine.url.database or "")

    def dump(self, target: Path) -> Dumped:
        with closing(sqlite3.connect(self.path)) as live, closing(sqlite3.connect(target)) as copy:
            live.backup(copy)
        tables = check_sqlite(target)
        # One self-contained file in the archive, not a database that expects a -wal file.
        with closing(sqlite3.connect(target)) as copy:
            copy.execute("PRAGMA journal_mode=DELETE")
        return Dumped(self.dialect, tables)

    def stage(self, dump: Path) -> Engine:
        """The copy, checked, for the restore to inspect and amend before it goes live."""
        check_sqlite(dump)
        return create_engine(f"sqlite:///{dump}")

    def install(self, dump: Path) -> None:
        """Copy the staged file over the live database, through SQLite's backup API."""
        self.engine.dispose()
        with closing(sqlite3.connect(dump)) as source, closing(sqlite3.connect(self.path)) as live:
            source.backup(live)
        check_sqlite(self.path)


def check_sqlite(path: Path) -> dict[str, int]:
    """``PRAGMA integrity_check`` must say ok; return the rows per table."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            verdict = connection.execute(text("PRAGMA integrity_check")).scalars().all()
            if verdict != ["ok"]:
                raise BackupError(f"{path.name}: integrity check failed: {'; '.join(verdict[:5])}")
            return count_rows(connection)
    finally:
        engine.dispose()


class PostgresPart:
    """A PostgreSQL database, dumped by pg_dump and restored by pg_restore."""

    dialect = "postgresql"
    suffix = ".pgdump"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def dump(self, target: Path) -> Dumped:
        with self.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
                tables = count_rows(connection)
                self._run("pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", target)
        return Dumped(self.dialect, tables)

    def stage(self, dump: Path) -> Engine:
        """Restore into the live database (pg_restore cannot amend a dump first), in one
        transaction: a failure leaves the database as it was."""
        self.engine.dispose()
        self._run(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            dump,
        )
        return self.engine

    def install(self, dump: Path) -> None:
        """Nothing left to do: :meth:`stage` restored the live database."""

    def _run(self, tool: str, *arguments: str | Path) -> None:
        program = shutil.which(tool)
        if program is None:
            raise BackupError(f"{tool} was not found: install the PostgreSQL client tools")
        target, password = libpq_target(self.engine.url)
        env = {**os.environ, "PGPASSWORD": password} if password else dict(os.environ)
        command = [program, *map(str, arguments), "--dbname", target]
        result = subprocess.run(  # noqa: S603  # nosec B603  # argument list, no shell
            command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S, check=False
        )
        if result.returncode != 0:
            detail = result.stderr.strip().replace(password, "***") if password else result.stderr
            raise BackupError(f"{tool} failed ({result.returncode}): {detail.strip()[-2000:]}")


def libpq_target(url: URL) -> tuple[str, str]:
    """The libpq connection URI without the password, and the password apart (for PGPASSWORD)."""
    password = url.password or ""
    bare = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return bare.render_as_string(hide_password=False), str(password)


def part_for(engine: Engine) -> SqlitePart | PostgresPart:
    """The way to back up and restore the database behind ``engine``."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        return SqlitePart(engine)
    if engine.dialect.name == "postgresql":
        return PostgresPart(engine)
    raise BackupError(f"no backup for a {engine.dialect.name} database at {engine.url!r}")
