"""Outgoing e-mail (issue 9): a real SMTP server, the once-a-day rule, the log fallback."""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta

import pytest
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from facilitator import mail
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.mail import MailDelivery
from tests.smtp import SENDER, free_port, running_smtp_server, self_signed_certificate

ANNE, BRAM = "anne@noord.example", "bram@noord.example"


def _draft(recipient: str, *keys: str, language: str | None = None, kind: str = "test"):
    """A message about actions ``keys``; its subject line goes through the catalogue and
    names a date as the recipient's language writes it."""
    return mail.Draft(
        kind=kind,
        recipient=recipient,
        subjects={key: f"Actie {key}: werkgever bellen" for key in keys},
        write=lambda items: mail.Letter(
            subject=_("Meeting of %(date)s", date=format_date(date(2030, 7, 1), "d MMMM yyyy")),
            body="\n".join(items),
        ),
        language=language,
    )


def _deliveries() -> list[tuple[str, str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(MailDelivery).order_by(MailDelivery.id))
    return [(row.recipient, row.subject, "sent" if row.sent_at else "claimed") for row in rows]


def _settings(monkeypatch, app, settings: dict) -> None:
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)


def test_messages_reach_a_real_smtp_server_in_each_recipients_language(app, smtp_server):
    sent = mail.send(
        [
            _draft(ANNE, "1", "2", language="en"),
            _draft(BRAM, "3", language="nl"),
            _draft("carla@noord.example", "4"),  # a contact without an account: the default
        ]
    )
    assert len(sent) == 3
    (anne,) = smtp_server.inbox.to(ANNE)
    assert anne["From"] == SENDER and anne["To"] == ANNE
    assert anne["Subject"] == "Meeting of 1 July 2030"
    assert anne["Content-Language"] == "en" and anne["Auto-Submitted"] == "auto-generated"
    body = anne.get_content().replace("\r\n", "\n")
    assert "Actie 1: werkgever bellen\nActie 2: werkgever bellen" in body
    assert "sent automatically by Casustafel" in body
    (bram,) = smtp_server.inbox.to(BRAM)
    assert bram["Subject"] == "Bijeenkomst van 1 juli 2030"
    assert "automatisch verstuurd door Casustafel" in bram.get_content()
    (carla,) = smtp_server.inbox.to("carla@noord.example")
    assert carla["Content-Language"] == "nl"
    assert _deliveries() == [
        (ANNE, "1", "sent"),
        (ANNE, "2", "sent"),
        (BRAM, "3", "sent"),
        ("carla@noord.example", "4", "sent"),
    ]


def test_a_second_run_the_same_day_sends_only_what_is_new(app, smtp_server):
    assert len(mail.send([_draft(ANNE, "1", "2")])) == 1
    second = mail.send([_draft(ANNE.upper(), "1", "2", "3"), _draft(BRAM, "1")])
    assert [m["To"] for m in second] == [ANNE.upper(), BRAM]
    news = second[0].get_content()
    assert "Actie 3" in news and "Actie 1" not in news and "Actie 2" not in news
    assert mail.send([_draft(ANNE, "1", "2", "3"), _draft(BRAM, "1")]) == []
    assert len(smtp_server.inbox.received) == 3


def test_the_rule_holds_per_kind_and_per_day(app, smtp_server):
    mail.send([_draft(ANNE, "1")])
    assert len(mail.send([_draft(ANNE, "1", kind="digest")])) == 1
    tomorrow = local_today() + timedelta(days=1)
    assert len(mail.send([_draft(ANNE, "1")], day=tomorrow)) == 1
    assert len(smtp_server.inbox.received) == 3


def test_two_hosts_on_one_database_at_once_send_each_message_once(app, make_app, smtp_server):
    hosts = [make_app(**smtp_server.settings) for _ in range(2)]
    drafts = [_draft(ANNE, "1", "2"), _draft(BRAM, "3"), _draft("carla@noord.example", "4", "5")]
    start = threading.Barrier(len(hosts))
    outcome: dict[int, object] = {}

    def run(number: int) -> None:
        with hosts[number].app_context():
            start.wait()
            try:
                outcome[number] = mail.send(drafts)
            except Exception as error:  # reported below, not lost in the thread
                outcome[number] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(hosts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(result, list) for result in outcome.values()), outcome
    bodies = [r.message.get_content() for r in smtp_server.inbox.received]
    for key in "12345":
        assert sum(f"Actie {key}:" in body for body in bodies) == 1, key
    assert sum(len(result) for result in outcome.values()) == len(smtp_server.inbox.received)
    assert len(_deliveries()) == 5


def test_a_refused_message_frees_its_claim_for_the_next_run(app, smtp_server, caplog):
    smtp_server.inbox.refuse.add(ANNE)
    sent = mail.send([_draft(ANNE, "1"), _draft(BRAM, "2")])
    assert [m["To"] for m in sent] == [BRAM]
    assert "test mail refused: SMTPRecipientsRefused" in caplog.text
    assert _deliveries() == [(BRAM, "2", "sent")]
    smtp_server.inbox.refuse.clear()
    assert [m["To"] for m in mail.send([_draft(ANNE, "1"), _draft(BRAM, "2")])] == [ANNE]
    assert len(smtp_server.inbox.to(ANNE)) == len(smtp_server.inbox.to(BRAM)) == 1


def test_an_unreachable_server_raises_and_keeps_nothing_claimed(app, monkeypatch):
    _settings(monkeypatch, app, {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": free_port()})
    monkeypatch.setitem(app.config, "MAIL_SENDER", SENDER)
    with pytest.raises(mail.MailServerError):
        mail.send([_draft(ANNE, "1"), _draft(BRAM, "2")])
    assert _deliveries() == []


def test_without_a_server_messages_go_to_the_log_once_a_day(app, caplog):
    assert app.config["MAIL_SERVER"] is None
    caplog.set_level(logging.INFO, logger="facilitator.mail")
    assert len(mail.send([_draft(ANNE, "1", language="en")])) == 1
    (logged,) = [r.getMessage() for r in caplog.records if r.name == "facilitator.mail"]
    assert ANNE in logged and "Meeting of 1 July 2030" in logged
    assert "Actie 1: werkgever bellen" in logged
    caplog.clear()
    assert mail.send([_draft(ANNE, "1")]) == []
    assert not [r for r in caplog.records if r.name == "facilitator.mail"]
    assert _deliveries() == [(ANNE, "1", "sent")]


def test_a_preview_writes_everything_and_claims_nothing(app, smtp_server):
    (message,) = mail.preview([_draft(ANNE, "1", "2"), _draft(BRAM)])
    assert "Actie 1" in message.get_content() and "Actie 2" in message.get_content()
    assert smtp_server.inbox.received == []
    assert _deliveries() == []


def test_starttls_and_login_with_a_verified_certificate(app, monkeypatch, tmp_path):
    certificate = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with running_smtp_server(certificate=certificate, login=("casustafel", "geheim")) as server:
        _settings(monkeypatch, app, server.settings)
        monkeypatch.setitem(app.config, "MAIL_PASSWORD", "fout")
        with pytest.raises(mail.MailServerError):
            mail.send([_draft(ANNE, "1")])
        monkeypatch.setitem(app.config, "MAIL_PASSWORD", "geheim")
        assert len(mail.send([_draft(ANNE, "1")])) == 1
        assert len(server.inbox.to(ANNE)) == 1


def test_implicit_tls(app, monkeypatch, tmp_path):
    certificate = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with running_smtp_server(certificate=certificate, implicit_tls=True) as server:
        _settings(monkeypatch, app, server.settings)
        assert len(mail.send([_draft(ANNE, "1")])) == 1
        assert len(server.inbox.to(ANNE)) == 1


def test_a_server_certificate_nobody_vouches_for_is_refused(app, monkeypatch, tmp_path):
    certificate = self_signed_certificate(tmp_path)
    with running_smtp_server(certificate=certificate) as server:
        _settings(monkeypatch, app, server.settings)
        with pytest.raises(mail.MailServerError, match="CERTIFICATE_VERIFY_FAILED"):
            mail.send([_draft(ANNE, "1")])
        assert server.inbox.received == []


def test_mail_settings_come_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("FACILITATOR_MAIL_SERVER", "smtp.regio.example")
    monkeypatch.setenv("FACILITATOR_MAIL_PORT", "2525")
    monkeypatch.setenv("FACILITATOR_MAIL_USE_TLS", "true")
    monkeypatch.setenv("FACILITATOR_MAIL_SENDER", SENDER)
    config = make_app().config
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"]) == (
        "smtp.regio.example",
        2525,
        True,
    )


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"MAIL_USE_TLS": True, "MAIL_USE_SSL": True}, "exclude each other"),
        ({"MAIL_SERVER": "smtp.regio.example"}, "FACILITATOR_MAIL_SENDER is required"),
    ],
)
def test_mail_settings_that_cannot_work_stop_the_start(make_app, settings, problem):
    with pytest.raises(RuntimeError, match=problem):
        make_app(**settings)


def test_links_in_mail_are_absolute_also_outside_a_request(app, make_app):
    with pytest.raises(RuntimeError, match="FACILITATOR_SERVER_NAME"):
        mail.external_url("account.index")
    host = make_app(SERVER_NAME="casustafel.regio.example", PREFERRED_URL_SCHEME="https")
    with host.app_context():
        assert mail.external_url("account.index") == "https://casustafel.regio.example/account/"


def test_a_message_that_cannot_be_written_is_not_claimed_as_sent(app, smtp_server):
    def broken(items):
        raise KeyError("a translation placeholder the catalogue lacks")

    draft = mail.Draft(kind="test", recipient=ANNE, subjects={"1": "Actie 1"}, write=broken)
    with pytest.raises(KeyError):
        mail.send([draft])
    assert _deliveries() == []  # the claim was freed: tomorrow is not the first chance again
    assert mail.send([_draft(ANNE, "1")])
    assert _deliveries() == [(ANNE, "1", "sent")]
