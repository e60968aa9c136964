"""The audit log's chain (SECURITY.md L2): every row sealed with an HMAC over the one before.

``chain = HMAC-SHA256(key, previous chain ‖ canonical content)``, under AUDIT_KEY, a key kept
outside the database like the master keys: whoever can write the table cannot recompute the
chain. Every append, from the ORM (``seal_new_rows``) or from a connection of its own
(``append``), first writes the one lock row, so appends of all processes follow each other.
The id is the previous id plus one: a removed row leaves a gap that ``verify`` names.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Flask, current_app
from sqlalchemy import Connection, DateTime, column, insert, select, table, update

from facilitator.audit.models import AuditChainAnchor, AuditChainLock, AuditEvent
from facilitator.config import is_production, read_or_create_instance_secret

#: The value before the first row ever written.
GENESIS = "0" * 64
#: The content of a row that the chain covers, in this order; ``chain`` itself excluded.
CONTENT = (
    "id",
    "occurred_at",
    "action",
    "event_type",
    "outcome",
    "user_id",
    "user_role",
    "organisation_id",
    "object_type",
    "object_id",
    "case_pseudonym",
    "reason",
    "source_address",
    "check_result",
)
LOCK_ID = 1
#: The table as stored, without the model's types: ``verify`` compares what is in the
#: database, and a value no enum knows is a broken row, not a crash.
RAW = table(
    "audit_events",
    *(column(name, DateTime() if name == "occurred_at" else None) for name in (*CONTENT, "chain")),
)


def audit_key(app: Flask | None = None) -> bytes:
    """Return AUDIT_KEY; outside production one is generated into the instance folder."""
    from facilitator.privacy.crypto import decode_key, encode_key, new_data_key

    app = app or current_app._get_current_object()
    cached = app.extensions.get("audit_key")
    if cached is not None:
        return cached
    configured = app.config.get("AUDIT_KEY")
    if not configured:
        if is_production(app):
            raise RuntimeError("FACILITATOR_AUDIT_KEY must be set in production")
        configured = read_or_create_instance_secret(
            app, "audit_key", lambda: encode_key(new_data_key())
        )
    app.extensions["audit_key"] = key = decode_key(str(configured))
    return key


def in_utc(moment: datetime) -> datetime:
    """The time of a row in UTC (a naive time from the database is UTC already).

    Kept to the microsecond, finer than L1's second: two events of one second keep their order.
    """
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def canonical(values: dict) -> bytes:
    """The row's content as the bytes the chain covers; the same on every database."""
    parts = []
    for name in CONTENT:
        value = values[name]
        if isinstance(value, datetime):
            value = in_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif hasattr(value, "value"):  # an enum
            value = value.value
        parts.append(value)
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode()


def seal(key: bytes, previous: str, values: dict) -> str:
    return hmac.new(key, previous.encode() + b"\n" + canonical(values), hashlib.sha256).hexdigest()


def take_lock(connection: Connection) -> None:
    """Hold the append lock until this connection's transaction ends."""
    result = connection.execute(
        update(AuditChainLock)
        .where(AuditChainLock.id == LOCK_ID)
        .values(appends=AuditChainLock.appends + 1)
    )
    if result.rowcount != 1:
        raise RuntimeError("the audit chain's lock row is missing: run `facilitator db upgrade`")


def last_link(connection: Connection) -> tuple[int, str]:
    """The id and chain value the next row links to (read while holding the lock)."""
    row = connection.execute(
        select(AuditEvent.id, AuditEvent.chain).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if row is not None:
        return row.id, row.chain
    anchor = connection.execute(
        select(AuditChainAnchor.last_purged_id, AuditChainAnchor.last_purged_chain)
        .order_by(AuditChainAnchor.id.desc())
        .limit(1)
    ).first()
    return (anchor[0], anchor[1]) if anchor is not None else (0, GENESIS)


def link(connection: Connection, rows: Sequence[dict], key: bytes) -> None:
    """Give each row (column values) its id and chain, after the last row; lock first."""
    take_lock(connection)
    last_id, previous = last_link(connection)
    for offset, values in enumerate(rows, start=1):
        values["id"] = last_id + offset
        values["occurred_at"] = in_utc(values["occurred_at"])
        values["chain"] = previous = seal(key, previous, values)


def append(connection: Connection, rows: Sequence[dict]) -> None:
    """Insert rows (column values without id) on a connection of their own, sealed."""
    rows = [dict(values) for values in rows]
    link(connection, rows, audit_key())
    connection.execute(insert(AuditEvent), rows)


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def holds(self) -> bool:
        return self.broken_id is None


def verify(connection: Connection, key: bytes, *, head: tuple[int, str] | None = None) -> Verdict:
    """Walk the chain from its start (or the last purge's anchor) and name the first break."""
    anchor = connection.execute(
        select(AuditChainAnchor).order_by(AuditChainAnchor.id.desc()).limit(1)
    ).first()
    expected_id, previous = (
        (anchor.last_purged_id + 1, anchor.last_purged_chain) if anchor else (1, GENESIS)
    )
    checked = 0
    head_seen = head is None
    vouched = anchor is None
    query = select(RAW).order_by(RAW.c.id)
    with connection.execute(query, execution_options={"yield_per": 1000}) as result:
        for row in result:
            values = dict(row._mapping)
            if values["id"] != expected_id:
                return Verdict(checked, expected_id, f"row {expected_id} is missing")
            if not hmac.compare_digest(seal(key, previous, values), values["chain"]):
                return Verdict(checked, values["id"], f"row {values['id']} does not match")
            if head is not None and values["id"] == head[0]:
                if not hmac.compare_digest(values["chain"], head[1]):
                    return Verdict(checked, head[0], f"row {head[0]} differs from the head")
                head_seen = True
            vouched = vouched or vouches_for(values, anchor)
            previous = values["chain"]
            expected_id += 1
            checked += 1
    if not vouched:
        problem = "no sealed purge row vouches for the anchor the chain starts from"
        return Verdict(checked, anchor.last_purged_id, problem)
    if not head_seen:
        return Verdict(checked, head[0], f"row {head[0]} of the recorded head is missing")
    return Verdict(checked)


#: The reason of a purge row: what it removed, so that ``verify`` can trust its anchor.
PURGE_REASON = "cut {cut}; anchor {last_id}:{last_chain}; {removed} rows"
_PURGE = re.compile(r"^cut (\d{4}-\d{2}-\d{2}); anchor (\d+):([0-9a-f]{64}); \d+ rows$")
RETENTION_YEARS = 5


def earliest_allowed_cut(today: date) -> date:
    """The latest cut-off a purge may use on ``today``: rows younger than five years stay."""
    try:
        return today.replace(year=today.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - RETENTION_YEARS, day=28)


def vouches_for(values: dict, anchor) -> bool:
    """Whether a sealed row is the purge that left ``anchor``, within the retention rule.

    The anchors table is not sealed: an anchor without its purge row in the chain could have
    been put there by anyone who removed young rows, and is refused.
    """
    if values["event_type"] != "audit_purged":
        return False
    match = _PURGE.match(values["reason"] or "")
    if match is None:
        return False
    cut, last_id, last_chain = date.fromisoformat(match[1]), int(match[2]), match[3]
    purged_on = in_utc(values["occurred_at"]).date()
    return (last_id, last_chain) == (
        anchor.last_purged_id,
        anchor.last_purged_chain,
    ) and cut <= earliest_allowed_cut(purged_on)


def head(connection: Connection) -> tuple[int, str] | None:
    row = connection.execute(
        select(AuditEvent.id, AuditEvent.chain).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (row.id, row.chain) if row is not None else None
