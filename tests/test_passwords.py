"""The password policy and its storage (SECURITY.md A1)."""

from __future__ import annotations

import pytest

from facilitator.auth.passwords import hash_password, policy_problems, verify_password


@pytest.mark.parametrize(
    "password, ok",
    [
        ("a" * 11, False),
        ("kort", False),
        ("twaalf tekens", True),
        (("lange zin " * 13)[:128], True),
        (("lange zin " * 13)[:129], False),
        ("alleenkleineletters", True),  # no composition rules
        ("wachtwoord123", False),  # common
        ("WachtWoord123", False),  # common, whatever the case
        ("aaaaaaaaaaaaaaaa", False),  # one repeated character
        ("abababababababab", False),
        ("paard batterij nietje", True),
    ],
)
def test_policy(password, ok):
    assert (policy_problems(password) == []) is ok


def test_own_email_or_name_is_refused():
    assert policy_problems("jan.jansen@noord.example", email="jan.jansen@noord.example")
    assert policy_problems("Jan de Vries Jansen", name="jan de vries jansen")


def test_problem_messages_say_what_to_do(app):
    with app.test_request_context():
        assert "12" in str(policy_problems("kort")[0])


def test_passwords_are_stored_with_argon2id(app):
    with app.app_context():
        stored = hash_password("een lange zin als wachtwoord")
        assert stored.startswith("$argon2id$")
        assert "een lange zin" not in stored
        assert verify_password(stored, "een lange zin als wachtwoord")[0] is True
        assert verify_password(stored, "een andere zin als wachtwoord")[0] is False
        assert verify_password("geen-hash", "wat dan ook")[0] is False


def test_hash_is_upgraded_when_the_cost_settings_change(app):
    with app.app_context():
        stored = hash_password("een lange zin als wachtwoord")
        app.config["PASSWORD_HASH_TIME_COST"] += 1
        try:
            ok, upgraded = verify_password(stored, "een lange zin als wachtwoord")
        finally:
            app.config["PASSWORD_HASH_TIME_COST"] -= 1
        assert ok and upgraded and upgraded != stored
