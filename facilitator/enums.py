"""Helpers for enumerations stored as readable strings, with translatable labels."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from wtforms import SelectChoice


class LabelledEnum(StrEnum):
    """A string enumeration whose members have a translated label for the interface."""

    @property
    def label(self) -> str:
        return str(self._labels()[self])

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[SelectChoice]:
        """Return the options of a select field, in declaration order."""
        return [SelectChoice(member.value, member.label) for member in cls]


def enum_column_type(enum_cls: type[StrEnum], name: str) -> sa.Enum:
    """Store an enum as its value in a VARCHAR with a CHECK constraint (portable, readable)."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
