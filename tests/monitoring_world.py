"""A hand-made region for the monitoring tests, whose every figure is worked out by hand.

In Regio Noord (tests/factories.make_world; its own cases are registered today, after the
period, and count nowhere), over 1 January to 30 June 2025, by quarter:

* Casusgroep Noord, cases brought by the deelnemer (GGZ Noord): A1 to A6 registered on 10 and 20
  January, 1, 10, 15 and 20 February (A1-A4 Participatiewet, A5-A6 WW); A7 and A8 on 5 April
  (WIA).
* Werkgroep Noord, cases brought by the extra member (Gemeente Noord): B1 to B5 registered on
  2 May (Participatiewet); B6 on 1 November 2024 (benefit unknown), closed on 1 February.
* Held meetings: 25 February (A1-A6), 20 May (A1, A2, A7), 28 May (B1-B5); after the period,
  10 July (A8). A cancelled meeting on 10 March (A1) counts nowhere.
* Closed: A6 on 20 March (moved), B6 on 1 February (no follow-up); A1-A3 on 10 June, A4 on 12
  June and B1 on 20 June (paid work), A5 on 15 June (education).
* Regie: A1-A5 since 25 February, still held; A6 from 25 February to 20 March; B1-B3 since
  28 May.
* Actions still open: A1 (agreed 25 February), B1 and B2 (28 May), A7 (15 July, after the
  period); A2's action (25 February) is done.
* Attendance: the procesbegeleider (Gemeente) at all three held meetings, the deelnemer (GGZ)
  at the first two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import update

from facilitator.actions.models import ActionItem, ActionStatus
from facilitator.cases.models import (
    BenefitType,
    Case,
    CaseStatus,
    ClosureReason,
    RegievoerderAssignment,
)
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local
from facilitator.meetings import planning
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.monitoring.figures import MonitoringScope
from facilitator.users.models import Role
from tests import factories

PERIOD = (date(2025, 1, 1), date(2025, 6, 30))
PW, WW, WIA, UNKNOWN = (
    BenefitType.PARTICIPATIEWET,
    BenefitType.WW,
    BenefitType.WIA,
    BenefitType.ONBEKEND,
)


@dataclass
class MonitoringWorld:
    world: factories.World
    second_group: CaseGroup
    cases: dict[str, Case]

    def scope(self, interval: str = "quarter", **filters) -> MonitoringScope:
        return MonitoringScope(self.world.region, (), *PERIOD, interval, **filters)


def _at(day: date) -> datetime:
    return from_local(day, time(12))


def make_monitoring_world() -> MonitoringWorld:
    world = factories.make_world()
    leader = world.users[Role.PROCESBEGELEIDER]
    member = world.users[Role.DEELNEMER]
    second = factories.make_group(
        world.region, "Werkgroep Noord", leader=leader, members=(world.extra_member,)
    )
    registered = {
        "A1": (date(2025, 1, 10), PW), "A2": (date(2025, 1, 20), PW),
        "A3": (date(2025, 2, 1), PW), "A4": (date(2025, 2, 10), PW),
        "A5": (date(2025, 2, 15), WW), "A6": (date(2025, 2, 20), WW),
        "A7": (date(2025, 4, 5), WIA), "A8": (date(2025, 4, 5), WIA),
        **{f"B{n}": (date(2025, 5, 2), PW) for n in range(1, 6)},
        "B6": (date(2024, 11, 1), UNKNOWN),
    }  # fmt: skip
    cases = {}
    for name, (day, benefit) in registered.items():
        group, bringer = (world.group, member) if name[0] == "A" else (second, world.extra_member)
        case = factories.make_case(group, bringer)
        _set(Case, case.id, created_at=_at(day), benefit=benefit)
        cases[name] = case
    meetings = [
        _held(world.group, leader, [cases[n] for n in ("A1", "A2", "A3", "A4", "A5", "A6")],
              date(2025, 2, 25), present=(leader, member)),
        _held(world.group, leader, [cases[n] for n in ("A1", "A2", "A7")], date(2025, 5, 20),
              present=(leader, member)),
        _held(second, leader, [cases[f"B{n}"] for n in range(1, 6)], date(2025, 5, 28),
              present=(leader,)),
        _held(world.group, leader, [cases["A8"]], date(2025, 7, 10), present=(leader,)),
    ]  # fmt: skip
    cancelled = factories.make_meeting(world.group, leader, [cases["A1"]], start=False)
    _set(Meeting, cancelled.id, scheduled_at=_at(date(2025, 3, 10)),
         status=MeetingStatus.GEANNULEERD)  # fmt: skip
    for name, day, reason in (
        ("A6", date(2025, 3, 20), ClosureReason.VERHUISD),
        ("B6", date(2025, 2, 1), ClosureReason.GEEN_VERVOLG),
        ("A1", date(2025, 6, 10), ClosureReason.BETAALD_WERK),
        ("A2", date(2025, 6, 10), ClosureReason.BETAALD_WERK),
        ("A3", date(2025, 6, 10), ClosureReason.BETAALD_WERK),
        ("A4", date(2025, 6, 12), ClosureReason.BETAALD_WERK),
        ("B1", date(2025, 6, 20), ClosureReason.BETAALD_WERK),
        ("A5", date(2025, 6, 15), ClosureReason.OPLEIDING_TRAJECT),
    ):
        _set(Case, cases[name].id, status=CaseStatus.AFGESLOTEN, closure_kind=reason,
             closed_at=_at(day))  # fmt: skip
    for name, since, ended in (
        *((f"A{n}", date(2025, 2, 25), None) for n in range(1, 6)),
        ("A6", date(2025, 2, 25), date(2025, 3, 20)),
        *((f"B{n}", date(2025, 5, 28), None) for n in range(1, 4)),
    ):
        db.session.add(
            RegievoerderAssignment(
                case_id=cases[name].id,
                user_id=member.id,
                organisation_id=member.organisation_id,
                since=since,
                ended_at=_at(ended) if ended else None,
            )
        )
    for name, day, status, meeting in (
        ("A1", date(2025, 2, 25), ActionStatus.OPEN, meetings[0]),
        ("A2", date(2025, 2, 25), ActionStatus.GEREED, meetings[0]),
        ("B1", date(2025, 5, 28), ActionStatus.OPEN, meetings[2]),
        ("B2", date(2025, 5, 28), ActionStatus.IN_UITVOERING, meetings[2]),
        ("A7", date(2025, 7, 15), ActionStatus.OPEN, None),
    ):
        case = cases[name]
        db.session.add(
            ActionItem(
                group_id=case.group_id,
                meeting_id=meeting.id if meeting else None,
                case_id=case.id,
                description="Werkgever benaderen",
                owner_user_id=member.id,
                organisation_id=member.organisation_id,
                due_on=date(2025, 9, 1),
                status=status,
                created_by_id=leader.id,
                created_at=_at(day),
            )
        )
    db.session.commit()
    return MonitoringWorld(world, second, cases)


def _held(group, leader, cases, day: date, *, present) -> Meeting:
    meeting = factories.make_meeting(group, leader, cases, start=False)
    for person in present:
        planning.set_attendance(meeting, person, "aanwezig", actor=leader)
    _set(Meeting, meeting.id, scheduled_at=_at(day), status=MeetingStatus.AFGEROND)
    return meeting


def _set(model, id_: int, **values) -> None:
    db.session.execute(update(model).where(model.id == id_).values(**values))
    db.session.flush()
    db.session.expire_all()
