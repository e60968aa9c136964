"""Outgoing e-mail: written in the recipient's language, sent at most once a day per subject.

Messages hold pseudonyms and links only, never identity data (SECURITY.md P4): that is what
lets the fallback below write them to the application log when no SMTP server is configured.

Delivery is claimed before anything is sent. ``mail_deliveries`` has one row per kind,
recipient, subject (e.g. an action id) and day, unique in the database. :func:`send` inserts
the rows first, each in a transaction of its own, and writes a message about the subjects whose
insert succeeded only; a second run, or a run on another host at the same moment, finds them
taken. A message the server refuses frees its rows for a later run; a crash between the claim
and the send loses that day's message rather than sending it twice.

The claims use connections of their own, not the caller's session: call :func:`send` with no
writes pending in the session (on SQLite they would hold the one write lock).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import Flask, current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import String, UniqueConstraint, delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.auth.services import normalise_email
from facilitator.core.i18n import in_language
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.localtime import local_today

logger = logging.getLogger(__name__)

#: Port per connection kind when FACILITATOR_MAIL_PORT is not set.
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "plain": 25}
#: The sender of the log fallback, which reaches no one.
LOG_SENDER = "casustafel@localhost"
#: What the server answers about one message; the others of the run still go.
REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class MailDelivery(db.Model):
    """A message of one kind about one subject to one recipient on one (Dutch) day.

    The row is the claim: inserted before sending, ``sent_at`` filled in once the server took
    the message. A row without ``sent_at`` is a send that crashed halfway; it is not repeated.
    """

    __tablename__ = "mail_deliveries"
    __table_args__ = (
        UniqueConstraint("kind", "recipient", "subject", "day", name="uq_mail_deliveries_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What sort of message, a code, e.g. "action_reminder".
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    #: What the message is about, a key the sender chose, e.g. an action's id.
    subject: Mapped[str] = mapped_column(String(64))
    day: Mapped[date]
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


@dataclass(frozen=True)
class Letter:
    """What a message says: its subject line and its plain text."""

    subject: str
    body: str


@dataclass(frozen=True)
class Draft:
    """A message still to be written: to whom, about what, and how to write it.

    ``subjects`` maps a key (unique within ``kind``, e.g. an action's id) to what it stands
    for; ``write`` gets the items claimed for today, in order, and runs in ``language``.
    """

    kind: str
    recipient: str
    subjects: Mapping[str, Any]
    write: Callable[[list[Any]], Letter]
    #: The recipient's language; None: the default language.
    language: str | None = None


class MailServerError(Exception):
    """The mail server could not be reached or refused the login; nothing more was sent."""


def init_app(app: Flask) -> None:
    """Refuse, at start-up, mail settings that cannot work."""
    if app.config["MAIL_USE_TLS"] and app.config["MAIL_USE_SSL"]:
        raise RuntimeError(
            "FACILITATOR_MAIL_USE_TLS (STARTTLS) and FACILITATOR_MAIL_USE_SSL (SMTPS) "
            "exclude each other: choose one."
        )
    if app.config["MAIL_SERVER"] and not app.config["MAIL_SENDER"]:
        raise RuntimeError("FACILITATOR_MAIL_SERVER is set: FACILITATOR_MAIL_SENDER is required.")


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for a message, also from the command line (FACILITATOR_SERVER_NAME)."""
    try:
        return url_for(endpoint, _external=True, **values)
    except RuntimeError as error:  # outside a request Flask needs to know the host
        raise RuntimeError(
            "links in e-mail need FACILITATOR_SERVER_NAME (and FACILITATOR_PREFERRED_URL_SCHEME)"
        ) from error


def compose(draft: Draft, keys: Sequence[str] | None = None) -> EmailMessage:
    """Write the message about ``keys`` (default: every subject) in the draft's language."""
    items = [draft.subjects[key] for key in (draft.subjects if keys is None else keys)]
    with in_language(draft.language) as language:
        letter = draft.write(items)
        footer = _(
            "This message was sent automatically by Casustafel; replies are not read. "
            "It names cases by their pseudonym only."
        )
    sender = current_app.config["MAIL_SENDER"] or LOG_SENDER
    message = EmailMessage()
    message["From"] = sender
    message["To"] = draft.recipient
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(f"{letter.body.rstrip()}\n\n-- \n{footer}\n")
    message["Content-Language"] = language  # after set_content, which clears Content-* headers
    return message


def preview(drafts: Iterable[Draft]) -> list[EmailMessage]:
    """Write every draft about all its subjects, claiming and sending nothing (--dry-run)."""
    return [compose(draft) for draft in drafts if draft.subjects]


def send(
    drafts: Iterable[Draft],
    *,
    day: date | None = None,
    on_sent: Callable[[Draft, list[str]], None] | None = None,
) -> list[EmailMessage]:
    """Claim, write and deliver each draft; return the messages the server (or log) took.

    A draft goes out with the subjects claimed now only, and not at all when every subject
    was already sent to its recipient today. A message the server refuses is logged and its
    claims are freed; when the server cannot be reached the claims are freed and
    :class:`MailServerError` is raised. ``on_sent(draft, keys)`` hears of each message taken,
    with the keys it was about (the caller's audit row).
    """
    day = day or local_today()
    sent = []
    with _transport() as deliver:
        for draft in drafts:
            recipient = normalise_email(draft.recipient)
            keys = claim(draft.kind, recipient, list(draft.subjects), day=day)
            if not keys:
                continue
            try:
                message = compose(draft, keys)  # a message that cannot be written is not sent
                deliver(message)
            except REFUSALS as refusal:  # this message only; the connection stays usable
                _release(draft.kind, recipient, keys, day)
                logger.warning("%s mail refused: %s", draft.kind, type(refusal).__name__)
                continue
            except (smtplib.SMTPException, OSError) as error:
                _release(draft.kind, recipient, keys, day)
                raise MailServerError(f"mail server: {error}") from error
            except BaseException:
                _release(draft.kind, recipient, keys, day)
                raise
            _mark_sent(draft.kind, recipient, keys, day)
            sent.append(message)
            if on_sent is not None:
                on_sent(draft, keys)
    return sent


def claim(kind: str, recipient: str, keys: Sequence[str], *, day: date) -> list[str]:
    """Insert a delivery row per key, each committed on its own; return the keys won."""
    won = []
    for key in keys:
        try:
            with db.engine.begin() as connection:
                connection.execute(
                    insert(MailDelivery),
                    {"kind": kind, "recipient": recipient, "subject": key, "day": day},
                )
        except IntegrityError:  # sent today already, by this run's predecessor or another host
            continue
        won.append(key)
    return won


def _deliveries(kind: str, recipient: str, keys: Sequence[str], day: date):
    return (
        (MailDelivery.kind == kind)
        & (MailDelivery.recipient == recipient)
        & MailDelivery.subject.in_(keys)
        & (MailDelivery.day == day)
    )


def _mark_sent(kind: str, recipient: str, keys: Sequence[str], day: date) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(MailDelivery)
            .where(_deliveries(kind, recipient, keys, day))
            .values(sent_at=utcnow())
        )


def _release(kind: str, recipient: str, keys: Sequence[str], day: date) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            delete(MailDelivery).where(
                _deliveries(kind, recipient, keys, day), MailDelivery.sent_at.is_(None)
            )
        )


@contextlib.contextmanager
def _transport() -> Iterator[Callable[[EmailMessage], None]]:
    """Deliver through the configured SMTP server, or to the log without one.

    The connection is opened for the first message only: a run with nothing to say never
    touches the server.
    """
    config = current_app.config
    if not config["MAIL_SERVER"]:
        yield _log
        return
    connection: smtplib.SMTP | None = None

    def deliver(message: EmailMessage) -> None:
        nonlocal connection
        if connection is None:
            connection = _connect(config)
        connection.send_message(message)

    try:
        yield deliver
    finally:
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.quit()


def _connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    mode = "ssl" if config["MAIL_USE_SSL"] else "starttls" if config["MAIL_USE_TLS"] else "plain"
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"] or DEFAULT_PORTS[mode]
    timeout = config["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    connection = None
    try:
        if mode == "ssl":
            connection = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
        if mode == "starttls":
            connection.starttls(context=context)
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except (smtplib.SMTPException, OSError) as error:
        if connection is not None:
            connection.close()
        raise MailServerError(f"mail server {host}:{port}: {error}") from error
    return connection


def _log(message: EmailMessage) -> None:
    logger.info(
        "mail not sent (no FACILITATOR_MAIL_SERVER) to %s: %s\n%s",
        message["To"],
        message["Subject"],
        message.get_content(),
    )
