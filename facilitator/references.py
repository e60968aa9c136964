"""What still refers to a row: every foreign key of the schema that points at it, counted.

The database refuses to delete a row that another row refers to (the foreign keys are
RESTRICT). A service that offers a delete asks here first, so the user reads what still refers
to the row instead of meeting a server error. The foreign keys are found by walking the
metadata, so one added later is counted without anyone remembering to; ``LABELS`` says what a
row of each referring table is called (a test fails for a table without a label).
"""

from __future__ import annotations

from collections.abc import Callable

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from sqlalchemy import Table, func, or_, select

from facilitator.extensions import db

#: A referring table's rows, counted as the user knows them ("3 aanwezigheidsregistraties").
LABELS: dict[str, Callable[[int], str]] = {
    "users": lambda n: ngettext("%(num)d user account", "%(num)d user accounts", n),
    "cases": lambda n: ngettext("%(num)d case", "%(num)d cases", n),
    "organisations": lambda n: ngettext("%(num)d organisation", "%(num)d organisations", n),
    "case_groups": lambda n: ngettext("%(num)d case group", "%(num)d case groups", n),
    "contacts": lambda n: ngettext("%(num)d contact", "%(num)d contacts", n),
    "attendance": lambda n: ngettext("%(num)d attendance record", "%(num)d attendance records", n),
    "agenda_item_organisations": lambda n: ngettext(
        "%(num)d agenda case (as an organisation at the table)",
        "%(num)d agenda cases (as an organisation at the table)",
        n,
    ),
    "finding_organisations": lambda n: ngettext("%(num)d finding", "%(num)d findings", n),
    "meetings": lambda n: ngettext(
        "%(num)d meeting (as its host)", "%(num)d meetings (as their host)", n
    ),
    "action_items": lambda n: ngettext("%(num)d action", "%(num)d actions", n),
    "logbook_editions": lambda n: ngettext(
        "%(num)d logbook edition", "%(num)d logbook editions", n
    ),
    "regievoerder_assignments": lambda n: ngettext(
        "%(num)d regievoerder assignment", "%(num)d regievoerder assignments", n
    ),
    "consent_organisations": lambda n: ngettext(
        "%(num)d consent (as an organisation that may see the identity)",
        "%(num)d consents (as an organisation that may see the identity)",
        n,
    ),
}

#: Foreign keys that do not stop a delete: the database removes or clears the referring rows.
_NOT_BLOCKING = {"CASCADE", "SET NULL"}


def blocking_references(table: Table) -> dict[Table, list]:
    """Every table with a foreign key to ``table`` that stops a delete, with those columns."""
    found: dict[Table, list] = {}
    for other in db.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is table and (key.ondelete or "").upper() not in _NOT_BLOCKING:
                found.setdefault(other, []).append((key.parent, key.column))
    return found


def count_references(row) -> dict[str, int]:
    """How many rows of each table still refer to ``row`` (an ORM object); only those above 0.

    A table that refers to it through several columns counts each referring row once.
    """
    table = row.__table__
    counts: dict[str, int] = {}
    for other, pairs in blocking_references(table).items():
        condition = or_(*(column == getattr(row, target.key) for column, target in pairs))
        count = db.session.scalar(select(func.count()).select_from(other).where(condition))
        if count:
            counts[other.name] = count
    return counts


def _in_label_order(item: tuple[str, int]) -> tuple[int, str]:
    order = list(LABELS)
    return (order.index(item[0]) if item[0] in order else len(order), item[0])


def describe(counts: dict[str, int]) -> str:
    """The counts as one phrase in the user's language: "3 attendance records and 1 finding"."""
    parts = [
        LABELS[name](count)
        if name in LABELS
        else ngettext("%(num)d row of %(table)s", "%(num)d rows of %(table)s", count, table=name)
        for name, count in sorted(counts.items(), key=_in_label_order)
    ]
    return format_list(parts, locale=get_locale())
