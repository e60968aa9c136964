"""The agenda mail (issue 13): a set number of days before a planned meeting its members get
the agenda with each case's preparation state, through a real SMTP server, once per meeting,
with pseudonyms and links and never identity."""

from __future__ import annotations

import contextvars
import logging
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.localtime import from_local, local_date, local_today
from facilitator.mail import MailDelivery
from facilitator.meetings import planning
from facilitator.meetings.models import Meeting
from facilitator.preparation import agenda_mail
from facilitator.preparation.services import save_answers
from facilitator.users.models import Role
from tests import factories

HOST = "casustafel.regio.example"
MEMBERS = ("deelnemer@noord.example", "extra@noord.example", "procesbegeleider@noord.example")


@pytest.fixture
def linked(app, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", HOST)
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", "https")


def _meeting(world, days_ahead: int, cases) -> Meeting:
    return factories.make_meeting(
        world.group,
        world.users[Role.PROCESBEGELEIDER],
        cases,
        start=False,
        when=from_local(local_today() + timedelta(days=days_ahead), time(14, 0)),
    )


@pytest.fixture
def next_week(world):
    """A planned meeting in 5 days with both cases; the fictional one fully prepared."""
    meeting = _meeting(world, 5, [world.fictional_case, world.consent_case])
    save_answers(
        meeting,
        world.fictional_case,
        {
            "waar_gaat_het_om": "Werkzoekende met een uitkering",
            "organisaties": "GGZ en gemeente",
            "waar_loopt_het_vast": "Overdracht",
            "vraag_aan_groep": "Wie neemt de regie?",
        },
        actor=world.users[Role.DEELNEMER],
    )
    db.session.commit()
    return meeting


def _send(runner, *args):
    """Run the command in an app context of its own, as from cron."""
    return contextvars.Context().run(runner.invoke, args=["meetings", "send-agenda", *args])


def _body(message) -> str:
    return message.get_content().replace("\r\n", "\n")


def test_each_member_gets_the_agenda_with_pseudonyms_states_and_links(
    world, next_week, linked, smtp_server, runner
):
    result = _send(runner)
    assert result.exit_code == 0, result.output
    assert "3 berichten verstuurd over 1 bijeenkomst aan 3 leden" in result.output
    assert sorted(r.rcpt_tos[0] for r in smtp_server.inbox.received) == sorted(MEMBERS)
    (message,) = smtp_server.inbox.to("extra@noord.example")
    body = _body(message)
    assert message["Subject"].startswith("Casustafel: agenda van Casusgroep")
    assert "Stadskantoor, zaal 3" in body
    assert f"* {world.fictional_case.pseudonym}: Voorbereid" in body
    assert f"* {world.consent_case.pseudonym}: Nog niet voorbereid" in body
    link = f"https://{HOST}/bijeenkomsten/{next_week.id}/voorbereiding/{world.fictional_case.id}"
    assert link in body and f"https://{HOST}/bijeenkomsten/{next_week.id}\n" in body
    assert "Wie neemt de regie?" not in body  # the answers stay behind the login
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == agenda_mail.AGENDA)
    ).all()
    assert len(rows) == 6  # a row per member and case named
    assert {row.case_pseudonym for row in rows} == {
        world.fictional_case.pseudonym,
        world.consent_case.pseudonym,
    }
    assert all(row.reason == f"meeting {next_week.id}" for row in rows)


def test_the_agenda_goes_once_per_meeting_and_member_whatever_the_number_of_runs(
    world, next_week, linked, smtp_server, runner
):
    assert _send(runner).exit_code == 0
    again = _send(runner)
    assert "0 berichten verstuurd" in again.output
    assert len(smtp_server.inbox.received) == 3
    # The next day's run (the claim is kept for the meeting's date, not the day of sending).
    later = agenda_mail.select_agendas(today=local_today() + timedelta(days=1))
    assert agenda_mail.send_agendas(later).messages == 0
    assert len(smtp_server.inbox.received) == 3
    db.session.expire_all()
    days = set(db.session.scalars(select(MailDelivery.day)))
    assert days == {local_date(next_week.scheduled_at)}


def test_only_planned_meetings_within_the_set_days_of_active_groups(
    app, world, linked, smtp_server, runner, monkeypatch
):
    _meeting(world, 9, [world.fictional_case])
    assert "0 berichten" in _send(runner).output
    monkeypatch.setitem(app.config, "AGENDA_MAIL_DAYS", 10)
    assert "3 berichten" in _send(runner).output
    assert "0 berichten" in _send(runner, "--days", "3").output
    assert _send(runner, "--days", "61").exit_code == 2


def test_an_archived_group_and_a_cancelled_meeting_send_nothing(world, linked, smtp_server, runner):
    cancelled = _meeting(world, 2, [world.fictional_case])
    planning.cancel_meeting(cancelled, actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    assert "0 berichten" in _send(runner).output
    _meeting(world, 3, [world.fictional_case])
    groups.set_group_active(world.group, False, actor=world.users[Role.PROJECTLEIDER])
    db.session.commit()
    assert "0 berichten" in _send(runner).output
    assert smtp_server.inbox.received == []


def test_a_dry_run_prints_the_messages_and_claims_nothing(
    world, next_week, linked, smtp_server, runner
):
    dry = _send(runner, "--dry-run")
    assert dry.exit_code == 0
    assert "To: extra@noord.example" in dry.output
    assert "Proefdraai: 3 berichten over 1 bijeenkomst aan 3 leden" in dry.output
    assert smtp_server.inbox.received == []
    assert db.session.scalars(select(MailDelivery)).all() == []


def test_no_identity_appears_in_any_message(
    app, world, next_week, linked, smtp_server, runner, caplog, monkeypatch
):
    identity = factories.IDENTITY
    secrets = (
        identity.full_name,
        "Voorbeeldt",
        identity.bsn,
        "1234.56.782",
        identity.client_number,
        "1984-03-07",
        "7 maart 1984",
        "07-03-1984",
    )
    dry = _send(runner, "--dry-run")
    assert _send(runner).exit_code == 0
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)  # and once to the log
    db.session.execute(MailDelivery.__table__.delete())
    db.session.commit()
    caplog.set_level(logging.INFO, logger="facilitator.mail")
    assert _send(runner).exit_code == 0
    texts = [dry.output, caplog.text]
    texts += [r.message.as_string() + _body(r.message) for r in smtp_server.inbox.received]
    assert len(smtp_server.inbox.received) == 3
    assert all(world.consent_case.pseudonym in text for text in texts)
    for text in texts:
        for secret in secrets:
            assert secret.lower() not in text.lower()


def test_selecting_the_agendas_takes_a_fixed_number_of_queries(world, count_queries):
    def count() -> int:
        db.session.expire_all()
        with count_queries() as counted:
            agendas = agenda_mail.select_agendas(7)
            for agenda in agendas:
                [m.email for m in agenda.members]
        return len(counted)

    _meeting(world, 2, [world.fictional_case])
    one = count()
    for number in range(3):
        groups.add_member(
            world.group,
            factories.make_user(world.gemeente, email=f"lid{number}@noord.example"),
            "lid",
            actor=None,
        )
    meeting = _meeting(world, 4, [world.consent_case])
    planning.add_to_agenda(meeting, world.fictional_case, actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    # 2 for the meetings and members, 3 per meeting for its preparation.
    assert one == 2 + 3 and count() == 2 + 3 * 2


def test_the_agenda_names_the_host_and_the_notulist(world, next_week, linked, smtp_server, runner):
    next_week.host_organisation = world.users[Role.DEELNEMER].organisation
    next_week.notulist = world.users[Role.DEELNEMER]
    db.session.commit()
    assert _send(runner).exit_code == 0
    body = _body(smtp_server.inbox.to("extra@noord.example")[0])
    assert f"Gastheer: {next_week.host_organisation.name}" in body
    assert f"Notulist: {world.users[Role.DEELNEMER].name}" in body
