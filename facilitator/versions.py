"""Edits checked against the version the editor saw (SECURITY.md R3).

A form carries the version of the record it showed. Saving claims the next version with one
``UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?``: when someone else saved
in between (in this process or another, on either database) no row matches, and the save is
refused with an :class:`EditConflict` that holds the record as it now is. The form is shown
again with what is saved now next to what the editor entered, and carries the current version:
saving again is their decision to keep their own. The meeting's fields work the same way
(facilitator.meetings.run.save_field).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from wtforms import Form, IntegerField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from facilitator.core.i18n import date_filter
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import IntRange

MAX_VERSION = 2**31 - 1


class EditConflict(ServiceError):
    """Someone else saved this record since the editor's form was shown."""

    def __init__(self, current) -> None:
        super().__init__(_l("Someone else changed this in the meantime."))
        self.current = current


def claim_version(record, seen: int | None) -> None:
    """Raise the version of ``record`` from ``seen``, or refuse when it is no longer ``seen``.

    Call it before changing ``record``. ``seen`` None: the caller shows no form (the command
    line, the demo, a meeting's screen): the version loaded is the one compared, so the edit
    still moves the version on for any form open elsewhere.
    """
    model = type(record)
    expected = record.version if seen is None else seen
    result = db.session.execute(
        update(model)
        .where(model.id == record.id, model.version == expected)
        .values(version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(record)
        raise EditConflict(record)
    set_committed_value(record, "version", expected + 1)


def version_field() -> IntegerField:
    """The version of the record a form shows: hidden, and sent back with the form.

    Every page sends it; a post without it (a script) has nothing to compare and is checked
    against the version loaded, as the command line is.
    """
    return IntegerField(
        widget=HiddenInput(), validators=[Optional(), IntRange(min=1, max=MAX_VERSION)]
    )


@dataclass(frozen=True)
class Difference:
    """One field where what is saved now differs from what the editor entered."""

    label: str
    current: str
    yours: str


def shown(value) -> str:
    """A value as a page shows it (a date in words), for the comparison."""
    if value is None or value == "":
        return "—"
    return date_filter(value) if isinstance(value, date) else str(value)


def differences(rows) -> list[Difference]:
    """The rows (label, saved now, entered) whose two values differ, as shown."""
    return [
        Difference(str(label), shown(current), shown(yours))
        for label, current, yours in rows
        if shown(current) != shown(yours)
    ]


def show_conflict(form: Form, error: EditConflict, rows) -> None:
    """Show the form again with what changed; it now carries the current version, so saving
    again keeps what the editor entered, and cancelling keeps what is saved."""
    form.form_errors.append(
        _l(
            "Someone else saved a change while you were editing. What is saved now is shown "
            "next to what you entered: save again to keep yours, or cancel to keep what is "
            "saved."
        )
    )
    form.conflict = differences(rows)
    form.version.data = error.current.version
    form.version.raw_data = [str(error.current.version)]
