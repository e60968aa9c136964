"""The logbook's read model: what the casusgroepen of a region did and found over a period.

``logbook_data(scope)`` is the one read behind the logbook page, its Word file, its CSVs and
the CLI, in a fixed number of queries whatever the size of the region (see
:mod:`facilitator.exports.logbook_sections`). Cases are counted, never listed: a pseudonym is
kept only to name the place of a screening hit. ``SECTIONS`` fixes the order and the headings,
so that the page and the document cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from facilitator.actions.models import ActionStatus
from facilitator.cases.models import BenefitType, CaseStatus, ClosureReason, PrivacyMode
from facilitator.core.i18n import date_filter
from facilitator.exports import logbook_queries as rows
from facilitator.exports.logbook_blocks import BuildingBlocksSection, building_blocks
from facilitator.exports.logbook_sections import (
    ActionLine,
    ActionsSection,
    CasesSection,
    Count,
    FeedbackLine,
    FindingGroup,
    FindingLine,
    FindingsSection,
    GroupMeetings,
    Handover,
    LevelCount,
    MeetingsSection,
    OrganisationActions,
    OrganisationAttendance,
    RegieSection,
)
from facilitator.exports.logbook_suppression import suppressed_counts
from facilitator.exports.screening import Place, TextInScope, link
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_date, local_today
from facilitator.meetings.models import FindingKind, FindingLevel, MeetingStatus
from facilitator.monitoring.figures import MonitoringFigures, MonitoringScope, figures_from
from facilitator.regions.models import Domain, Region
from facilitator.signals.models import SignalStatus
from facilitator.stories.exports import story_texts
from facilitator.stories.queries import StoryLine, approved_stories

#: The sections in their order, with their headings (Dutch: see the catalogue).
SECTIONS = (
    ("samenvatting", _l("Summary")),
    ("bijeenkomsten", _l("Meetings")),
    ("casussen", _l("Cases")),
    ("bevindingen", _l("Findings")),
    ("signalen", _l("Signals for the policy group")),
    ("vervolgacties", _l("Follow-up actions")),
    ("regievoering", _l("Case coordination")),
    ("bouwstenen", _l("Building blocks")),
    ("monitoring", _l("Monitoring")),
    ("verhalen", _l("Stories")),
    ("feedback", _l("Feedback")),
)


@dataclass(frozen=True)
class LogbookScope:
    """A region, some of its groups (none: the whole region), and a period of local dates."""

    region: Region
    groups: tuple[CaseGroup, ...]
    period_from: date
    period_to: date

    @property
    def group_ids(self) -> list[int]:
        return [group.id for group in self.groups]


@dataclass(frozen=True)
class LogbookData:
    scope: LogbookScope
    #: The day the logbook was read: "overdue" and "now" mean this day.
    as_of: date
    meetings: MeetingsSection
    cases: CasesSection
    findings: FindingsSection
    actions: ActionsSection
    regie: RegieSection
    building_blocks: BuildingBlocksSection
    feedback: tuple[FeedbackLine, ...]
    #: The figures page's figures for the whole period by quarter, suppressed as there.
    monitoring: MonitoringFigures
    #: The stories approved in the period: no case, no pseudonym (stories.queries).
    stories: tuple[StoryLine, ...]
    #: Every case the logbook touches: whose identities the export screening looks for.
    case_ids: tuple[int, ...]

    @property
    def region_name(self) -> str:
        return self.scope.region.name

    @property
    def group_names(self) -> list[str]:
        return [group.name for group in self.scope.groups]

    @property
    def signals(self) -> tuple[FindingLine, ...]:
        return tuple(f for g in self.findings.groups for f in g.findings if f.signal)

    @property
    def summary(self) -> list[Count]:
        """The key numbers, in the order the Samenvatting shows them."""
        share = self.regie.share
        # The cases' counts are suppressed (exports/logbook_suppression.py); the others count
        # meetings, findings, actions and handovers: professionals' work, shown as they are.
        return [
            Count(_l("Meetings held"), self.meetings.held),
            Count(_l("Meetings cancelled"), self.meetings.cancelled),
            Count(_l("Cases discussed"), self.cases.discussed),
            Count(_l("Cases closed"), self.cases.closed),
            Count(_l("Bottlenecks"), self.findings.knelpunten),
            Count(_l("Opportunities"), self.findings.kansen),
            Count(_l("Signals for the policy group"), len(self.signals)),
            Count(_l("Follow-up actions agreed"), self.actions.total),
            Count(_l("Actions done"), self.actions.done),
            Count(_l("Actions overdue"), len(self.actions.overdue_actions)),
            Count(_l("Discussed cases with a regievoerder (%)"), share),
            Count(_l("Regie handovers"), len(self.regie.handovers)),
        ]


def logbook_data(scope: LogbookScope) -> LogbookData:
    """Read everything the logbook shows for the scope, in a fixed number of queries."""
    today = local_today()
    cases = rows.case_rows(scope)
    findings = _findings(rows.finding_rows(scope))
    actions = _actions(rows.action_rows(scope), today)
    discussed_ids = [row[0] for row in cases if row[8]]
    regie = _regie(scope, discussed_ids, rows.regie_rows(discussed_ids))
    touched = {row[0] for row in cases}
    touched |= {f.case_id for g in findings.groups for f in g.findings if f.case_id}
    touched |= {a.case_id for a in actions.actions if a.case_id}
    meeting_rows, attendance_rows = rows.meeting_rows(scope), rows.attendance_rows(scope)
    block_rows = rows.building_block_rows(scope)
    monitoring = figures_from(
        MonitoringScope(scope.region, scope.groups, scope.period_from, scope.period_to),
        meeting_rows=meeting_rows,
        attendance_rows=attendance_rows,
        building_block_rows=block_rows,
    )
    shown_cases, shown_regie = suppressed_counts(_cases(cases), regie, monitoring)
    return LogbookData(
        scope=scope,
        as_of=today,
        meetings=_meetings(meeting_rows, attendance_rows),
        cases=shown_cases,
        findings=findings,
        actions=actions,
        regie=shown_regie,
        building_blocks=building_blocks(block_rows),
        feedback=_feedback(scope),
        stories=approved_stories(
            scope.region.id,
            period_from=scope.period_from,
            period_to=scope.period_to,
            group_ids=scope.group_ids,
        ),
        monitoring=monitoring,
        case_ids=tuple(sorted(touched)),
    )


def _counted(counter: Counter, order=None) -> tuple[Count, ...]:
    """Counts in the order of an enum (its members that occur), else by name."""
    if order is not None:
        return tuple(Count(member.label, counter[member]) for member in order if counter[member])
    return tuple(Count(name, counter[name]) for name in sorted(counter))


def _meetings(meeting_rows, attendance_rows) -> MeetingsSection:
    held = Counter(
        group for _, group, _, status in meeting_rows if status == MeetingStatus.AFGEROND
    )
    cancelled = Counter(
        group for _, group, _, status in meeting_rows if status == MeetingStatus.GEANNULEERD
    )
    by_domain: Counter = Counter()
    for _name, domain, present, _meetings in attendance_rows:
        by_domain[domain] += present
    return MeetingsSection(
        held=sum(held.values()),
        cancelled=sum(cancelled.values()),
        per_group=tuple(
            GroupMeetings(group, held[group], cancelled[group])
            for group in sorted(set(held) | set(cancelled))
        ),
        by_organisation=tuple(
            OrganisationAttendance(name, domain, present, meetings)
            for name, domain, present, meetings in attendance_rows
        ),
        by_domain=_counted(by_domain, Domain),
    )


def _cases(case_rows) -> CasesSection:
    closed = [row for row in case_rows if row[9]]
    return CasesSection(
        total=len(case_rows),
        registered=sum(1 for row in case_rows if row[7]),
        discussed=sum(1 for row in case_rows if row[8]),
        closed=len(closed),
        by_privacy_mode=_counted(Counter(row[2] for row in case_rows), PrivacyMode),
        by_organisation=_counted(Counter(row[3] for row in case_rows)),
        by_benefit=_counted(Counter(row[4] for row in case_rows), BenefitType),
        by_status=_counted(Counter(row[5] for row in case_rows), CaseStatus),
        by_closure_reason=_counted(Counter(row[6] for row in closed), ClosureReason),
    )


def _findings(finding_rows) -> FindingsSection:
    lines = [
        FindingLine(id_, kind, level, text, signal, group, local_date(at), meeting_id, case_id,
                    pseudonym or "", follow_up or SignalStatus.NIEUW, decision or "")
        for id_, kind, level, text, signal, meeting_id, at, group, case_id, pseudonym,
        follow_up, decision in finding_rows
    ]  # fmt: skip
    groups = tuple(
        FindingGroup(level, kind, found)
        for level in FindingLevel
        for kind in FindingKind
        if (found := tuple(f for f in lines if f.level == level and f.kind == kind))
    )
    per_level = tuple(
        LevelCount(
            level,
            sum(1 for f in lines if f.level == level and f.kind == FindingKind.KNELPUNT),
            sum(1 for f in lines if f.level == level and f.kind == FindingKind.KANS),
        )
        for level in FindingLevel
    )
    return FindingsSection(
        groups=groups,
        per_level=per_level,
        total=len(lines),
        knelpunten=sum(level.knelpunten for level in per_level),
        kansen=sum(level.kansen for level in per_level),
    )


def _actions(action_rows, today: date) -> ActionsSection:
    lines = tuple(
        ActionLine(id_, description, status, due_on, organisation, group, local_date(at), owner,
                   status.is_open and due_on < today, meeting_id, case_id, pseudonym or "")
        for id_, description, status, due_on, organisation, group, at, owner, meeting_id,
        case_id, pseudonym in action_rows
    )  # fmt: skip
    organisations = sorted({a.organisation for a in lines})
    return ActionsSection(
        actions=lines,
        done=sum(1 for a in lines if a.status == ActionStatus.GEREED),
        open=sum(1 for a in lines if a.status.is_open),
        dropped=sum(1 for a in lines if a.status == ActionStatus.VERVALLEN),
        per_organisation=tuple(
            OrganisationActions(
                name,
                total=sum(1 for a in lines if a.organisation == name),
                done=sum(
                    1 for a in lines if a.organisation == name and a.status == ActionStatus.GEREED
                ),
                open=sum(1 for a in lines if a.organisation == name and a.status.is_open),
                overdue=sum(1 for a in lines if a.organisation == name and a.overdue),
            )
            for name in organisations
        ),
    )


def _regie(scope: LogbookScope, discussed_ids: list[int], regie_rows) -> RegieSection:
    """Coverage: a discussed case had a regievoerder when an assignment overlapped the
    period. A handover: an assignment that followed another of the same case, in the period."""
    start = rows.bounds(scope.period_from, scope.period_to)[0]
    covered: set[int] = set()
    handovers = []
    holders: Counter = Counter()
    previous = None
    for row in regie_rows:
        id_, case_id, pseudonym, group, organisation, since, ended_at, reason, meeting_id = row
        if since <= scope.period_to and (ended_at is None or ended_at >= start):
            covered.add(case_id)
        if ended_at is None:
            holders[organisation] += 1
        follows = previous is not None and previous[1] == case_id
        if follows and scope.period_from <= since <= scope.period_to:
            handovers.append(
                Handover(id_, since, group, previous[4], organisation, reason, case_id,
                         pseudonym, meeting_id)
            )  # fmt: skip
        previous = row
    return RegieSection(
        discussed=len(discussed_ids),
        with_regievoerder=len(covered),
        handovers=tuple(sorted(handovers, key=lambda h: (h.day, h.id))),
        by_organisation=_counted(holders),
    )


def _feedback(scope: LogbookScope) -> tuple[FeedbackLine, ...]:
    from facilitator.exports.feedback import feedback_before

    return tuple(
        FeedbackLine(
            id=item.id,
            edition_id=item.edition_id,
            body=item.body,
            given_on=item.given_on,
            summary=item.summary,
            decisions=item.decisions,
            edition_from=item.edition.period_from,
            edition_to=item.edition.period_to,
        )
        for item in feedback_before(scope.region.id, scope.group_ids, scope.period_from)
    )


# --- what the export screening reads ----------------------------------------------------------


def logbook_texts(data: LogbookData) -> list[TextInScope]:
    """Every free text the logbook carries, each with the place where it is corrected."""
    return [
        *finding_texts(data),
        *action_texts(data),
        *_handover_texts(data),
        *data.building_blocks.texts(),
        *_feedback_texts(data),
        *story_texts(data.stories),
    ]


def finding_texts(data: LogbookData) -> list[TextInScope]:
    texts = []
    for group in data.findings.groups:
        for finding in group.findings:
            where = _(
                "Meeting of %(group)s on %(day)s", group=finding.group, day=date_filter(finding.day)
            )
            place = Place(where, finding.pseudonym, _("Finding"), _meeting_url(finding))
            texts.append(TextInScope(place, finding.text))
            if finding.signal and finding.decision:
                decided = Place(
                    where,
                    finding.pseudonym,
                    _("Decision of the policy group"),
                    link("signals.signal_detail", finding_id=finding.id),
                )
                texts.append(TextInScope(decided, finding.decision))
    return texts


def action_texts(data: LogbookData) -> list[TextInScope]:
    texts = []
    for action in data.actions.actions:
        place = Place(
            _("Action of %(group)s", group=action.group),
            action.pseudonym,
            _("Follow-up action"),
            link("actions.action_detail", action_id=action.id),
        )
        texts += [TextInScope(place, action.description), TextInScope(place, action.owner)]
    return texts


def _handover_texts(data: LogbookData) -> list[TextInScope]:
    return [
        TextInScope(
            Place(
                _("Regie handover in %(group)s", group=handover.group),
                handover.pseudonym,
                _("Reason for the handover"),
                link("cases.case_detail", case_id=handover.case_id),
            ),
            handover.reason,
        )
        for handover in data.regie.handovers
    ]


def _feedback_texts(data: LogbookData) -> list[TextInScope]:
    texts = []
    for item in data.feedback:
        place = Place(
            _("Feedback on an earlier edition"),
            "",
            str(item.body.label),
            link("logbook_feedback.edition_detail", edition_id=item.edition_id),
        )
        texts += [TextInScope(place, item.summary), TextInScope(place, item.decisions)]
    return texts


def _meeting_url(finding: FindingLine) -> str:
    """Where the finding is corrected: its step for the procesbegeleider (else the meeting)."""
    return link("corrections.finding_spot", meeting_id=finding.meeting_id, finding_id=finding.id)


def last_full_quarter(today: date) -> tuple[date, date]:
    """The last quarter that has ended before ``today``: the logbook page's default period."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    this_quarter = date(today.year, first_month, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end
