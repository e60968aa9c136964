"""The beheerder's screens for regions, organisations and users."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.regions.models import Domain, Organisation, OrganisationKind, Region
from facilitator.users.models import Role, User
from tests.helpers import post_form

NEW_PASSWORD = "een nieuwe lange wachtzin"


@pytest.fixture
def admin(client, auth, world):
    auth.login("beheerder@noord.example")
    return client


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_region_can_be_created_and_renamed(admin):
    response = post_form(admin, "/beheer/regios/nieuw", {"name": "Regio Oost", "description": ""})
    assert response.headers["Location"] == "/beheer/regios"
    region = db.session.scalar(select(Region).where(Region.name == "Regio Oost"))
    post_form(
        admin,
        f"/beheer/regios/{region.id}/bewerken",
        {"name": "Regio Oost-Nederland", "description": "Acht gemeenten"},
    )
    db.session.expire_all()
    assert db.session.get(Region, region.id).name == "Regio Oost-Nederland"
    assert "Regio Oost-Nederland" in admin.get("/beheer/regios").get_data(as_text=True)


def test_duplicate_region_name_is_refused_case_insensitively(admin, world):
    before = count(Region)
    response = post_form(admin, "/beheer/regios/nieuw", {"name": "regio NOORD"})
    assert response.status_code == 200
    assert "bestaat al" in response.get_data(as_text=True)
    assert count(Region) == before


def test_empty_region_name_gets_a_message(admin):
    response = post_form(admin, "/beheer/regios/nieuw", {"name": "   "})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_region_with_organisations_cannot_be_deleted(admin, world):
    url = f"/beheer/regios/{world.region.id}/verwijderen"
    # The confirmation page says first why it cannot be deleted, and offers no delete button.
    page = admin.get(url).get_data(as_text=True)
    assert (
        "Deze regio kan niet worden verwijderd: ze heeft nog 2 organisaties en 1 casusgroep" in page
    )
    assert "button-danger" not in page
    post_form(admin, url)
    assert db.session.get(Region, world.region.id) is not None
    empty = post_form(admin, "/beheer/regios/nieuw", {"name": "Regio Leeg"})
    assert empty.status_code == 302
    region_id = db.session.scalar(select(Region.id).where(Region.name == "Regio Leeg"))
    post_form(admin, f"/beheer/regios/{region_id}/verwijderen")
    db.session.expire_all()
    assert db.session.get(Region, region_id) is None


def test_organisation_is_created_with_contacts(admin, world):
    response = post_form(
        admin,
        "/beheer/organisaties/nieuw",
        {
            "region_id": world.region.id,
            "name": "Werkbedrijf Noord",
            "kind": "sw_bedrijf",
            "domain": "werk_inkomen",
            "contact_name": "Aafke Zijlstra",
            "contact_email": "aafke@werkbedrijf.example",
            "backup_name": "Bert Bakker",
            "active": "y",
        },
    )
    assert response.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Werkbedrijf Noord"))
    assert org.kind == OrganisationKind.SW_BEDRIJF
    assert org.domain == Domain.WERK_INKOMEN
    assert org.contact_name == "Aafke Zijlstra"
    assert org.backup_name == "Bert Bakker"
    listing = admin.get(f"/beheer/organisaties?regio={world.region.id}").get_data(as_text=True)
    assert "Werkbedrijf Noord" in listing
    assert "UWV Zuid" not in listing


def test_organisation_with_bad_email_and_unknown_kind_changes_nothing(admin, world):
    before = count(Organisation)
    response = post_form(
        admin,
        "/beheer/organisaties/nieuw",
        {
            "region_id": world.region.id,
            "name": "Kapot",
            "kind": "bank",
            "domain": "zorg",
            "contact_email": "geen-adres",
        },
    )
    assert response.status_code == 200
    assert count(Organisation) == before


def test_same_organisation_name_is_allowed_in_another_region(admin, world):
    response = post_form(
        admin,
        "/beheer/organisaties/nieuw",
        {
            "region_id": world.other_region.id,
            "name": "Gemeente Noord",
            "kind": "gemeente",
            "domain": "werk_inkomen",
            "active": "y",
        },
    )
    assert response.status_code == 302
    dup = post_form(
        admin,
        "/beheer/organisaties/nieuw",
        {
            "region_id": world.region.id,
            "name": "gemeente noord",
            "kind": "gemeente",
            "domain": "werk_inkomen",
        },
    )
    assert dup.status_code == 200
    assert "al een organisatie" in dup.get_data(as_text=True)


def test_organisation_with_users_cannot_be_deleted(admin, world):
    post_form(admin, f"/beheer/organisaties/{world.gemeente.id}/verwijderen")
    assert db.session.get(Organisation, world.gemeente.id) is not None


def test_user_is_created_with_a_temporary_password(admin, world, app):
    response = post_form(
        admin,
        "/beheer/gebruikers/nieuw",
        {
            "name": "Nina de Jong",
            "email": "Nina.deJong@Noord.example",
            "organisation_id": world.ggz.id,
            "role": "procesbegeleider",
            "language": "nl",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.headers["Location"] == "/beheer/gebruikers/"
    user = db.session.scalar(select(User).where(User.email == "nina.dejong@noord.example"))
    assert user.role == Role.PROCESBEGELEIDER
    assert user.must_change_password is True
    assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"email": "DEELNEMER@noord.example"}, "al door een ander account"),
        ({"password": "kort", "confirm": "kort"}, "12"),
        ({"confirm": "iets anders dan het wachtwoord"}, "komen niet overeen"),
        ({"email": "geen e-mail"}, "e-mail"),
        ({"role": "koning"}, "geldige"),
    ],
)
def test_invalid_new_user_is_refused_with_a_message(admin, world, changes, message):
    before = count(User)
    data = {
        "name": "Nina de Jong",
        "email": "nina@noord.example",
        "organisation_id": world.ggz.id,
        "role": "deelnemer",
        "language": "nl",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        **changes,
    }
    response = post_form(admin, "/beheer/gebruikers/nieuw", data)
    assert response.status_code == 200
    assert message.lower() in response.get_data(as_text=True).lower()
    assert count(User) == before


def test_user_list_filters_by_region_role_and_search(admin, world):
    page = admin.get(f"/beheer/gebruikers/?regio={world.other_region.id}").get_data(as_text=True)
    assert "deelnemer@zuid.example" in page
    assert "beheerder@noord.example" not in page
    page = admin.get("/beheer/gebruikers/?rol=projectleider").get_data(as_text=True)
    assert "projectleider@noord.example" in page
    assert "deelnemer@zuid.example" not in page
    page = admin.get("/beheer/gebruikers/?zoek=ZUID").get_data(as_text=True)
    assert "deelnemer@zuid.example" in page
    assert "projectleider@noord.example" not in page


def test_user_list_is_paginated(admin, world, app):
    app.config["ITEMS_PER_PAGE"] = 3
    try:
        first = admin.get("/beheer/gebruikers/").get_data(as_text=True)
        assert "Pagina 1 van 3" in first
        second = admin.get("/beheer/gebruikers/?pagina=2").get_data(as_text=True)
        assert "Pagina 2 van 3" in second
    finally:
        app.config["ITEMS_PER_PAGE"] = 50


def test_user_can_be_edited(admin, world):
    user = world.users[Role.DEELNEMER]
    response = post_form(
        admin,
        f"/beheer/gebruikers/{user.id}/bewerken",
        {
            "name": "Hernoemd",
            "email": user.email,
            "organisation_id": world.gemeente.id,
            "role": "procesbegeleider",
            "language": "en",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert (changed.name, changed.role, changed.organisation_id, changed.language) == (
        "Hernoemd",
        Role.PROCESBEGELEIDER,
        world.gemeente.id,
        "en",
    )


def test_deactivation_asks_for_confirmation_and_can_be_undone(admin, world):
    user = world.users[Role.DEELNEMER]
    page = admin.get(f"/beheer/gebruikers/{user.id}/deactiveren")
    assert page.status_code == 200
    assert db.session.get(User, user.id).active is True  # GET changes nothing
    post_form(admin, f"/beheer/gebruikers/{user.id}/deactiveren")
    db.session.expire_all()
    assert db.session.get(User, user.id).active is False
    post_form(
        admin,
        f"/beheer/gebruikers/{user.id}/activeren",
        token_from=f"/beheer/gebruikers/{user.id}/bewerken",
    )
    db.session.expire_all()
    assert db.session.get(User, user.id).active is True


def test_admin_cannot_deactivate_themselves_or_the_last_admin(admin, world):
    me = world.users[Role.BEHEERDER]
    post_form(admin, f"/beheer/gebruikers/{me.id}/deactiveren")
    db.session.expire_all()
    assert db.session.get(User, me.id).active is True
    response = post_form(
        admin,
        f"/beheer/gebruikers/{me.id}/bewerken",
        {
            "name": me.name,
            "email": me.email,
            "organisation_id": me.organisation_id,
            "role": "deelnemer",
            "language": "nl",
        },
    )
    assert "laatste actieve beheerder" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me.id).role == Role.BEHEERDER


def test_password_reset_ends_sessions_unlocks_and_forces_a_change(admin, world, app, auth):
    from tests.helpers import AuthActions

    user = world.users[Role.DEELNEMER]
    other = app.test_client()
    AuthActions(other).login(user.email)
    response = post_form(
        admin,
        f"/beheer/gebruikers/{user.id}/wachtwoord",
        {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert other.get("/").status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert changed.must_change_password is True
    assert changed.check_password(NEW_PASSWORD)


def test_search_treats_wildcards_literally(admin, world):
    page = admin.get("/beheer/gebruikers/?zoek=%25").get_data(as_text=True)
    assert "Geen gebruikers gevonden" in page


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("111.222.333", "BSN"),  # the shape of a phone number, the check digit of a BSN
        ("bel Jan 06-1234", "telefoonnummer"),
    ],
)
def test_an_organisation_phone_field_takes_a_phone_number_only(admin, world, phone, message):
    before = count(Organisation)
    response = post_form(
        admin,
        "/beheer/organisaties/nieuw",
        {
            "region_id": world.region.id,
            "name": "Werkbedrijf Noord",
            "kind": "sw_bedrijf",
            "domain": "werk_inkomen",
            "contact_phone": phone,
            "active": "y",
        },
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(Organisation) == before


def test_an_organisation_phone_number_is_stored(admin, world):
    post_form(
        admin,
        "/beheer/organisaties/nieuw",
        {
            "region_id": world.region.id,
            "name": "Werkbedrijf Noord",
            "kind": "sw_bedrijf",
            "domain": "werk_inkomen",
            "contact_phone": "+31 (0)30 123 45 67",
            "active": "y",
        },
    )
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Werkbedrijf Noord"))
    assert org.contact_phone == "+31 (0)30 123 45 67"
