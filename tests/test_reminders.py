"""`facilitator actions remind` (issue 9): who hears of which action, once a day, in their own
language, through a real SMTP server, with pseudonyms and links only."""

from __future__ import annotations

import contextvars
import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitator import mail
from facilitator.actions import reminders
from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem
from facilitator.audit.models import AuditEvent
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.localtime import local_today
from facilitator.mail import MailDelivery
from facilitator.regions import contacts
from facilitator.users import services as users
from facilitator.users.models import Role
from tests import factories
from tests.smtp import free_port

HOST = "casustafel.regio.example"
OWNER, EXTRA, LEADER = (
    "deelnemer@noord.example",
    "extra@noord.example",
    "procesbegeleider@noord.example",
)
CONTACT = "wsp@noord.example"


@pytest.fixture
def linked(app, monkeypatch):
    """Links in mail need the host: as FACILITATOR_SERVER_NAME gives it in production."""
    monkeypatch.setitem(app.config, "SERVER_NAME", HOST)
    monkeypatch.setitem(app.config, "PREFERRED_URL_SCHEME", "https")


@pytest.fixture
def contact(world):
    made = contacts.create_contact(
        world.gemeente, name="Wim Werkgeversadviseur", email=CONTACT, actor=None
    )
    db.session.commit()
    return made


def _action(world, description, owner, due_in, *, case=None, group=None, status=None):
    """An action due ``due_in`` days from today (negative: overdue, as time went by)."""
    group = group or world.group
    leader = group.procesbegeleiders[0]
    action = actions.create_action(
        group, description=description, owner=owner, due_on=local_today(), case=case, actor=leader
    )
    action.due_on = local_today() + timedelta(days=due_in)
    if status is not None:
        actions.change_status(action, status, note="Zo staat het ervoor", actor=leader)
    db.session.commit()
    return action


def _remind(runner, *args):
    """Run the command in an app context of its own, as from cron (not the test's)."""
    return contextvars.Context().run(runner.invoke, args=["actions", "remind", *args])


def _body(message) -> str:
    return message.get_content().replace("\r\n", "\n")


def _deliveries() -> list[tuple[str, str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(MailDelivery).order_by(MailDelivery.id))
    return sorted((row.kind, row.recipient, row.subject) for row in rows)


@pytest.fixture
def scene(world, contact):
    """Due today, in 3 days and in 4 days; overdue; done, dropped; owned by a contact."""
    owner, extra = world.users[Role.DEELNEMER], world.extra_member
    return {
        "today": _action(world, "Werkgever bellen", owner, 0, case=world.consent_case),
        "in3": _action(world, "Proefplaats regelen", owner, 3),
        "in4": _action(world, "Jobcoach vragen", owner, 4),
        "overdue": _action(world, "Uitkering nagaan", extra, -2, case=world.fictional_case),
        "done": _action(world, "Intake plannen", owner, 1, status="gereed"),
        "dropped": _action(world, "Budget aanvragen", extra, -5, status="vervallen"),
        "contact": _action(world, "Werkplek bekijken", contact, 1, status="in_uitvoering"),
    }


def test_each_owner_hears_of_actions_due_within_three_days_or_overdue(
    world, scene, linked, smtp_server, runner
):
    result = _remind(runner)
    assert result.exit_code == 0, result.output
    assert "4 berichten verstuurd aan 3 eigenaren en 1 procesbegeleider" in result.output
    inbox = smtp_server.inbox
    (mine,) = inbox.to(OWNER)
    body = _body(mine)
    assert mine["Subject"] == "Casustafel: 2 acties binnenkort of te laat"
    assert "Werkgever bellen" in body and "Proefplaats regelen" in body
    assert "vandaag" in body and "over 3 dagen" in body
    for other in ("Jobcoach vragen", "Intake plannen", "Driegesprek plannen", "Uitkering nagaan"):
        assert other not in body
    assert f"casus {world.consent_case.pseudonym}" in body
    for description in ("Werkgever bellen", "Proefplaats regelen"):  # each on its own page
        action = db.session.scalar(select(ActionItem).filter_by(description=description))
        assert f"https://{HOST}/acties/{action.id}" in body
    (extra,) = inbox.to(EXTRA)
    assert mine["Subject"] != extra["Subject"] == "Casustafel: 1 actie binnenkort of te laat"
    assert "2 dagen te laat" in _body(extra) and "Budget aanvragen" not in _body(extra)
    (by_contact,) = inbox.to(CONTACT)
    assert "Werkplek bekijken" in _body(by_contact) and "geen account" in _body(by_contact)
    assert HOST not in _body(by_contact)  # a link they cannot follow: none
    assert len(inbox.received) == 4


def test_the_procesbegeleider_gets_a_digest_of_the_overdue_actions_of_the_groups_they_lead(
    world, scene, linked, smtp_server, runner
):
    other = _action(
        world, "Gesprek met UWV", world.other_user, -1, group=world.other_group
    )  # another region's group, another procesbegeleider
    assert _remind(runner).exit_code == 0
    (digest,) = smtp_server.inbox.to(LEADER)
    body = _body(digest)
    assert digest["Subject"] == "Casustafel: 1 te late actie in uw groepen"
    assert "Uitkering nagaan" in body and "Extra Lid (Gemeente Noord)" in body
    assert world.group.name in body and f"https://{HOST}/groepen/{world.group.id}/acties" in body
    for not_overdue in (
        "Werkgever bellen",
        "Werkplek bekijken",
        "Budget aanvragen",
        other.description,
    ):
        assert not_overdue not in body
    (theirs,) = smtp_server.inbox.to("pb@zuid.example")
    assert other.description in _body(theirs) and "Uitkering nagaan" not in _body(theirs)


def test_days_widens_or_narrows_the_window_and_is_checked(
    world, scene, linked, smtp_server, runner
):
    for wrong in ("-1", "61", "drie"):
        refused = _remind(runner, "--days", wrong)
        assert refused.exit_code == 2 and "--days" in refused.output
    assert smtp_server.inbox.received == [] and _deliveries() == []
    assert _remind(runner, "--days", "0").exit_code == 0
    assert "Proefplaats regelen" not in _body(smtp_server.inbox.to(OWNER)[0])
    assert _remind(runner, "--days", "14").exit_code == 0
    wider = _body(smtp_server.inbox.to(OWNER)[1])
    assert "Proefplaats regelen" in wider and "Jobcoach vragen" in wider
    assert "Driegesprek plannen" in wider and "Werkgever bellen" not in wider  # sent already


def test_deactivated_people_get_nothing_but_their_overdue_actions_reach_the_procesbegeleider(
    world, contact, linked, smtp_server, runner
):
    _action(world, "Uitkering nagaan", world.extra_member, -2)
    _action(world, "Werkplek bekijken", contact, -1)
    users.deactivate_user(world.extra_member, actor=None)
    contacts.set_contact_active(contact, False, actor=None)
    db.session.commit()
    assert _remind(runner).exit_code == 0
    assert smtp_server.inbox.to(EXTRA) == smtp_server.inbox.to(CONTACT) == []
    body = _body(smtp_server.inbox.to(LEADER)[0])
    assert "Extra Lid (Gemeente Noord), niet meer actief" in body
    assert "Wim Werkgeversadviseur (Gemeente Noord), niet meer actief" in body
    users.deactivate_user(world.users[Role.PROCESBEGELEIDER], actor=None)
    db.session.commit()
    db.session.execute(MailDelivery.__table__.delete())  # as on the next day
    db.session.commit()
    assert _remind(runner).exit_code == 0
    assert len(smtp_server.inbox.received) == 1


def test_an_archived_group_reminds_no_one(world, linked, smtp_server, runner):
    _action(world, "Uitkering nagaan", world.users[Role.DEELNEMER], -2)
    groups.set_group_active(world.group, False, actor=None)
    db.session.commit()
    result = _remind(runner)
    assert result.exit_code == 0
    assert "0 berichten verstuurd aan 0 eigenaren en 0 procesbegeleiders" in result.output
    assert smtp_server.inbox.received == []


def test_a_second_run_the_same_day_sends_only_what_is_new(
    world, scene, linked, smtp_server, runner
):
    assert _remind(runner).exit_code == 0
    first = _deliveries()
    assert len(first) == 5  # reminders: 2 actions to one owner, 1 each to two; 1 in the digest
    again = _remind(runner)
    assert "0 berichten verstuurd" in again.output and len(smtp_server.inbox.received) == 4
    late = _action(world, "Nieuw actiepunt", world.users[Role.DEELNEMER], -1)
    news = _remind(runner)
    assert "2 berichten verstuurd aan 1 eigenaar en 1 procesbegeleider" in news.output
    mine, digest = smtp_server.inbox.to(OWNER)[-1], smtp_server.inbox.to(LEADER)[-1]
    assert "Nieuw actiepunt" in _body(mine) and "Werkgever bellen" not in _body(mine)
    assert "Nieuw actiepunt" in _body(digest) and "Uitkering nagaan" not in _body(digest)
    assert _deliveries() == sorted(
        [*first, ("action_reminder", OWNER, str(late.id)), ("overdue_digest", LEADER, str(late.id))]
    )


def test_two_hosts_at_once_send_each_action_once_per_recipient(world, scene, smtp_server, make_app):
    hosts = [make_app(**smtp_server.settings, SERVER_NAME=HOST) for _ in range(2)]
    start = threading.Barrier(len(hosts))
    results: dict[int, object] = {}

    def run(number: int) -> None:
        start.wait()
        results[number] = hosts[number].test_cli_runner().invoke(args=["actions", "remind"])

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(hosts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result.exit_code == 0 for result in results.values()), results
    for address, descriptions in (
        (OWNER, ("Werkgever bellen", "Proefplaats regelen")),
        (EXTRA, ("Uitkering nagaan",)),
        (CONTACT, ("Werkplek bekijken",)),
        (LEADER, ("Uitkering nagaan",)),
    ):
        bodies = [_body(message) for message in smtp_server.inbox.to(address)]
        for description in descriptions:
            assert sum(description in body for body in bodies) == 1, (address, description)
    assert len(_deliveries()) == 5


def test_each_recipient_reads_their_own_language(world, scene, linked, smtp_server, runner):
    users.set_language(world.extra_member, "en")
    users.set_language(world.users[Role.PROCESBEGELEIDER], "en")
    db.session.commit()
    assert _remind(runner).exit_code == 0
    (extra,) = smtp_server.inbox.to(EXTRA)
    assert extra["Content-Language"] == "en"
    assert extra["Subject"] == "Casustafel: 1 action due soon or overdue"
    assert "Hello Extra Lid," in _body(extra) and "2 days overdue" in _body(extra)
    (digest,) = smtp_server.inbox.to(LEADER)
    assert digest["Subject"] == "Casustafel: 1 overdue action in your groups"
    assert "case " + world.fictional_case.pseudonym in _body(digest)
    for dutch in (OWNER, CONTACT):
        (message,) = smtp_server.inbox.to(dutch)
        assert message["Content-Language"] == "nl" and "Beste " in _body(message)


def test_no_identity_of_a_case_with_consent_appears_in_any_message(
    app, world, linked, smtp_server, runner, caplog, monkeypatch
):
    identity = factories.IDENTITY
    owner, extra = world.users[Role.DEELNEMER], world.extra_member
    _action(world, "Werkgever bellen", owner, -1, case=world.consent_case)
    _action(world, "Intake plannen", extra, 1, case=world.consent_case)
    secrets = (
        identity.full_name,
        "Voorbeeldt",
        identity.bsn,
        "1234.56.782",
        identity.client_number,
        "90812",
        "1984-03-07",
        "7 maart 1984",
        "07-03-1984",
    )
    dry = _remind(runner, "--dry-run")
    assert _remind(runner).exit_code == 0
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)  # and once to the log
    db.session.execute(MailDelivery.__table__.delete())
    db.session.commit()
    caplog.set_level(logging.INFO, logger="facilitator.mail")
    assert _remind(runner).exit_code == 0
    texts = [dry.output, caplog.text]
    texts += [r.message.as_string() + _body(r.message) for r in smtp_server.inbox.received]
    assert len(smtp_server.inbox.received) == 3 and "Werkgever bellen" in caplog.text
    assert all(world.consent_case.pseudonym in text for text in texts)
    for text in texts:
        for secret in secrets:
            assert secret.lower() not in text.lower()


def test_a_dry_run_prints_what_would_go_and_claims_nothing(
    world, scene, linked, smtp_server, runner
):
    dry = _remind(runner, "--dry-run")
    assert dry.exit_code == 0
    assert f"To: {OWNER}" in dry.output and "Subject: Casustafel: 2 acties" in dry.output
    assert "Werkgever bellen" in dry.output and f"To: {LEADER}" in dry.output
    assert "Proefdraai: 4 berichten aan 3 eigenaren en 1 procesbegeleider" in dry.output
    assert smtp_server.inbox.received == [] and _deliveries() == []
    kinds = [reminders.REMINDER, reminders.DIGEST]
    assert db.session.scalar(select(func.count()).where(AuditEvent.event_type.in_(kinds))) == 0
    assert _remind(runner).exit_code == 0
    later = _remind(runner, "--dry-run")
    assert "To:" not in later.output and "Proefdraai: 0 berichten" in later.output


def test_without_a_mail_server_the_messages_go_to_the_log_once(
    world, scene, linked, runner, caplog
):
    caplog.set_level(logging.INFO, logger="facilitator.mail")
    result = _remind(runner)
    assert result.exit_code == 0 and "4 berichten verstuurd" in result.output
    assert "applicatielog" in result.output
    logged = [r.getMessage() for r in caplog.records if r.name == "facilitator.mail"]
    assert len(logged) == 4 and any(OWNER in line and "Werkgever bellen" in line for line in logged)
    caplog.clear()
    assert "0 berichten verstuurd" in _remind(runner).output
    assert not [r for r in caplog.records if r.name == "facilitator.mail"]
    assert len(_deliveries()) == 5


def test_every_message_sent_is_audited_with_its_recipient_and_cases(
    world, scene, contact, linked, smtp_server, runner
):
    assert _remind(runner).exit_code == 0
    db.session.expire_all()
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type.in_([reminders.REMINDER, reminders.DIGEST]))
    ).all()
    seen = sorted((r.event_type, r.object_type, r.object_id, r.case_pseudonym) for r in rows)
    owner, extra, leader = (
        world.users[Role.DEELNEMER],
        world.extra_member,
        world.users[Role.PROCESBEGELEIDER],
    )
    assert seen == sorted(
        [
            ("action_reminder", "user", str(owner.id), world.consent_case.pseudonym),
            ("action_reminder", "user", str(extra.id), world.fictional_case.pseudonym),
            ("action_reminder", "contact", str(contact.id), ""),
            ("overdue_digest", "user", str(leader.id), world.fictional_case.pseudonym),
        ]
    )
    mine = next(r for r in rows if r.object_id == str(owner.id))
    assert mine.reason == f"actions {scene['today'].id},{scene['in3'].id}"
    assert all(r.source_address == "cli" and r.user_id is None for r in rows)


def test_an_unreachable_server_fails_the_run_and_keeps_nothing_claimed(
    world, scene, linked, runner, monkeypatch, app
):
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": free_port(),
        "MAIL_SENDER": "x@regio.example",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    result = _remind(runner)
    assert result.exit_code == 1 and "mail server" in result.output
    assert _deliveries() == []


def test_links_need_the_server_name_before_anything_is_claimed(world, scene, smtp_server, runner):
    result = _remind(runner)
    assert result.exit_code == 1 and "FACILITATOR_SERVER_NAME" in result.output
    assert _deliveries() == [] and smtp_server.inbox.received == []


def test_the_selection_takes_a_fixed_number_of_queries(app, world, linked, count_queries):
    owner = world.users[Role.DEELNEMER]

    def measured() -> tuple[int, int]:
        with app.app_context(), count_queries() as counted:  # its own session, as the CLI
            selection = reminders.select_reminders()
            # composing (group, case, owner, organisation of each action) is inside the count
            written = mail.preview(reminders.drafts(selection))
            assert len(written) == len(selection.reminders) + len(selection.digests)
            return len(counted), sum(len(r.actions) for r in selection.reminders)

    _action(world, "Actie 0", owner, -1, case=world.fictional_case)
    one = measured()
    region_contacts = [
        contacts.create_contact(
            world.gemeente, name=f"Contact {n}", email=f"c{n}@noord.example", actor=None
        )
        for n in range(10)
    ]
    db.session.commit()
    owners = [owner, world.extra_member, *region_contacts]
    for n in range(1, 30):
        case = world.consent_case if n % 2 else world.fictional_case
        _action(world, f"Actie {n}", owners[n % len(owners)], (n % 5) - 2, case=case)
    assert one == (2, 1)
    assert measured() == (2, 30)
