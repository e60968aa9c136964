"""Demo history for the logbook: the last full quarter (the logbook page's default period) of the
privacy work group, and an edition of the quarter before with the feedback it got.

In that quarter the group held two meetings (scores that rise, findings at every level, a
signal, actions done and overdue), cancelled one, handed over the regie of a case and closed
another with its reason. The quarter before was issued as a logbook through the real export,
and the klankbordgroep and the beleidsgroep gave feedback on it, so the default logbook's
Feedback section is filled on first login. Dates follow the quarter, whatever the day of
seeding.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem, ActionUpdate
from facilitator.cases import regie
from facilitator.cases import services as cases
from facilitator.cases.importer import import_cases
from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.demo.meetings import at_two, date_held_meeting, date_registrations, hold_meeting
from facilitator.exports import feedback
from facilitator.exports.logbook import LogbookScope, last_full_quarter
from facilitator.exports.logbook_export import export_logbook
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local, local_date, local_today
from facilitator.meetings import planning, records, run
from facilitator.meetings.models import Meeting
from facilitator.users.models import User

#: Two cases the work group discussed in the quarter; invented, like everything in the demo.
CASES = (
    "modus;organisatie;ingebracht_door;omschrijving;uitkering;ggz_behandeling;naam;"
    "geboortedatum;bsn;clientnummer;toestemming_datum;toestemming_tot;toestemming_organisaties;"
    "toestemming_bewijs\n"
    'fictief;Stichting Kompas GGZ;behandelaar@lindewaard.example;"Fictieve klantreis: een '
    "vrouw met een depressie in de bijstand wil als administratief medewerker beginnen; "
    'gemeente en GGZ weten niet wat zij van elkaar mogen weten.";participatiewet;ja;;;;;;;;\n'
    'anoniem;Gemeente Oosterbroek;jobcoach@lindewaard.example;"Man met een WW-uitkering en '
    'een angststoornis; UWV en de jobcoach vragen elk apart dezelfde gegevens op.";ww;ja;;;;;;;;\n'
)
#: What the group found in the quarter: every level, both kinds, some signals.
QUARTER_FINDINGS = [
    ("knelpunt", "beleid_organisatie", "Elke organisatie vraagt een eigen toestemmings"
     "formulier; de cliënt tekent drie keer voor hetzelfde gesprek.", True),
    ("kans", "uitvoering", "Een vast driegesprek na de intake voorkomt dat de cliënt zijn "
     "verhaal steeds opnieuw moet doen.", False),
    ("knelpunt", "kennis_competenties", "Klantmanagers weten niet welke GGZ-informatie zij "
     "mogen vragen en vragen daarom niets.", False),
    ("kans", "wet_regelgeving", "De AVG staat delen met toestemming toe; een gezamenlijke "
     "uitleg voor professionals neemt de angst weg.", True),
]  # fmt: skip
SCORES = (
    {"kennen": 2, "begrijpen": 3, "waarderen": 3, "vertrouwen": 2, "samenwerken": 3,
     "doelen_realiseren": 2},
    {"kennen": 4, "begrijpen": 4, "waarderen": 3, "vertrouwen": 3, "samenwerken": 4,
     "doelen_realiseren": 3},
)  # fmt: skip
HANDOVER_REASON = (
    "De cliënt start bij een werkgever in Oosterbroek; de jobcoach van de gemeente neemt "
    "de regie over, de behandelaar blijft betrokken."
)
FEEDBACK = (
    (
        "klankbordgroep",
        12,
        "Herkenbaar beeld; de werkgevers missen in de bevindingen. Vraag om bij de volgende "
        "ronde een werkgever aan tafel te hebben.",
        "Een werkgever uit de regio wordt uitgenodigd voor de werkgroep.",
    ),
    (
        "beleidsgroep",
        19,
        "Het knelpunt over de toestemmingsformulieren moet regionaal worden opgepakt.",
        "Eén gezamenlijk toestemmingsformulier voor gemeente, UWV en GGZ; de projectleider "
        "maakt een voorstel voor de volgende vergadering.",
    ),
)


def seed_demo_logbook(group: CaseGroup, leader: User, projectleider: User) -> None:
    """The work group's last full quarter, and an edition of the quarter before with feedback."""
    start = last_full_quarter(local_today())[0]
    members = {m.user.email.split("@")[0]: m.user for m in group.memberships}
    first_case, second_case = import_cases(CASES.encode("utf-8"), group)
    days = (start + timedelta(days=20), start + timedelta(days=62))
    date_registrations([(at_two(days[0]), [first_case, second_case])])
    first = _held(group, leader, members["jobcoach"], days[0], [first_case], 0)
    second = _held(group, leader, members["jobcoach"], days[1], [second_case], 1, previous=first)
    cancelled = planning.plan_meeting(
        group,
        scheduled_at=at_two(start + timedelta(days=41)),
        protocol_id=first.protocol_id,
        actor=leader,
        location=first.location,
    )
    planning.cancel_meeting(cancelled, actor=leader)
    _close(second, second_case, leader)
    _handover(first_case, first, members, leader, days[0] + timedelta(days=21))
    _edition_with_feedback(group, projectleider, start)


def _held(
    group, leader, owner, day: date, agenda: list[Case], number: int, previous=None
) -> Meeting:
    """A held meeting of the quarter; with ``previous``, it approves that meeting's minutes."""
    since = utcnow()
    meeting = planning.plan_meeting(
        group,
        scheduled_at=at_two(day),
        protocol_id="klantreis",
        actor=leader,
        location="Gemeentehuis Oosterbroek, kamer 1.12",
    )
    for case in agenda:
        planning.add_to_agenda(meeting, case, actor=leader)
    hold_meeting(
        meeting,
        leader,
        owner,
        previous=previous,
        findings=QUARTER_FINDINGS[2 * number : 2 * number + 1],
        scores=SCORES[number],
        before_closing=lambda running: _more_findings(running, leader, owner, number),
    )
    date_held_meeting(meeting, since)
    return meeting


def _more_findings(meeting: Meeting, leader: User, owner: User, number: int) -> None:
    kind, level, text, signal = QUARTER_FINDINGS[2 * number + 1]
    records.add_finding(
        meeting,
        next(step.ref for step in run.rail(meeting) if step.case is None),
        kind=kind,
        level=level,
        text=text,
        organisations=[owner.organisation],
        signal=signal,
        actor=leader,
    )


def _close(meeting: Meeting, closing: Case, leader: User) -> None:
    """The case's actions done a week after the meeting, the case closed three days later.

    The first case's action stays open, past its due date: overdue in the logbook.
    """
    done_at = meeting.scheduled_at + timedelta(days=7)
    since = utcnow()
    for action in db.session.scalars(select(ActionItem).where(ActionItem.case_id == closing.id)):
        actions.change_status(
            action, "gereed", note="Gedaan en besproken in de werkgroep.", actor=leader
        )
    _date(ActionUpdate.at, since, done_at)
    cases.close_case(closing, "betaald_werk", actor=leader)
    closing.closed_at = closing.updated_at = done_at + timedelta(days=3)
    db.session.flush()


def _handover(case: Case, meeting: Meeting, members, leader: User, day: date) -> None:
    """The regie agreed in the first meeting, handed over three weeks later with the reason."""
    agreed = regie.assign_regievoerder(
        case,
        members["behandelaar"],
        actor=leader,
        since=local_date(meeting.scheduled_at),
        meeting_id=meeting.id,
    )
    later = regie.assign_regievoerder(
        case, members["jobcoach"], actor=leader, since=day, reason=HANDOVER_REASON
    )
    agreed.created_at = meeting.scheduled_at + timedelta(hours=1)
    agreed.ended_at = later.created_at = from_local(day, time(10, 0))
    db.session.flush()


def _edition_with_feedback(group: CaseGroup, projectleider: User, quarter_start: date) -> None:
    """The logbook of the quarter before, issued as the projectleider would, and its feedback."""
    start, end = last_full_quarter(quarter_start)
    scope = LogbookScope(group.region, (), start, end)
    edition = export_logbook(scope, actor=projectleider)
    edition.issued_at = from_local(end + timedelta(days=5), time(11, 0))
    for body, days_after, summary, decisions in FEEDBACK:
        item = feedback.record_feedback(
            edition,
            body=body,
            given_on=end + timedelta(days=days_after),
            summary=summary,
            decisions=decisions,
            actor=projectleider,
        )
        item.recorded_at = from_local(end + timedelta(days=days_after + 1), time(9, 0))
    db.session.flush()


def _date(column, since, moment) -> None:
    """Move what was recorded from ``since`` on to ``moment``."""
    db.session.execute(
        column.class_.__table__.update().where(column >= since).values({column.key: moment})
    )
