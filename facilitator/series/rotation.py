"""Who hosts and who takes the minutes, in turn: a pure proposal (seed 001).

"Laat steeds een andere organisatie het overleg organiseren en een andere organisatie (de
volgende die organiseert) notuleren." The group's member organisations host in a stable order
(by name, then id); the notulist of a meeting is a member of the organisation that hosts the
next one, each of its members in turn. The procesbegeleider can change every proposal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A member organisation and the members who may take the minutes for it, in order."""

    organisation_id: int
    notulist_ids: tuple[int, ...]


@dataclass(frozen=True)
class Turn:
    host_organisation_id: int | None
    notulist_id: int | None


def propose_rotation(count: int, candidates: Sequence[Candidate], start: int = 0) -> list[Turn]:
    """``count`` turns: host ``start``, ``start + 1``, ... of ``candidates`` (wrapping round),
    each with a notulist from the next host's organisation."""
    if not candidates:
        return [Turn(None, None) for _ in range(count)]
    turns = []
    taken: dict[int, int] = {}  # how often each organisation supplied the notulist so far
    for number in range(count):
        host = candidates[(start + number) % len(candidates)]
        next_host = candidates[(start + number + 1) % len(candidates)]
        notulist = None
        if next_host.notulist_ids:
            times = taken.get(next_host.organisation_id, 0)
            notulist = next_host.notulist_ids[times % len(next_host.notulist_ids)]
            taken[next_host.organisation_id] = times + 1
        turns.append(Turn(host.organisation_id, notulist))
    return turns


def next_start(candidates: Sequence[Candidate], last_host_id: int | None) -> int:
    """Where a rotation continues after a meeting hosted by ``last_host_id``."""
    ids = [c.organisation_id for c in candidates]
    return ids.index(last_host_id) + 1 if last_host_id in ids else 0
