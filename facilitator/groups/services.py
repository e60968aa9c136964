"""Casusgroep workflows, shared by the screens and the CLI."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.database import name_key
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import (
    CaseGroup,
    GroupMembership,
    GroupRole,
    LeaderTitle,
    Rhythm,
    SelectionCriterion,
)
from facilitator.privacy import guard
from facilitator.regions.models import Organisation, Region
from facilitator.users.models import Role, User

GROUP_FIELDS = (
    "name",
    "theme",
    "description",
    "rhythm",
    "default_protocol",
    "leader_title",
    "leader_independent",
)
SCREENED_GROUP_FIELDS = ("name", "theme", "description")


def find_group(name: str, region: Region | None = None) -> CaseGroup | None:
    query = select(CaseGroup)
    if region is not None:
        query = query.where(CaseGroup.region_id == region.id)
    groups = _named(db.session.scalars(query), name)
    return groups[0] if len(groups) == 1 else None


def _named(groups, name: str) -> list[CaseGroup]:
    wanted = name_key(name)
    return [group for group in groups if name_key(group.name) == wanted]


def _check_name(region_id: int, name: str, group: CaseGroup | None = None) -> None:
    in_region = db.session.scalars(select(CaseGroup).where(CaseGroup.region_id == region_id))
    existing = next(iter(_named(in_region, name)), None)
    if existing is not None and existing is not group:
        raise ServiceError(_l("This region already has a group with this name."), field="name")


def create_group(
    region: Region,
    *,
    name: str,
    rhythm: Rhythm | str,
    theme: str = "",
    description: str = "",
    default_protocol: str = "",
    leader_title: LeaderTitle | str = LeaderTitle.PROCESBEGELEIDER,
    leader_independent: bool = False,
    actor: User | None,
    personal_data_confirmed: bool = False,
) -> CaseGroup:
    """Create a casusgroep in a region."""
    _check_name(region.id, name)
    group = CaseGroup(
        region=region,
        name=name.strip(),
        rhythm=Rhythm(rhythm),
        theme=theme.strip(),
        description=description.strip(),
        default_protocol=default_protocol,
        leader_title=LeaderTitle(leader_title or LeaderTitle.PROCESBEGELEIDER),
        leader_independent=bool(leader_independent),
    )
    guard.screen(
        {"name": name, "theme": theme, "description": description},
        actor=actor,
        on=group,
        confirmed=personal_data_confirmed,
    )
    db.session.add(group)
    db.session.flush()
    record(
        "group_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="case_group",
        object_id=group.id,
    )
    return group


def update_group(
    group: CaseGroup, *, actor: User | None, personal_data_confirmed: bool = False, **fields
) -> None:
    """Change a group's name, theme, description, rhythm, default protocol or the title and
    independence of its leader."""
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"unknown group fields: {sorted(unknown)}")
    if "name" in fields:
        _check_name(group.region_id, fields["name"], group)
    guard.screen(
        {key: fields[key] for key in SCREENED_GROUP_FIELDS if key in fields},
        actor=actor,
        on=group,
        confirmed=personal_data_confirmed,
    )
    for key, value in fields.items():
        if key == "rhythm":
            value = Rhythm(value)
        elif key == "leader_title":
            value = LeaderTitle(value or LeaderTitle.PROCESBEGELEIDER)
        elif key == "leader_independent":
            value = bool(value)
        setattr(group, key, value.strip() if isinstance(value, str) else value)
    record(
        "group_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_group",
        object_id=group.id,
    )


def set_group_active(group: CaseGroup, active: bool, *, actor: User | None) -> None:
    """Archive a group (no new cases or meetings; everything stays readable) or reopen it."""
    group.active = active
    record(
        "group_reopened" if active else "group_archived",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_group",
        object_id=group.id,
    )


def add_member(group: CaseGroup, user: User, role: GroupRole | str, *, actor: User | None) -> None:
    """Add a user of the region as member or procesbegeleider, or change their role."""
    role = GroupRole(role)
    if user.organisation.region_id != group.region_id:
        raise ServiceError(_l("Only users of the group's region can be members."), field="user_id")
    if not user.active:
        raise ServiceError(_l("This account is inactive."), field="user_id")
    if user.role == Role.BEHEERDER:
        raise ServiceError(
            _l("An administrator manages groups and sees no cases; they cannot be a member."),
            field="user_id",
        )
    if user.role == Role.BELEIDSGROEPLID:
        raise ServiceError(
            _l(
                "A policy group member reads the dashboard and sees no cases; "
                "they cannot be a member."
            ),
            field="user_id",
        )
    if role == GroupRole.PROCESBEGELEIDER and user.role not in (
        Role.PROCESBEGELEIDER,
        Role.PROJECTLEIDER,
    ):
        raise ServiceError(
            _l("Only users with the role process supervisor or project leader can lead a group."),
            field="role",
        )
    membership = group.membership_of(user)
    if membership is None:
        membership = GroupMembership(group=group, user=user, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    db.session.flush()
    record(
        "group_member_added",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_group",
        object_id=group.id,
        reason=f"user {user.id} as {role.value}",
    )


def remove_member(group: CaseGroup, membership: GroupMembership, *, actor: User | None) -> None:
    """Take a member out of the group; a group keeps at least one procesbegeleider."""
    if membership.role == GroupRole.PROCESBEGELEIDER and len(group.procesbegeleiders) <= 1:
        raise ServiceError(_l("A group needs a process supervisor; appoint another one first."))
    record(
        "group_member_removed",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_group",
        object_id=group.id,
        reason=f"user {membership.user_id}",
    )
    group.memberships.remove(membership)
    db.session.flush()


def add_criterion(
    group: CaseGroup,
    text: str,
    mandatory: bool,
    *,
    actor: User | None,
    personal_data_confirmed: bool = False,
) -> None:
    """Add a selection criterion at the end of the group's list."""
    guard.screen(
        {"text": text},
        actor=actor,
        on=group,
        confirmed=personal_data_confirmed,
        field_prefix="criterion_",
    )
    position = max((c.position for c in group.criteria), default=0) + 1
    group.criteria.append(
        SelectionCriterion(text=text.strip(), mandatory=mandatory, position=position)
    )
    db.session.flush()
    record(
        "group_criterion_added",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_group",
        object_id=group.id,
    )


def retire_criterion(
    group: CaseGroup, criterion: SelectionCriterion, *, actor: User | None
) -> None:
    """Stop using a criterion for new cases; cases that met it keep that on record."""
    criterion.active = False
    record(
        "group_criterion_retired",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_group",
        object_id=group.id,
    )


def missing_mandatory(group: CaseGroup, met_ids: set[int]) -> list[SelectionCriterion]:
    """Return the group's mandatory criteria that a case does not meet."""
    return [c for c in group.active_criteria if c.mandatory and c.id not in met_ids]


def regions_for_new_groups(user: User) -> list[Region]:
    """The regions a user may create a group in: all for the beheerder, else their own."""
    if user.role == Role.BEHEERDER:
        return list(db.session.scalars(select(Region).order_by(Region.name)))
    return [user.region]


def member_candidates(group: CaseGroup) -> list[User]:
    """Active users of the group's region who are not members yet, by name."""
    members = {m.user_id for m in group.memberships}
    users = db.session.scalars(
        select(User)
        .join(User.organisation)
        .where(Organisation.region_id == group.region_id, User.active.is_(True))
        .where(User.role != Role.BELEIDSGROEPLID)  # never a member (add_member)
        .order_by(User.name)
    )
    return [u for u in users if u.id not in members]
