"""The beleidsgroeplid (issue 14): read-only, in no group; their account, their region's
dashboard and its issued logbook editions, and nothing else, each refusal logged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.exceptions import ServiceError
from facilitator.exports import editions, feedback
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import GroupMembership
from facilitator.users import services as users
from facilitator.users.models import Role, User
from tests.helpers import AuthActions, csrf_token, post_form
from tests.reference_docs import empty_docx

BGL = Role.BELEIDSGROEPLID
NEW_PASSWORD = "een nieuwe lange wachtzin"


def _edition(region, projectleider, summary="Meer werkgevers aan tafel"):
    edition = editions.issue_edition(
        region=region,
        groups=[],
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        content=empty_docx(),
        actor=projectleider,
    )
    feedback.record_feedback(
        edition,
        body="beleidsgroep",
        given_on=date(2026, 4, 9),
        summary=summary,
        decisions="De gemeente nodigt werkgevers uit.",
        actor=projectleider,
    )
    db.session.commit()
    return edition


@pytest.fixture
def reader(app, world):
    client = app.test_client()
    assert AuthActions(client).login(world.users[BGL].email).status_code == 302
    return client


def _denials(user_id: int) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.event_type == "access_denied", AuditEvent.user_id == user_id)
            .order_by(AuditEvent.id)
        )
    )


def test_the_role_reaches_its_own_pages(reader, world):
    edition = _edition(world.region, world.users[Role.PROJECTLEIDER])
    for url in (
        "/account/",
        "/account/wachtwoord",
        "/account/tweestaps/",
        f"/regios/{world.region.id}/dashboard",
        "/logboek/edities",
        f"/logboek/edities/{edition.id}",
    ):
        assert reader.get(url).status_code == 200, url
    download = reader.get(f"/logboek/edities/{edition.id}/downloaden")
    assert download.status_code == 200
    assert download.data == edition.content
    detail = reader.get(f"/logboek/edities/{edition.id}").get_data(as_text=True)
    assert "Meer werkgevers aan tafel" in detail
    # Read-only: no form to record feedback, no link to edit or delete it.
    assert '<form method="post" novalidate>' not in detail
    assert "/feedback/" not in detail


def test_every_group_case_meeting_and_logbook_page_is_refused_and_logged(reader, world):
    edition = _edition(world.region, world.users[Role.PROJECTLEIDER])
    entry = edition.feedback[0]
    me = world.users[BGL].id
    refused = [
        "/groepen/",
        f"/groepen/{world.group.id}",
        f"/casussen/{world.consent_case.id}",
        f"/casussen/{world.fictional_case.id}",
        f"/bijeenkomsten/{world.meeting.id}",
        f"/bijeenkomsten/{world.meeting.id}/presentatie",
        f"/bijeenkomsten/{world.meeting.id}/verslag.docx",
        f"/bijeenkomsten/{world.meeting.id}.ics",
        f"/bijeenkomsten/{world.meeting.id}/voorbereiding/{world.consent_case.id}",
        "/account/agenda/nieuw",
        f"/acties/{world.action.id}",
        "/acties",
        "/protocollen/",
        "/contactpersonen/",
        "/audit/",
        "/logboek",
        f"/logboek/edities/{edition.id}/feedback/{entry.id}/bewerken",
        f"/regios/{world.region.id}/feedbackorganen",
        "/beheer/gebruikers/",
    ]
    for url in refused:
        before = len(_denials(me))
        assert reader.get(url).status_code == 403, url
        assert len(_denials(me)) == before + 1, url
    token = csrf_token(reader, "/account/")
    for url in ("/logboek/download", f"/logboek/edities/{edition.id}"):
        response = reader.post(url, data={"csrf_token": token, "summary": "Geschreven"})
        assert response.status_code == 403, url
    assert [row.outcome for row in _denials(me)] == [AuditOutcome.DENIED] * (len(refused) + 2)
    assert len(feedback.feedback_on(edition.id)) == 1


def test_another_regions_dashboard_and_edition_are_refused_and_logged(reader, world):
    other_pl = User(
        name="Projectleider Zuid",
        email="pl@zuid.example",
        organisation=world.other_org,
        role=Role.PROJECTLEIDER,
        password_hash="x",
    )
    db.session.add(other_pl)
    db.session.commit()
    edition = _edition(world.other_region, other_pl, summary="Zuid wil meer")
    me = world.users[BGL].id
    for url in (
        f"/regios/{world.other_region.id}/dashboard",
        f"/logboek/edities/{edition.id}",
        f"/logboek/edities/{edition.id}/downloaden",
    ):
        response = reader.get(url)
        assert response.status_code == 403, url
        assert "Zuid wil meer" not in response.get_data(as_text=True)
    rows = _denials(me)
    assert [(row.object_type, row.object_id) for row in rows] == [
        ("regions", str(world.other_region.id)),
        ("logbook_editions", str(edition.id)),
        ("logbook_editions", str(edition.id)),
    ]
    assert "Zuid wil meer" not in reader.get("/logboek/edities").get_data(as_text=True)


def test_the_start_page_is_the_dashboard_and_the_menu_offers_nothing_else(reader, world):
    response = reader.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/regios/{world.region.id}/dashboard"
    page = reader.get(response.headers["Location"]).get_data(as_text=True)
    menu = page.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    assert f'href="/regios/{world.region.id}/dashboard"' in menu
    assert 'href="/logboek/edities"' in menu
    for href in (
        "/groepen/",
        "/acties",
        "/protocollen/",
        '/logboek"',
        "/contactpersonen/",
        "/audit/",
    ):
        assert f'href="{href}' not in menu, href
    assert "Casusgroepen" not in menu and "Groepen" not in menu


def test_the_projectleider_gets_the_dashboard_in_the_menu(client, auth, world):
    auth.login(world.users[Role.PROJECTLEIDER].email)
    home = client.get("/").get_data(as_text=True)
    assert f'href="/regios/{world.region.id}/dashboard"' in home
    assert client.get(f"/regios/{world.region.id}/dashboard").status_code == 200
    assert client.get(f"/regios/{world.other_region.id}/dashboard").status_code == 403


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.PROCESBEGELEIDER, Role.DEELNEMER])
def test_other_roles_get_no_dashboard(app, world, role):
    client = app.test_client()
    AuthActions(client).login(world.users[role].email)
    assert client.get(f"/regios/{world.region.id}/dashboard").status_code == 403
    assert "/dashboard" not in client.get("/").get_data(as_text=True)


def test_a_beleidsgroeplid_cannot_be_made_a_group_member(client, auth, world):
    member = world.users[BGL]
    with pytest.raises(ServiceError):
        groups.add_member(world.group, member, "lid", actor=world.users[Role.BEHEERDER])
    db.session.rollback()
    auth.login(world.users[Role.BEHEERDER].email)
    url = f"/groepen/{world.group.id}/leden"
    page = client.get(url).get_data(as_text=True)
    assert f'value="{member.id}"' not in page  # not offered
    response = post_form(client, url, {"user_id": member.id, "role": "lid"})
    assert response.status_code == 200
    db.session.expire_all()
    assert world.group.membership_of(member) is None


def test_becoming_a_beleidsgroeplid_ends_every_membership(world):
    member = world.extra_member
    assert world.group.membership_of(member) is not None
    users.set_audit_right(member, True, actor=world.users[Role.BEHEERDER])
    users.update_user(
        member,
        name=member.name,
        email=member.email,
        organisation=member.organisation,
        role=BGL,
        language="nl",
        actor=world.users[Role.BEHEERDER],
    )
    db.session.commit()
    held = select(GroupMembership).where(GroupMembership.user_id == member.id)
    assert db.session.scalars(held).all() == []
    assert member.can_read_audit is False


def test_a_beleidsgroeplid_cannot_hold_the_audit_right(client, auth, world):
    with pytest.raises(ServiceError):
        users.set_audit_right(world.users[BGL], True, actor=world.users[Role.BEHEERDER])
    db.session.rollback()
    auth.login(world.users[Role.BEHEERDER].email)
    response = post_form(
        client,
        f"/beheer/gebruikers/{world.users[BGL].id}/auditrecht",
        {"granted": "y"},
        token_from=f"/beheer/gebruikers/{world.users[BGL].id}/bewerken",
    )
    assert response.status_code in (200, 302)
    db.session.expire_all()
    assert db.session.get(User, world.users[BGL].id).can_read_audit is False


def test_the_beheerder_creates_a_beleidsgroeplid(app, client, auth, world):
    auth.login(world.users[Role.BEHEERDER].email)
    form = client.get("/beheer/gebruikers/nieuw").get_data(as_text=True)
    assert '<option value="beleidsgroeplid">Beleidsgroeplid</option>' in form
    response = post_form(
        client,
        "/beheer/gebruikers/nieuw",
        {
            "name": "Karin Verbeek",
            "email": "Karin.Verbeek@Noord.example",
            "organisation_id": world.gemeente.id,
            "role": "beleidsgroeplid",
            "language": "nl",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.headers["Location"] == "/beheer/gebruikers/"
    created = db.session.scalar(select(User).where(User.email == "karin.verbeek@noord.example"))
    assert created.role == BGL
    assert (
        client.get("/beheer/gebruikers/?rol=beleidsgroeplid")
        .get_data(as_text=True)
        .count("@noord.example")
        == 2
    )  # the world's and this one
    created.must_change_password = False
    db.session.commit()
    newcomer = app.test_client()
    login = AuthActions(newcomer).login("karin.verbeek@noord.example", NEW_PASSWORD)
    assert login.headers["Location"] == "/"
    assert newcomer.get("/").headers["Location"] == f"/regios/{world.region.id}/dashboard"


def test_two_factor_applies_to_the_role_as_to_any_other(app, world):
    """A beleidsgroeplid of an organisation that no consent names logs in with a password; the
    instance's "two-factor for all" setting covers the role as well."""
    from facilitator.auth.two_factor import two_factor_required

    member = world.users[BGL]
    assert two_factor_required(member) is False
    app.config["TWO_FACTOR_REQUIRED_FOR_ALL"] = True
    try:
        assert two_factor_required(member) is True
    finally:
        app.config["TWO_FACTOR_REQUIRED_FOR_ALL"] = False


def test_the_cli_creates_a_beleidsgroeplid(runner, world):
    assert "beleidsgroeplid: a manager" in runner.invoke(args=["users", "create", "--help"]).output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "beleid@noord.example",
            "--name",
            "Bea Beleid",
            "--region",
            world.region.name,
            "--organisation",
            world.gemeente.name,
            "--role",
            "beleidsgroeplid",
            "--password",
            NEW_PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "(beleidsgroeplid, Gemeente Noord)" in result.output
    created = db.session.scalar(select(User).where(User.email == "beleid@noord.example"))
    assert created.role == BGL
