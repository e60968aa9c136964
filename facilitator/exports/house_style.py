"""A region's house style: the reference Word document its minutes and logbook are built on.

The beheerder uploads it per region (``set_house_style``) and may remove it again
(``remove_house_style``); both are audited. The file is checked whole before anything is stored
(``reference_check``); its name passes the guard like any name about organisations.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.exports.models import HouseStyle
from facilitator.exports.reference_check import check_reference_docx
from facilitator.extensions import db
from facilitator.forms import has_forbidden_characters
from facilitator.privacy import guard
from facilitator.users.models import User

if TYPE_CHECKING:
    from facilitator.regions.models import Region

#: Room in the column (String 200) for the name as uploaded.
MAX_FILENAME = 200


@dataclass(frozen=True)
class HouseStyleSummary:
    """What the beheerder's page shows of a region's house style (not the file itself)."""

    filename: str
    sha256: str
    size: int
    uploaded_at: datetime
    uploaded_by: str


def house_style_summary(region_id: int) -> HouseStyleSummary | None:
    """The region's house style without its content, in one query; None without one."""
    row = db.session.execute(
        select(
            HouseStyle.filename,
            HouseStyle.sha256,
            db.func.length(HouseStyle.content),
            HouseStyle.uploaded_at,
            User.name,
        )
        .outerjoin(User, User.id == HouseStyle.uploaded_by_id)
        .where(HouseStyle.region_id == region_id)
    ).one_or_none()
    if row is None:
        return None
    filename, sha256, size, uploaded_at, uploaded_by = row
    return HouseStyleSummary(filename, sha256, size or 0, uploaded_at, uploaded_by or "")


def set_house_style(region: Region, *, filename: str, content: bytes, actor: User) -> HouseStyle:
    """Check the reference document and keep it as the region's house style (replacing one)."""
    name = _clean_filename(filename, actor)
    check_reference_docx(content)
    style = db.session.get(HouseStyle, region.id)
    created = style is None
    if style is None:
        style = HouseStyle(region_id=region.id)
        db.session.add(style)
    style.filename = name
    style.content = content
    style.sha256 = hashlib.sha256(content).hexdigest()
    style.uploaded_by_id = actor.id
    style.uploaded_at = utcnow()
    db.session.flush()
    record(
        "house_style_set",
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        object_type="house_style",
        object_id=region.id,
    )
    return style


def remove_house_style(region: Region, *, actor: User) -> None:
    """Remove the region's house style: its documents get the built-in style again."""
    style = db.session.get(HouseStyle, region.id)
    if style is None:
        raise ServiceError(_l("This region has no house style."))
    record(
        "house_style_removed",
        action=AuditAction.DELETE,
        actor=actor,
        object_type="house_style",
        object_id=region.id,
    )
    db.session.delete(style)
    db.session.flush()


def _clean_filename(filename: str, actor: User | None) -> str:
    """The file's own name (a browser may send a whole path), screened like any name."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name.strip()
    if not name:
        raise ServiceError(_l("The file has no name."), field="file")
    if has_forbidden_characters(name):
        raise ServiceError(
            _l("The file's name contains characters that are not allowed. Rename the file."),
            field="file",
        )
    guard.screen({"file": name}, actor=actor, on=None, professional_details=True)
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        name = stem[: MAX_FILENAME - len(extension) - 1] + dot + extension if dot else name
        name = name[:MAX_FILENAME]
    return name
