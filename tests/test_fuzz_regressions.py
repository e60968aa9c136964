"""What the form fuzzing (tests/proofs/test_fuzz_forms.py) found, kept as ordinary tests that run
on both databases.

1. A name with a capital outside ASCII ("Ærø") given twice was not found by the duplicate
   check (SQL's lower() folds only ASCII on SQLite), so the database's unique constraint refused
   the insert with an error (HTTP 500) instead of the form saying the name is taken. Regions,
   organisations and groups alike.
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
