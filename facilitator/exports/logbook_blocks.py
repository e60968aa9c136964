"""The logbook's Bouwstenen: each group's scores on the six building blocks over the period,
the first measurement against the latest, and what the groups said went well and could be
better. Read from the rows of :func:`facilitator.exports.logbook_queries.building_block_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from facilitator.core.i18n import date_filter
from facilitator.exports.screening import Place, TextInScope, link
from facilitator.localtime import local_date
from facilitator.meetings.models import BUILDING_BLOCKS


@dataclass(frozen=True)
class Measurement:
    meeting_id: int
    day: date
    #: Per building block (its key), the score from 1 to 5.
    scores: dict[str, int]
    went_well: str
    could_be_better: str

    @property
    def average(self) -> float:
        return sum(self.scores.values()) / len(self.scores)


@dataclass(frozen=True)
class BlockComparison:
    key: str
    label: LazyString
    first: int
    latest: int
    average: float

    @property
    def change(self) -> int:
        return self.latest - self.first


@dataclass(frozen=True)
class GroupBlocks:
    group_id: int
    group: str
    #: In time order.
    measurements: tuple[Measurement, ...]

    @property
    def first(self) -> Measurement:
        return self.measurements[0]

    @property
    def latest(self) -> Measurement:
        return self.measurements[-1]

    @property
    def comparison(self) -> list[BlockComparison]:
        """Per building block: the first and the latest score, and the average of all."""
        count = len(self.measurements)
        return [
            BlockComparison(
                key,
                label,
                self.first.scores[key],
                self.latest.scores[key],
                round(sum(m.scores[key] for m in self.measurements) / count, 1),
            )
            for key, label in BUILDING_BLOCKS
        ]

    @property
    def remarks(self) -> list[Measurement]:
        return [m for m in self.measurements if m.went_well or m.could_be_better]


@dataclass(frozen=True)
class BuildingBlocksSection:
    groups: tuple[GroupBlocks, ...]

    @property
    def measurements(self) -> int:
        return sum(len(g.measurements) for g in self.groups)

    def texts(self) -> list[TextInScope]:
        """The remarks, each with the meeting where it can be corrected."""
        texts = []
        for group in self.groups:
            for m in group.measurements:
                place = Place(
                    _("Meeting of %(group)s on %(day)s", group=group.group, day=date_filter(m.day)),
                    "",
                    str(_l("Building blocks")),
                    link("corrections.blocks_spot", meeting_id=m.meeting_id),
                )
                texts += [TextInScope(place, m.went_well), TextInScope(place, m.could_be_better)]
        return texts


def building_blocks(rows) -> BuildingBlocksSection:
    """The measurements per group (rows come ordered by group and time)."""
    groups: dict[int, tuple[str, list[Measurement]]] = {}
    for score, meeting_id, scheduled_at, group_id, group_name in rows:
        measurement = Measurement(
            meeting_id=meeting_id,
            day=local_date(scheduled_at),
            scores={key: getattr(score, key) for key, _label in BUILDING_BLOCKS},
            went_well=score.went_well,
            could_be_better=score.could_be_better,
        )
        groups.setdefault(group_id, (group_name, []))[1].append(measurement)
    return BuildingBlocksSection(
        tuple(GroupBlocks(gid, name, tuple(found)) for gid, (name, found) in groups.items())
    )


def block_labels() -> list[str]:
    """The six building blocks' names in the reader's language, in their order."""
    return [str(label) for _key, label in BUILDING_BLOCKS]
