"""A real SMTP server for the tests: aiosmtpd on a free port of 127.0.0.1, keeping its mail.

``running_smtp_server()`` starts one (optionally with STARTTLS, implicit TLS and a login) and
yields an :class:`SMTPServer` whose ``inbox`` holds every message it accepted, parsed, and
whose ``settings`` are the FACILITATOR_MAIL_* values that reach it.
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

HOST = "127.0.0.1"
SENDER = "Casustafel <casustafel@regio.example>"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """The server's handler: accepts every message, except to the addresses in ``refuse``."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=email_policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]


@dataclass
class SMTPServer:
    port: int
    inbox: Inbox
    settings: dict


def free_port() -> int:
    """A port nothing listens on now (the server binds it right after)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_smtp_server(
    *,
    certificate: tuple[Path, Path] | None = None,
    implicit_tls: bool = False,
    login: tuple[str, str] | None = None,
) -> Iterator[SMTPServer]:
    """Run a server until the block ends: plain, or with ``certificate`` STARTTLS (required),
    or TLS from the first byte (``implicit_tls``); with ``login`` it requires that login."""
    inbox = Inbox()
    port = free_port()
    options: dict = {}
    settings = {"MAIL_SERVER": HOST, "MAIL_PORT": port, "MAIL_SENDER": SENDER}
    if certificate is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        if implicit_tls:
            options["ssl_context"] = context
            settings["MAIL_USE_SSL"] = True
        else:
            options.update(tls_context=context, require_starttls=True)
            settings["MAIL_USE_TLS"] = True
    if login is not None:
        options.update(authenticator=_accept_only(*login), auth_required=True)
        settings.update(MAIL_USERNAME=login[0], MAIL_PASSWORD=login[1])
    controller = Controller(inbox, hostname=HOST, port=port, **options)
    controller.start()
    try:
        yield SMTPServer(port, inbox, settings)
    finally:
        controller.stop()


def _accept_only(username: str, password: str):
    def authenticate(server, session, envelope, mechanism, auth_data):
        given = (auth_data.login.decode(), auth_data.password.decode())
        # handled=False: the server answers 535 itself (True would leave the client waiting).
        return AuthResult(success=given == (username, password), handled=False)

    return authenticate


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, with its key; trust it via SSL_CERT_FILE."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "casustafel test smtp")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
