"""Who sits at the table for one case besides the organisations: the candidate (the client)
and their employer, recorded as present without a name, as the Gespreksleidraad advises."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.meetings.models import AgendaItem, Meeting
from facilitator.meetings.outcomes import CaseOutcome
from facilitator.users.models import User


def set_table_presence(
    meeting: Meeting, item: AgendaItem, *, candidate: bool, employer: bool, actor: User
) -> None:
    """Record whether the candidate and the employer were at the table for this case."""
    if not meeting.is_open_for_edits:
        raise ServiceError(_l("The attendance of this meeting can no longer change."))
    item.candidate_present = bool(candidate)
    item.employer_present = bool(employer)
    db.session.flush()
    record(
        "table_presence_set",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="agenda_item",
        object_id=item.id,
        case_pseudonym=item.case.pseudonym,
        # Which of the two, never who: there is no name to record.
        reason=f"kandidaat={int(item.candidate_present)} werkgever={int(item.employer_present)}",
    )


def at_the_table(item: AgendaItem | CaseOutcome) -> list[str]:
    """Who sat at the table for the case without a name, in words (for the minutes)."""
    present = []
    if item.candidate_present:
        present.append(_("the candidate"))
    if item.employer_present:
        present.append(_("the employer"))
    return present
