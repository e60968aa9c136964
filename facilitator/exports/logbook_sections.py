"""The sections of the logbook's read model, as the page and the Word file show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import LazyString

from facilitator.actions.models import ActionStatus
from facilitator.meetings.models import FindingKind, FindingLevel
from facilitator.monitoring.suppression import Shown, shown_share
from facilitator.regions.models import Domain
from facilitator.signals.models import SignalStatus


@dataclass(frozen=True)
class Count:
    label: str | LazyString
    #: "—" where a number would mislead (a share of nothing).
    count: int | str


@dataclass(frozen=True)
class GroupMeetings:
    group: str
    held: int
    cancelled: int


@dataclass(frozen=True)
class OrganisationAttendance:
    organisation: str
    domain: Domain
    present: int
    meetings: int


@dataclass(frozen=True)
class MeetingsSection:
    held: int
    cancelled: int
    per_group: tuple[GroupMeetings, ...]
    by_organisation: tuple[OrganisationAttendance, ...]
    by_domain: tuple[Count, ...]


@dataclass(frozen=True)
class CasesSection:
    """Counts of cases: suppressed (exports/logbook_suppression.py) before they are shown."""

    total: Shown
    registered: Shown
    discussed: Shown
    closed: Shown
    by_privacy_mode: tuple[Count, ...]
    by_organisation: tuple[Count, ...]
    by_benefit: tuple[Count, ...]
    by_status: tuple[Count, ...]
    by_closure_reason: tuple[Count, ...]


@dataclass(frozen=True)
class FindingLine:
    id: int
    kind: FindingKind
    level: FindingLevel
    text: str
    signal: bool
    group: str
    day: date
    meeting_id: int
    case_id: int | None
    #: Only to name the place of a screening hit; never shown in the logbook.
    pseudonym: str
    #: A signal's follow-up by the beleidsgroep (facilitator.signals): "nieuw" until recorded.
    follow_up: SignalStatus = SignalStatus.NIEUW
    decision: str = ""


@dataclass(frozen=True)
class FindingGroup:
    level: FindingLevel
    kind: FindingKind
    findings: tuple[FindingLine, ...]


@dataclass(frozen=True)
class LevelCount:
    level: FindingLevel
    knelpunten: int
    kansen: int


@dataclass(frozen=True)
class FindingsSection:
    groups: tuple[FindingGroup, ...]
    per_level: tuple[LevelCount, ...]
    total: int
    knelpunten: int
    kansen: int


@dataclass(frozen=True)
class ActionLine:
    id: int
    description: str
    status: ActionStatus
    due_on: date
    organisation: str
    group: str
    agreed_on: date
    owner: str
    overdue: bool
    meeting_id: int | None
    case_id: int | None
    pseudonym: str


@dataclass(frozen=True)
class OrganisationActions:
    organisation: str
    total: int
    done: int
    open: int
    overdue: int


@dataclass(frozen=True)
class ActionsSection:
    actions: tuple[ActionLine, ...]
    done: int
    open: int
    dropped: int
    per_organisation: tuple[OrganisationActions, ...]

    @property
    def total(self) -> int:
        return len(self.actions)

    @property
    def overdue_actions(self) -> tuple[ActionLine, ...]:
        return tuple(a for a in self.actions if a.overdue)

    @property
    def completion(self) -> int | None:
        """Done, as a percentage of the actions not dropped (None without any)."""
        counted = self.total - self.dropped
        return round(100 * self.done / counted) if counted else None


@dataclass(frozen=True)
class Handover:
    id: int
    day: date
    group: str
    from_organisation: str
    to_organisation: str
    reason: str
    case_id: int
    pseudonym: str
    meeting_id: int | None


@dataclass(frozen=True)
class RegieSection:
    """Counts of cases, suppressed like the Casussen section; the handovers are listed."""

    discussed: Shown
    with_regievoerder: Shown
    handovers: tuple[Handover, ...]
    by_organisation: tuple[Count, ...]

    @property
    def share(self) -> Shown:
        """The percentage with a regievoerder; "—" when it rests on fewer than 5 cases."""
        return shown_share(self.with_regievoerder, self.discussed)


@dataclass(frozen=True)
class FeedbackLine:
    id: int
    edition_id: int
    body: object
    given_on: date
    summary: str
    decisions: str
    edition_from: date
    edition_to: date
