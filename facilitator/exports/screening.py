"""The last check before a file leaves: all its text, against the guard and every identity in
scope (SECURITY.md P8, P9).

A read model names each of its texts with the place where it can be corrected. On any hit the
export is refused with the list of places, and no file is made: there is never a partial one.
Each identity read to look for it is audited, like every other decryption.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

# Imported under ngettext's name so that pybabel extracts the message (it knows no lazy_ngettext).
from flask import current_app, has_request_context, url_for
from flask_babel import lazy_ngettext as ngettext
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from facilitator.audit.models import AuditAction, AuditOutcome
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


def link(endpoint: str, **values: Any) -> str:
    """A place's link within the application, also from the command line (a path, no host)."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", "")  # the record within the page, as url_for takes it
    built = current_app.url_map.bind("localhost").build(endpoint, values)
    return f"{built}#{anchor}" if anchor else built


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
            ngettext(
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


class ExportScreening:
    """The identities of an export's cases, read once (each read audited), and the checks.

    :meth:`texts` checks the texts a file is about to be built from; :meth:`file` checks a
    file that was kept as issued (approved minutes, a logbook edition) in every part of its
    package, since what it says may predate a correction.
    """

    def __init__(self, case_ids: Iterable[int], *, actor: User | None, reason: str) -> None:
        self.actor = actor
        self.reason = reason
        self.values = identity_values(case_ids, actor=actor, reason=reason)

    def texts(self, texts: Iterable[TextInScope]) -> list[Hit]:
        hits: list[Hit] = []
        for item in texts:
            if item.text:
                kinds = refused_kinds(item.text, self.values)
                hits.extend(Hit(item.place, kind) for kind in sorted(kinds))
        return hits

    def file(self, content: bytes, place: Place) -> list[Hit]:
        kinds = refused_kinds(package_text(content), self.values)
        return [Hit(place, kind) for kind in sorted(kinds)]

    def refuse(self, hits: list[Hit]) -> None:
        """Raise the refusal, if any, after recording it (it outlives the request's rollback)."""
        if not hits:
            return
        record_committed(
            "export_refused",
            action=AuditAction.EXECUTE,
            outcome=AuditOutcome.FAILURE,
            actor=self.actor,
            reason=self.reason[:255],
            check_result=",".join(sorted({hit.kind for hit in hits})),
        )
        raise ExportRefused(hits)


def screen_export(
    texts: Iterable[TextInScope], case_ids: Iterable[int], *, actor: User | None, reason: str
) -> ExportScreening:
    """Refuse the export when any text holds a BSN, IBAN, birth date or a client's identity;
    else hand back the screening, for a kept file to be checked with the same identities.

    E-mail addresses, phone numbers and postcodes were confirmed as not the client's when they
    were saved; they do not stop an export.
    """
    screening = ExportScreening(case_ids, actor=actor, reason=reason)
    screening.refuse(screening.texts(texts))
    return screening


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Attributes that hold text a reader or another program sees: alt texts, titles, link targets.
_TEXT_ATTRIBUTES = ("descr", "title", "Target")


def package_text(content: bytes) -> str:
    """Every text of a Word package, one line per paragraph: the document, headers, footers,
    properties, alt texts and relationship targets. Entities are never resolved."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    lines: list[str] = []
    with zipfile.ZipFile(BytesIO(content)) as package:
        for name in package.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(package.read(name), parser)
            for element in root.iter():
                if element.tag == f"{_W}p":
                    lines.append("".join(t.text or "" for t in element.iter(f"{_W}t")))
                elif not str(element.tag).startswith(_W) and element.text and element.text.strip():
                    lines.append(element.text)
                lines.extend(element.get(a) for a in _TEXT_ATTRIBUTES if element.get(a))
    return "\n".join(lines)
