"""Casustafel: structured case discussions between GGZ, municipalities and UWV."""

from __future__ import annotations

import contextlib
import json
import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from facilitator.config import PROJECT_ROOT, instance_path, load_config
from facilitator.database import restrict_sqlite_files


class BoundedIntConverter(IntegerConverter):
    """Ids in URLs fit the database's integer: a longer number is a 404, not an overflow."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, errors, commands."""
    app = Flask(__name__, instance_path=instance_path(), instance_relative_config=True)
    app.url_map.converters["int"] = BoundedIntConverter
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)
    with contextlib.suppress(PermissionError):  # a folder the operator owns stays theirs
        os.chmod(app.instance_path, 0o700)
    load_config(app, test_config)
    # Flask-SQLAlchemy puts a relative SQLite path in the instance folder; the key store's
    # own engine takes it from the working directory.
    restrict_sqlite_files(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    restrict_sqlite_files(app.config["KEYSTORE_URL"], os.getcwd())
    configure_logging(app)
    register_extensions(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    apply_proxy_fix(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        app.logger.setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    from facilitator import mail
    from facilitator.core.i18n import select_locale
    from facilitator.extensions import babel, csrf, db, login_manager, migrate
    from facilitator.privacy.keystore import init_keystore
    from facilitator.protocols.loader import init_protocols

    db.init_app(app)
    mail.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    init_keystore(app)
    init_protocols(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    configure_login_manager(login_manager)


def configure_login_manager(login_manager) -> None:
    from flask_babel import lazy_gettext as _l

    from facilitator.extensions import db
    from facilitator.users.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(login_id: str) -> User | None:
        # The login id is "<user id>:<session version>"; a raised version ends old sessions.
        user_id, _, version = login_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user


def register_request_hooks(app: Flask) -> None:
    from facilitator.auth.access import enforce_access
    from facilitator.auth.login_steps import enforce_two_factor
    from facilitator.auth.sessions import enforce_session_lifetime
    from facilitator.core.headers import set_security_headers
    from facilitator.extensions import db
    from facilitator.loading import write_reads

    app.before_request(enforce_session_lifetime)
    app.before_request(enforce_two_factor)
    app.before_request(enforce_access)
    app.after_request(set_security_headers)
    app.after_request(write_reads)

    @app.teardown_request
    def roll_back_on_error(error: BaseException | None) -> None:
        """Commit once per request, in the view; anything an exception left behind is undone."""
        if error is not None:
            db.session.rollback()


def register_blueprints(app: Flask) -> None:
    from facilitator.actions.views import bp as actions_bp
    from facilitator.audit.overview_views import bp as access_overview_bp
    from facilitator.audit.views import bp as audit_bp
    from facilitator.auth.two_factor_views import bp as two_factor_bp
    from facilitator.auth.views import bp as auth_bp
    from facilitator.calendars.views import bp as calendars_bp
    from facilitator.cases.views import bp as cases_bp
    from facilitator.core.views import bp as core_bp
    from facilitator.dashboard.views import bp as dashboard_bp
    from facilitator.exports.feedback_body_views import bp as feedback_bodies_bp
    from facilitator.exports.feedback_views import bp as logbook_feedback_bp
    from facilitator.exports.house_style_views import bp as house_style_bp
    from facilitator.exports.logbook_views import bp as logbook_bp
    from facilitator.exports.minutes_views import bp as minutes_bp
    from facilitator.groups.views import bp as groups_bp
    from facilitator.meetings.correction_views import bp as corrections_bp
    from facilitator.meetings.facilitate import bp as facilitate_bp
    from facilitator.meetings.record_views import bp as meeting_records_bp
    from facilitator.meetings.table_views import bp as meeting_table_bp
    from facilitator.meetings.views import bp as meetings_bp
    from facilitator.monitoring.views import bp as monitoring_bp
    from facilitator.preparation.views import bp as preparation_bp
    from facilitator.privacy.views import bp as privacy_bp
    from facilitator.proposals.views import bp as proposals_bp
    from facilitator.protocols.views import bp as protocols_bp
    from facilitator.regions.contact_views import bp as contacts_bp
    from facilitator.regions.views import bp as regions_bp
    from facilitator.series.views import bp as series_bp
    from facilitator.signals.views import bp as signals_bp
    from facilitator.stories.views import bp as stories_bp
    from facilitator.users.account_views import bp as account_bp
    from facilitator.users.views import bp as users_bp

    for blueprint in (
        core_bp,
        auth_bp,
        account_bp,
        two_factor_bp,
        regions_bp,
        contacts_bp,
        users_bp,
        groups_bp,
        cases_bp,
        actions_bp,
        stories_bp,
        privacy_bp,
        meetings_bp,
        proposals_bp,
        series_bp,
        facilitate_bp,
        preparation_bp,
        meeting_records_bp,
        meeting_table_bp,
        corrections_bp,
        protocols_bp,
        calendars_bp,
        minutes_bp,
        house_style_bp,
        logbook_bp,
        logbook_feedback_bp,
        feedback_bodies_bp,
        signals_bp,
        monitoring_bp,
        audit_bp,
        access_overview_bp,
        dashboard_bp,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from facilitator.core.errors import register_error_handlers

    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from facilitator.audit.policy import can_read_audit_log
    from facilitator.auth.access import may_open
    from facilitator.core.i18n import date_filter, datetime_filter
    from facilitator.database import utcnow
    from facilitator.users.forms import LanguageForm
    from facilitator.users.models import Role

    app.jinja_env.globals["can_read_audit_log"] = can_read_audit_log
    app.jinja_env.globals["may_open"] = may_open
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_filter(datetime_filter, "datetime")
    app.add_template_filter(date_filter, "date")
    app.add_template_filter(json.loads, "from_json")
    app.add_template_filter(checklist_choices, "checklist_choices")

    @app.context_processor
    def inject_globals() -> dict:
        locale = str(get_locale())
        return {
            "Role": Role,
            "current_locale": locale,
            # Not bound to the request: error pages render it even when the body is unreadable.
            "language_form": lambda: LanguageForm(formdata=None, language=locale),
            "now": utcnow(),
        }


def register_commands(app: Flask) -> None:
    from facilitator.actions.cli import actions_cli
    from facilitator.audit.cli import audit_cli
    from facilitator.backup.cli import backup_command, restore_command
    from facilitator.cases.cli import cases_cli
    from facilitator.demo.cli import seed_demo_command
    from facilitator.exports.cli import export_cli
    from facilitator.groups.cli import groups_cli
    from facilitator.meetings.cli import meetings_cli
    from facilitator.monitoring.cli import monitoring_cli
    from facilitator.privacy.cli import keys_cli, privacy_cli
    from facilitator.protocols.cli import protocols_cli
    from facilitator.regions.cli import organisations_cli, regions_cli
    from facilitator.users.cli import users_cli

    for command in (
        protocols_cli,
        meetings_cli,
        actions_cli,
        export_cli,
        monitoring_cli,
        users_cli,
        regions_cli,
        organisations_cli,
        groups_cli,
        cases_cli,
        keys_cli,
        privacy_cli,
        audit_cli,
        seed_demo_command,
        audit_cli,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


def apply_proxy_fix(app: Flask) -> None:
    settings = {
        key: int(app.config[f"PROXY_FIX_X_{key.upper()}"])
        for key in ("for", "proto", "host", "prefix")
    }
    if any(settings.values()):
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=settings["for"],
            x_proto=settings["proto"],
            x_host=settings["host"],
            x_prefix=settings["prefix"],
        )


def checklist_choices(value: str) -> list[str]:
    """The ticked options of a checklist: stored as JSON, or as typed (one per line) when a
    refused submit comes back."""
    if not value:
        return []
    try:
        chosen = json.loads(value)
    except ValueError:
        return value.splitlines()
    return chosen if isinstance(chosen, list) else []
