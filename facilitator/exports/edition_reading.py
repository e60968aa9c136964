"""The issued editions as the beleidsgroeplid reads them: never one that names a case.

An edition counts cases and quotes findings; a finding's text may name a case by pseudonym.
The projectleider, who sees the cases, downloads every edition; for a reader who does not, an
edition whose text names a case is withheld (logged), and the projectleider can issue a new one.
"""

from __future__ import annotations

from flask import render_template

from facilitator.audit.models import AuditAction, AuditOutcome
from facilitator.audit.services import record_committed
from facilitator.cases.mentions import named_cases
from facilitator.exports.models import LogbookEdition
from facilitator.exports.screening import package_text
from facilitator.users.models import User


def withheld_from(reader: User, edition: LogbookEdition) -> bool:
    """Whether the edition's file names a case: then it is withheld from ``reader``, logged
    without the pseudonyms it names."""
    named = named_cases(package_text(edition.content).splitlines())
    if named:
        record_committed(
            "logbook_edition_withheld",
            action=AuditAction.READ,
            outcome=AuditOutcome.DENIED,
            actor=reader,
            object_type="logbook_edition",
            object_id=edition.id,
            check_result="names_a_case",
        )
    return bool(named)


def withheld_page(edition: LogbookEdition):
    return render_template("exports/edition_withheld.html", edition=edition), 409
