"""A hand-made region for the logbook tests, whose every number is known.

In Regio Noord (tests/factories.make_world), within the period (the last 60 days):

* Casusgroep Noord held two meetings: 30 days ago (the anonymous case) and today (the
  fictitious case and the case with consent). Attendance: the procesbegeleider (Gemeente
  Noord) at both, the deelnemer (GGZ Noord) today; the extra member sent apologies today.
* Werkgroep Noord cancelled a meeting 10 days ago.
* Findings: today a signalled knelpunt (uitvoering, from the world) and a kans (beleid);
  30 days ago a signalled knelpunt (wet- en regelgeving). Outside the logbook: a finding at
  a meeting 100 days ago and one in Regio Zuid.
* Actions agreed in the period: the world's (open, due in 14 days), one done, one dropped,
  one overdue (owner: the extra member, Gemeente Noord).
* Regie: every discussed case got the deelnemer (GGZ Noord) as regievoerder; the fictitious
  case was handed over to the extra member (Gemeente Noord) with a reason.
* A fifth, fictitious case was registered and closed (outflow to paid work).
* Building blocks: all 3 thirty days ago (went well "Korte lijnen"), all 4 today (no
  remarks); 5 at the meeting outside the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import update

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem
from facilitator.cases import regie
from facilitator.cases import services as cases
from facilitator.cases.models import Case, PrivacyMode
from facilitator.database import utcnow
from facilitator.exports.logbook import LogbookScope
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_today
from facilitator.meetings import planning, records, run
from facilitator.meetings.models import BUILDING_BLOCKS, Meeting
from facilitator.users.models import Role
from tests import factories
from tests.holding import case_step

HANDOVER_REASON = "De cliënt werkt nu via de gemeente; de jobcoach houdt de lijnen bij elkaar."


@dataclass
class LogbookWorld:
    world: factories.World
    second_group: CaseGroup
    anonymous_case: Case
    closed_case: Case
    earlier: Meeting
    today_meeting: Meeting
    period_from: date
    period_to: date

    def scope(self, *groups: CaseGroup) -> LogbookScope:
        return LogbookScope(self.world.region, tuple(groups), self.period_from, self.period_to)


def make_logbook_world() -> LogbookWorld:
    world = factories.make_world()
    leader = world.users[Role.PROCESBEGELEIDER]
    member = world.users[Role.DEELNEMER]
    today = local_today()
    second = factories.make_group(world.region, "Werkgroep Noord", leader=leader)
    anonymous = factories.make_case(world.group, member, PrivacyMode.ANONIEM)

    earlier = _held(world.group, leader, member, [anonymous], days_ago=30, blocks=3)
    records_in(earlier, anonymous, "knelpunt", "wet_regelgeving", "Regels over bijverdienen "
               "schrikken af", signal=True, leader=leader)  # fmt: skip
    overdue = records.add_action(
        earlier,
        case_step(earlier, anonymous, "actions"),
        description="Werkgever benaderen over een proefplaats",
        owner=world.extra_member,
        due_on=today + timedelta(days=3),
        actor=leader,
    )
    close(earlier, leader, member)

    today_meeting = world.meeting  # running, with the world's finding and action
    records_in(today_meeting, world.fictional_case, "kans", "beleid_organisatie",
               "Gezamenlijk budget voor jobcoaching", signal=False, leader=leader)  # fmt: skip
    done = records.add_action(
        today_meeting,
        case_step(today_meeting, world.fictional_case, "actions"),
        description="Afspraak maken met de behandelaar",
        owner=member,
        due_on=today + timedelta(days=7),
        actor=leader,
    )
    dropped = records.add_action(
        today_meeting,
        case_step(today_meeting, world.fictional_case, "actions"),
        description="Verwijzing naar schuldhulp",
        owner=member,
        due_on=today + timedelta(days=7),
        actor=leader,
    )
    planning.set_attendance(today_meeting, member, "aanwezig", actor=leader)
    planning.set_attendance(today_meeting, world.extra_member, "afgemeld", actor=leader)
    _blocks(today_meeting, leader, 4)
    close(today_meeting, leader, member)
    actions.change_status(done, "gereed", note="Gedaan", actor=member)
    actions.change_status(dropped, "vervallen", note="Niet meer nodig", actor=member)
    db.session.execute(
        update(ActionItem).where(ActionItem.id == overdue.id).values(due_on=today - timedelta(5))
    )
    regie.assign_regievoerder(
        world.fictional_case, world.extra_member, actor=leader, reason=HANDOVER_REASON
    )

    cancelled = factories.make_meeting(second, leader, [], start=False)
    planning.cancel_meeting(cancelled, actor=leader)
    _move(cancelled, days_ago=10)

    outside = _held(world.group, leader, member, [anonymous], days_ago=100, blocks=5)
    records_in(outside, anonymous, "knelpunt", "uitvoering", "Buiten de periode",
               signal=True, leader=leader)  # fmt: skip
    close(outside, leader, member)
    _hold_other_region(world)

    closed = factories.make_case(world.group, member, description="Cliënt vond zelf werk.")
    cases.close_case(closed, "betaald_werk", actor=leader)
    db.session.commit()
    return LogbookWorld(
        world, second, anonymous, closed, earlier, today_meeting, today - timedelta(60), today
    )


def records_in(meeting, case, kind, level, text, *, signal, leader) -> None:
    records.add_finding(
        meeting,
        case_step(meeting, case, "findings"),
        kind=kind,
        level=level,
        text=text,
        organisations=[],
        signal=signal,
        actor=leader,
    )


def _held(group, leader, member, agenda, *, days_ago: int, blocks: int) -> Meeting:
    """A meeting started ``days_ago`` with the leader present; closed by the caller."""
    meeting = factories.make_meeting(
        group, leader, agenda, when=utcnow() - timedelta(days=days_ago)
    )
    _blocks(meeting, leader, blocks)
    return meeting


def _move(meeting: Meeting, *, days_ago: int) -> None:
    meeting.scheduled_at = utcnow() - timedelta(days=days_ago)
    db.session.flush()


def _hold_other_region(world) -> None:
    """Regio Zuid's meeting holds the finding make_world made there."""
    leader = world.other_group.procesbegeleiders[0]
    _blocks(world.other_meeting, leader, 2)
    close(world.other_meeting, leader, world.other_user)


def close(meeting: Meeting, leader, regievoerder) -> None:
    """Close as tests/holding.hold does, keeping the building blocks already scored."""
    planning.set_attendance(meeting, leader, "aanwezig", actor=leader)
    for item in meeting.agenda:
        if regie.current_regievoerder(item.case) is None:
            records.assign_regievoerder(meeting, item.case, regievoerder, actor=leader)
    run.close_meeting(meeting, actor=leader)


def _blocks(meeting: Meeting, leader, score: int) -> None:
    records.save_building_blocks(
        meeting,
        {key: score for key, _ in BUILDING_BLOCKS},
        went_well="Korte lijnen" if score == 3 else "",
        could_be_better="Meer tijd voor acties" if score == 3 else "",
        actor=leader,
    )
