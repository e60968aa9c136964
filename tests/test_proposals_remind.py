"""`facilitator meetings remind-call` (issue 13): before a call's deadline, the members who have
proposed nothing for it hear of it once, through a real SMTP server, without identity."""

from __future__ import annotations

import contextvars
from datetime import timedelta

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.mail import MailDelivery
from facilitator.meetings import planning
from facilitator.users.models import Role
from tests import proposal_helpers
from tests.test_proposals_call import assert_no_identity

HOST = "casustafel.regio.example"
LEADER, MEMBER, EXTRA = (
    "procesbegeleider@noord.example",
    "deelnemer@noord.example",
    "extra@noord.example",
)


@pytest.fixture
def linked(app, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", HOST)
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", "https")


def _remind(runner, *args):
    """Run the command in an app context of its own, as from cron."""
    return contextvars.Context().run(runner.invoke, args=["meetings", "remind-call", *args])


def _recipients(smtp_server) -> list[str]:
    return sorted(r for received in smtp_server.inbox.received for r in received.rcpt_tos)


def _set_deadline(call, days: int) -> None:
    call.deadline = local_today() + timedelta(days=days)
    db.session.commit()


def test_the_reminder_goes_once_to_the_members_who_proposed_nothing(
    world, linked, smtp_server, runner
):
    call = proposal_helpers.open_call(world, deadline_in=2)
    proposal_helpers.proposal(world, call)  # the deelnemer answered; the extra member did not
    result = _remind(runner)
    assert result.exit_code == 0, result.output
    assert "1 herinnering verstuurd voor 1 oproep" in result.output
    assert _recipients(smtp_server) == [EXTRA]
    (message,) = smtp_server.inbox.to(EXTRA)
    body = message.get_content()
    assert message["Subject"] == "Casustafel: herinnering, casussen gezocht voor Casusgroep Noord"
    assert "nog geen casus voorgesteld" in body
    assert f"https://{HOST}/bijeenkomsten/{call.meeting_id}/voorstellen" in body
    assert_no_identity(smtp_server.inbox.to(EXTRA))
    # once: another run that day, or the next day, finds the claim dated on the deadline
    again = _remind(runner)
    assert "0 herinneringen verstuurd voor 0 oproepen" in again.output
    assert len(smtp_server.inbox.received) == 1
    db.session.expire_all()
    (claim,) = db.session.scalars(select(MailDelivery)).all()
    assert (claim.kind, claim.recipient, claim.day) == ("case_call_reminder", EXTRA, call.deadline)
    (row,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "case_call_reminder")
    ).all()
    assert row.object_type == "user" and row.object_id == str(world.extra_member.id)
    assert row.action.value == "E"


def test_a_withdrawn_or_declined_proposal_counts_as_an_answer(world, linked, smtp_server, runner):
    from facilitator.proposals import services

    call = proposal_helpers.open_call(world, deadline_in=1)
    made = proposal_helpers.proposal(world, call, by=world.extra_member)
    services.withdraw_proposal(made, actor=world.extra_member)
    db.session.commit()
    assert _remind(runner).exit_code == 0
    assert _recipients(smtp_server) == [world.users[Role.DEELNEMER].email]


@pytest.mark.parametrize(
    ("days", "args", "expected"),
    [
        (-1, (), []),
        (3, (), []),
        (3, ("--days", "3"), [MEMBER, EXTRA]),
        (0, (), [MEMBER, EXTRA]),
    ],
    ids=["after the deadline", "too early", "a wider window", "on the deadline"],
)
def test_a_reminder_only_within_the_days_before_the_deadline(
    world, linked, smtp_server, runner, days, args, expected
):
    call = proposal_helpers.open_call(world)
    _set_deadline(call, days)
    assert _remind(runner, *args).exit_code == 0
    assert _recipients(smtp_server) == sorted(expected)


def test_a_closed_call_or_a_cancelled_meeting_reminds_no_one(world, linked, smtp_server, runner):
    from facilitator.proposals import services

    leader = world.users[Role.PROCESBEGELEIDER]
    closed = proposal_helpers.open_call(world, deadline_in=1)
    services.close_call(closed, actor=leader)
    cancelled = proposal_helpers.open_call(
        world, proposal_helpers.planned_meeting(world, weeks=3), deadline_in=1
    )
    planning.cancel_meeting(cancelled.meeting, actor=leader)
    db.session.commit()
    result = _remind(runner)
    assert result.exit_code == 0 and smtp_server.inbox.received == []


def test_a_dry_run_prints_the_reminders_and_sends_and_claims_nothing(
    world, linked, smtp_server, runner
):
    proposal_helpers.open_call(world, deadline_in=2)
    result = _remind(runner, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"To: {EXTRA}" in result.output and f"To: {MEMBER}" in result.output
    assert "Proefdraai: 2 herinneringen voor 1 oproep" in result.output
    assert smtp_server.inbox.received == []
    assert db.session.scalars(select(MailDelivery)).all() == []
    _remind(runner)
    assert "0 herinneringen" in _remind(runner, "--dry-run").output


def test_links_need_the_server_name(world, runner):
    proposal_helpers.open_call(world, deadline_in=2)
    result = _remind(runner)
    assert result.exit_code != 0 and "FACILITATOR_SERVER_NAME" in result.output
