"""Storing, reading and erasing a case's identity. The only module that decrypts it.

Callers outside the privacy package use :func:`facilitator.privacy.services.reveal_identity`,
which checks SECURITY.md P7 and writes the audit row first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, delete, select

from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.privacy.crypto import (
    associated_data,
    blind_index,
    decrypt,
    encrypt,
    master_key_ring,
    new_data_key,
)
from facilitator.privacy.keystore import keystore
from facilitator.privacy.models import CaseIdentity, IdentityBlindIndex
from facilitator.privacy.normalise import normalise

TABLE = CaseIdentity.__tablename__


@dataclass(frozen=True)
class IdentityData:
    full_name: str
    birth_date: date
    bsn: str = ""
    client_number: str = ""

    def values_for_scanning(self) -> list[str]:
        """The values the personal-data guard looks for in this case's free text."""
        return [self.full_name, self.birth_date.isoformat(), self.bsn, self.client_number]


def normalise_bsn(bsn: str) -> str:
    return "".join(char for char in bsn if char.isdigit()).zfill(9)


def normalise_name(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name, for the blind index."""
    decomposed = unicodedata.normalize("NFKD", normalise(name).text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.replace("-", " ").split())


def blind_indexes(data: IdentityData) -> list[tuple[str, str]]:
    """Return (kind, digest) pairs by which this identity can be recognised again."""
    pairs = [
        (
            "name_birth_date",
            blind_index(
                "name_birth_date", f"{normalise_name(data.full_name)}|{data.birth_date.isoformat()}"
            ),
        )
    ]
    if data.bsn:
        pairs.append(("bsn", blind_index("bsn", normalise_bsn(data.bsn))))
    return pairs


def find_known_cases(region_id: int, data: IdentityData) -> list[Case]:
    """Return the cases of the region whose stored identity matches this one."""
    digests = [digest for _, digest in blind_indexes(data)]
    return list(
        db.session.scalars(
            select(Case)
            .join(IdentityBlindIndex, IdentityBlindIndex.case_id == Case.id)
            .where(
                IdentityBlindIndex.region_id == region_id, IdentityBlindIndex.digest.in_(digests)
            )
            .distinct()
        )
    )


def store_identity(case: Case, data: IdentityData) -> None:
    """Encrypt and store a case's identity under a fresh data key, with its blind indexes.

    The case must have been flushed (it needs its id). The data key is committed to the key
    store at once; if the data transaction then fails, the orphaned key decrypts nothing.
    """
    data_key = new_data_key()
    keystore().put(case.id, data_key, master_key_ring())
    values = {
        "full_name": data.full_name,
        "birth_date": data.birth_date.isoformat(),
        "bsn": normalise_bsn(data.bsn) if data.bsn else None,
        "client_number": data.client_number or None,
    }
    encrypted = {
        column: encrypt(data_key, value, associated_data(TABLE, case.id, column))
        if value is not None
        else None
        for column, value in values.items()
    }
    db.session.add(CaseIdentity(case_id=case.id, **encrypted))
    for kind, digest in blind_indexes(data):
        db.session.add(
            IdentityBlindIndex(
                case_id=case.id, region_id=case.group.region_id, kind=kind, digest=digest
            )
        )
    db.session.flush()


def read_identity(case: Case) -> IdentityData | None:
    """Decrypt a case's identity; None when there is none or its key has been erased."""
    row = db.session.get(CaseIdentity, case.id)
    if row is None:
        return None
    data_key = keystore().get(case.id, master_key_ring())
    if data_key is None:
        return None

    def clear(column: str) -> str:
        blob = getattr(row, column)
        if blob is None:
            return ""
        return decrypt(data_key, blob, associated_data(TABLE, case.id, column))

    return IdentityData(
        full_name=clear("full_name"),
        birth_date=date.fromisoformat(clear("birth_date")),
        bsn=clear("bsn"),
        client_number=clear("client_number"),
    )


def erase_identity(case: Case) -> bool:
    """Crypto-shred a case's identity: key first, then the row and the blind indexes (P6).

    The key goes first and is committed at once, with the erasure's tombstone: from that
    moment no copy of the row, in a backup or anywhere else, can be decrypted, whatever happens
    to this transaction, and a restore of an older backup erases the identity again (R4).
    """
    had_key = keystore().shred(case.id)
    removed = erase_identity_rows(db.session.connection(), [case.id])
    db.session.expire(case, ["identity"])
    return had_key or removed > 0


def erase_identity_rows(connection: Connection, case_ids: Collection[int]) -> int:
    """Delete the identity rows and blind indexes of these cases; return the identities removed.

    Also used by a restore, on a database that is not the session's, to repeat erasures.
    """
    if not case_ids:
        return 0
    result = connection.execute(delete(CaseIdentity).where(CaseIdentity.case_id.in_(case_ids)))
    connection.execute(delete(IdentityBlindIndex).where(IdentityBlindIndex.case_id.in_(case_ids)))
    return result.rowcount
