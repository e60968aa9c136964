"""The logbook as a sequence of blocks (headings, paragraphs, tables, charts): written once, read
by the Word builder and by the page's preview, so both show the same content in the same order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from facilitator.core.i18n import date_filter
from facilitator.exports.logbook import SECTIONS, LogbookData
from facilitator.exports.logbook_blocks import GroupBlocks
from facilitator.exports.logbook_sections import Count
from facilitator.monitoring.suppression import THRESHOLD, is_hidden


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    #: An id for the page's table of contents (level 1 only).
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    #: A label shown in bold before the text ("Besloten: ...").
    label: str = ""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: Sequence[tuple[object, ...]]
    #: How the document shares the page between the columns (relative); equal when empty.
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A group's building-block chart; drawn by the builder, served as an image on the page."""

    group: GroupBlocks


Block = Heading | Paragraph | Table | Chart


def title(data: LogbookData) -> str:
    return _("Logbook %(region)s", region=data.region_name)


def scope_line(data: LogbookData) -> str:
    """Which groups, which period: the document's subtitle and header."""
    groups = ", ".join(data.group_names) if data.group_names else _("the whole region")
    return _(
        "%(groups)s, %(start)s to %(end)s",
        groups=groups,
        start=date_filter(data.scope.period_from),
        end=date_filter(data.scope.period_to),
    )


def outline(data: LogbookData) -> list[Block]:
    """Every block of the logbook, the sections in the order of ``SECTIONS``."""
    writers = {
        "samenvatting": _summary,
        "bijeenkomsten": _meetings,
        "casussen": _cases,
        "bevindingen": _findings,
        "signalen": _signals,
        "vervolgacties": _actions,
        "regievoering": _regie,
        "bouwstenen": _building_blocks,
        "verhalen": _stories,
        "monitoring": _monitoring,
        "feedback": _feedback,
    }
    blocks: list[Block] = []
    for key, heading in SECTIONS:
        blocks.append(Heading(1, str(heading), anchor=key))
        blocks.extend(writers[key](data))
    return blocks


def _none(text: str) -> Paragraph:
    return Paragraph(text)


def _counts(label: str, counts: Sequence[Count]) -> Table:
    return Table((label, _("Number")), [(str(c.label), c.count) for c in counts])


def _summary(data: LogbookData) -> Iterator[Block]:
    yield Paragraph(
        _(
            "This logbook covers %(scope)s. Numbers as on %(day)s.",
            scope=scope_line(data),
            day=date_filter(data.as_of),
        )
    )
    yield _counts(_("Key figure"), data.summary)


def _meetings(data: LogbookData) -> Iterator[Block]:
    section = data.meetings
    if not section.held and not section.cancelled:
        yield _none(_("No meetings were held or cancelled in this period."))
        return
    yield Table(
        (_("Group"), _("Held"), _("Cancelled")),
        [(g.group, g.held, g.cancelled) for g in section.per_group],
    )
    yield Heading(2, _("Attendance per organisation"))
    if not section.by_organisation:
        yield _none(_("No attendance was recorded."))
        return
    yield Table(
        (_("Organisation"), _("Domain"), _("People present"), _("Meetings attended")),
        [
            (o.organisation, str(o.domain.label), o.present, o.meetings)
            for o in section.by_organisation
        ],
    )
    yield Heading(2, _("Attendance per domain"))
    yield _counts(_("Domain"), section.by_domain)


def _cases(data: LogbookData) -> Iterator[Block]:
    section = data.cases
    if not section.total:
        yield _none(_("No case was registered, discussed or closed in this period."))
        return
    # Counts of cases come suppressed ("<5", "x"): a hidden total reads as more than one.
    total = section.total if isinstance(section.total, int) else THRESHOLD
    yield Paragraph(
        ngettext(
            "%(count)s case was registered, discussed or closed in this period",
            "%(count)s cases were registered, discussed or closed in this period",
            total,
            count=section.total,
        )
        + _(
            ": %(registered)s registered, %(discussed)s discussed, %(closed)s closed.",
            registered=section.registered,
            discussed=section.discussed,
            closed=section.closed,
        )
    )
    for heading, label, counts in (
        (_("By privacy mode"), _("Privacy mode"), section.by_privacy_mode),
        (_("By bringing organisation"), _("Organisation"), section.by_organisation),
        (_("By benefit"), _("Benefit"), section.by_benefit),
        (_("By status now"), _("Status"), section.by_status),
    ):
        yield Heading(2, heading)
        yield _counts(label, counts)
    yield Heading(2, _("By reason for closing"))
    if section.by_closure_reason:
        yield _counts(_("Reason"), section.by_closure_reason)
    else:
        yield _none(_("No case was closed in this period."))


def _findings(data: LogbookData) -> Iterator[Block]:
    section = data.findings
    if not section.total:
        yield _none(_("No findings were recorded in this period."))
        return
    yield Table(
        (_("Level"), _("Bottlenecks"), _("Opportunities")),
        [
            *((str(c.level.label), c.knelpunten, c.kansen) for c in section.per_level),
            (_("Total"), section.knelpunten, section.kansen),
        ],
    )
    level = None
    for group in section.groups:
        if group.level != level:
            level = group.level
            yield Heading(2, str(level.label))
        yield Heading(3, f"{group.kind.label} ({len(group.findings)})")
        yield Table(
            (_("Finding"), _("Group"), _("Date"), _("Signal")),
            [
                (f.text, f.group, date_filter(f.day), _("yes") if f.signal else "")
                for f in group.findings
            ],
            widths=(6, 2.5, 2, 1),
        )


def _signals(data: LogbookData) -> Iterator[Block]:
    signals = data.signals
    if not signals:
        yield _none(_("No finding was marked as a signal for the policy group."))
        return
    yield Table(
        (_("Signal"), _("Level"), _("Kind"), _("Group"), _("Date"), _("Status"), _("Decision")),
        [
            (f.text, str(f.level.label), str(f.kind.label), f.group, date_filter(f.day),
             str(f.follow_up.label), f.decision)
            for f in signals
        ],
        widths=(4.5, 2, 1.5, 2, 1.5, 1.5, 3.5),
    )  # fmt: skip


def _actions(data: LogbookData) -> Iterator[Block]:
    section = data.actions
    if not section.total:
        yield _none(_("No follow-up actions were agreed in this period."))
        return
    completion = section.completion
    yield Table(
        (_("Agreed"), _("Done"), _("Open"), _("Dropped"), _("Overdue"), _("Done (%)")),
        [
            (
                section.total,
                section.done,
                section.open,
                section.dropped,
                len(section.overdue_actions),
                "" if completion is None else completion,
            )
        ],
    )
    yield Heading(2, _("Per organisation"))
    yield Table(
        (_("Organisation"), _("Agreed"), _("Done"), _("Open"), _("Overdue")),
        [(o.organisation, o.total, o.done, o.open, o.overdue) for o in section.per_organisation],
    )
    yield Heading(2, _("Overdue actions"))
    if not section.overdue_actions:
        yield _none(_("No action is overdue."))
        return
    yield Table(
        (_("Action"), _("Organisation"), _("Group"), _("Due")),
        [
            (a.description, a.organisation, a.group, date_filter(a.due_on))
            for a in section.overdue_actions
        ],
        widths=(6, 2.5, 2.5, 2),
    )


def _regie(data: LogbookData) -> Iterator[Block]:
    section = data.regie
    if not section.discussed:
        yield _none(_("No case was discussed in this period."))
    else:
        yield Paragraph(
            _(
                "%(covered)s of the %(discussed)s cases discussed (%(share)s) had a "
                "regievoerder in this period.",
                covered=section.with_regievoerder,
                discussed=section.discussed,
                share=section.share if is_hidden(section.share) else f"{section.share}%",
            )
        )
    if section.by_organisation:
        yield Heading(2, _("Regievoerders now, per organisation"))
        yield _counts(_("Organisation"), section.by_organisation)
    yield Heading(2, _("Handovers"))
    if not section.handovers:
        yield _none(_("The regie of no case was handed over in this period."))
        return
    yield Table(
        (_("Date"), _("Group"), _("From organisation"), _("To organisation"), _("Reason")),
        [
            (date_filter(h.day), h.group, h.from_organisation, h.to_organisation, h.reason)
            for h in section.handovers
        ],
        widths=(2, 2.5, 2.5, 2.5, 5),
    )


def _building_blocks(data: LogbookData) -> Iterator[Block]:
    groups = data.building_blocks.groups
    if not groups:
        yield _none(_("No building-block scores were recorded in this period."))
        return
    for group in groups:
        yield Heading(2, group.group)
        yield Chart(group)
        yield Table(
            (_("Building block"), _("First"), _("Latest"), _("Change"), _("Average")),
            [
                (str(c.label), c.first, c.latest, f"{c.change:+d}", f"{c.average:.1f}")
                for c in group.comparison
            ],
        )
        if group.remarks:
            yield Table(
                (_("Date"), _("Went well"), _("Could be better")),
                [(date_filter(m.day), m.went_well, m.could_be_better) for m in group.remarks],
                widths=(2, 5, 5),
            )


def _stories(data: LogbookData) -> Iterator[Block]:
    """The approved stories, each under its title; told without case or pseudonym."""
    if not data.stories:
        yield _none(_("No story was approved in this period."))
        return
    for story in data.stories:
        yield Heading(2, story.title)
        yield Paragraph(
            _(
                "%(kind)s of %(group)s, approved on %(day)s",
                kind=story.label,
                group=story.group,
                day=date_filter(story.approved_on),
            )
        )
        for part in story.text.split("\n\n"):
            if part.strip():
                yield Paragraph(part.strip())


def _monitoring(data: LogbookData) -> Iterator[Block]:
    """The figures page's tables, suppressed the same way (monitoring/outline.py)."""
    from facilitator.monitoring.outline import figure_tables, legend

    yield Paragraph(legend())
    for item in figure_tables(data.monitoring):
        yield Heading(2, item.title)
        yield item.table


def _feedback(data: LogbookData) -> Iterator[Block]:
    if not data.feedback:
        yield _none(_("No feedback was recorded on an earlier edition of this logbook."))
        return
    first = data.feedback[0]
    yield Paragraph(
        _(
            "On the edition for %(start)s to %(end)s:",
            start=date_filter(first.edition_from),
            end=date_filter(first.edition_to),
        )
    )
    for item in data.feedback:
        yield Heading(2, f"{item.body.label}, {date_filter(item.given_on)}")
        yield Paragraph(item.summary, label=_("What was said:"))
        if item.decisions:
            yield Paragraph(item.decisions, label=_("What was decided:"))
