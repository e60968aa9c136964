"""The personal-data guard (SECURITY.md P8): the one door every stored free text passes.

:func:`screen` is called by every service that stores text a person typed, from a form, the
autosave, an import or the CLI; no other code calls the detector. It reads the text as a
person sees it (NFKC, invisible characters removed, any separator between digit groups), and
refuses a BSN, an IBAN, a birth date near "geboren" and the identity of every case in the
user's consent scope. An e-mail address, phone number or postcode is saved only after the user
confirms, and the confirmation (which kinds, by whom, when; never the text) is recorded.

Which identities are in scope is decided in :func:`facilitator.privacy.scope.
identities_in_scope`: a user outside every consent's scope gets the generic patterns only, so
the guard's answer reveals nothing about a client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.privacy.detector import Finding, Severity, scan
from facilitator.privacy.models import PersonalDataConfirmation
from facilitator.privacy.normalise import has_bidi_controls
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


def screen(
    texts: Mapping[str, str | None],
    *,
    actor: User | None,
    on: db.Model | None,
    confirmed: bool = False,
    identity_values: Iterable[str] = (),
    field_prefix: str = "",
    audit_key: str = "",
    audit_since: datetime | None = None,
    professional_details: bool = False,
) -> None:
    """Refuse personal data in the texts one form stores; record a confirmation where allowed.

    ``texts`` maps form field names to what will be stored. They are screened against the
    identity of every case whose consent covers the actor, in every group they belong to,
    wherever the text goes (audited; once per ``audit_key`` since ``audit_since`` when given);
    ``identity_values`` adds others, e.g. those of a case being registered. A confirmation
    covers every flagged fragment of the form, so the refusal names them all: one tick never
    approves a fragment the user was not shown. It is recorded on ``on`` (flushed first if
    new), as ``field_prefix`` + field name.

    ``professional_details`` is for texts about professionals and organisations (names of
    regions, organisations, accounts and contact persons), where a work phone number or
    address is expected: only the refused kinds count there, and nothing needs confirming.
    """
    screening = check(
        texts,
        actor=actor,
        confirmed=confirmed,
        identity_values=identity_values,
        audit_key=audit_key,
        audit_since=audit_since,
        professional_details=professional_details,
    )
    if screening.refusals:
        raise screening.refusals[0]
    screening.record(actor=actor, on=on, field_prefix=field_prefix)


@dataclass
class Screening:
    """What the guard found in the texts of one form: every refusal, and what to record."""

    #: Every reason to refuse, in the order :func:`screen` would raise them.
    refusals: list[ServiceError] = field(default_factory=list)
    #: Fragments saved only after a confirmation, by field: recorded once the texts are stored.
    flagged: dict[str, list[Finding]] = field(default_factory=dict)

    def record(self, *, actor: User | None, on: db.Model | None, field_prefix: str = "") -> None:
        """Record the user's confirmation of each flagged field on ``on`` (flushed if new)."""
        if not self.flagged or on is None:
            return
        if on.id is None:
            db.session.add(on)
            db.session.flush()
        for name, findings in self.flagged.items():
            db.session.add(
                PersonalDataConfirmation(
                    object_type=on.__tablename__,
                    object_id=on.id,
                    field=(field_prefix + name)[:64],
                    kinds=",".join(sorted({f.kind for f in findings})),
                    user_id=actor.id if actor is not None else None,
                )
            )


def check(
    texts: Mapping[str, str | None],
    *,
    actor: User | None,
    confirmed: bool = False,
    identity_values: Iterable[str] = (),
    audit_key: str = "",
    audit_since: datetime | None = None,
    professional_details: bool = False,
) -> Screening:
    """Screen texts as :func:`screen` does, but collect every refusal instead of raising one.

    For a caller that reports every problem at once (the import: every problem of every row).
    Nothing is stored but the audit rows of the identities read; the caller raises a refusal,
    or stores the texts and then calls :meth:`Screening.record`.
    """
    screening = Screening()
    for name, text in texts.items():
        if text and has_bidi_controls(text):
            screening.refusals.append(
                ServiceError(
                    _l(
                        "This text holds characters that change the order in which it is "
                        "shown. Type it again without them."
                    ),
                    field=name,
                )
            )
    readable = {name: text for name, text in texts.items() if text and not has_bidi_controls(text)}
    if not readable:
        return screening
    # Imported here: the scope reads consent through privacy.services, which uses the guard.
    from facilitator.privacy.scope import identities_in_scope

    values = [*identity_values, *identities_in_scope(actor, audit_key, audit_since)]
    scanned = {name: scan(text, values) for name, text in readable.items()}
    for name, findings in scanned.items():
        blocking = [f for f in findings if f.severity == Severity.BLOCK]
        if blocking:
            screening.refusals.append(PersonalDataError(name, blocking, needs_confirmation=False))
    if professional_details:
        return screening
    flagged = {
        name: warnings
        for name, findings in scanned.items()
        if (warnings := [f for f in findings if f.severity != Severity.BLOCK])
    }
    if flagged and not confirmed:
        everything = [f for findings in flagged.values() for f in findings]
        screening.refusals.append(
            PersonalDataError(next(iter(flagged)), everything, needs_confirmation=True)
        )
    elif flagged:
        screening.flagged = flagged
    return screening


def screen_file_text(text: str, identity_values: Iterable[str] = ()) -> list[Finding]:
    """Every hit in a text an operator checks before it leaves the building (CLI)."""
    return scan(text, list(identity_values))


def refused_kinds(text: str, identity_values: Iterable[str] = ()) -> set[str]:
    """The kinds always refused (BSN, IBAN, birth date, identity) in a text about to leave the
    building in an export; contact details were confirmed as not the client's when saved."""
    return {f.kind for f in scan(text, list(identity_values)) if f.severity == Severity.BLOCK}
