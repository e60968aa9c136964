"""The monitoring figures of a region (issue 14): in-, door- and uitstroom per period, group,
bringing organisation and benefit; the medians; meetings and attendance; the building blocks
as zero, interim and final evaluation.

``monitoring_figures(scope)`` is the one read behind the figures page, its charts and CSV, the
CLI, the dashboard and the logbook's Monitoring section, in a fixed number of queries. What it
returns is what may be shown: every count of cases passed the suppression of
:mod:`facilitator.monitoring.suppression`; the raw numbers stay inside this module. It carries
no pseudonym and no free text from a meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from facilitator.cases.models import BenefitType
from facilitator.exports import logbook_queries
from facilitator.exports.logbook_blocks import GroupBlocks, building_blocks
from facilitator.exports.logbook_sections import OrganisationAttendance
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_date
from facilitator.meetings.models import MeetingStatus
from facilitator.monitoring import flows, queries
from facilitator.monitoring.flows import FlowLine, ReasonLine
from facilitator.monitoring.periods import Bucket, buckets
from facilitator.regions.models import Organisation, Region

INTERVALS = ("month", "quarter", "year")


@dataclass(frozen=True)
class MonitoringScope:
    """A region, some of its groups (none: the whole region), a period of local dates cut into
    months, quarters or years, and optionally one bringing organisation or benefit."""

    region: Region
    groups: tuple[CaseGroup, ...]
    period_from: date
    period_to: date
    interval: str = "quarter"
    organisation_id: int | None = None
    benefit: BenefitType | None = None

    @property
    def group_ids(self) -> list[int]:
        return [group.id for group in self.groups]


@dataclass(frozen=True)
class Evaluation:
    label: str
    day: date
    #: Per building block (its key), the score from 1 to 5.
    scores: dict[str, int]
    average: float


@dataclass(frozen=True)
class GroupEvaluations:
    """A group's building-block measurements: the first is the zero measurement, the latest the
    final evaluation, those in between interim evaluations. Scores only: no remarks."""

    blocks: GroupBlocks

    @property
    def group(self) -> str:
        return self.blocks.group

    @property
    def evaluations(self) -> tuple[Evaluation, ...]:
        count = len(self.blocks.measurements)
        return tuple(
            Evaluation(str(evaluation_label(i, count)), m.day, m.scores, round(m.average, 1))
            for i, m in enumerate(self.blocks.measurements)
        )


def evaluation_label(index: int, count: int) -> LazyString:
    if index == 0:
        return _l("Zero measurement")
    if index == count - 1:
        return _l("Final evaluation")
    return _l("Interim evaluation %(number)s", number=index)


@dataclass(frozen=True)
class MonitoringFigures:
    region_id: int
    region_name: str
    group_names: tuple[str, ...]
    #: The filter's bringing organisation and benefit, if one was chosen.
    organisation_name: str
    benefit: BenefitType | None
    period_from: date
    period_to: date
    interval: str
    buckets: tuple[Bucket, ...]
    per_bucket: tuple[FlowLine, ...]
    total: FlowLine
    per_group: tuple[FlowLine, ...]
    per_organisation: tuple[FlowLine, ...]
    per_benefit: tuple[FlowLine, ...]
    #: Every closure reason, per period and in total (the periods' totals: ``per_bucket``).
    closure_reasons: tuple[ReasonLine, ...]
    #: Meetings held per period, and the organisations present over the whole period.
    meetings_held: tuple[int, ...]
    attendance: tuple[OrganisationAttendance, ...]
    building_blocks: tuple[GroupEvaluations, ...]

    @property
    def meetings_total(self) -> int:
        return sum(self.meetings_held)


def monitoring_figures(scope: MonitoringScope) -> MonitoringFigures:
    """Read and suppress every figure of the scope, in a fixed number of queries."""
    return figures_from(
        scope,
        meeting_rows=logbook_queries.meeting_rows(scope),
        attendance_rows=logbook_queries.attendance_rows(scope),
        building_block_rows=logbook_queries.building_block_rows(scope),
    )


def figures_from(
    scope: MonitoringScope, *, meeting_rows, attendance_rows, building_block_rows
) -> MonitoringFigures:
    """The figures, given the logbook's rows of the same groups and period (the logbook passes
    the rows it read already, so its Monitoring section costs only the case queries)."""
    periods = buckets(scope.period_from, scope.period_to, scope.interval)
    cases = flows.case_facts(
        queries.case_rows(scope),
        queries.discussion_rows(scope),
        queries.regie_rows(scope),
    )
    shown = flows.shown_flows(cases, periods)
    organisation = (
        db.session.get(Organisation, scope.organisation_id) if scope.organisation_id else None
    )
    return MonitoringFigures(
        region_id=scope.region.id,
        region_name=scope.region.name,
        group_names=tuple(group.name for group in scope.groups),
        organisation_name=organisation.name if organisation else "",
        benefit=scope.benefit,
        period_from=scope.period_from,
        period_to=scope.period_to,
        interval=scope.interval,
        buckets=periods,
        per_bucket=shown.per_bucket,
        total=shown.total,
        per_group=shown.per_group,
        per_organisation=shown.per_organisation,
        per_benefit=shown.per_benefit,
        closure_reasons=shown.closure_reasons,
        meetings_held=_held_per_bucket(meeting_rows, periods),
        attendance=tuple(
            OrganisationAttendance(name, domain, present, attended)
            for name, domain, present, attended in attendance_rows
        ),
        building_blocks=_evaluations(building_block_rows),
    )


def _held_per_bucket(meeting_rows, periods: tuple[Bucket, ...]) -> tuple[int, ...]:
    days = [
        local_date(at)
        for _id, _group, at, status in meeting_rows
        if status == MeetingStatus.AFGEROND
    ]
    return tuple(sum(1 for day in days if period.start <= day <= period.end) for period in periods)


def _evaluations(rows) -> tuple[GroupEvaluations, ...]:
    """The logbook's building blocks per group, without the remarks (meeting content)."""
    section = building_blocks(rows)
    return tuple(
        GroupEvaluations(
            replace(
                group,
                measurements=tuple(
                    replace(m, went_well="", could_be_better="") for m in group.measurements
                ),
            )
        )
        for group in section.groups
    )
