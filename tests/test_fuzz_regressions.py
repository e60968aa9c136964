"""What the form fuzzing (tests/proofs/test_fuzz_forms.py) found, kept as ordinary tests that run
on both databases.

1. A name with a capital outside ASCII ("Ærø") given twice was not found by the duplicate
   check (SQL's lower() folds only ASCII on SQLite), so the database's unique constraint refused
   the insert with an error (HTTP 500) instead of the form saying the name is taken. Regions,
   organisations and groups alike.
2. A number in a query string too large for the database (``?regio=99999999999999999999``)
   reached the query and failed there (OverflowError on SQLite, HTTP 500): a filter or page
   number out of range now counts as absent.
3. A whole number past a float's range in a form's number field (a hidden "version" of 400
   digits) made WTForms' NumberRange fail (OverflowError in its NaN check, HTTP 500); it is
   refused as out of range (facilitator.forms.IntRange).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.regions.models import Organisation, Region
from tests.helpers import post_form

BEHEERDER = "beheerder@noord.example"
#: As the fuzzer sent it, and a plain variant with the same capitals outside ASCII.
NAMES = ["𡔝ě戻 𭉟t㪶ü\"h´Ss'Æ¹¦@Ġķ", "Regio Ærø-Ġozo"]


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("name", NAMES)
def test_a_region_name_with_capitals_outside_ascii_given_twice_is_refused_with_a_message(
    client, auth, world, name
):
    auth.login(BEHEERDER)
    assert post_form(client, "/beheer/regios/nieuw", {"name": name}).status_code == 302
    before = count(Region)
    for again in (name, name.lower(), f"  {name.upper()} "):
        response = post_form(client, "/beheer/regios/nieuw", {"name": again})
        assert response.status_code == 200
        assert "Er bestaat al een regio met deze naam." in response.get_data(as_text=True)
    assert count(Region) == before


def test_renaming_a_region_to_a_name_taken_outside_ascii_is_refused_with_a_message(
    client, auth, world
):
    auth.login(BEHEERDER)
    post_form(client, "/beheer/regios/nieuw", {"name": NAMES[1]})
    url = f"/beheer/regios/{world.other_region.id}/bewerken"
    response = post_form(client, url, {"name": NAMES[1]})
    assert response.status_code == 200
    assert "Er bestaat al een regio met deze naam." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Region, world.other_region.id).name == "Regio Zuid"


def test_an_organisation_name_with_capitals_outside_ascii_given_twice_is_refused(
    client, auth, world
):
    auth.login(BEHEERDER)
    url = "/beheer/organisaties/nieuw"
    data = {
        "region_id": world.region.id,
        "name": "Ærø Werkt",
        "kind": "gemeente",
        "domain": "werk_inkomen",
        "active": "y",
    }
    assert post_form(client, url, data).status_code == 302
    before = count(Organisation)
    response = post_form(client, url, data)
    assert response.status_code == 200
    assert "Deze regio heeft al een organisatie met deze naam." in response.get_data(as_text=True)
    assert count(Organisation) == before


def test_a_group_name_with_capitals_outside_ascii_given_twice_is_refused(client, auth, world):
    auth.login(BEHEERDER)
    data = {"name": "Ærø-groep", "region_id": world.region.id, "rhythm": "maandelijks"}
    assert post_form(client, "/groepen/nieuw", data).status_code == 302
    before = count(CaseGroup)
    response = post_form(client, "/groepen/nieuw", data)
    assert response.status_code == 200
    assert "Deze regio heeft al een groep met deze naam." in response.get_data(as_text=True)
    assert count(CaseGroup) == before


HUGE = ["99999999999999999999", str(2**31), str(-(2**31) - 1), "-99999999999999999999"]


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "path",
    [
        "/contactpersonen/?regio=",
        "/beheer/organisaties?regio=",
        "/beheer/gebruikers/?regio=",
        "/beheer/gebruikers/?pagina=",
        "/beheer/organisaties/nieuw?regio=",
    ],
)
def test_a_number_too_large_for_the_database_in_a_query_string_filters_nothing(
    client, auth, world, path, number
):
    auth.login(BEHEERDER)
    response = client.get(path + number)
    assert response.status_code == 200


@pytest.mark.parametrize("number", HUGE)
def test_a_case_number_too_large_for_the_database_preselects_no_case(client, auth, world, number):
    auth.login("deelnemer@noord.example")
    response = client.get(f"/groepen/{world.group.id}/acties/nieuw?casus={number}")
    assert response.status_code == 200
    assert "(de hele groep)" in response.get_data(as_text=True)


FOUR_HUNDRED_DIGITS = "9" * 400


@pytest.mark.parametrize("field", ["consent_id", "version"])
@pytest.mark.parametrize("page", ["verlengen", "intrekken"])
def test_a_consent_form_with_a_number_past_a_floats_range_is_refused_not_a_500(
    client, auth, world, field, page
):
    auth.login("deelnemer@noord.example")
    url = f"/casussen/{world.consent_case.id}/toestemming/{page}"
    data = {
        "consent_id": "1",
        "version": "1",
        "valid_until": "2030-01-01",
        field: FOUR_HUNDRED_DIGITS,
    }
    response = post_form(client, url, data)
    assert response.status_code == 200
    db.session.expire_all()
    [consent] = world.consent_case.consents
    assert (consent.status.value, consent.version) == ("gegeven", 1), "nothing may change"


def test_an_action_update_with_a_version_past_a_floats_range_is_refused_not_a_500(
    client, auth, world
):
    auth.login("deelnemer@noord.example")
    response = post_form(
        client,
        f"/acties/{world.action.id}/terugkoppeling",
        {"status": "open", "note": "Loopt", "version": FOUR_HUNDRED_DIGITS},
        token_from="/acties",
    )
    assert response.status_code == 422


def test_a_meeting_field_with_a_version_past_a_floats_range_is_refused_not_a_500(
    client, auth, world
):
    auth.login("procesbegeleider@noord.example")
    url = f"/bijeenkomsten/{world.meeting.id}/veld"
    data = {"ref": "m:opening", "key": "x", "value": "tekst", "version": FOUR_HUNDRED_DIGITS}
    response = post_form(client, url, data, token_from=f"/bijeenkomsten/{world.meeting.id}/leiden")
    assert response.status_code == 400


def test_a_board_filter_of_spaces_is_no_filter_and_no_500(client, auth, world):
    """Found by fuzzing: Optional() stops at a value of spaces before the choice is checked,
    and the board took " " for a status."""
    auth.login("procesbegeleider@noord.example")
    response = client.get(f"/groepen/{world.group.id}/acties?status=+&eigenaar=+&casus=+")
    assert response.status_code == 200
    # Spaces choose nothing: the board shows what it shows unfiltered.
    assert world.action.description in response.get_data(as_text=True)
