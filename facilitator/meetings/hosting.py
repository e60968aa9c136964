"""A meeting's host organisation and notulist: who may be chosen, and the check on a choice.

The host is one of the organisations of the group's active members; the notulist is an active
member of the group. Planning one meeting, a series, or changing a meeting all check here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from facilitator.exceptions import ServiceError
from facilitator.groups.models import CaseGroup, GroupRole
from facilitator.regions.models import Organisation
from facilitator.series.rotation import Candidate
from facilitator.users.models import User


def group_members(group: CaseGroup) -> list[User]:
    """The group's active members (procesbegeleiders too), by name."""
    return sorted(
        (m.user for m in group.memberships if m.user.active), key=lambda u: (u.name, u.id)
    )


def member_organisations(group: CaseGroup) -> list[Organisation]:
    """The organisations of the group's active members, in the rotation's stable order."""
    found = {user.organisation.id: user.organisation for user in group_members(group)}
    return sorted(found.values(), key=lambda o: (o.name.casefold(), o.id))


def rotation_candidates(group: CaseGroup) -> list[Candidate]:
    """Each member organisation with its members who may take the minutes: its members, or
    its procesbegeleiders when it has no one else (they lead the meeting)."""
    leaders = {m.user_id for m in group.memberships if m.role == GroupRole.PROCESBEGELEIDER}
    candidates = []
    for organisation in member_organisations(group):
        people = [u for u in group_members(group) if u.organisation_id == organisation.id]
        takers = [u.id for u in people if u.id not in leaders] or [u.id for u in people]
        candidates.append(Candidate(organisation.id, tuple(takers)))
    return candidates


def check_host_and_notulist(
    group: CaseGroup, host_organisation_id: int | None, notulist_id: int | None
) -> None:
    """Refuse a host that is no member organisation, or a notulist who is no member."""
    if host_organisation_id and host_organisation_id not in {
        o.id for o in member_organisations(group)
    }:
        raise ServiceError(
            _l("The host must be an organisation of one of the group's members."),
            field="host_organisation_id",
        )
    if notulist_id and notulist_id not in {u.id for u in group_members(group)}:
        raise ServiceError(_l("The notulist must be a member of the group."), field="notulist_id")


def host_choices(group: CaseGroup, current: Organisation | None = None) -> list[SelectChoice]:
    """The member organisations; ``current`` too (a meeting's host whose members left since:
    keeping it must stay possible)."""
    organisations = member_organisations(group)
    if current is not None and current not in organisations:
        organisations.append(current)
    return [SelectChoice(0, str(_l("(not chosen yet)")))] + [
        SelectChoice(o.id, o.name) for o in organisations
    ]


def notulist_choices(group: CaseGroup, current: User | None = None) -> list[SelectChoice]:
    """The active members; ``current`` too (a notulist who left or was deactivated since)."""
    people = group_members(group)
    if current is not None and current not in people:
        people.append(current)
    return [SelectChoice(0, str(_l("(not chosen yet)")))] + [
        SelectChoice(u.id, f"{u.name} ({u.organisation.name})") for u in people
    ]
