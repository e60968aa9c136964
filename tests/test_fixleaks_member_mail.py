"""Member mail goes to active users of the working roles only (access.MEMBER_MAIL_ROLES): a
membership row left from before a role became beleidsgroeplid (or any row a later change
leaves) sends no agenda, call, call reminder, declined proposal or action mail; every such mail
names cases, which the beleidsgroeplid may never read."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from facilitator import mail
from facilitator.actions import reminders as action_reminders
from facilitator.extensions import db
from facilitator.localtime import from_local, local_today
from facilitator.preparation import agenda_mail
from facilitator.proposals import letters
from facilitator.proposals import reminders as call_reminders
from facilitator.proposals import services as proposals
from facilitator.users.models import Role
from tests import factories, proposal_helpers

BGL = Role.BELEIDSGROEPLID


@pytest.fixture
def linked(app, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", "casustafel.example")
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", "https")


def _now_beleidsgroeplid(user) -> None:
    """The role changed while the membership row stayed (fail closed: the mail must not go)."""
    user.role = BGL
    db.session.commit()


def test_the_agenda_mail_skips_a_member_whose_role_became_beleidsgroeplid(world, linked):
    factories.make_meeting(
        world.group, world.users[Role.PROCESBEGELEIDER], [world.fictional_case], start=False,
        when=from_local(local_today() + timedelta(days=3), time(14, 0)),
    )  # fmt: skip
    db.session.commit()
    before = {m.email for a in agenda_mail.select_agendas(7) for m in a.members}
    assert world.extra_member.email in before
    _now_beleidsgroeplid(world.extra_member)
    (agenda,) = agenda_mail.select_agendas(7)
    assert world.extra_member.email not in {member.email for member in agenda.members}
    assert world.extra_member.email not in {d.recipient for d in agenda_mail.drafts([agenda])}


def test_the_call_and_its_reminder_skip_a_member_whose_role_became_beleidsgroeplid(world, linked):
    call = proposal_helpers.open_call(world, deadline_in=2)
    assert world.extra_member in call_reminders.members_to_call(call)
    _now_beleidsgroeplid(world.extra_member)
    assert world.extra_member not in call_reminders.members_to_call(call)
    reminded = {m.email for r in call_reminders.select_reminders(2) for m in r.members}
    assert world.users[Role.DEELNEMER].email in reminded  # the reminder itself still goes
    assert world.extra_member.email not in reminded


def test_a_declined_proposal_is_not_told_to_a_proposer_now_beleidsgroeplid(world, linked):
    made = proposal_helpers.proposal(world)
    _now_beleidsgroeplid(world.users[Role.DEELNEMER])
    proposals.decline_proposal(
        made, reason="Past niet bij de criteria", actor=world.users[Role.PROCESBEGELEIDER]
    )
    db.session.commit()
    assert letters.tell_declined(made, actor=world.users[Role.PROCESBEGELEIDER]) == 0


def test_no_action_reminder_or_digest_to_a_user_now_beleidsgroeplid(app, world, linked):
    leader = world.users[Role.PROCESBEGELEIDER]
    action = world.action
    overdue_day = action.due_on + timedelta(days=1)
    before = action_reminders.select_reminders(today=overdue_day)
    assert leader.email in {d.procesbegeleider.email for d in before.digests}
    assert world.users[Role.DEELNEMER].email in {r.owner.email for r in before.reminders}
    _now_beleidsgroeplid(leader)
    _now_beleidsgroeplid(world.users[Role.DEELNEMER])
    selection = action_reminders.select_reminders(today=overdue_day)
    gone = {leader.email, world.users[Role.DEELNEMER].email}
    assert not gone & {d.procesbegeleider.email for d in selection.digests}
    assert not gone & {r.owner.email for r in selection.reminders}
    with app.app_context():  # as the reminder command runs
        sent_to = {str(m["To"]) for m in mail.preview(action_reminders.drafts(selection))}
    assert sent_to  # the other region's procesbegeleider still hears of its overdue action
    assert not any(email in to for email in gone for to in sent_to)
