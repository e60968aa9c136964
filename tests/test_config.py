"""Configuration order, secrets, instance folder and database URLs (issue: set-up)."""

from __future__ import annotations

import os
import stat

import pytest

from facilitator import create_app
from facilitator.config import normalise_database_url
from tests.conftest import app_config


@pytest.fixture
def own_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("FACILITATOR_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_missing_secret_key_is_generated_once_with_mode_0600(own_instance, database_url):
    config = app_config(database_url)
    del config["SECRET_KEY"]
    first = create_app(config)
    secret_file = own_instance / "secret_key"
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 64
    second = create_app(dict(config))
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_production_refuses_to_start_without_an_explicit_secret(
    own_instance, monkeypatch, database_url
):
    monkeypatch.setenv("FACILITATOR_ENV", "production")
    config = app_config(database_url)
    del config["SECRET_KEY"]
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)
    assert not (own_instance / "secret_key").exists()


@pytest.mark.parametrize("missing", ["MASTER_KEYS", "BLIND_INDEX_KEY"])
def test_production_refuses_to_start_without_explicit_keys(own_instance, database_url, missing):
    config = app_config(database_url, ENV="production")
    config[missing] = None
    with pytest.raises(RuntimeError, match=f"FACILITATOR_{missing}"):
        create_app(config)
    assert not (own_instance / "master_keys").exists()


def test_environment_overrides_instance_file_which_overrides_defaults(
    own_instance, monkeypatch, database_url
):
    (own_instance / "config.py").write_text("ITEMS_PER_PAGE = 7\nLOGIN_MAX_FAILURES = 9\n")
    monkeypatch.setenv("FACILITATOR_LOGIN_MAX_FAILURES", "3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    assert app.config["ITEMS_PER_PAGE"] == 7
    assert app.config["LOGIN_MAX_FAILURES"] == 3
    assert app.config["SESSION_IDLE_TIMEOUT"].total_seconds() == 30 * 60


def test_default_database_is_sqlite_in_the_instance_folder(own_instance, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{own_instance / 'casustafel.db'}"
    assert app.instance_path == str(own_instance)


def test_database_url_selects_postgresql_with_psycopg3(own_instance, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.internal:5432/casustafel")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://u:p@db.internal")


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://h/db", "postgresql+psycopg://h/db"),
        ("postgresql://h/db", "postgresql+psycopg://h/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_are_normalised(given, expected):
    assert normalise_database_url(given) == expected


def test_proxy_fix_is_applied_only_when_configured(own_instance, database_url):
    plain = create_app(app_config(database_url))
    assert plain.wsgi_app.__class__.__name__ != "ProxyFix"
    proxied = create_app(app_config(database_url, PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1))
    assert proxied.wsgi_app.__class__.__name__ == "ProxyFix"
