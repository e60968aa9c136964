"""The last check before a file leaves: all its text, against the guard and every identity in
scope (SECURITY.md P8, P9).

A read model names each of its texts with the place where it can be corrected. On any hit the
export is refused with the list of places, and no file is made: there is never a partial one.
Each identity read to look for it is audited, like every other decryption.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record_committed
from facilitator.cases.models import Case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.privacy.guard import KIND_LABELS, refused_kinds
from facilitator.privacy.identity import read_identity
from facilitator.users.models import User


@dataclass(frozen=True)
class Place:
    """Where a text is, in words a procesbegeleider recognises, and where to correct it."""

    #: The meeting or record, e.g. "Bijeenkomst 3 december 2026".
    where: str
    case_pseudonym: str
    #: The field, e.g. "Bevinding" or a step's field label.
    field: str
    url: str


@dataclass(frozen=True)
class TextInScope:
    place: Place
    text: str


@dataclass(frozen=True)
class Hit:
    place: Place
    #: The detector's kind: bsn, iban, birth_date or identity.
    kind: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


class ExportRefused(ServiceError):
    """Personal data in the text of an export; ``hits`` says where, never what."""

    def __init__(self, hits: list[Hit]) -> None:
        super().__init__(
            lazy_ngettext(
                "The export was refused: personal data was found in %(num)d place. "
                "Correct it there, then export again.",
                "The export was refused: personal data was found in %(num)d places. "
                "Correct them there, then export again.",
                len(hits),
            )
        )
        self.hits = hits


def identity_values(case_ids: Iterable[int], *, actor: User | None, reason: str) -> list[str]:
    """Every stored identity value of these cases, each read audited with ``reason``."""
    ids = sorted(set(case_ids))
    if not ids:
        return []
    cases = db.session.scalars(
        select(Case)
        .where(Case.id.in_(ids), Case.identity.has())
        .options(selectinload(Case.identity))
        .order_by(Case.id)
    ).all()
    values: list[str] = []
    for case in cases:
        identity = read_identity(case)
        if identity is None:
            continue
        record_committed(
            "identity_scanned",
            action=AuditAction.READ,
            actor=actor,
            object_type="case_identity",
            object_id=case.id,
            case_pseudonym=case.pseudonym,
            reason=reason[:255],
            check_result="export",
        )
        values.extend(v for v in identity.values_for_scanning() if v)
    return values


def screen_export(
    texts: Iterable[TextInScope], case_ids: Iterable[int], *, actor: User | None, reason: str
) -> None:
    """Refuse the export when any text holds a BSN, IBAN, birth date or a client's identity.

    E-mail addresses, phone numbers and postcodes were confirmed as not the client's when they
    were saved; they do not stop an export.
    """
    values = identity_values(case_ids, actor=actor, reason=reason)
    hits: list[Hit] = []
    for item in texts:
        if not item.text:
            continue
        hits.extend(Hit(item.place, kind) for kind in sorted(refused_kinds(item.text, values)))
    if hits:
        raise ExportRefused(hits)
