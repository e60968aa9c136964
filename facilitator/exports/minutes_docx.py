"""The minutes of a meeting as a Word document: a pure function of :class:`MinutesData`.

No database and no request: the caller reads the data, screens it and hands the file out. The
headings and labels are translated in the language active when it is called (the reader's).
"""

from __future__ import annotations

from io import BytesIO

from docx.document import Document
from flask_babel import format_date
from flask_babel import gettext as _

from facilitator.exports.document import (
    add_table,
    new_document,
    set_properties,
    set_running_texts,
    to_bytes,
)
from facilitator.exports.minutes import MinutesCase, MinutesData, RecordedStep
from facilitator.meetings.outcomes import ActionOutcome, FindingOutcome, LevelFindings
from facilitator.meetings.table import at_the_table


def _day(value) -> str:
    return format_date(value, "d MMMM yyyy")


def build_minutes_docx(data: MinutesData, *, reference: bytes | None = None) -> BytesIO:
    """The minutes as a .docx: draft (CONCEPT) or final, as ``data`` says."""
    doc = new_document(reference)
    day = _day(data.day)
    title = _("Minutes %(group)s %(date)s", group=data.group, date=day)
    set_running_texts(doc, f"{data.group} · {day}")
    set_properties(
        doc,
        title=title,
        author=data.region or "Casustafel",
        subject=_("Minutes of the meeting"),
        keywords=_("minutes") + ", " + (_("final") if data.is_final else _("draft")),
    )
    doc.add_heading(_("Minutes of the meeting of %(group)s", group=data.group), level=0)
    _status(doc, data)
    _cover(doc, data)
    _attendance(doc, data)
    _steps(doc, _("Opening"), data.opening)
    _review(doc, data)
    if data.cases:
        doc.add_heading(_("Cases discussed"), level=1)
        for case in data.cases:
            _case(doc, case)
    if data.findings or data.actions:
        doc.add_heading(_("For the whole meeting"), level=1)
        if data.findings:
            doc.add_heading(_("Findings"), level=2)
            _findings(doc, data.findings_by_level)
        if data.actions:
            doc.add_heading(_("Follow-up actions"), level=2)
            _actions(doc, data.actions)
    _steps(doc, _("Closing"), data.closing)
    _blocks(doc, data)
    return to_bytes(doc)


def _status(doc: Document, data: MinutesData) -> None:
    paragraph = doc.add_paragraph()
    if data.approval is None:
        paragraph.add_run(_("CONCEPT")).bold = True
        paragraph.add_run(
            " — "
            + _(
                "These minutes are a draft: the group approves them, with any corrections, "
                "at its next meeting."
            )
        )
        return
    approval = data.approval
    if approval.in_meeting_on is not None:
        statement = _(
            "Approved on %(date)s in the meeting of %(meeting)s.",
            date=_day(approval.approved_on),
            meeting=_day(approval.in_meeting_on),
        )
    else:
        statement = _("Approved on %(date)s.", date=_day(approval.approved_on))
    if approval.approved_by:
        statement += " " + _("Recorded by %(name)s.", name=approval.approved_by)
    paragraph.add_run(_("Final")).bold = True
    paragraph.add_run(" — " + statement)
    if approval.corrections:
        doc.add_paragraph(
            _("Corrections noted at the approval: %(text)s", text=approval.corrections)
        )
    else:
        doc.add_paragraph(_("The group approved the minutes without corrections."))


def _cover(doc: Document, data: MinutesData) -> None:
    place = data.place or "—"
    if data.online:
        place = _("%(place)s and online", place=data.place) if data.place else _("Online")
    rows = [
        (_("Group"), data.group),
        (_("Date"), _day(data.day)),
        (
            _("Time"),
            _("%(start)s to %(end)s", start=f"{data.starts:%H:%M}", end=f"{data.ends:%H:%M}"),
        ),
        (_("Place"), place),
        (
            _("Protocol"),
            _("%(title)s (version %(v)s)", title=data.protocol_title, v=data.protocol_version),
        ),
        (
            data.leader_heading or _("Process supervision"),
            ", ".join(data.leaders) + (f" ({_('independent')})" if data.leader_independent else "")
            or "—",
        ),
        (_("Host"), data.host or "—"),
        (_("Notulist"), data.notulist or "—"),
        (_("Status"), _("final") if data.is_final else _("draft (CONCEPT)")),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = _table_style(doc)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value


def _attendance(doc: Document, data: MinutesData) -> None:
    doc.add_heading(_("Attendance"), level=1)
    if not data.attendance:
        doc.add_paragraph(_("No attendance was recorded."))
        return
    add_table(
        doc,
        (_("Organisation"), _("Present"), _("Sent apologies"), _("Absent"), _("Guests")),
        [
            (
                row.organisation or _("No organisation"),
                ", ".join(row.present) or "—",
                ", ".join(row.apologies) or "—",
                ", ".join(row.absent) or "—",
                ", ".join(row.guests) or "—",
            )
            for row in data.attendance
        ],
    )


def _steps(doc: Document, heading: str, steps: tuple[RecordedStep, ...], level: int = 1) -> None:
    if not steps:
        return
    if heading:
        doc.add_heading(heading, level=level)
    for step in steps:
        doc.add_heading(step.title, level=min(level + 1, 3))
        for field in step.fields:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{field.label}: ").bold = True
            paragraph.add_run(field.value)


def _review(doc: Document, data: MinutesData) -> None:
    doc.add_heading(_("Looking back on the actions"), level=1)
    if not data.review:
        doc.add_paragraph(_("No earlier actions were reviewed in this meeting."))
        return
    add_table(
        doc,
        (_("Action"), _("Owner"), _("Case"), _("Status"), _("New due date"), _("Note")),
        [
            (
                r.description,
                f"{r.owner} ({r.organisation})",
                r.pseudonym or "—",
                str(r.status.label),
                _day(r.new_due_on) if r.new_due_on else "—",
                r.note or "—",
            )
            for r in data.review
        ],
        widths=(4, 2.5, 1.8, 1.5, 1.8, 4),
    )


def _case(doc: Document, case: MinutesCase) -> None:
    doc.add_heading(_("Case %(pseudonym)s", pseudonym=case.pseudonym), level=2)
    doc.add_paragraph(_("Brought in by: %(organisation)s", organisation=case.organisation))
    if at_table := at_the_table(case.outcome):
        doc.add_paragraph(_("Present for this case: %(who)s", who=", ".join(at_table)))
    _steps(doc, "", case.steps, level=2)
    if case.update:
        doc.add_heading(_("How the client is doing"), level=3)
        doc.add_paragraph(case.update)
    doc.add_heading(_("Findings"), level=3)
    if case.outcome.findings:
        _findings(doc, case.findings_by_level)
    else:
        doc.add_paragraph(_("No findings recorded for this case."))
    doc.add_heading(_("Regievoerder"), level=3)
    regie = case.outcome.regievoerder
    if regie is None:
        doc.add_paragraph(_("No regievoerder: this case is without regie."))
    else:
        text = _(
            "%(name)s (%(organisation)s), since %(date)s",
            name=regie.name,
            organisation=regie.organisation,
            date=_day(regie.since),
        )
        if regie.achterwacht:
            text += "; " + _("achterwacht: %(name)s", name=regie.achterwacht)
        if regie.agreed_here:
            text += " — " + _("agreed in this meeting")
        doc.add_paragraph(text)
    doc.add_heading(_("Follow-up actions"), level=3)
    if case.outcome.actions:
        _actions(doc, case.outcome.actions)
    else:
        doc.add_paragraph(_("No actions agreed for this case."))


def _findings(doc: Document, levels: list[LevelFindings]) -> None:
    for level in levels:
        paragraph = doc.add_paragraph()
        paragraph.add_run(str(level.level.label)).bold = True
        for finding in level.findings:
            doc.add_paragraph(_finding_line(finding), style=_list_style(doc))


def _finding_line(finding: FindingOutcome) -> str:
    line = f"{finding.kind.label}: {finding.text}"
    if finding.organisations:
        line += f" ({', '.join(finding.organisations)})"
    if finding.signal:
        line += " — " + _("signal for the beleidsgroep")
    return line


def _table_style(doc: Document) -> str | None:
    names = {style.name for style in doc.styles}
    return "Table Grid" if "Table Grid" in names else None


def _list_style(doc: Document) -> str | None:
    """A bulleted list where the style has one (a house style may not)."""
    return "List Bullet" if any(s.name == "List Bullet" for s in doc.styles) else None


def _actions(doc: Document, actions: tuple[ActionOutcome, ...]) -> None:
    add_table(
        doc,
        (_("What"), _("Who"), _("Organisation"), _("Due")),
        [
            (
                a.description,
                a.owner if a.owner_has_account else _("%(name)s (no account)", name=a.owner),
                a.organisation,
                _day(a.due_on),
            )
            for a in actions
        ],
        widths=(5, 2.5, 2.5, 2),
    )


def _blocks(doc: Document, data: MinutesData) -> None:
    doc.add_heading(_("Building blocks of result-oriented collaboration"), level=1)
    if not data.building_blocks:
        doc.add_paragraph(_("No scores were given in this meeting."))
        return
    doc.add_paragraph(_("Score from 1 to 5: 1 = hardly yet, 5 = completely."))
    add_table(
        doc,
        (_("Building block"), _("Score (1 to 5)")),
        [(str(block.label), str(block.score)) for block in data.building_blocks],
    )
    if data.went_well:
        paragraph = doc.add_paragraph()
        paragraph.add_run(_("What worked well") + ": ").bold = True
        paragraph.add_run(data.went_well)
    if data.could_be_better:
        paragraph = doc.add_paragraph()
        paragraph.add_run(_("What could be better") + ": ").bold = True
        paragraph.add_run(data.could_be_better)
