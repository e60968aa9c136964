"""Load an object for the current user or stop: 404 when it does not exist, 403 (logged) when
the user may not act on it."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from facilitator.auth.access import deny
from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.groups import policy
from facilitator.groups.models import CaseGroup


def load_group(group_id: int, check: Callable = policy.can_view_group) -> CaseGroup:
    group = db.session.get(CaseGroup, group_id)
    if group is None:
        abort(404)
    if not check(current_user, group):
        deny(check.__name__, object_type="case_group", object_id=group_id)
    return group


def load_case(case_id: int, check: Callable = policy.can_view_case) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not check(current_user, case):
        deny(check.__name__, object_type="case", object_id=case_id, case_pseudonym=case.pseudonym)
    return case
