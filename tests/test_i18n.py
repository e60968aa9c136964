"""Dutch by default, English selectable, every string translated (issue: interface)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale

from facilitator.core.i18n import datetime_filter
from tests.helpers import post_form

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "facilitator" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
METHOD_MAP = [("facilitator/**.py", "python"), ("facilitator/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        METHOD_MAP,
        keywords=KEYWORDS,
        options_map={"facilitator/templates/**.html": {"extensions": "jinja2.ext.do"}},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_source_string_has_a_dutch_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue if m.id}
    source = _source_messages()
    assert len(source) > 100, "extraction found too few strings; is the mapping right?"
    missing = sorted(m for m in source if m not in translated)
    empty = sorted(
        m for m in source if m in translated and (translated[m].fuzzy or not translated[m].string)
    )
    assert not missing, f"not in the Dutch catalogue (run make translations-update): {missing}"
    assert not empty, f"untranslated or fuzzy in the Dutch catalogue: {empty}"


def test_english_can_be_chosen_before_login(client):
    assert "Inloggen" in client.get("/login").get_data(as_text=True)
    post_form(client, "/taal", {"language": "en", "next": "/login"}, token_from="/login")
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Log in to Casustafel" in page


def test_a_users_language_preference_applies_after_login(client, auth, world):
    auth.login("deelnemer@noord.example")
    post_form(client, "/account/", {"language": "en"})
    page = client.get("/").get_data(as_text=True)
    assert "Welcome" in page
    post_form(client, "/account/", {"language": "nl"})
    assert "Welkom" in client.get("/").get_data(as_text=True)


def test_unknown_language_is_refused_and_changes_nothing(client, auth, world):
    auth.login("deelnemer@noord.example")
    post_form(client, "/account/", {"language": "xx"})
    assert 'lang="nl"' in client.get("/").get_data(as_text=True)


def test_dates_are_shown_the_dutch_way_in_amsterdam_time(app):
    winter = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale("nl"):
        assert datetime_filter(winter) == "16 januari 2026 00:30"
        assert datetime_filter(summer) == "1 juli 2026 12:00"
