"""Who may read the audit log (SECURITY.md L3): one rule, so that it tightens in one place."""

from __future__ import annotations

from typing import Any


def can_read_audit_log(user: Any) -> bool:
    """Users a beheerder granted the audit right; the role alone gives no one the log.

    The beheerder grants the right but, without it, sees nothing of the log: it names cases.
    Two-factor login for audit readers (A5) is to be required here as well.
    """
    return bool(getattr(user, "is_authenticated", False) and user.active and user.can_read_audit)


def can_export_access_overview(user: Any, case: Any) -> bool:
    """The client's own overview (AVG art. 15): a procesbegeleider of the case's group who may
    see the case's identity (P7, the identity page's rule), to hand it to the client."""
    from facilitator.groups.policy import is_group_procesbegeleider
    from facilitator.privacy.services import may_reveal_identity

    return is_group_procesbegeleider(user, case.group) and may_reveal_identity(case, user)
