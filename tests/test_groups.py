"""Casusgroepen: creation, settings, members, criteria, archive, listing (issue #3)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups import services
from facilitator.groups.models import CaseGroup, GroupMembership, GroupRole
from facilitator.users.models import Role
from tests.helpers import post_form


def group_named(name: str) -> CaseGroup | None:
    db.session.expire_all()
    return db.session.scalar(select(CaseGroup).where(CaseGroup.name == name))


def test_projectleider_creates_a_group_in_their_own_region(client, auth, world):
    auth.login("projectleider@noord.example")
    page = client.get("/groepen/nieuw").get_data(as_text=True)
    assert "Regio Zuid" not in page  # only their own region is offered
    response = post_form(
        client,
        "/groepen/nieuw",
        {
            "region_id": world.region.id,
            "name": "Werkgroep werkgevers",
            "theme": "werkgeversbenadering",
            "rhythm": "per_kwartaal",
            "default_protocol": "",
        },
    )
    group = group_named("Werkgroep werkgevers")
    assert response.headers["Location"] == f"/groepen/{group.id}/leden"
    assert group.region_id == world.region.id
    assert group.theme == "werkgeversbenadering"


def test_projectleider_cannot_create_a_group_in_another_region(client, auth, world):
    auth.login("projectleider@noord.example")
    response = post_form(
        client,
        "/groepen/nieuw",
        {
            "region_id": world.other_region.id,
            "name": "Indringer",
            "rhythm": "maandelijks",
        },
    )
    assert response.status_code == 200
    assert group_named("Indringer") is None


def test_group_names_are_unique_within_a_region(client, auth, world):
    auth.login("beheerder@noord.example")
    response = post_form(
        client,
        "/groepen/nieuw",
        {
            "region_id": world.region.id,
            "name": "casusgroep NOORD",
            "rhythm": "maandelijks",
        },
    )
    assert "al een groep" in response.get_data(as_text=True)


def test_procesbegeleider_manages_members_of_their_own_group_only(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    projectleider = world.users[Role.PROJECTLEIDER]
    response = post_form(
        client, f"/groepen/{world.group.id}/leden", {"user_id": projectleider.id, "role": "lid"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseGroup, world.group.id).membership_of(projectleider) is not None
    assert client.get(f"/groepen/{world.other_group.id}/leden").status_code == 403


def test_deelnemer_cannot_manage_members(client, auth, world):
    auth.login("deelnemer@noord.example")
    assert client.get(f"/groepen/{world.group.id}/leden").status_code == 403


def test_users_of_another_region_cannot_join(app, world):
    group = db.session.get(CaseGroup, world.group.id)
    with pytest.raises(ServiceError):
        services.add_member(group, world.other_user, GroupRole.LID, actor=None)


def test_only_procesbegeleiders_or_projectleiders_lead_a_group(app, world):
    group = db.session.get(CaseGroup, world.group.id)
    with pytest.raises(ServiceError):
        services.add_member(group, world.extra_member, GroupRole.PROCESBEGELEIDER, actor=None)


def test_the_last_procesbegeleider_cannot_be_removed(client, auth, world):
    auth.login("beheerder@noord.example")
    leader = world.users[Role.PROCESBEGELEIDER]
    membership = db.session.get(CaseGroup, world.group.id).membership_of(leader)
    post_form(
        client,
        f"/groepen/{world.group.id}/leden/{membership.id}/verwijderen",
        token_from=f"/groepen/{world.group.id}/leden",
    )
    db.session.expire_all()
    assert db.session.get(GroupMembership, membership.id) is not None


def test_a_member_can_be_removed(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    membership_id = db.session.get(CaseGroup, world.group.id).membership_of(world.extra_member).id
    post_form(
        client,
        f"/groepen/{world.group.id}/leden/{membership_id}/verwijderen",
        token_from=f"/groepen/{world.group.id}/leden",
    )
    db.session.expire_all()
    assert db.session.get(GroupMembership, membership_id) is None


def test_criteria_are_added_and_retired(client, auth, world):
    auth.login("projectleider@noord.example")
    url = f"/groepen/{world.group.id}/criteria"
    post_form(client, url, {"text": "Cliënt is in GGZ-behandeling", "mandatory": "y"})
    group = group_named("Casusgroep Noord")
    added = next(c for c in group.criteria if c.text == "Cliënt is in GGZ-behandeling")
    assert added.mandatory and added.active
    post_form(client, f"{url}/{added.id}/intrekken", token_from=url)
    db.session.expire_all()
    assert group_named("Casusgroep Noord").active_criteria == [group.criteria[0]]


def test_archived_group_takes_no_new_cases(client, auth, world):
    auth.login("projectleider@noord.example")
    url = f"/groepen/{world.group.id}/archiveren"
    assert "Archiveren" in client.get(url).get_data(as_text=True)
    post_form(client, url)
    assert group_named("Casusgroep Noord").active is False
    auth.logout()
    auth.login("deelnemer@noord.example")
    assert client.get(f"/groepen/{world.group.id}/casussen/nieuw").status_code == 403
    assert client.get(f"/groepen/{world.group.id}").status_code == 200  # still readable


def test_group_list_shows_members_only_their_groups(client, auth, world):
    auth.login("deelnemer@zuid.example")
    page = client.get("/groepen/").get_data(as_text=True)
    assert "Casusgroep Zuid" in page
    assert "Casusgroep Noord" not in page


def test_groups_list_command(runner, world):
    lines = runner.invoke(args=["groups", "list"]).output.splitlines()
    assert lines[0] == "name\tregion\tprocesbegeleiders\tmembers\tdefault protocol"
    assert "Casusgroep Noord\tRegio Noord\tprocesbegeleider@noord.example\t3\t" in lines
    assert "Casusgroep Zuid\tRegio Zuid\tpb@zuid.example\t2\t" in lines


def test_a_member_removed_from_the_group_can_no_longer_edit_its_cases(client, auth, world):
    from facilitator.groups import services as groups

    group = db.session.get(CaseGroup, world.group.id)
    groups.remove_member(group, group.membership_of(world.users[Role.DEELNEMER]), actor=None)
    db.session.commit()
    auth.login("deelnemer@noord.example")
    case_id = world.fictional_case.id
    assert client.get(f"/casussen/{case_id}/bewerken").status_code == 403
    assert client.get(f"/casussen/{case_id}/afsluiten").status_code == 403


def test_moving_a_user_to_another_region_ends_their_memberships(app, world):
    from facilitator.users import services as users

    user = world.users[Role.DEELNEMER]
    users.update_user(
        user,
        name=user.name,
        email=user.email,
        organisation=world.other_org,
        role=user.role,
        language="nl",
        actor=None,
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(CaseGroup, world.group.id).membership_of(user) is None


def test_losing_the_role_ends_leading_a_group(app, world):
    from facilitator.users import services as users

    leader = world.users[Role.PROCESBEGELEIDER]
    users.update_user(
        leader,
        name=leader.name,
        email=leader.email,
        organisation=leader.organisation,
        role=Role.DEELNEMER,
        language="nl",
        actor=None,
    )
    db.session.commit()
    db.session.expire_all()
    membership = db.session.get(CaseGroup, world.group.id).membership_of(leader)
    assert membership.role == GroupRole.LID
