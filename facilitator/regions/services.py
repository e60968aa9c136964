"""Region and organisation workflows, shared by the admin screens and the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.database import name_key
from facilitator.exceptions import ServiceError
from facilitator.exports.feedback_bodies import create_default_bodies
from facilitator.extensions import db
from facilitator.privacy import guard
from facilitator.references import count_references, describe
from facilitator.regions.models import Domain, Organisation, OrganisationKind, Region

if TYPE_CHECKING:
    from facilitator.users.models import User

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "domain",
    "contact_name",
    "contact_email",
    "contact_phone",
    "backup_name",
    "backup_email",
    "backup_phone",
    "active",
)


def regions_with_counts() -> Select:
    """Select every region with its number of organisations, by name."""
    count = (
        select(func.count(Organisation.id))
        .where(Organisation.region_id == Region.id)
        .correlate(Region)
        .scalar_subquery()
    )
    return select(Region, count.label("organisation_count")).order_by(Region.name)


def all_regions() -> list[Region]:
    """Every region, by name, for choosing among them."""
    return list(db.session.scalars(select(Region).order_by(Region.name)))


def find_region(name: str) -> Region | None:
    wanted = name_key(name)
    return next((r for r in db.session.scalars(select(Region)) if name_key(r.name) == wanted), None)


def _check_region_name(name: str, region: Region | None = None) -> None:
    existing = find_region(name)
    if existing is not None and existing is not region:
        raise ServiceError(_l("A region with this name already exists."), field="name")


def create_region(*, name: str, description: str = "", actor: User | None) -> Region:
    """Create a region."""
    _check_region_name(name)
    _screen({"name": name, "description": description}, actor)
    region = Region(name=name.strip(), description=description.strip())
    db.session.add(region)
    db.session.flush()
    create_default_bodies(region)
    record(
        "region_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="region",
        object_id=region.id,
    )
    return region


def update_region(region: Region, *, name: str, description: str, actor: User | None) -> None:
    """Rename or describe a region."""
    _check_region_name(name, region)
    _screen({"name": name, "description": description}, actor)
    region.name = name.strip()
    region.description = description.strip()
    record(
        "region_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="region",
        object_id=region.id,
    )


def region_delete_refusal(region: Region) -> str | None:
    """Why ``region`` cannot be deleted (what still refers to it), or None when it can."""
    counts = count_references(region)
    if not counts:
        return None
    return _(
        "This region cannot be deleted: it still has %(things)s. Only a region without "
        "organisations and case groups can be deleted; delete its organisations first if "
        "nothing refers to them.",
        things=describe(counts),
    )


def delete_region(region: Region, *, actor: User | None) -> None:
    """Delete a region that nothing refers to (no organisations, no groups)."""
    refusal = region_delete_refusal(region)
    if refusal:
        raise ServiceError(refusal)
    record(
        "region_deleted",
        action=AuditAction.DELETE,
        actor=actor,
        object_type="region",
        object_id=region.id,
    )
    db.session.delete(region)
    db.session.flush()


def organisations_in(region_id: int | None = None) -> Select:
    """Select organisations, optionally of one region, by region and name."""
    query = (
        select(Organisation)
        .join(Organisation.region)
        .options(contains_eager(Organisation.region))
        .order_by(Region.name, Organisation.name)
    )
    if region_id is not None:
        query = query.where(Organisation.region_id == region_id)
    return query


def organisations_of_region(region_id: int, *, active_only: bool = False) -> list[Organisation]:
    """The organisations of one region by name, for choosing among them."""
    query = select(Organisation).where(Organisation.region_id == region_id)
    if active_only:
        query = query.where(Organisation.active.is_(True))
    return list(db.session.scalars(query.order_by(Organisation.name)))


def find_organisation(region: Region, name: str) -> Organisation | None:
    wanted = name_key(name)
    in_region = db.session.scalars(select(Organisation).where(Organisation.region_id == region.id))
    return next((org for org in in_region if name_key(org.name) == wanted), None)


def _check_organisation_name(region: Region, name: str, org: Organisation | None = None) -> None:
    existing = find_organisation(region, name)
    if existing is not None and existing is not org:
        raise ServiceError(
            _l("This region already has an organisation with this name."), field="name"
        )


def create_organisation(
    region: Region,
    *,
    name: str,
    kind: OrganisationKind,
    domain: Domain | None = None,
    actor: User | None,
    **details: str | bool,
) -> Organisation:
    """Create an organisation in a region; the domain defaults to the kind's usual one."""
    _check_organisation_name(region, name)
    _screen({"name": name, **details}, actor)
    org = Organisation(
        region=region,
        name=name.strip(),
        kind=OrganisationKind(kind),
        domain=Domain(domain) if domain else OrganisationKind(kind).usual_domain,
    )
    _apply_details(org, details)
    db.session.add(org)
    db.session.flush()
    record(
        "organisation_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="organisation",
        object_id=org.id,
    )
    return org


def update_organisation(org: Organisation, *, actor: User | None, **fields) -> None:
    """Change an organisation's name, kind, domain, contacts or active state."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    _screen(fields, actor)
    if "name" in fields:
        _check_organisation_name(org.region, fields["name"], org)
        org.name = fields.pop("name").strip()
    if "kind" in fields:
        org.kind = OrganisationKind(fields.pop("kind"))
    if "domain" in fields:
        org.domain = Domain(fields.pop("domain"))
    _apply_details(org, fields)
    record(
        "organisation_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="organisation",
        object_id=org.id,
    )


def organisation_delete_refusal(org: Organisation) -> str | None:
    """Why ``org`` cannot be deleted (what still refers to it, and what to do instead), or None
    when nothing refers to it."""
    counts = count_references(org)
    if not counts:
        return None
    return _(
        "This organisation cannot be deleted: it still appears in %(things)s. Make it inactive "
        "instead (Edit, untick “Active”): its history stays and it can no longer be chosen.",
        things=describe(counts),
    )


def delete_organisation(org: Organisation, *, actor: User | None) -> None:
    """Delete an organisation that nothing refers to; one still in use is made inactive
    instead."""
    refusal = organisation_delete_refusal(org)
    if refusal:
        raise ServiceError(refusal)
    record(
        "organisation_deleted",
        action=AuditAction.DELETE,
        actor=actor,
        object_type="organisation",
        object_id=org.id,
    )
    db.session.delete(org)
    db.session.flush()


#: Contact e-mail addresses of organisations are meant to be exactly that (and validated).
_CONTACT_DETAILS = ("contact_email", "backup_email")


def _screen(texts: dict, actor: User | None) -> None:
    """Names and descriptions about organisations pass the guard (never a client's data)."""
    guard.screen(
        {k: v for k, v in texts.items() if isinstance(v, str) and k not in _CONTACT_DETAILS},
        actor=actor,
        on=None,
        professional_details=True,
    )


def _apply_details(org: Organisation, details: dict) -> None:
    for key, value in details.items():
        if key not in ORGANISATION_FIELDS or key in ("name", "kind", "domain"):
            raise TypeError(f"unknown organisation field: {key}")
        setattr(org, key, value.strip() if isinstance(value, str) else value)
