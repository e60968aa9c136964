"""The one door through which a view obtains a client-related object (SECURITY.md A7).

``load_or_deny(Model, id, rule)`` answers 404 when the object does not exist and a logged 403
when the rule refuses the current user; ``within=`` also refuses, logged, an object that
belongs to another parent than the one in the URL (another meeting's finding). Views never
load such objects otherwise; a test walks their source.

It also keeps the NEN 7513 read log (SECURITY.md L1): a page that shows a client's case, or
a meeting with its cases, gets an audit row "record_read" with the pseudonym, written after
the response only when the page was served (``write_reads``): a request refused half-way
leaves its denial, not a read. Requests that change something are logged by their service;
the one poll of a page already logged (the projector's state) is marked ``@poll_of_logged_page``
on its view, never by anything the client sends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import inspect

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record_committed
from facilitator.auth.access import deny
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
        g.setdefault(_READS, []).append({**names, "check_result": rule.__name__})
    return obj


#: Objects without a case of their own whose page shows the cases they hold.
READ_LOGGED = frozenset({"meetings"})
_READS = "audit_reads"
_POLL = "poll_of_logged_page"


def poll_of_logged_page(view: Callable) -> Callable:
    """Mark a GET view that a logged page's script polls: its loads write no read rows."""
    setattr(view, _POLL, True)
    return view


def _is_page_view() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return request.method in ("GET", "HEAD") and not getattr(view, _POLL, False)


def write_reads(response: Response) -> Response:
    """After a request: write its read rows, when the page was served (not refused, no error)."""
    reads = g.pop(_READS, [])
    if reads and response.status_code < 400 and current_user.is_authenticated:
        for names in reads:
            record_committed("record_read", action=AuditAction.READ, actor=current_user, **names)
    return response


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
