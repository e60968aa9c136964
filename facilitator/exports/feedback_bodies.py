"""The bodies of a region that a logbook edition is put to (klankbordgroep, beleidsgroep,
projectgroep, focusgroep ervaringsdeskundigen, or what the region calls its own): kept per
region, renamed and deactivated, never deleted once feedback names them."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.database import name_key
from facilitator.exceptions import ServiceError
from facilitator.exports.models import FeedbackBody, LogbookFeedback
from facilitator.extensions import db
from facilitator.privacy import guard
from facilitator.regions.models import Region
from facilitator.users.models import User

#: What every region starts with; the names are the region's own words, so they stay Dutch.
DEFAULT_BODIES = (
    "Klankbordgroep",
    "Beleidsgroep",
    "Projectgroep",
    "Focusgroep ervaringsdeskundigen",
)
MAX_NAME = 120


def create_default_bodies(region: Region) -> None:
    """Give a new region the usual bodies (no audit row of their own: the region's has it)."""
    for position, name in enumerate(DEFAULT_BODIES):
        db.session.add(FeedbackBody(region_id=region.id, name=name, position=position))
    db.session.flush()


def bodies_of(region_id: int, *, active_only: bool = False) -> list[FeedbackBody]:
    """The region's bodies in their order, in one query."""
    query = select(FeedbackBody).where(FeedbackBody.region_id == region_id)
    if active_only:
        query = query.where(FeedbackBody.active.is_(True))
    return list(db.session.scalars(query.order_by(FeedbackBody.position, FeedbackBody.id)))


def feedback_counts(region_id: int) -> dict[int, int]:
    """How much feedback names each body of the region, in one query."""
    rows = db.session.execute(
        select(LogbookFeedback.body_id, func.count(LogbookFeedback.id))
        .join(FeedbackBody, FeedbackBody.id == LogbookFeedback.body_id)
        .where(FeedbackBody.region_id == region_id)
        .group_by(LogbookFeedback.body_id)
    )
    return {body_id: count for body_id, count in rows}


def add_body(region: Region, *, name: str, actor: User) -> FeedbackBody:
    """Add a body at the end of the region's list."""
    name = _checked_name(region.id, name, actor)
    last = db.session.scalar(
        select(func.max(FeedbackBody.position)).where(FeedbackBody.region_id == region.id)
    )
    body = FeedbackBody(region_id=region.id, name=name, position=(last or 0) + 1)
    db.session.add(body)
    db.session.flush()
    _audit("feedback_body_added", AuditAction.CREATE, body, actor)
    return body


def rename_body(body: FeedbackBody, *, name: str, actor: User) -> None:
    """Rename a body: its earlier feedback goes by the new name too."""
    body.name = _checked_name(body.region_id, name, actor, body)
    db.session.flush()
    _audit("feedback_body_renamed", AuditAction.UPDATE, body, actor)


def set_body_active(body: FeedbackBody, active: bool, *, actor: User) -> None:
    """Offer a body again, or no more; its feedback stays as it was."""
    if not active and body.active and len(bodies_of(body.region_id, active_only=True)) == 1:
        raise ServiceError(_l("A region keeps at least one active body."))
    body.active = active
    db.session.flush()
    event = "feedback_body_activated" if active else "feedback_body_deactivated"
    _audit(event, AuditAction.UPDATE, body, actor)


def _checked_name(region_id: int, name: str, actor: User, body: FeedbackBody | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_l("Give the body a name."), field="name")
    if len(name) > MAX_NAME:
        raise ServiceError(_l("Keep this under %(num)d characters.", num=MAX_NAME), field="name")
    # Format characters (bidi overrides, zero-width) would make a name look like another.
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
        raise ServiceError(_l("The name holds invisible or control characters."), field="name")
    # Compared in Python (name_key): SQLite's lower() folds only ASCII.
    if any(
        name_key(other.name) == name_key(name)
        for other in bodies_of(region_id)
        if body is None or other.id != body.id
    ):
        raise ServiceError(_l("The region already has a body of that name."), field="name")
    guard.screen({"name": name}, actor=actor, on=None, professional_details=True)
    return name


def _audit(event: str, action: AuditAction, body: FeedbackBody, actor: User) -> None:
    record(
        event,
        action=action,
        actor=actor,
        object_type="feedback_body",
        object_id=body.id,
        reason=f"region {body.region_id}",
    )
