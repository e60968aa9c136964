"""The backup file: a tar archive of a manifest and one dump per database.

The manifest says when the backup began (everything committed before then is in it), the
application's version and migration, and for each part its file, database kind, SHA-256 and
rows per table. A restore reads only the members the manifest names, into a folder of its own,
and refuses any that do not match their hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from facilitator.backup.parts import BackupError

FORMAT = "casustafel-backup/1"
MANIFEST = "manifest.json"
PART_NAMES = ("data", "keystore")


@dataclass(frozen=True)
class Part:
    file: str
    dialect: str
    sha256: str
    size: int
    tables: dict[str, int]


@dataclass(frozen=True)
class Manifest:
    #: When the backup began, UTC: every erasure after it is repeated by a restore.
    created_at: datetime
    app_version: str
    alembic_revision: str
    parts: dict[str, Part] = field(default_factory=dict)
    format: str = FORMAT

    def to_json(self) -> bytes:
        content = asdict(self)
        content["created_at"] = self.created_at.isoformat()
        return json.dumps(content, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            content = json.loads(raw)
            if content.get("format") != FORMAT:
                raise BackupError(f"not a {FORMAT} manifest")
            parts = {name: Part(**content["parts"][name]) for name in PART_NAMES}
            created_at = datetime.fromisoformat(content["created_at"])
            if created_at.tzinfo is None:
                raise ValueError("created_at without a time zone")
            return cls(
                created_at=created_at,
                app_version=str(content["app_version"]),
                alembic_revision=str(content["alembic_revision"]),
                parts=parts,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"the manifest is not valid: {error}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_archive(output: Path, manifest: Manifest, folder: Path) -> None:
    """Write the archive readable by its owner only, complete or not at all.

    The temporary file is new (``mkstemp``: O_EXCL, mode 0600, beside ``output``), so a file
    or link left under any name in the folder is never followed, truncated or reused; the
    finished file replaces ``output``'s name, never what a link there points to.
    """
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=output.parent)
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
            raw = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mtime = int(manifest.created_at.timestamp())
            archive.addfile(info, io.BytesIO(raw))
            for part in manifest.parts.values():
                archive.add(folder / part.file, arcname=part.file, recursive=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def open_archive(path: Path, folder: Path) -> Manifest:
    """Read the manifest and its parts into ``folder``; refuse anything that does not match."""
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            with _member(archive, MANIFEST) as handle:
                manifest = Manifest.from_json(handle.read())
            for name, part in manifest.parts.items():
                if part.file in ("", ".", "..", MANIFEST) or part.file != Path(part.file).name:
                    raise BackupError(f"the manifest names an odd file for {name}: {part.file!r}")
                with _member(archive, part.file) as handle, (folder / part.file).open("wb") as out:
                    shutil.copyfileobj(handle, out, 1 << 20)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path}: not a readable backup archive ({error})") from None
    for name, part in manifest.parts.items():
        if sha256_of(folder / part.file) != part.sha256:
            raise BackupError(f"the {name} part does not match its SHA-256 in the manifest")
    return manifest


def _member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    """A regular file of the archive, read as a stream (a part may be larger than memory)."""
    try:
        member = archive.getmember(name)
    except KeyError:
        raise BackupError(f"the archive has no {name}") from None
    handle = archive.extractfile(member) if member.isfile() else None
    if handle is None:
        raise BackupError(f"{name} in the archive is not a file")
    return handle
