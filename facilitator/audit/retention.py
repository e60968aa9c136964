"""Purging audit rows past the retention period (SECURITY.md L3: kept at least five years).

A purge removes a prefix of the chain only: the oldest rows, up to the last one older than the
cut-off with no younger row before it. The chain first has to hold; the last purged row's id
and value become the anchor that ``verify`` starts from, and the purge is itself logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, insert, select

from facilitator.audit import chain
from facilitator.audit.models import (
    AuditAction,
    AuditChainAnchor,
    AuditEvent,
    AuditOutcome,
    AuditPurgePermit,
)
from facilitator.extensions import db

RETENTION_YEARS = chain.RETENTION_YEARS
earliest_allowed_cut = chain.earliest_allowed_cut


class PurgeRefused(Exception):
    pass


@dataclass(frozen=True)
class Purge:
    removed: int
    last_removed_id: int | None


def purge_before(cut: date, *, today: date) -> Purge:
    """Remove the rows older than ``cut``, in one transaction of its own."""
    if cut > earliest_allowed_cut(today):
        raise PurgeRefused(
            f"rows younger than {RETENTION_YEARS} years are kept: the cut-off may be "
            f"{earliest_allowed_cut(today).isoformat()} at the latest"
        )
    before = datetime(cut.year, cut.month, cut.day, tzinfo=UTC)
    with db.engine.begin() as connection:
        chain.take_lock(connection)
        verdict = chain.verify(connection, chain.audit_key())
        if not verdict.holds:
            raise PurgeRefused(f"the chain is broken ({verdict.problem}): nothing removed")
        first_young = connection.scalar(
            select(func.min(AuditEvent.id)).where(AuditEvent.occurred_at >= before)
        )
        limit = select(func.max(AuditEvent.id))
        if first_young is not None:
            limit = limit.where(AuditEvent.id < first_young)
        last_id = connection.scalar(limit)
        if last_id is None:
            return Purge(0, None)
        last_chain = connection.scalar(select(AuditEvent.chain).where(AuditEvent.id == last_id))
        connection.execute(insert(AuditChainAnchor), [_anchor(last_id, last_chain)])
        connection.execute(insert(AuditPurgePermit), [{"before": before}])
        removed = connection.execute(delete(AuditEvent).where(AuditEvent.id <= last_id))
        connection.execute(delete(AuditPurgePermit))
        reason = chain.PURGE_REASON.format(
            cut=cut.isoformat(), last_id=last_id, last_chain=last_chain, removed=removed.rowcount
        )
        chain.append(connection, [_purge_row(last_id, reason)])
    return Purge(removed.rowcount, last_id)


def _anchor(last_id: int, last_chain: str) -> dict:
    return {
        "last_purged_id": last_id,
        "last_purged_chain": last_chain,
        "purged_at": datetime.now(UTC),
    }


def _purge_row(last_id: int, reason: str) -> dict:
    return {
        "occurred_at": datetime.now(UTC),
        "action": AuditAction.DELETE,
        "event_type": "audit_purged",
        "outcome": AuditOutcome.SUCCESS,
        "user_id": None,
        "user_role": "",
        "organisation_id": None,
        "object_type": "audit_events",
        "object_id": str(last_id),
        "case_pseudonym": "",
        "reason": reason,
        "source_address": "cli",
        "check_result": "",
    }
