"""The key store: per-case data keys, wrapped, in a database apart from the data (P2, P6).

A backup of the data database alone cannot be decrypted, and deleting a case's key here makes
every copy of its identity unreadable (crypto-shredding). Each erasure also leaves a tombstone
here (the case id and the time, nothing else), so that a restore of an older backup can erase
again what was erased after it (SECURITY.md R4). The store's tables are created on first use;
they are not part of the data database's migrations on purpose.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from facilitator.privacy.crypto import MasterKeyRing, associated_data

metadata = MetaData()
data_keys = Table(
    "data_keys",
    metadata,
    Column("case_id", Integer, primary_key=True),
    Column("master_key_id", String(16), nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
#: One row per erasure of a case's identity: which case, and when (UTC). Never any data.
tombstones = Table(
    "tombstones",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, nullable=False, index=True),
    Column("erased_at", DateTime, nullable=False),
)
EXTENSION = "casustafel_keystore"
_opening = threading.Lock()


@dataclass(frozen=True, order=True)
class Tombstone:
    """An erasure of a case's identity: the case and the moment, in UTC."""

    erased_at: datetime
    case_id: int


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


class KeyStore:
    def __init__(self, url: str | Engine) -> None:
        """Open the store at ``url``, or on an engine of its own (a restore's staged copy)."""
        self.engine: Engine = (
            url
            if isinstance(url, Engine)
            else create_engine(url, hide_parameters=True, pool_pre_ping=True)
        )
        metadata.create_all(self.engine)

    def _aad(self, case_id: int) -> bytes:
        return associated_data("data_keys", case_id, "wrapped_key")

    def put(self, case_id: int, data_key: bytes, ring: MasterKeyRing) -> None:
        """Store a case's data key, wrapped; committed at once."""
        wrapped_by, blob = ring.wrap(data_key, self._aad(case_id))
        with self.engine.begin() as connection:
            connection.execute(delete(data_keys).where(data_keys.c.case_id == case_id))
            connection.execute(
                insert(data_keys).values(
                    case_id=case_id,
                    master_key_id=wrapped_by,
                    wrapped_key=blob,
                    created_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )

    def get(self, case_id: int, ring: MasterKeyRing) -> bytes | None:
        """Return a case's data key, or None when it was erased (or never existed)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(data_keys.c.master_key_id, data_keys.c.wrapped_key).where(
                    data_keys.c.case_id == case_id
                )
            ).first()
        if row is None:
            return None
        return ring.unwrap(row.master_key_id, row.wrapped_key, self._aad(case_id))

    def erase(self, case_id: int) -> bool:
        """Destroy the data key of a case that was never committed (an import undone)."""
        with self.engine.begin() as connection:
            result = connection.execute(delete(data_keys).where(data_keys.c.case_id == case_id))
        return result.rowcount > 0

    def shred(self, case_id: int) -> bool:
        """Destroy a case's data key and leave its tombstone, in one commit, at once.

        Returns whether there was a key. The tombstone is written even without one: the
        erasure happened, and a restore must repeat it on a backup that still holds the key.
        """
        with self.engine.begin() as connection:
            result = connection.execute(delete(data_keys).where(data_keys.c.case_id == case_id))
            connection.execute(
                insert(tombstones).values(case_id=case_id, erased_at=_naive_utc(datetime.now(UTC)))
            )
        return result.rowcount > 0

    def tombstones(self) -> list[Tombstone]:
        """Every erasure recorded here, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(tombstones.c.case_id, tombstones.c.erased_at)).all()
        return sorted(Tombstone(row.erased_at.replace(tzinfo=UTC), row.case_id) for row in rows)

    def bury(self, erasures: Iterable[Tombstone]) -> None:
        """Erase again: destroy these cases' data keys and keep the tombstones missing here."""
        erasures = list(erasures)
        known = set(self.tombstones())
        with self.engine.begin() as connection:
            for tombstone in erasures:
                connection.execute(
                    delete(data_keys).where(data_keys.c.case_id == tombstone.case_id)
                )
                if tombstone not in known:
                    connection.execute(
                        insert(tombstones).values(
                            case_id=tombstone.case_id, erased_at=_naive_utc(tombstone.erased_at)
                        )
                    )

    def case_ids(self) -> list[int]:
        with self.engine.connect() as connection:
            return list(connection.scalars(select(data_keys.c.case_id)))

    def rewrap_all(self, ring: MasterKeyRing) -> tuple[int, int]:
        """Re-wrap every data key under the current master key; return (rewrapped, total)."""
        rewrapped = 0
        with self.engine.begin() as connection:
            rows = connection.execute(select(data_keys)).all()
            for row in rows:
                if row.master_key_id == ring.current_id:
                    continue
                aad = self._aad(row.case_id)
                key = ring.unwrap(row.master_key_id, row.wrapped_key, aad)
                wrapped_by, blob = ring.wrap(key, aad)
                connection.execute(
                    update(data_keys)
                    .where(data_keys.c.case_id == row.case_id)
                    .values(master_key_id=wrapped_by, wrapped_key=blob)
                )
                rewrapped += 1
        return rewrapped, len(rows)

    def dispose(self) -> None:
        self.engine.dispose()


def init_keystore(app: Flask) -> None:
    """Register the key store lazily: it connects on first use, not at start-up."""
    app.extensions[EXTENSION] = None


def keystore() -> KeyStore:
    """Return the app's key store, opening it on first use."""
    store = current_app.extensions.get(EXTENSION)
    if store is None:
        with _opening:
            store = current_app.extensions.get(EXTENSION)
            if store is None:
                store = KeyStore(current_app.config["KEYSTORE_URL"])
                current_app.extensions[EXTENSION] = store
    return store
