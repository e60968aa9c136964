"""Reading protocol files: every problem is reported with its place, none crashes the app."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from pydantic import ValidationError

from facilitator.config import PROJECT_ROOT
from facilitator.protocols.schema import Protocol

DEFAULT_DIRECTORY = PROJECT_ROOT / "protocols"
EXTENSION = "casustafel_protocols"


@dataclass(frozen=True)
class LoadedProtocol:
    protocol: Protocol
    path: Path
    #: SHA-256 of the file's bytes: a meeting keeps it, so a later edit is noticed.
    sha256: str
    text: str


@dataclass
class ProtocolRegistry:
    valid: dict[str, LoadedProtocol] = field(default_factory=dict)
    invalid: dict[str, list[str]] = field(default_factory=dict)

    def get(self, protocol_id: str) -> LoadedProtocol | None:
        return self.valid.get(protocol_id)

    def choices(self) -> list[LoadedProtocol]:
        return sorted(self.valid.values(), key=lambda p: p.protocol.title)


def location(loc: tuple) -> str:
    """Turn pydantic's ('steps', 2, 'fields', 0, 'type') into 'steps[2].fields[0].type'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(file)"


def load_file(path: Path) -> tuple[LoadedProtocol | None, list[str]]:
    """Read and validate one file; return it, or the problems as '<path>: <reason>' lines."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except OSError as error:
        return None, [f"(file): cannot be read: {error.strerror}"]
    except UnicodeDecodeError:
        return None, ["(file): not UTF-8 text"]
    except tomllib.TOMLDecodeError as error:
        return None, [_toml_problem(str(error))]
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as error:
        return None, [f"{location(e['loc'])}: {e['msg']}" for e in error.errors()]
    return LoadedProtocol(protocol, path, hashlib.sha256(raw).hexdigest(), text), []


def _toml_problem(message: str) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    if match:
        return f"line {match.group(1)}, column {match.group(2)}: {reason}"
    return f"(file): {reason}"


def load_directory(directory: Path) -> ProtocolRegistry:
    """Load every *.toml file; a valid protocol whose id was taken already counts as invalid."""
    registry = ProtocolRegistry()
    for path in sorted(directory.glob("*.toml")):
        loaded, problems = load_file(path)
        if loaded is not None and loaded.protocol.id in registry.valid:
            other = registry.valid[loaded.protocol.id].path.name
            problems = [f"id: {loaded.protocol.id!r} is already used by {other}"]
            loaded = None
        if loaded is None:
            registry.invalid[path.name] = problems
        else:
            registry.valid[loaded.protocol.id] = loaded
    return registry


def init_protocols(app: Flask) -> None:
    """Load the protocols once at start-up; invalid files are kept with their problems."""
    directory = Path(app.config.get("PROTOCOL_DIRECTORY") or DEFAULT_DIRECTORY)
    app.extensions[EXTENSION] = load_directory(directory)


def protocols() -> ProtocolRegistry:
    return current_app.extensions[EXTENSION]
