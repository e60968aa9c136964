"""The personal-data guard on free text (SECURITY.md P8), used wherever free text is saved.

A BSN, an IBAN, a birth date near "geboren" or the case's own identity is refused. An e-mail
address, phone number or postcode is saved only after the user confirms, and the confirmation
(which kinds, by whom, when; never the text) is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.privacy.detector import Finding, Severity, scan
from facilitator.privacy.models import PersonalDataConfirmation
from facilitator.users.models import User


class PersonalDataError(ServiceError):
    """Free text holds personal data. ``message`` never repeats the data; ``findings`` do."""

    def __init__(self, field: str, findings: list[Finding], *, needs_confirmation: bool) -> None:
        message = (
            findings[0].message
            if not needs_confirmation
            else _l(
                "This text seems to contain contact or address details (%(kinds)s). "
                "Remove them, or "
                "confirm that they are not the client's.",
                kinds=", ".join(sorted({str(KIND_LABELS[f.kind]) for f in findings})),
            )
        )
        super().__init__(message, field=field)
        self.findings = findings
        self.needs_confirmation = needs_confirmation


KIND_LABELS = {
    "bsn": _l("BSN"),
    "iban": _l("bank account number"),
    "email": _l("e-mail address"),
    "phone": _l("phone number"),
    "postcode": _l("postcode"),
    "birth_date": _l("birth date"),
    "identity": _l("the client's identity"),
}


def check_text(
    field: str, text: str, *, identity_values: Iterable[str] = (), confirmed: bool = False
) -> list[Finding]:
    """Raise PersonalDataError for refused or unconfirmed data; return the confirmed findings."""
    return check_texts({field: text}, identity_values=identity_values, confirmed=confirmed)[field]


def check_texts(
    texts: dict[str, str], *, identity_values: Iterable[str] = (), confirmed: bool = False
) -> dict[str, list[Finding]]:
    """Check several fields of one form together; return the confirmed findings per field.

    A confirmation covers every flagged fragment of the form, so the refusal names them all:
    one tick never approves a fragment the user was not shown.
    """
    values = list(identity_values)
    scanned = {field: scan(text or "", values) for field, text in texts.items()}
    for field, findings in scanned.items():
        blocking = [f for f in findings if f.severity == Severity.BLOCK]
        if blocking:
            raise PersonalDataError(field, blocking, needs_confirmation=False)
    confirmable = {
        field: [f for f in findings if f.severity == Severity.CONFIRM]
        for field, findings in scanned.items()
    }
    flagged = [f for findings in confirmable.values() for f in findings]
    if flagged and not confirmed:
        first = next(field for field, findings in confirmable.items() if findings)
        raise PersonalDataError(first, flagged, needs_confirmation=True)
    return confirmable


def record_confirmation(
    object_type: str, object_id: int, field: str, findings: list[Finding], actor: User | None
) -> None:
    """Keep the user's confirmation that flagged text may be saved (kinds only)."""
    if not findings:
        return
    db.session.add(
        PersonalDataConfirmation(
            object_type=object_type,
            object_id=object_id,
            field=field,
            kinds=",".join(sorted({f.kind for f in findings})),
            user_id=actor.id if actor is not None else None,
        )
    )
