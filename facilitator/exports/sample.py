"""A short sample document in a region's house style, so the beheerder sees its effect."""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _

from facilitator.exports import document
from facilitator.regions.models import Region


def sample_document(region: Region) -> BytesIO:
    """Headings of each level, text, a table, the running header and the page count: what the
    minutes and the logbook use of the house style (built-in style without one)."""
    doc = document.new_document(document.house_style(region.id))
    title = _("Sample in the house style of %(name)s", name=region.name)
    document.set_running_texts(doc, _("%(region)s · sample", region=region.name))
    document.set_properties(doc, title=title, author=region.name, subject=_("House style"))
    doc.add_heading(title, 1)
    doc.add_paragraph(
        _(
            "This is how the minutes and the logbook of this region look. This sample holds "
            "no data of any case."
        )
    )
    doc.add_heading(_("Heading 2: a section, such as Findings"), 2)
    doc.add_paragraph(_("Text under a heading uses the style Normal of the reference document."))
    doc.add_heading(_("Heading 3: a part of a section"), 3)
    document.add_table(
        doc,
        [_("Part"), _("Number")],
        [(_("Meetings held"), 6), (_("Cases discussed"), 14), (_("Findings"), 31)],
    )
    return document.to_bytes(doc)
