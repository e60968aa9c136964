"""Contacts: professionals without an account, kept by the beheerder and procesbegeleiders
(issue 9: "a regievoerder or action owner must have an account")."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.regions import contacts
from facilitator.regions.models import Contact
from facilitator.users.models import Role
from tests.helpers import post_form

BSN = "2431.80.226"
BIDI = "Jan \u202ede Vries"


def contact_named(name: str) -> Contact | None:
    db.session.expire_all()
    return db.session.scalar(select(Contact).where(Contact.name == name))


def count_contacts() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Contact.id)))


@pytest.fixture
def zuid_contact(world) -> Contact:
    contact = contacts.create_contact(
        world.other_org, name="Werkcoach Zuid", email="werkcoach@zuid.example", actor=None
    )
    db.session.commit()
    return contact


def test_a_procesbegeleider_adds_a_contact_in_their_region(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    page = client.get("/contactpersonen/nieuw").get_data(as_text=True)
    assert "GGZ Noord" in page and "UWV Zuid" not in page  # only their own region's

    response = post_form(
        client,
        "/contactpersonen/nieuw",
        {
            "name": "Anna Werkgever",
            "email": " Anna@Werkgever.Example ",
            "organisation_id": world.ggz.id,
        },
    )

    assert response.status_code == 302
    contact = contact_named("Anna Werkgever")
    assert (contact.email, contact.organisation_id, contact.active) == (
        "anna@werkgever.example",
        world.ggz.id,
        True,
    )
    listing = client.get("/contactpersonen/").get_data(as_text=True)
    assert "Anna Werkgever" in listing and "anna@werkgever.example" in listing
    row = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "contact_created")
    ).one()
    assert row.user_id == world.users[Role.PROCESBEGELEIDER].id


def test_the_beheerder_edits_and_deactivates_a_contact_and_activates_it_again(
    client, auth, world, zuid_contact
):
    auth.login("beheerder@noord.example")
    url = f"/contactpersonen/{zuid_contact.id}"
    response = post_form(
        client,
        f"{url}/bewerken",
        {
            "name": "Werkcoach Zuid-West",
            "email": "werkcoach@zuid.example",
            "organisation_id": world.other_org.id,
        },
    )
    assert response.status_code == 302
    assert contact_named("Werkcoach Zuid-West") is not None

    post_form(client, f"{url}/deactiveren", token_from="/contactpersonen/")
    assert contact_named("Werkcoach Zuid-West").active is False
    assert "Inactief" in client.get(f"/contactpersonen/?regio={world.other_region.id}").get_data(
        as_text=True
    )
    post_form(client, f"{url}/activeren", token_from="/contactpersonen/")
    assert contact_named("Werkcoach Zuid-West").active is True


def test_a_procesbegeleider_cannot_reach_another_regions_contact(client, auth, world, zuid_contact):
    auth.login("procesbegeleider@noord.example")
    assert "Werkcoach Zuid" not in client.get("/contactpersonen/").get_data(as_text=True)
    assert client.get(f"/contactpersonen/{zuid_contact.id}/bewerken").status_code == 403
    response = post_form(
        client,
        f"/contactpersonen/{zuid_contact.id}/deactiveren",
        token_from="/contactpersonen/",
    )
    assert response.status_code == 403
    assert contact_named("Werkcoach Zuid").active is True
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).all()[-1]
    assert (denial.object_type, denial.outcome) == ("contacts", AuditOutcome.DENIED)


def test_a_procesbegeleider_cannot_add_a_contact_to_another_regions_organisation(
    client, auth, world
):
    auth.login("procesbegeleider@noord.example")
    response = post_form(
        client,
        "/contactpersonen/nieuw",
        {"name": "Iemand", "email": "iemand@zuid.example", "organisation_id": world.other_org.id},
    )
    assert response.status_code == 200  # not a choice on the form: refused as such
    assert count_contacts() == 0


@pytest.mark.parametrize("role", [Role.DEELNEMER, Role.PROJECTLEIDER])
def test_only_the_beheerder_and_procesbegeleiders_keep_contacts(client, auth, world, role):
    auth.login(world.users[role].email)
    assert client.get("/contactpersonen/").status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", f"Jan de Vries {BSN}"),
        ("name", BIDI),
        ("email", "jan.devries@example"),  # no valid address
        ("email", "deelnemer@noord.example"),  # this person has an account
    ],
)
def test_a_contact_with_a_bsn_bidi_controls_or_a_bad_address_is_refused(
    client, auth, world, field, value
):
    auth.login("procesbegeleider@noord.example")
    data = {"name": "Jan de Vries", "email": "jan@werk.example", "organisation_id": world.ggz.id}
    response = post_form(client, "/contactpersonen/nieuw", data | {field: value})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert count_contacts() == 0


def test_the_same_address_twice_in_a_region_is_refused(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    data = {"name": "Jan de Vries", "email": "jan@werk.example", "organisation_id": world.ggz.id}
    assert post_form(client, "/contactpersonen/nieuw", data).status_code == 302
    again = post_form(client, "/contactpersonen/nieuw", data | {"email": "JAN@werk.example"})
    assert again.status_code == 200
    assert count_contacts() == 1
