"""The client's own overview (AVG art. 15, NEN 7513): every audit row of one case, read in one
query, for the document a procesbegeleider hands to the client.

It names the case by its pseudonym only: never the client's identity, and never another case
(a row about a possible duplicate names the other case in its reason: that name is masked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import String, and_, cast, or_, select

from facilitator.audit.models import AuditAction, AuditEvent, AuditOutcome
from facilitator.cases.models import Case
from facilitator.cases.pseudonyms import ALPHABET
from facilitator.exports.screening import Place, TextInScope, link
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings.models import AgendaItem
from facilitator.regions.models import Organisation
from facilitator.users.models import User

#: A pseudonym inside a text (a reason): any but the overview's own case is masked.
_PSEUDONYM_IN_TEXT = re.compile(f"(?<![A-Z0-9])[{ALPHABET}]{{2}}-[{ALPHABET}]{{3}}(?![A-Z0-9])")


@dataclass(frozen=True)
class AccessEntry:
    """One look at or change of the case's data, as the audit row recorded it."""

    occurred_at: datetime
    event_type: str
    action: AuditAction
    outcome: AuditOutcome
    #: None: the system or the command line acted, not a user.
    user_id: int | None
    #: None also when the account no longer exists.
    user_name: str | None
    user_role: str
    organisation_name: str
    reason: str


@dataclass(frozen=True)
class AccessOverview:
    case_id: int
    pseudonym: str
    region_id: int
    made_on: date
    entries: tuple[AccessEntry, ...]


def access_overview(case: Case) -> AccessOverview:
    """Every audit row of the case, oldest first, with who acted: one query."""
    rows = db.session.execute(
        select(
            AuditEvent.occurred_at,
            AuditEvent.event_type,
            AuditEvent.action,
            AuditEvent.outcome,
            AuditEvent.user_id,
            User.name,
            AuditEvent.user_role,
            Organisation.name,
            AuditEvent.reason,
        )
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Organisation, Organisation.id == AuditEvent.organisation_id)
        .where(or_(AuditEvent.case_pseudonym == case.pseudonym, _meeting_read_of(case)))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    entries = tuple(
        AccessEntry(
            occurred_at=at,
            event_type=event_type,
            action=action,
            outcome=outcome,
            user_id=user_id,
            user_name=name,
            user_role=role or "",
            organisation_name=organisation or "",
            reason=_only_this_case(reason or "", case.pseudonym),
        )
        for at, event_type, action, outcome, user_id, name, role, organisation, reason in rows
    )
    return AccessOverview(case.id, case.pseudonym, case.group.region_id, local_today(), entries)


def _meeting_read_of(case: Case):
    """A meeting's page shows every case on its agenda: a look at it is a look at this case."""
    meetings_with_case = select(cast(AgendaItem.meeting_id, String)).where(
        AgendaItem.case_id == case.id
    )
    return and_(
        AuditEvent.event_type == "record_read",
        AuditEvent.object_type == "meetings",
        AuditEvent.object_id.in_(meetings_with_case),
    )


def _only_this_case(text: str, pseudonym: str) -> str:
    return _PSEUDONYM_IN_TEXT.sub(
        lambda found: found.group(0) if found.group(0) == pseudonym else _("another case"), text
    )


def overview_texts(data: AccessOverview) -> Iterator[TextInScope]:
    """Every free text of the overview, for the export screening, each with where it is."""
    place = overview_place(data, _("Reason"))
    people = overview_place(data, _("Who"))
    for entry in data.entries:
        yield TextInScope(place, entry.reason)
        yield TextInScope(people, entry.user_name or "")
        yield TextInScope(people, entry.organisation_name)


def overview_place(data: AccessOverview, field: str) -> Place:
    return Place(
        where=_("Overview of access to case %(pseudonym)s", pseudonym=data.pseudonym),
        case_pseudonym=data.pseudonym,
        field=field,
        url=link("cases.case_detail", case_id=data.case_id),
    )
