"""Fixtures: an app on a database built by the migrations, a client with CSRF on, personas.

The database is SQLite in a temporary folder, or the PostgreSQL of TEST_DATABASE_URL. It is
built once per session with ``flask_migrate.upgrade()`` (so the migrations are what the tests
run on) and emptied after every test. With CASUSTAFEL_NO_SKIP=1 (CI) a skipped test fails.
"""

from __future__ import annotations

import contextvars
import os
from datetime import UTC, datetime

import flask_migrate
import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import insert, text

from facilitator import create_app
from facilitator.audit.models import AuditEvent, AuditPurgePermit
from facilitator.extensions import db
from facilitator.privacy.keystore import EXTENSION as KEYSTORE_EXTENSION
from facilitator.privacy.keystore import data_keys, keystore
from tests import factories
from tests.helpers import AuthActions
from tests.smtp import running_smtp_server

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_SKIP = os.environ.get("CASUSTAFEL_NO_SKIP") == "1"

#: Cheap Argon2 parameters: the tests exercise the logic, not the cost.
FAST_HASHING = {
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_KIB": 8,
    "PASSWORD_HASH_PARALLELISM": 1,
}


#: Set once per session by the instance_dir fixture: the key store every app of the run shares.
KEYSTORE: dict[str, str] = {}
TEST_MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE="
TEST_BLIND_INDEX_KEY = "dGVzdC1ibGluZC1pbmRleC1rZXktMzItYnl0ZXMhISE="
TEST_AUDIT_KEY = "dGVzdC1hdWRpdC1jaGFpbi1rZXktMzItYnl0ZXMhISE="


def app_config(database_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "KEYSTORE_URL": KEYSTORE.get("url"),
        "MASTER_KEYS": TEST_MASTER_KEY,
        "BLIND_INDEX_KEY": TEST_BLIND_INDEX_KEY,
        "AUDIT_KEY": TEST_AUDIT_KEY,
        **FAST_HASHING,
        **overrides,
    }


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's app context.

    Flask reuses an active app context of the same app for a request, and with it ``g`` (the
    logged-in user, the CSRF token) and the database session. In production every request has
    its own; running each request in an empty ``contextvars`` context restores that.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class IsolatedCliRunner(FlaskCliRunner):
    """A CLI runner for an extra app: its commands must not run in the test's app context."""

    def invoke(self, *args, **kwargs):
        return contextvars.Context().run(super().invoke, *args, **kwargs)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if NO_SKIP and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped, but CASUSTAFEL_NO_SKIP=1 requires it to run: {reason}"


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("instance")
    os.environ["FACILITATOR_INSTANCE_PATH"] = str(path)
    KEYSTORE["url"] = f"sqlite:///{tmp_path_factory.mktemp('keystore') / 'keystore.db'}"
    return path


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'casustafel-test.db'}"


def reset_schema(app) -> None:
    """Drop every table, so the migrations start from nothing."""
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def _app(instance_dir, database_url):
    app = create_app(app_config(database_url))
    app.test_client_class = IsolatedClient
    reset_schema(app)
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
        keystore().dispose()


def empty_database() -> None:
    """Delete every row of the data database and the key store (inside an app context)."""
    db.session.remove()
    empty_data_tables()
    with keystore().engine.begin() as connection:
        connection.execute(data_keys.delete())


@pytest.fixture
def app(_app):
    with _app.app_context():
        yield _app
        empty_database()


def empty_data_tables() -> None:
    """Empty every table after a test; the audit log under a purge permit, the lock row kept."""
    with db.engine.begin() as connection:
        connection.execute(insert(AuditPurgePermit).values(before=datetime(9999, 1, 1, tzinfo=UTC)))
        connection.execute(AuditEvent.__table__.delete())
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in ("audit_events", "audit_chain_lock"):
                connection.execute(table.delete())


@pytest.fixture
def make_app(instance_dir, database_url):
    """Build extra app instances (another process, other settings); their pools are closed after."""
    created = []

    def factory(url: str | None = None, **overrides):
        extra = create_app(app_config(url or database_url, **overrides))
        extra.test_client_class = IsolatedClient
        extra.test_cli_runner_class = IsolatedCliRunner
        created.append(extra)
        return extra

    yield factory
    for extra in created:
        with extra.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
            if extra.extensions.get(KEYSTORE_EXTENSION) is not None:
                keystore().dispose()


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a ``with count_queries() as counted:`` block."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        counted = []

        def on_execute(conn, cursor, statement, parameters, context, executemany):
            counted.append(statement)

        event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            yield counted
        finally:
            event.remove(db.engine, "before_cursor_execute", on_execute)

    return counting


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on 127.0.0.1 (tests/smtp.py), with the app's mail settings set to it."""
    with running_smtp_server() as server:
        for key, value in server.settings.items():
            monkeypatch.setitem(app.config, key, value)
        yield server


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def world(app):
    """Two regions; in the first an organisation per domain and a user for every role."""
    return factories.make_world()
