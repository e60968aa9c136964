"""Language selection and the date formats shown to users (Dutch, Europe/Amsterdam)."""

import contextlib
from collections.abc import Iterator
from datetime import datetime

from flask import current_app, has_request_context, session
from flask_babel import force_locale, format_date, format_datetime
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


def known_language(language: str | None) -> str:
    """The language to write in: the one asked for when the interface has it, else Dutch."""
    config = current_app.config
    return language if language in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


@contextlib.contextmanager
def in_language(language: str | None) -> Iterator[str]:
    """Write what follows (gettext, dates) in someone's language, not the request's: an e-mail
    to its recipient, a calendar feed to its owner. Yields the language chosen."""
    chosen = known_language(language)
    with force_locale(chosen):
        yield chosen


def datetime_filter(value: datetime | None, fmt: str = "medium") -> str:
    """Show a UTC timestamp in the Amsterdam time zone, in the user's language."""
    if value is None:
        return ""
    return format_datetime(value, "d MMMM yyyy HH:mm" if fmt == "medium" else fmt)


def date_filter(value: datetime | None) -> str:
    return "" if value is None else format_date(value, "d MMMM yyyy")
