"""Per-route access rules (SECURITY.md A7), declared on each view and enforced in one place.

Every view carries exactly one rule: ``@public``, ``@every_role``, ``@authenticated`` or
``@roles(...)``. The check runs before every request; a route without a rule is refused (fail
closed), and a test walks the URL map so that such a route never ships.

``@authenticated`` opens a route to the roles that work with the casusgroepen
(``WORKING_ROLES``), whose object rules then decide. A role not named there (the read-only
beleidsgroeplid) reaches only the routes that name it in ``@roles(...)`` and the account pages
marked ``@every_role``: a route nobody thought about refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, request
from flask_login import current_user

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.audit.services import record_committed
from facilitator.auth.requests import is_script_request, is_static_endpoint
from facilitator.auth.sessions import session_expired_json
from facilitator.extensions import db, login_manager
from facilitator.users.models import Role, User

#: The roles that work with the casusgroepen: what ``@authenticated`` opens a route to.
WORKING_ROLES = frozenset(
    {Role.BEHEERDER, Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER}
)
#: Who is sent a member's mail (agenda, call for cases, action reminders): it names cases, so
#: the working roles of the groups only; never the beheerder, never a read-only role (a
#: member whose role became beleidsgroeplid hears nothing more, whatever rows are left).
MEMBER_MAIL_ROLES = WORKING_ROLES - {Role.BEHEERDER}


def receives_member_mail(user: User) -> bool:
    """Whether a member's mail may go to the user: active, of a working role of the groups."""
    return user.active and user.role in MEMBER_MAIL_ROLES


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset[Role] = frozenset()
    #: Every logged-in user, the read-only roles too: their own account, the start page.
    every_role: bool = False

    def allows(self, role: Role) -> bool:
        return self.every_role or role in (self.roles or WORKING_ROLES)


ACCESS_ATTRIBUTE = "access_rule"
#: Endpoints of Flask itself that serve only static files.
STATIC_RULE = AccessRule(public=True)


def _declare(view: Callable, rule: AccessRule) -> Callable:
    if hasattr(view, ACCESS_ATTRIBUTE):
        raise RuntimeError(f"{view.__name__} declares its access rule twice")
    setattr(view, ACCESS_ATTRIBUTE, rule)
    return view


def public(view: Callable) -> Callable:
    """Allow anyone, logged in or not."""
    return _declare(view, AccessRule(public=True))


def every_role(view: Callable) -> Callable:
    """Allow every logged-in user, whatever their role: for a user's own account pages."""
    return _declare(view, AccessRule(every_role=True))


def authenticated(view: Callable) -> Callable:
    """Allow the logged-in users of the working roles (``WORKING_ROLES``); the view's object
    rules decide further. A read-only role is refused."""
    return _declare(view, AccessRule())


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    """Allow logged-in users with one of the given roles."""
    if not allowed:
        raise ValueError("roles() needs at least one role; use @authenticated for any user")
    return lambda view: _declare(view, AccessRule(roles=frozenset(allowed)))


def rule_for_endpoint(endpoint: str) -> AccessRule | None:
    """Return the declared rule of an endpoint, or None when it has none."""
    if is_static_endpoint(endpoint):
        return STATIC_RULE
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def may_open(endpoint: str) -> bool:
    """Whether the route rule of ``endpoint`` lets the current user in: the navigation shows a
    link only then."""
    rule = rule_for_endpoint(endpoint)
    if rule is None or rule.public:
        return rule is not None
    return current_user.is_authenticated and rule.allows(current_user.role)


def enforce_access():
    """Before every request: apply the endpoint's rule; log and refuse what it does not allow."""
    if request.endpoint is None:  # no route matched: the 404/405 handlers answer
        return None
    rule = rule_for_endpoint(request.endpoint)
    if rule is None:
        current_app.logger.error("endpoint %s has no access rule; refused", request.endpoint)
        deny("no_rule")
    if rule.public:
        return None
    if not current_user.is_authenticated:
        if is_script_request():
            return session_expired_json()
        return login_manager.unauthorized()
    if not rule.allows(current_user.role):
        deny("role")
    return None


def deny(
    check_result: str,
    *,
    object_type: str = "",
    object_id: str | int = "",
    case_pseudonym: str = "",
) -> None:
    """Record an access denial in a transaction of its own and answer 403.

    What the refused request had pending is rolled back first, never committed with the row.
    """
    db.session.rollback()
    actor = current_user if current_user.is_authenticated else None
    record_committed(
        "access_denied",
        action=AuditAction.READ if request.method in ("GET", "HEAD") else AuditAction.UPDATE,
        outcome=AuditOutcome.DENIED,
        actor=actor,
        object_type=object_type or "endpoint",
        object_id=object_id or (request.endpoint or ""),
        case_pseudonym=case_pseudonym,
        check_result=check_result,
    )
    abort(403)
