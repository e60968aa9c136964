"""User account workflows, shared by the admin screens, the account page and the CLI."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.auth import passwords
from facilitator.auth.services import find_user_by_email, normalise_email
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.privacy import guard
from facilitator.regions.models import Organisation, Region
from facilitator.users.models import Role, User

LANGUAGES = ("nl", "en")


def users_query(
    *,
    region_id: int | None = None,
    role: str | None = None,
    search: str = "",
    active: bool | None = None,
) -> Select:
    """Select users for the admin list, filtered, by region, organisation and name."""
    query = (
        select(User)
        .join(User.organisation)
        .join(Organisation.region)
        .options(contains_eager(User.organisation).contains_eager(Organisation.region))
        .order_by(Region.name, Organisation.name, User.name)
    )
    if region_id is not None:
        query = query.where(Organisation.region_id == region_id)
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if active is not None:
        query = query.where(User.active == active)
    if search:
        term = search.strip().lower()
        query = query.where(
            or_(
                func.lower(User.name).contains(term, autoescape=True),
                User.email.contains(term, autoescape=True),
            )
        )
    return query


def _check_password(password: str, *, email: str, name: str) -> None:
    problems = passwords.policy_problems(password, email=email, name=name)
    if problems:
        raise ServiceError(" ".join(str(problem) for problem in problems), field="password")


def _check_email(email: str, user: User | None = None) -> str:
    normalised = normalise_email(email)
    existing = find_user_by_email(normalised)
    if existing is not None and existing is not user:
        raise ServiceError(_l("Another account already uses this e-mail address."), field="email")
    return normalised


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ServiceError(_l("Unknown language."), field="language")
    return language


def create_user(
    *,
    name: str,
    email: str,
    organisation: Organisation,
    role: Role | str,
    password: str,
    language: str = "nl",
    must_change_password: bool = True,
    actor: User | None,
) -> User:
    """Create an account; unless told otherwise the user picks their own password at first login."""
    email = _check_email(email)
    guard.screen({"name": name}, actor=actor, on=None, professional_details=True)
    _check_password(password, email=email, name=name)
    user = User(
        name=name.strip(),
        email=email,
        organisation=organisation,
        role=Role(role),
        language=_check_language(language),
        must_change_password=must_change_password,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record(
        "user_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="user",
        object_id=user.id,
    )
    return user


def update_user(
    user: User,
    *,
    name: str,
    email: str,
    organisation: Organisation,
    role: Role | str,
    language: str,
    actor: User | None,
) -> None:
    """Change an account's details; the last active beheerder keeps that role."""
    role = Role(role)
    if user.role == Role.BEHEERDER and role != Role.BEHEERDER:
        _keep_one_beheerder(user)
    leaves = role == Role.BELEIDSGROEPLID or organisation.region_id != user.organisation.region_id
    if leaves:
        _keep_groups_led(user, "role" if role == Role.BELEIDSGROEPLID else "organisation_id")
    user.email = _check_email(email, user)
    guard.screen({"name": name}, actor=actor, on=None, professional_details=True)
    user.name = name.strip()
    if leaves:  # a policy group member is never a member of a group, and groups belong
        _leave_groups(user, actor)  # to a region: a move ends every membership
    user.organisation = organisation
    if role == Role.BELEIDSGROEPLID:
        user.can_read_audit = False  # nor reads the audit log
    user.role = role
    if role not in (Role.PROCESBEGELEIDER, Role.PROJECTLEIDER):
        _step_down_as_procesbegeleider(user)
    user.language = _check_language(language)
    record(
        "user_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="user",
        object_id=user.id,
    )


def deactivate_user(user: User, *, actor: User | None) -> None:
    """Block an account and end all its sessions; its history stays."""
    if actor is not None and actor.id == user.id:
        raise ServiceError(_l("You cannot deactivate your own account."))
    if user.role == Role.BEHEERDER:
        _keep_one_beheerder(user)
    user.active = False
    user.end_all_sessions()
    record(
        "user_deactivated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="user",
        object_id=user.id,
    )


def reactivate_user(user: User, *, actor: User | None) -> None:
    """Allow a deactivated account to log in again."""
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    record(
        "user_reactivated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="user",
        object_id=user.id,
    )


def set_audit_right(user: User, granted: bool, *, actor: User | None) -> None:
    """Grant or withdraw the right to read the audit log (SECURITY.md L3); no change, no row."""
    if user.can_read_audit == granted:
        return
    if granted and actor is not None and actor.id == user.id:
        # The log watches the beheerders too: another beheerder decides about one's own look.
        raise ServiceError(_l("Another administrator has to grant you the audit right."))
    if granted and user.role == Role.BELEIDSGROEPLID:
        raise ServiceError(_l("A policy group member reads no audit log."))
    user.can_read_audit = granted
    record(
        "audit_right_granted" if granted else "audit_right_withdrawn",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="user",
        object_id=user.id,
    )


def reset_password(user: User, password: str, *, actor: User | None) -> None:
    """Set a temporary password, end all sessions and lift a lockout."""
    _check_password(password, email=user.email, name=user.name)
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.end_all_sessions()
    record(
        "password_reset",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="user",
        object_id=user.id,
    )


def change_own_password(user: User, *, current: str, new: str) -> None:
    """Replace one's own password after proving the current one; ends every other session."""
    if not user.check_password(current):
        raise ServiceError(_l("Your current password is not correct."), field="current_password")
    if current == new:
        raise ServiceError(
            _l("Choose a password that differs from the current one."), field="password"
        )
    _check_password(new, email=user.email, name=user.name)
    user.set_password(new)
    user.must_change_password = False
    user.end_all_sessions()
    record(
        "password_changed",
        action=AuditAction.UPDATE,
        actor=user,
        object_type="user",
        object_id=user.id,
    )


def set_language(user: User, language: str) -> None:
    """Store a user's interface language."""
    user.language = _check_language(language)


def _keep_one_beheerder(user: User) -> None:
    others = db.session.scalar(
        select(func.count()).where(
            User.role == Role.BEHEERDER, User.active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise ServiceError(_l("This is the last active administrator; appoint another first."))


def _memberships(user: User) -> list:
    from facilitator.groups.models import GroupMembership

    return list(
        db.session.scalars(
            select(GroupMembership)
            .where(GroupMembership.user_id == user.id)
            .order_by(GroupMembership.id)
        )
    )


def _keep_groups_led(user: User, field: str) -> None:
    """Refuse to take a group's only procesbegeleider out of it, as remove_member does."""
    from facilitator.groups.models import GroupRole

    for membership in _memberships(user):
        group = membership.group
        if membership.role == GroupRole.PROCESBEGELEIDER and len(group.procesbegeleiders) <= 1:
            raise ServiceError(
                _l(
                    "%(name)s is the only process supervisor of %(group)s and would leave it; "
                    "appoint another process supervisor there first.",
                    name=user.name,
                    group=group.name,
                ),
                field=field,
            )


def _leave_groups(user: User, actor: User | None) -> None:
    """End every membership as remove_member does: one audit row per group left."""
    from facilitator.groups.services import remove_member

    for membership in _memberships(user):
        remove_member(membership.group, membership, actor=actor)


def _step_down_as_procesbegeleider(user: User) -> None:
    from facilitator.groups.models import GroupMembership, GroupRole

    for membership in db.session.scalars(
        select(GroupMembership).where(
            GroupMembership.user_id == user.id, GroupMembership.role == GroupRole.PROCESBEGELEIDER
        )
    ):
        membership.role = GroupRole.LID
