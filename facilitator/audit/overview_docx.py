"""The client's own overview as Word: a pure function of :class:`AccessOverview`."""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _

from facilitator.audit.overview import AccessEntry, AccessOverview
from facilitator.audit.words import OUTCOME_WORDS, describe_event, role_words
from facilitator.core.i18n import date_filter, datetime_filter
from facilitator.exports.document import (
    add_table,
    new_document,
    set_properties,
    set_running_texts,
    to_bytes,
)


def build_access_overview_docx(data: AccessOverview, reference: bytes | None = None) -> BytesIO:
    """Who looked at or changed the case's data, when, from where and why: one row each."""
    title = _("Who saw or changed the data of case %(pseudonym)s", pseudonym=data.pseudonym)
    document = new_document(reference)
    set_running_texts(document, _("Overview of access · %(pseudonym)s", pseudonym=data.pseudonym))
    set_properties(
        document,
        title=title,
        author="Casustafel",
        subject=_("Overview of access (AVG article 15)"),
    )
    document.add_heading(title, 1)
    document.add_paragraph(
        _(
            "This overview lists every time someone looked at, changed, exported or tried to "
            "look at the data of this case in Casustafel, with when, from which organisation "
            "and in which role, and why. The case is named by its pseudonym only."
        )
    )
    document.add_paragraph(_("Made on %(date)s.", date=date_filter(data.made_on)))
    if not data.entries:
        document.add_paragraph(_("Nothing has been recorded for this case."))
        return to_bytes(document)
    add_table(
        document,
        [_("When"), _("Who"), _("Organisation and role"), _("What"), _("Outcome"), _("Why")],
        (_row(entry) for entry in data.entries),
        widths=(2.2, 2.2, 2.6, 3.4, 1.4, 2.2),
    )
    document.add_paragraph(
        _(
            "“Refused” means that Casustafel did not allow it: nothing was shown or changed. "
            "Times are Dutch local time."
        )
    )
    return to_bytes(document)


def _row(entry: AccessEntry) -> list[str]:
    who = _("the system") if entry.user_id is None else entry.user_name or _("a former user")
    where = ", ".join(
        part for part in (entry.organisation_name, role_words(entry.user_role)) if part
    )
    return [
        datetime_filter(entry.occurred_at, "d MMMM yyyy HH:mm:ss"),
        who,
        where,
        describe_event(entry.event_type, entry.action),
        str(OUTCOME_WORDS[entry.outcome]),
        entry.reason,
    ]
