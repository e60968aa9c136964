"""The one door through which a view obtains a client-related object (SECURITY.md A7).

``load_or_deny(Model, id, rule)`` answers 404 when the object does not exist and a logged 403
when the rule refuses the current user; ``within=`` also refuses, logged, an object that
belongs to another parent than the one in the URL (another meeting's finding). Views never
load such objects otherwise; a test walks their source.

It also writes the NEN 7513 read log (SECURITY.md L1): a page that shows a client's case, or
a meeting with its cases, gets an audit row "record_read" with the pseudonym. Requests that
change something are logged by their service, and our own script's polls (autosave, the
projector) by the page they belong to, so they add no read rows of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user
from sqlalchemy import inspect

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record_committed
from facilitator.auth.access import deny
from facilitator.auth.requests import is_script_request
from facilitator.extensions import db

T = TypeVar("T")
Rule = Callable[[Any, Any], bool]


def load_or_deny(
    model: type[T],
    object_id: int | None,
    rule: Rule,
    *,
    within: tuple[Any, str | tuple[str, ...]] | None = None,
) -> T:
    """Return the object for the current user, or stop with 404 or a logged 403."""
    obj = db.session.get(model, object_id) if object_id is not None else None
    if obj is None:
        abort(404)
    object_type = model.__tablename__
    if within is not None:
        parent, attributes = within
        names = (attributes,) if isinstance(attributes, str) else attributes
        if all(getattr(obj, name) != parent.id for name in names):
            deny(f"not_of_this_{type(parent).__name__.lower()}", **_audit_names(obj, object_type))
    names = _audit_names(obj, object_type)
    if not rule(current_user, obj):
        deny(rule.__name__, **names)
    if _is_page_view() and (names["case_pseudonym"] or object_type in READ_LOGGED):
        record_committed(
            "record_read",
            action=AuditAction.READ,
            actor=current_user,
            check_result=rule.__name__,
            **names,
        )
    return obj


#: Objects without a case of their own whose page shows the cases they hold.
READ_LOGGED = frozenset({"meetings"})


def _is_page_view() -> bool:
    return request.method in ("GET", "HEAD") and not is_script_request()


def _audit_names(obj: Any, object_type: str) -> dict:
    case = obj if hasattr(obj, "pseudonym") else getattr(obj, "case", None)
    return {
        "object_type": object_type,
        # The primary key, also when it has several columns (a building block's score).
        "object_id": "/".join(str(part) for part in inspect(obj).identity),
        "case_pseudonym": getattr(case, "pseudonym", "") or "",
    }


def anyone(user: Any, obj: Any) -> bool:
    """For an object whose parent was already loaded with its rule (checked by ``within``)."""
    return True
