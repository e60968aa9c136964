"""Tombstones on paper: the key store's list of erasures as a file an operator keeps elsewhere.

A restore onto a machine whose key store was lost cannot read the erasures made after the
backup from it; the operator gives this file instead (``facilitator restore FILE --tombstones
F``). It holds case ids and times only, never data.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.exceptions import ServiceError
from facilitator.privacy.keystore import Tombstone, keystore

FORMAT = "casustafel-tombstones/1"


def export_tombstones(output: Path) -> int:
    """Write every tombstone of the key store to ``output`` (owner-only); return how many."""
    found = keystore().tombstones()
    write_tombstones(output, found)
    record(
        "tombstones_exported",
        action=AuditAction.EXECUTE,
        object_type="tombstones",
        reason=f"{len(found)} tombstones",
    )
    return len(found)


def write_tombstones(output: Path, found: list[Tombstone]) -> None:
    """Write tombstones to a file that only its owner can read."""
    content = {
        "format": FORMAT,
        "exported_at": datetime.now(UTC).isoformat(),
        "tombstones": [
            {"case_id": tombstone.case_id, "erased_at": tombstone.erased_at.isoformat()}
            for tombstone in found
        ],
    }
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(content, handle, indent=1)


def read_tombstones(path: Path) -> list[Tombstone]:
    """The tombstones of an exported file; refuse a file that is not one."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        if content.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        found = []
        for entry in content["tombstones"]:
            erased_at = datetime.fromisoformat(entry["erased_at"])
            if erased_at.tzinfo is None or not isinstance(entry["case_id"], int):
                raise ValueError("a tombstone needs a case id and a time with its zone")
            found.append(Tombstone(erased_at.astimezone(UTC), entry["case_id"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ServiceError(f"{path}: not a tombstone file ({error})") from None
    return sorted(found)
