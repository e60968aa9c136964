"""Logbook editions: every logbook issued is kept, with its scope, period, issuer and hash."""

from __future__ import annotations

import hashlib
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case
from facilitator.exports.models import LogbookEdition
from facilitator.exports.screening import ExportScreening, Place, link
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.regions.models import Region
from facilitator.users.models import User


def issue_edition(
    *,
    region: Region,
    groups: list[CaseGroup],
    period_from: date,
    period_to: date,
    content: bytes,
    actor: User | None,
) -> LogbookEdition:
    """Keep the logbook as issued; ``groups`` empty means the whole region."""
    edition = LogbookEdition(
        region_id=region.id,
        groups=list(groups),
        period_from=period_from,
        period_to=period_to,
        issued_by_id=actor.id if actor is not None else None,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    db.session.add(edition)
    db.session.flush()
    record(
        "logbook_edition_issued",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="logbook_edition",
        object_id=edition.id,
        reason=f"region {region.id}, {period_from.isoformat()} to {period_to.isoformat()}",
    )
    return edition


def editions_of(region_id: int) -> list[LogbookEdition]:
    """The region's editions, newest first, with their groups and issuers."""
    return list(
        db.session.scalars(
            select(LogbookEdition)
            .where(LogbookEdition.region_id == region_id)
            .options(
                selectinload(LogbookEdition.groups),
                selectinload(LogbookEdition.issued_by),
            )
            .order_by(LogbookEdition.issued_at.desc(), LogbookEdition.id.desc())
        )
    )


def download_edition(edition: LogbookEdition, *, actor: User) -> bytes:
    """The edition's file as it was issued, checked again against every identity of its
    region's or groups' cases (one may have been registered since); the download is audited.

    Raises ExportRefused with the edition as the place: a kept file cannot be corrected, a new
    edition can be issued instead.
    """
    screening = ExportScreening(_case_ids(edition), actor=actor, reason="logbook edition")
    place = Place(
        where=_("Logbook edition %(id)s", id=edition.id),
        case_pseudonym="",
        field=_("The file as issued"),
        url=link("logbook_feedback.edition_detail", edition_id=edition.id),
    )
    screening.refuse(screening.file(edition.content, place))
    record(
        "logbook_edition_downloaded",
        action=AuditAction.EXECUTE,
        actor=actor,
        object_type="logbook_edition",
        object_id=edition.id,
    )
    return edition.content


def _case_ids(edition: LogbookEdition) -> list[int]:
    """The cases of the edition's groups, or of its whole region."""
    query = select(Case.id).join(CaseGroup, CaseGroup.id == Case.group_id)
    if edition.groups:
        query = query.where(CaseGroup.id.in_([group.id for group in edition.groups]))
    else:
        query = query.where(CaseGroup.region_id == edition.region_id)
    return list(db.session.scalars(query))


def edition_filename(edition: LogbookEdition) -> str:
    """The download's name: the period and the edition, never a group's or a person's name."""
    return (
        f"logboek-{edition.period_from.isoformat()}-{edition.period_to.isoformat()}"
        f"-editie-{edition.id}.docx"
    )
