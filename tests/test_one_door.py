"""One door: every text column decided, objects loaded one way, every mutating service audited.

These tests fail when a new text column, view or service forgets the rule, not only when an
existing one breaks it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import Enum, String, func, select

import facilitator
from facilitator.actions import services as actions
from facilitator.actions.models import ActionUpdate
from facilitator.audit import overview_services
from facilitator.audit.models import AuditEvent
from facilitator.auth import two_factor
from facilitator.calendars import services as calendars
from facilitator.cases import regie
from facilitator.cases import services as cases
from facilitator.cases.models import CaseUpdate
from facilitator.exports import (
    editions,
    feedback,
    feedback_bodies,
    house_style,
    logbook_export,
    minutes_services,
)
from facilitator.exports.logbook import LogbookScope
from facilitator.exports.models import LogbookEdition
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import GroupRole
from facilitator.meetings import attendance, corrections, planning, records, review, run, table
from facilitator.meetings.models import Attendance, Meeting
from facilitator.monitoring import csv_export as monitoring_csv
from facilitator.monitoring.figures import MonitoringScope
from facilitator.preparation import services as preparation
from facilitator.privacy import duplicates
from facilitator.privacy import services as privacy
from facilitator.privacy.models import PossibleDuplicate
from facilitator.privacy.text_columns import DIGESTS, EXEMPT, SCREENED
from facilitator.proposals import services as proposals
from facilitator.regions import contacts
from facilitator.regions import services as regions
from facilitator.regions.models import OrganisationKind
from facilitator.series import services as series
from facilitator.signals import services as signals
from facilitator.stories import services as stories
from facilitator.users import services as users
from facilitator.users.models import Role
from tests import factories, proposal_helpers
from tests.reference_docs import empty_docx
from tests.series_helpers import plan_world_series

PACKAGE = Path(facilitator.__file__).parent


# --- every text column has a decision ---------------------------------------------------------


def _text_columns() -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String) and not isinstance(column.type, Enum)
    }


def test_every_text_column_is_screened_or_exempt_with_a_reason(app):
    columns = _text_columns()
    undecided = sorted(columns - set(SCREENED) - set(EXEMPT))
    assert not undecided, f"text columns without a guard decision: {undecided}"
    assert not set(SCREENED) & set(EXEMPT), "a column is both screened and exempt"
    stale = sorted((set(SCREENED) | set(EXEMPT)) - columns)
    assert not stale, f"decisions for columns that no longer exist: {stale}"
    assert all(reason.strip() for reason in EXEMPT.values())
    assert set(EXEMPT) >= DIGESTS, "a digest the form crawl passes by must be exempt, not screened"


def test_the_free_text_of_cases_and_meetings_is_screened_not_exempt(app):
    for column in (
        "cases.description",
        "case_groups.name",
        "selection_criteria.text",
        "meetings.location",
        "attendance.guest_name",
        "consent_events.note",
        "field_values.value",
        "findings.text",
    ):
        assert column in SCREENED


# --- objects reach views through one loader ---------------------------------------------------

#: The views of the features that hold client-related objects.
CLIENT_VIEWS = [
    "actions/views.py",
    "calendars/views.py",
    "exports/feedback_views.py",
    "exports/house_style_views.py",
    "cases/views.py",
    "exports/minutes_views.py",
    "groups/views.py",
    "meetings/views.py",
    "series/views.py",
    "meetings/facilitate.py",
    "meetings/record_views.py",
    "meetings/table_views.py",
    "exports/feedback_body_views.py",
    "meetings/correction_views.py",
    "preparation/views.py",
    "privacy/views.py",
    "regions/contact_views.py",
    "exports/logbook_views.py",
    "exports/feedback_views.py",
    "audit/views.py",
    "audit/overview_views.py",
    "proposals/views.py",
    "signals/views.py",
    "stories/views.py",
    "dashboard/views.py",
    "monitoring/views.py",
]
#: Calls that load rows on their own; a view uses load_or_deny or a feature's query function.
FORBIDDEN_CALLS = {"get_or_404", "first_or_404", "one_or_404", "select", "execute"}


def _loads_directly(call: ast.Call) -> bool:
    node = call.func
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    if name == "get":  # db.session.get(...), not request.args.get(...) or dict.get(...)
        return "session" in ast.unparse(node)
    return name in FORBIDDEN_CALLS


def _forbidden_calls(path: Path, root: Path = PACKAGE) -> list[str]:
    return [
        f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)[:60]}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and _loads_directly(node)
    ]


def test_views_of_client_features_load_objects_only_through_load_or_deny():
    offenders = [hit for name in CLIENT_VIEWS for hit in _forbidden_calls(PACKAGE / name)]
    assert not offenders, "load through facilitator.loading.load_or_deny:\n" + "\n".join(offenders)


def test_the_forbidden_call_finder_finds_a_direct_load(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def v(i):\n"
        "    request.args.get('x')\n"
        "    return db.session.get(Case, i) or db.get_or_404(Case, i) or select(Case)\n"
    )
    assert len(_forbidden_calls(module, tmp_path)) == 3


def test_only_the_guard_scans_text():
    """No module but the guard calls the detector's scan (check-digit helpers are no scan)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("guard.py", "detector.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "facilitator.privacy.detector":
                names = {alias.name for alias in node.names}
                if names - {"is_valid_bsn", "is_valid_iban", "Finding", "Severity"}:
                    offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(names)}")
    assert not offenders, offenders


# --- every mutating service writes its audit row ----------------------------------------------

SERVICE_MODULES = [
    actions,
    overview_services,
    editions,
    feedback,
    feedback_bodies,
    house_style,
    logbook_export,
    calendars,
    cases,
    regie,
    contacts,
    minutes_services,
    groups,
    planning,
    attendance,
    records,
    review,
    run,
    table,
    corrections,
    preparation,
    privacy,
    duplicates,
    regions,
    users,
    two_factor,
    proposals,
    series,
    signals,
    stories,
    monitoring_csv,
]
#: Functions that take the actor but change nothing themselves, with the reason.
NOT_MUTATING = {
    "facilitator.privacy.services.reveal_identity": "reads identity; audits each request",
}


def _case_step(meeting: Meeting) -> str:
    return next(s.ref for s in run.rail(meeting) if s.case is not None)


def _planned(world) -> Meeting:
    return factories.make_meeting(
        world.group, world.users[Role.PROCESBEGELEIDER], [world.fictional_case], start=False
    )


def _ready_to_close(world) -> Meeting:
    """A running meeting without cases whose only required field, attendance, is filled."""
    leader = world.users[Role.PROCESBEGELEIDER]
    meeting = factories.make_meeting(world.group, leader, [], protocol_id="opvolging")
    planning.set_attendance(meeting, leader, "aanwezig", actor=leader)
    return meeting


def _guest(world):
    return attendance.add_guest(
        world.meeting,
        name="Gast van de werkgever",
        role="werkgever",
        organisation_id=None,
        status="aanwezig",
        actor=world.users[Role.PROCESBEGELEIDER],
    )


def _held(world) -> Meeting:
    from tests.holding import hold

    hold(world.meeting, world.users[Role.PROCESBEGELEIDER])
    return world.meeting


def _approved(world):
    from tests.minutes_helpers import next_meeting

    held = _held(world)
    return minutes_services.approve_minutes(
        held,
        in_meeting=next_meeting(world),
        corrections="Actie aangevuld",
        actor=world.users[Role.PROCESBEGELEIDER],
    )


def _fully_held(world) -> Meeting:
    """The world's meeting held with a case update and an earlier action reviewed in it."""
    from tests.minutes_helpers import hold_world_meeting

    return hold_world_meeting(world)


def _in_held(world, model, *where):
    meeting = _fully_held(world)
    query = select(model).where(model.meeting_id == meeting.id, *where)
    return meeting, db.session.scalars(query).first()


def _contact(world):
    return contacts.create_contact(
        world.gemeente, name="Werkgeversadviseur Noord", email="wsp@noord.example", actor=None
    )


def _edition(world) -> LogbookEdition:
    return editions.issue_edition(
        region=world.group.region,
        groups=[world.group],
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        content=empty_docx(),
        actor=world.users[Role.PROJECTLEIDER],
    )


def _feedback(world):
    return feedback.record_feedback(
        _edition(world),
        body="klankbordgroep",
        given_on=date(2026, 4, 10),
        summary="Meer aandacht voor werkgevers",
        decisions="Werkgever uitnodigen",
        actor=world.users[Role.PROJECTLEIDER],
    )


def _house_style(world):
    from tests.reference_docs import reference_docx

    return house_style.set_house_style(
        world.region,
        filename="huisstijl-noord.docx",
        content=reference_docx(),
        actor=world.users[Role.BEHEERDER],
    )


def _logbook(world, export: Callable):
    """A logbook export of the world's region (the screening's places are links: a request)."""
    scope = LogbookScope(world.region, (), date.today() - timedelta(days=90), date.today())
    with current_app.test_request_context():
        return export(scope, world.users[Role.PROJECTLEIDER])


def _preparation(world):
    """The deelnemer answers the handreiking for a case on a planned meeting's agenda."""
    meeting = factories.make_meeting(
        world.group, world.users[Role.PROCESBEGELEIDER], [world.fictional_case], start=False
    )
    return preparation.save_answers(
        meeting,
        world.fictional_case,
        {"vraag_aan_groep": "Wie neemt de regie?"},
        actor=world.users[Role.DEELNEMER],
    )


def _story(world, *, submitted: bool = False):
    story = stories.write_story(
        world.group,
        kind="voorbeeldcasus",
        title="Samen om tafel",
        text="Werkgever en behandelaar spraken samen af wie de begeleiding op zich nam.",
        case=world.fictional_case,
        actor=world.users[Role.DEELNEMER],
    )
    if submitted:
        stories.submit_story(story, actor=world.users[Role.DEELNEMER])
    return story


def _scenarios() -> dict[str, Callable]:
    pb = Role.PROCESBEGELEIDER
    pl = Role.PROJECTLEIDER
    return {
        "signals.services.record_follow_up": lambda w: signals.record_follow_up(
            w.finding,
            status="besluit_genomen",
            decision="De beleidsgroep stelt een vast overleg in.",
            decided_on=date.today(),
            expected_version=0,
            actor=w.users[pl],
        ),
        "exports.editions.issue_edition": _edition,
        "stories.services.write_story": _story,
        "stories.services.edit_story": lambda w: stories.edit_story(
            _story(w),
            kind="klantverhaal",
            title="Weer aan het werk",
            text="Na een jaar zonder werk begon zij in de bakkerij.",
            case=None,
            actor=w.users[pb],
        ),
        "stories.services.submit_story": lambda w: _story(w, submitted=True),
        "stories.services.approve_story": lambda w: stories.approve_story(
            _story(w, submitted=True), actor=w.users[pb]
        ),
        "stories.services.send_back_story": lambda w: stories.send_back_story(
            _story(w, submitted=True), reason="Iets korter graag", actor=w.users[pb]
        ),
        "stories.services.delete_story": lambda w: stories.delete_story(
            _story(w), actor=w.users[Role.DEELNEMER]
        ),
        "proposals.services.open_call": proposal_helpers.open_call,
        "proposals.services.close_call": lambda w: proposals.close_call(
            proposal_helpers.open_call(w), actor=w.users[pb]
        ),
        "proposals.services.propose_case": proposal_helpers.proposal,
        "proposals.services.withdraw_proposal": lambda w: proposals.withdraw_proposal(
            proposal_helpers.proposal(w), actor=w.users[Role.DEELNEMER]
        ),
        "proposals.services.accept_proposal": lambda w: proposals.accept_proposal(
            proposal_helpers.proposal(w), actor=w.users[pb]
        ),
        "proposals.services.decline_proposal": lambda w: proposals.decline_proposal(
            proposal_helpers.proposal(w), reason="Past niet bij dit thema", actor=w.users[pb]
        ),
        "exports.feedback_bodies.add_body": lambda w: feedback_bodies.add_body(
            w.region, name="Stuurgroep", actor=w.users[pl]
        ),
        "exports.feedback_bodies.rename_body": lambda w: feedback_bodies.rename_body(
            feedback_bodies.bodies_of(w.region.id)[0], name="Klankbord", actor=w.users[pl]
        ),
        "exports.feedback_bodies.set_body_active": lambda w: feedback_bodies.set_body_active(
            feedback_bodies.bodies_of(w.region.id)[0], False, actor=w.users[pl]
        ),
        "meetings.table.set_table_presence": lambda w: table.set_table_presence(
            w.meeting, w.meeting.agenda[0], candidate=True, employer=False, actor=w.users[pb]
        ),
        "exports.feedback.record_feedback": _feedback,
        "exports.feedback.update_feedback": lambda w: feedback.update_feedback(
            _feedback(w),
            body="beleidsgroep",
            given_on=date(2026, 4, 11),
            summary="Werkgevers eerder betrekken",
            decisions="",
            actor=w.users[pl],
        ),
        "exports.logbook_export.export_logbook": lambda w: _logbook(
            w, lambda scope, pl: logbook_export.export_logbook(scope, actor=pl)
        ),
        "exports.logbook_export.export_logbook_csv": lambda w: _logbook(
            w, lambda scope, pl: logbook_export.export_logbook_csv(scope, "acties", actor=pl)
        ),
        "monitoring.csv_export.export_monitoring_csv": lambda w: (
            monitoring_csv.export_monitoring_csv(
                MonitoringScope(w.region, (), date(2026, 1, 1), date(2026, 12, 31)),
                actor=w.users[pl],
            )
        ),
        "exports.feedback.delete_feedback": lambda w: feedback.delete_feedback(
            _feedback(w), actor=w.users[pl]
        ),
        "exports.editions.download_edition": lambda w: editions.download_edition(
            _edition(w), actor=w.users[pl]
        ),
        "exports.house_style.set_house_style": _house_style,
        "preparation.services.save_answers": _preparation,
        "exports.house_style.remove_house_style": lambda w: (
            _house_style(w),
            house_style.remove_house_style(w.region, actor=w.users[Role.BEHEERDER]),
        ),
        "actions.services.create_action": lambda w: actions.create_action(
            w.group,
            description="Werkgever bellen",
            owner=_contact(w),
            due_on=date.today() + timedelta(7),
            case=w.fictional_case,
            actor=w.users[pb],
        ),
        "actions.services.edit_action": lambda w: actions.edit_action(
            w.action,
            description="Werkgever bellen",
            owner=w.extra_member,
            due_on=date.today() + timedelta(21),
            case=None,
            actor=w.users[pb],
        ),
        "actions.services.change_status": lambda w: actions.change_status(
            w.action, "in_uitvoering", note="Afspraak staat", actor=w.users[Role.DEELNEMER]
        ),
        "cases.regie.assign_regievoerder": lambda w: regie.assign_regievoerder(
            w.fictional_case,
            _contact(w),
            actor=w.users[pb],
            reason="Overdracht naar de werkgeversadviseur",
            achterwacht=w.users[Role.DEELNEMER],
        ),
        "regions.contacts.create_contact": _contact,
        "exports.minutes_services.export_minutes": lambda w: minutes_services.export_minutes(
            _held(w), actor=w.users[Role.DEELNEMER]
        ),
        "exports.minutes_services.approve_minutes": _approved,
        "regions.contacts.update_contact": lambda w: contacts.update_contact(
            _contact(w),
            name="Werkgeversadviseur",
            email="wsp@noord.example",
            organisation=w.ggz,
            actor=w.users[Role.BEHEERDER],
        ),
        "regions.contacts.set_contact_active": lambda w: contacts.set_contact_active(
            _contact(w), False, actor=w.users[pb]
        ),
        "calendars.services.create_feed": lambda w: calendars.create_feed(
            w.extra_member, actor=w.extra_member
        ),
        "calendars.services.revoke_feed": lambda w: (
            calendars.create_feed(w.extra_member, actor=None),
            calendars.revoke_feed(w.extra_member, actor=w.extra_member),
        ),
        "cases.services.register_case": lambda w: cases.register_case(
            w.group,
            actor=w.users[Role.DEELNEMER],
            brought_by=w.users[Role.DEELNEMER],
            organisation=w.ggz,
            mode="fictief",
            details=factories.details(),
        ),
        "cases.services.update_case": lambda w: cases.update_case(
            w.fictional_case, factories.details("Nieuwe omschrijving"), actor=w.users[pb]
        ),
        "cases.services.set_status": lambda w: cases.set_status(
            w.fictional_case, "in_opvolging", actor=w.users[pb]
        ),
        "cases.services.close_case": lambda w: cases.close_case(
            w.consent_case, "betaald_werk", "Werk gevonden", actor=w.users[pb]
        ),
        "cases.services.reopen_case": lambda w: (
            cases.close_case(w.consent_case, "anders", "Vergissing", actor=w.users[pb]),
            cases.reopen_case(w.consent_case, actor=w.users[pb]),
        ),
        "groups.services.create_group": lambda w: groups.create_group(
            w.region, name="Werkgroep financiering", rhythm="maandelijks", actor=w.users[pb]
        ),
        "groups.services.update_group": lambda w: groups.update_group(
            w.group, actor=w.users[pb], theme="Werkgeversbenadering"
        ),
        "groups.services.set_group_active": lambda w: groups.set_group_active(
            w.group, False, actor=w.users[pb]
        ),
        "groups.services.add_member": lambda w: groups.add_member(
            w.group, w.users[Role.PROJECTLEIDER], GroupRole.LID, actor=w.users[pb]
        ),
        "groups.services.remove_member": lambda w: groups.remove_member(
            w.group, w.group.membership_of(w.extra_member), actor=w.users[pb]
        ),
        "groups.services.add_criterion": lambda w: groups.add_criterion(
            w.group, "Cliënt is in behandeling", False, actor=w.users[pb]
        ),
        "groups.services.retire_criterion": lambda w: groups.retire_criterion(
            w.group, w.group.criteria[0], actor=w.users[pb]
        ),
        "meetings.planning.plan_meeting": lambda w: _planned(w),
        "series.services.plan_series": lambda w: plan_world_series(w),
        "series.services.extend_series": lambda w: (
            lambda s: series.extend_series(s, series.extension_rows(s, 2), actor=w.users[pb])
        )(plan_world_series(w)),
        "series.services.end_series": lambda w: series.end_series(
            plan_world_series(w), actor=w.users[pb]
        ),
        "meetings.planning.update_meeting": lambda w: (
            lambda m: planning.update_meeting(
                m,
                scheduled_at=m.scheduled_at,
                location="Zaal 4",
                online_link="",
                duration_minutes=90,
                actor=w.users[pb],
            )
        )(_planned(w)),
        "meetings.planning.cancel_meeting": lambda w: planning.cancel_meeting(
            _planned(w), actor=w.users[pb]
        ),
        "meetings.planning.add_to_agenda": lambda w: planning.add_to_agenda(
            _planned(w), w.consent_case, actor=w.users[pb]
        ),
        "meetings.planning.remove_from_agenda": lambda w: (
            lambda m: planning.remove_from_agenda(m, m.agenda[0], actor=w.users[pb])
        )(_planned(w)),
        "meetings.planning.move_on_agenda": lambda w: planning.move_on_agenda(
            w.meeting, w.meeting.agenda[0], 1, actor=w.users[pb]
        ),
        "meetings.planning.set_attendance": lambda w: planning.set_attendance(
            w.meeting, w.extra_member, "aanwezig", actor=w.users[pb]
        ),
        "meetings.attendance.record_attendance": lambda w: attendance.record_attendance(
            w.meeting, {w.extra_member: "afgemeld", w.users[pb]: "aanwezig"}, actor=w.users[pb]
        ),
        "meetings.attendance.add_guest": lambda w: _guest(w),
        "meetings.attendance.correct_guest": lambda w: attendance.correct_guest(
            _guest(w),
            name="Gast van de werkgever",
            role="werkgever (HR)",
            organisation_id=w.gemeente.id,
            status="afgemeld",
            actor=w.users[pb],
        ),
        "meetings.attendance.remove_guest": lambda w: attendance.remove_guest(
            _guest(w), actor=w.users[pb]
        ),
        "meetings.planning.set_case_presence": lambda w: planning.set_case_presence(
            w.meeting, w.meeting.agenda[0], [w.ggz], actor=w.users[pb]
        ),
        "meetings.records.add_finding": lambda w: records.add_finding(
            w.meeting,
            _case_step(w.meeting),
            kind="kans",
            level="uitvoering",
            text="Korte lijnen werken",
            organisations=[],
            signal=False,
            actor=w.users[pb],
        ),
        "meetings.records.add_action": lambda w: records.add_action(
            w.meeting,
            _case_step(w.meeting),
            description="Werkgever bellen",
            owner=w.users[Role.DEELNEMER],
            due_on=date.today() + timedelta(7),
            actor=w.users[pb],
        ),
        "meetings.records.update_finding": lambda w: records.update_finding(
            w.meeting,
            w.finding,
            kind="kans",
            level="beleid_organisatie",
            text="Korte lijnen werken",
            organisations=[w.ggz],
            signal=False,
            actor=w.users[pb],
        ),
        "meetings.records.update_action": lambda w: records.update_action(
            w.meeting,
            w.action,
            description="Werkgever bellen",
            owner=w.extra_member,
            due_on=date.today() + timedelta(21),
            actor=w.users[pb],
        ),
        "meetings.records.remove_record": lambda w: records.remove_record(
            w.meeting, w.finding, actor=w.users[pb]
        ),
        "meetings.review.review_action": lambda w: review.review_action(
            factories.make_meeting(w.group, w.users[pb], [w.fictional_case]),
            w.action,
            "gereed",
            note="Gesprek heeft plaatsgevonden",
            due_on=None,
            actor=w.users[pb],
        ),
        "meetings.review.record_case_update": lambda w: review.record_case_update(
            w.meeting,
            w.meeting.agenda[0],
            "Werkt sinds vorige maand twee dagen per week",
            expected_version=0,
            actor=w.users[pb],
        ),
        "meetings.records.assign_regievoerder": lambda w: records.assign_regievoerder(
            w.meeting, w.fictional_case, w.users[Role.DEELNEMER], actor=w.users[pb]
        ),
        "meetings.records.save_building_blocks": lambda w: records.save_building_blocks(
            w.meeting,
            {key: 4 for key, _ in records.BUILDING_BLOCKS},
            went_well="Goede voorbereiding",
            could_be_better="Tijd",
            actor=w.users[pb],
        ),
        "meetings.corrections.correct_finding": lambda w: corrections.correct_finding(
            _fully_held(w),
            w.finding,
            kind="kans",
            level="uitvoering",
            text="Overdracht loopt beter sinds de vaste contactpersoon",
            organisations=[],
            signal=False,
            reason="Verkeerd genoteerd",
            actor=w.users[pb],
        ),
        "meetings.corrections.correct_case_update": lambda w: corrections.correct_case_update(
            *_in_held(w, CaseUpdate),
            text="Werkt drie dagen per week",
            reason="Verkeerd genoteerd",
            actor=w.users[pb],
        ),
        "meetings.corrections.correct_review_note": lambda w: corrections.correct_review_note(
            *_in_held(w, ActionUpdate),
            note="Het gesprek is gevoerd",
            reason="Verkeerd genoteerd",
            actor=w.users[pb],
        ),
        "meetings.corrections.correct_building_blocks": lambda w: (
            corrections.correct_building_blocks(
                _fully_held(w),
                went_well="Goede sfeer",
                could_be_better="",
                reason="Verkeerd genoteerd",
                actor=w.users[pb],
            )
        ),
        "meetings.corrections.correct_guest": lambda w: corrections.correct_guest(
            *_in_held(w, Attendance, Attendance.user_id.is_(None)),
            name="Gerda Gastvrij",
            role="werkgeversadviseur",
            reason="Rol aangevuld",
            actor=w.users[pb],
        ),
        "meetings.corrections.correct_location": lambda w: corrections.correct_location(
            _fully_held(w), location="Stadhuis, zaal 2", reason="Zaal verplaatst", actor=w.users[pb]
        ),
        "meetings.run.start_meeting": lambda w: run.start_meeting(_planned(w), actor=w.users[pb]),
        "meetings.run.go_to_step": lambda w: run.go_to_step(
            w.meeting, run.rail(w.meeting)[-1].ref, actor=w.users[pb]
        ),
        "meetings.run.save_field": lambda w: (
            lambda step: run.save_field(
                w.meeting,
                step.ref,
                next(f.key for f in step.step.fields if f.type in run.FREE_TEXT_TYPES),
                "Zoals besproken",
                expected_version=0,
                actor=w.users[pb],
            )
        )(
            next(
                s
                for s in run.rail(w.meeting)
                if any(f.type in run.FREE_TEXT_TYPES for f in s.step.fields)
            )
        ),
        "meetings.run.close_meeting": lambda w: run.close_meeting(
            _ready_to_close(w), actor=w.users[pb]
        ),
        "privacy.services.add_consent": lambda w: privacy.add_consent(
            w.fictional_case, factories.consent_for([w.ggz]), actor=w.users[pb]
        ),
        "privacy.services.extend_consent": lambda w: privacy.extend_consent(
            w.consent_case, date.today() + timedelta(400), actor=w.users[Role.DEELNEMER]
        ),
        "privacy.services.withdraw_consent": lambda w: privacy.withdraw_consent(
            w.consent_case, actor=w.users[Role.DEELNEMER]
        ),
        "privacy.duplicates.flag_possible_duplicate": lambda w: duplicates.flag_possible_duplicate(
            w.fictional_case, w.consent_case, actor=w.users[Role.DEELNEMER]
        ),
        "privacy.duplicates.decide_duplicate": lambda w: (
            duplicates.flag_possible_duplicate(w.fictional_case, w.consent_case, actor=None),
            duplicates.decide_duplicate(
                db.session.scalar(select(PossibleDuplicate)),
                "verschillend",
                actor=w.users[pb],
            ),
        ),
        "regions.services.create_region": lambda w: regions.create_region(
            name="Regio West", actor=w.users[Role.BEHEERDER]
        ),
        "regions.services.update_region": lambda w: regions.update_region(
            w.region, name="Regio Noord", description="Noord", actor=w.users[Role.BEHEERDER]
        ),
        "regions.services.delete_region": lambda w: regions.delete_region(
            regions.create_region(name="Regio Leeg", actor=None), actor=w.users[Role.BEHEERDER]
        ),
        "regions.services.create_organisation": lambda w: regions.create_organisation(
            w.region, name="SW-bedrijf Noord", kind=OrganisationKind.SW_BEDRIJF, actor=None
        ),
        "regions.services.update_organisation": lambda w: regions.update_organisation(
            w.gemeente, actor=w.users[Role.BEHEERDER], contact_name="A. de Vries"
        ),
        "regions.services.delete_organisation": lambda w: regions.delete_organisation(
            regions.create_organisation(
                w.region, name="Leeg", kind=OrganisationKind.WERKGEVER, actor=None
            ),
            actor=w.users[Role.BEHEERDER],
        ),
        "users.services.create_user": lambda w: users.create_user(
            name="Nieuwe Collega",
            email="nieuw@noord.example",
            organisation=w.gemeente,
            role="deelnemer",
            password="een lang genoeg wachtwoord",
            actor=w.users[Role.BEHEERDER],
        ),
        "users.services.update_user": lambda w: users.update_user(
            w.extra_member,
            name="Extra Lid",
            email="extra@noord.example",
            organisation=w.gemeente,
            role="deelnemer",
            language="nl",
            actor=w.users[Role.BEHEERDER],
        ),
        "users.services.deactivate_user": lambda w: users.deactivate_user(
            w.extra_member, actor=w.users[Role.BEHEERDER]
        ),
        "users.services.reactivate_user": lambda w: (
            users.deactivate_user(w.extra_member, actor=None),
            users.reactivate_user(w.extra_member, actor=w.users[Role.BEHEERDER]),
        ),
        "auth.two_factor.regenerate_recovery_codes": lambda w: two_factor.regenerate_recovery_codes(
            factories.enrol_two_factor(w.users[Role.BEHEERDER]), actor=w.users[Role.BEHEERDER]
        ),
        "auth.two_factor.disable_two_factor": lambda w: (
            lambda user: two_factor.disable_two_factor(user, actor=user)
        )(factories.enrol_two_factor(_user_outside_every_consent())),
        "auth.two_factor.reset_two_factor": lambda w: two_factor.reset_two_factor(
            factories.enrol_two_factor(w.extra_member), actor=w.users[Role.BEHEERDER]
        ),
        "users.services.set_audit_right": lambda w: users.set_audit_right(
            w.extra_member, True, actor=w.users[Role.BEHEERDER]
        ),
        "audit.overview_services.export_access_overview": lambda w: (
            overview_services.export_access_overview(w.consent_case, actor=w.users[pb])
        ),
        "users.services.reset_password": lambda w: users.reset_password(
            w.extra_member, "een ander lang wachtwoord", actor=w.users[Role.BEHEERDER]
        ),
    }


def _user_outside_every_consent():
    """A user who need not have two-factor login: an organisation no consent names."""
    region = factories.make_region("Regio Oost")
    return factories.make_user(factories.make_organisation(region, "Gemeente Oost"))


def _actor_services() -> set[str]:
    found = set()
    for module in SERVICE_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if "actor" in inspect.signature(function).parameters:
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_service_that_takes_the_actor_is_proven_to_write_an_audit_row():
    known = {f"facilitator.{name}" for name in _scenarios()} | set(NOT_MUTATING)
    missing = sorted(_actor_services() - known)
    assert not missing, f"add an audit scenario for: {missing}"


@pytest.mark.parametrize("service", sorted(_scenarios()))
def test_a_mutating_service_writes_its_audit_row(app, service):
    world = factories.make_world()
    scenario = _scenarios()[service]
    before = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    scenario(world)
    db.session.flush()
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert rows, f"{service} wrote no audit row"
    for row in rows:
        assert row.action.value in "CRUDE"
        assert "Voorbeeldt" not in (row.reason + row.object_id)


def test_importing_every_service_module_finds_the_scenarios():
    for name in _scenarios():
        module, function = name.rsplit(".", 1)
        assert hasattr(importlib.import_module(f"facilitator.{module}"), function), name
