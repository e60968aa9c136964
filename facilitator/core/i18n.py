"""Language selection and the date formats shown to users (Dutch, Europe/Amsterdam)."""

from datetime import datetime

from flask import current_app, has_request_context, session
from flask_babel import format_date, format_datetime
from flask_login import current_user


def select_locale() -> str:
    """Use the user's preference, else the choice made before login, else Dutch."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("language")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def datetime_filter(value: datetime | None, fmt: str = "medium") -> str:
    """Show a UTC timestamp in the Amsterdam time zone, in the user's language."""
    if value is None:
        return ""
    return format_datetime(value, "d MMMM yyyy HH:mm" if fmt == "medium" else fmt)


def date_filter(value: datetime | None) -> str:
    return "" if value is None else format_date(value, "d MMMM yyyy")
