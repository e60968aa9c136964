"""Review of issue 14: a deelnemer who becomes a beleidsgroeplid keeps receiving mail about
the actions they own, with the case's pseudonym and the action's text: the role 'never sees a
case, a pseudonym or a meeting's content'."""

from __future__ import annotations

from facilitator import mail
from facilitator.actions import reminders
from facilitator.extensions import db
from facilitator.users import services as users
from facilitator.users.models import Role


def test_R1_the_new_beleidsgroeplid_still_gets_action_reminders_with_pseudonyms(
    app, world, monkeypatch
):
    monkeypatch.setitem(app.config, "SERVER_NAME", "casustafel.example")
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", "https")
    member = world.users[Role.DEELNEMER]
    action = world.action
    assert action.owner_user_id == member.id
    email, description, due = member.email, action.description, action.due_on
    pseudonyms = [world.fictional_case.pseudonym, world.consent_case.pseudonym]
    users.update_user(
        member, name=member.name, email=member.email, organisation=member.organisation,
        role=Role.BELEIDSGROEPLID, language=member.language,
        actor=world.users[Role.BEHEERDER],
    )  # fmt: skip
    db.session.commit()
    with app.app_context():  # as the reminder command runs
        selection = reminders.select_reminders(today=due)
        letters = [m for m in mail.preview(reminders.drafts(selection)) if email in str(m["To"])]
        bodies = "\n".join(m.get_body(("plain",)).get_content() for m in letters)
    assert letters == [], (
        f"{len(letters)} reminder(s) to the beleidsgroeplid; pseudonym in it: "
        f"{any(p in bodies for p in pseudonyms)}; action text in it: {description in bodies}"
    )


def test_R2_making_a_member_beleidsgroeplid_audits_each_membership_it_ends(app, world):
    """update_user(role=beleidsgroeplid) deleted every membership through _leave_groups with no
    'group_member_removed' row as remove_member writes (NEN 7513: who left which group, when).
    (Split from the review's one test: a member leaves with a row per group; the group's only
    procesbegeleider is refused, below.)"""
    from sqlalchemy import select

    from facilitator.audit.models import AuditEvent
    from facilitator.groups.models import GroupMembership
    from tests import factories

    member = world.users[Role.DEELNEMER]
    leader = world.users[Role.PROCESBEGELEIDER]
    second = factories.make_group(world.region, "Werkgroep Noord", leader=leader,
                                  members=(member,))  # fmt: skip
    groups = {m.group_id for m in db.session.scalars(
        select(GroupMembership).where(GroupMembership.user_id == member.id))}  # fmt: skip
    assert groups == {world.group.id, second.id}
    users.update_user(
        member, name=member.name, email=member.email, organisation=member.organisation,
        role=Role.BELEIDSGROEPLID, language=member.language,
        actor=world.users[Role.BEHEERDER],
    )  # fmt: skip
    db.session.commit()
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "group_member_removed")
    ).all()
    assert sorted((r.object_id, r.reason) for r in rows) == sorted(
        (str(group_id), f"user {member.id}") for group_id in groups
    )
    assert all(r.user_id == world.users[Role.BEHEERDER].id for r in rows)
    left = select(GroupMembership).where(GroupMembership.user_id == member.id)
    assert db.session.scalars(left).all() == []


def test_R2_the_only_procesbegeleider_cannot_become_beleidsgroeplid(app, world, client, auth):
    """The group's only procesbegeleider went too, which remove_member refuses: the admin form
    now says why, and nothing changes."""
    from sqlalchemy import select

    from facilitator.audit.models import AuditEvent
    from facilitator.groups.models import CaseGroup
    from tests.helpers import post_form

    leader = world.users[Role.PROCESBEGELEIDER]
    group_id, role = world.group.id, leader.role
    auth.login(world.users[Role.BEHEERDER].email)
    page = f"/beheer/gebruikers/{leader.id}/bewerken"
    response = post_form(
        client, page,
        {"name": leader.name, "email": leader.email, "organisation_id": leader.organisation_id,
         "role": Role.BELEIDSGROEPLID.value, "language": leader.language},
    )  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 422), response.status_code
    assert "enige procesbegeleider" in text and world.group.name in text
    db.session.expire_all()
    assert db.session.get(type(leader), leader.id).role == role
    assert [u.id for u in db.session.get(CaseGroup, group_id).procesbegeleiders] == [leader.id]
    removed = select(AuditEvent).where(AuditEvent.event_type == "group_member_removed")
    assert db.session.scalars(removed).all() == []
