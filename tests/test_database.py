"""SQLite settings, migrations and the timestamp type (SECURITY.md R1; issue: data)."""

from __future__ import annotations

import os
from datetime import datetime

import flask_migrate
import pytest
from sqlalchemy import inspect, text

from facilitator.extensions import db
from tests.conftest import reset_schema

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
TABLES = {"regions", "organisations", "users", "audit_events", "alembic_version"}


def test_sqlite_connections_use_wal_full_sync_foreign_keys_and_busy_timeout(tmp_path, make_app):
    app = make_app(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def _migrate_round_trip(app) -> None:
    reset_schema(app)
    with app.app_context():
        flask_migrate.upgrade()
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        flask_migrate.check()  # the models and the migrations agree
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version


def test_migrations_upgrade_check_downgrade_on_sqlite(tmp_path, make_app):
    _migrate_round_trip(make_app(f"sqlite:///{tmp_path / 'migrations.db'}"))


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set: no PostgreSQL server")
def test_migrations_upgrade_check_downgrade_on_postgresql(make_app):
    _migrate_round_trip(make_app(POSTGRES_URL))


def test_naive_datetimes_are_refused(app, world):
    from facilitator.regions.models import Region

    region = db.session.get(Region, world.region.id)
    region.created_at = datetime(2026, 1, 1, 12, 0)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


def test_timestamps_come_back_in_utc(app, world):
    from facilitator.regions.models import Region

    db.session.expire_all()
    created = db.session.get(Region, world.region.id).created_at
    assert created.utcoffset().total_seconds() == 0


def test_sqlite_files_are_readable_by_their_owner_only(make_app, tmp_path):
    """The database, its write-ahead log and shared memory, and the key store (SECURITY.md P2)."""
    import stat

    database = tmp_path / "casustafel.db"
    extra = make_app(f"sqlite:///{database}", KEYSTORE_URL=f"sqlite:///{tmp_path / 'keys.db'}")
    with extra.app_context(), db.engine.connect() as connection:
        connection.execute(text("CREATE TABLE probe (id INTEGER)"))
        connection.commit()
        files = [database, tmp_path / "casustafel.db-wal", tmp_path / "casustafel.db-shm"]
        modes = {path.name: stat.S_IMODE(os.stat(path).st_mode) for path in files}
    modes["keys.db"] = stat.S_IMODE(os.stat(tmp_path / "keys.db").st_mode)
    assert modes == dict.fromkeys(modes, 0o600), modes
