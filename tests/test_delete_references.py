"""Deleting what other rows still refer to is refused with a message, never a server error.

Issue 12: "as beheerder, delete an organisation that has no users but appears in attendance or
in the organisations present at an agenda case: 500 (foreign key constraint). The deletion check
only looks at users." The check now counts every foreign key of the schema that points at the
row (facilitator/references.py), so these tests also hold the database itself as the judge:
for every organisation and region, the app offers the delete exactly when the database would
accept it. They run on SQLite and on the PostgreSQL of TEST_DATABASE_URL alike.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.meetings import attendance, planning, records
from facilitator.meetings.models import AgendaItem
from facilitator.references import LABELS, blocking_references, count_references
from facilitator.regions import contacts
from facilitator.regions.models import Organisation, OrganisationKind, Region
from facilitator.users import services as users
from facilitator.users.models import Role
from tests.factories import make_organisation, make_region
from tests.helpers import post_form

ADMIN = f"{Role.BEHEERDER.value}@noord.example"


@pytest.fixture
def admin(client, auth, world):
    auth.login(ADMIN)
    return client


def delete_url(org: Organisation) -> str:
    return f"/beheer/organisaties/{org.id}/verwijderen"


def still_there(model, row_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(model, row_id) is not None


def database_refuses_delete(model, row_id: int) -> bool:
    """Ask the database itself, in a transaction that is rolled back whatever happens."""
    db.session.commit()
    table = model.__table__
    with db.engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.execute(table.delete().where(table.c.id == row_id))
        except IntegrityError:
            return True
        finally:
            transaction.rollback()
    return False


def flashed(client, response) -> str:
    """The page a redirect leads to, as the user reads it (flash included)."""
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def without_tags(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def a_bakery_in_the_meeting(world) -> Organisation:
    """An organisation without users that a running meeting refers to three ways: a guest of
    it, its presence at an agenda case, and a finding about it."""
    bakery = make_organisation(world.region, "Bakkerij Noord", OrganisationKind.WERKGEVER)
    leader = world.users[Role.PROCESBEGELEIDER]
    attendance.add_guest(
        world.meeting,
        name="Mira de Werkgever",
        role="werkgever",
        organisation_id=bakery.id,
        status="aanwezig",
        actor=leader,
    )
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == world.meeting.id))
    planning.set_case_presence(world.meeting, item, [bakery, world.ggz], actor=leader)
    records.update_finding(
        world.meeting,
        world.finding,
        kind=world.finding.kind,
        level=world.finding.level,
        text=world.finding.text,
        organisations=[bakery],
        signal=world.finding.signal,
        actor=leader,
    )
    db.session.commit()
    return bakery


def test_an_organisation_without_users_but_in_a_meeting_is_not_deleted(admin, world):
    bakery = a_bakery_in_the_meeting(world)
    confirm = admin.get(delete_url(bakery))
    assert confirm.status_code == 200
    page = without_tags(confirm.get_data(as_text=True))
    expected = (
        "Deze organisatie kan niet worden verwijderd: ze komt nog voor in "
        "1 aanwezigheidsregistratie, 1 agendacasus (als organisatie aan tafel) en 1 bevinding. "
        "Maak haar in plaats daarvan inactief"
    )
    assert expected in page
    assert "button-danger" not in confirm.get_data(as_text=True)  # no delete button offered
    assert f'href="/beheer/organisaties/{bakery.id}/bewerken"' in confirm.get_data(as_text=True)

    # A form left open from before, or a crafted request: the same refusal, never a 500.
    response = post_form(admin, delete_url(bakery), token_from="/beheer/organisaties")
    assert expected in without_tags(flashed(admin, response))
    assert still_there(Organisation, bakery.id)


def test_counts_are_plural_and_the_way_forward_works(admin, world):
    bakery = a_bakery_in_the_meeting(world)
    leader = world.users[Role.PROCESBEGELEIDER]
    attendance.add_guest(
        world.meeting,
        name="Joop de Bakker",
        role="werkgever",
        organisation_id=bakery.id,
        status="afgemeld",
        actor=leader,
    )
    db.session.commit()
    page = without_tags(admin.get(delete_url(bakery)).get_data(as_text=True))
    assert "2 aanwezigheidsregistraties, 1 agendacasus" in page

    # Deactivating, the way out the message offers, works for an organisation in use.
    edit = f"/beheer/organisaties/{bakery.id}/bewerken"
    response = post_form(
        admin,
        edit,
        {
            "region_id": world.region.id,
            "name": bakery.name,
            "kind": "werkgever",
            "domain": "overig",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, bakery.id).active is False


def test_an_organisation_whose_people_moved_on_is_not_deleted(admin, world):
    """Cases, actions, a regievoerder and a consent keep the organisation they were made at,
    also when its users moved to another organisation."""
    person = world.users[Role.DEELNEMER]  # GGZ Noord: brought both cases, owns the action
    records.assign_regievoerder(
        world.meeting, world.consent_case, person, actor=world.users[Role.PROCESBEGELEIDER]
    )
    users.update_user(
        person,
        name=person.name,
        email=person.email,
        organisation=world.gemeente,
        role=person.role,
        language="nl",
        actor=None,
    )
    db.session.commit()
    assert not world.ggz.users
    assert set(count_references(world.ggz)) == {
        "cases",
        "action_items",
        "regievoerder_assignments",
        "consent_organisations",
    }
    response = post_form(admin, delete_url(world.ggz), token_from="/beheer/organisaties")
    page = without_tags(flashed(admin, response))
    assert (
        "ze komt nog voor in 2 casussen, 1 actie, 1 regievoerderstoewijzing en 1 toestemming "
        "(als organisatie die de identiteit mag zien)."
    ) in page
    assert still_there(Organisation, world.ggz.id)


def test_an_organisation_with_only_a_contact_is_not_deleted(admin, world):
    """Contacts (people without an account) came after the deletion check was written: the
    walk over the foreign keys counts them without being told."""
    employer = make_organisation(world.region, "Werkgever Noord", OrganisationKind.WERKGEVER)
    contacts.create_contact(
        employer, name="Anna Jobcoach", email="anna@werkgever.example", actor=None
    )
    db.session.commit()
    response = post_form(admin, delete_url(employer), token_from="/beheer/organisaties")
    assert "ze komt nog voor in 1 contactpersoon." in without_tags(flashed(admin, response))
    assert still_there(Organisation, employer.id)


def test_an_organisation_with_users_says_so(admin, world):
    response = post_form(admin, delete_url(world.gemeente), token_from="/beheer/organisaties")
    assert "gebruikersaccount" in flashed(admin, response)
    assert still_there(Organisation, world.gemeente.id)


def test_an_organisation_nothing_refers_to_is_deleted(admin, world):
    empty = make_organisation(world.region, "Leeg Bedrijf", OrganisationKind.WERKGEVER)
    confirm = admin.get(delete_url(empty)).get_data(as_text=True)
    assert "button-danger" in confirm
    response = post_form(admin, delete_url(empty))
    assert "Organisatie verwijderd." in flashed(admin, response)
    assert not still_there(Organisation, empty.id)


def test_a_region_with_a_group_but_no_organisations_is_not_deleted(admin, world):
    region = make_region("Regio Leeg")
    groups.create_group(region, name="Werkgroep zonder leden", rhythm="maandelijks", actor=None)
    db.session.commit()
    url = f"/beheer/regios/{region.id}/verwijderen"
    assert "1 casusgroep" in without_tags(admin.get(url).get_data(as_text=True))
    response = post_form(admin, url, token_from="/beheer/regios")
    page = without_tags(flashed(admin, response))
    assert "Deze regio kan niet worden verwijderd: ze heeft nog 1 casusgroep." in page
    assert still_there(Region, region.id)


def test_the_app_offers_a_delete_exactly_when_the_database_accepts_it(admin, world):
    """The database is the judge: for every organisation and region, whatever refers to it."""
    a_bakery_in_the_meeting(world)
    make_organisation(world.region, "Leeg Bedrijf", OrganisationKind.WERKGEVER)
    employer = make_organisation(world.region, "Werkgever Noord", OrganisationKind.WERKGEVER)
    contacts.create_contact(
        employer, name="Anna Jobcoach", email="anna@werkgever.example", actor=None
    )
    region = make_region("Regio Leeg")
    groups.create_group(region, name="Werkgroep zonder leden", rhythm="maandelijks", actor=None)
    make_region("Regio Nog Leger")
    db.session.commit()
    verdicts = []
    for model, path in ((Organisation, "organisaties"), (Region, "regios")):
        for row in db.session.scalars(select(model)).all():
            refused = database_refuses_delete(model, row.id)
            offered = "button-danger" in admin.get(f"/beheer/{path}/{row.id}/verwijderen").get_data(
                as_text=True
            )
            verdicts.append((model.__name__, row.name, refused, offered))
    assert all(refused != offered for *_, refused, offered in verdicts), verdicts
    assert {refused for *_, refused, _ in verdicts} == {True, False}  # both kinds were tried


@pytest.mark.parametrize("table", ["organisations", "regions"])
def test_every_table_that_refers_to_a_deletable_row_has_a_label(app, table):
    """A new foreign key to organisations or regions is counted by the walk; this test makes
    sure the message then names its rows in words, not by table name."""
    referring = {t.name for t in blocking_references(db.metadata.tables[table])}
    assert referring, table
    assert referring <= set(LABELS), sorted(referring - set(LABELS))


def test_the_walk_finds_every_foreign_key_to_organisations(app):
    referring = {t.name for t in blocking_references(db.metadata.tables["organisations"])}
    assert referring == {
        "users",
        "cases",
        "attendance",
        "agenda_item_organisations",
        "finding_organisations",
        "meetings",
        "action_items",
        "regievoerder_assignments",
        "consent_organisations",
        "contacts",
    }
