"""Every route declares who may use it; every role gets what it may and nothing more (A7)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem
from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.auth.access import WORKING_ROLES, rule_for_endpoint
from facilitator.calendars import services as calendars
from facilitator.exports import editions, feedback
from facilitator.exports.models import FeedbackBody, LogbookEdition
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.meetings import attendance, records, run
from facilitator.meetings.models import Attendance, Finding
from facilitator.privacy.models import PossibleDuplicate
from facilitator.regions import contacts
from facilitator.regions.models import Contact
from facilitator.users.models import Role, User
from tests.helpers import AuthActions, csrf_token
from tests.reference_docs import empty_docx

PUBLIC = "public"
#: @authenticated: the working roles (facilitator.auth.access.WORKING_ROLES), never the
#: read-only beleidsgroeplid.
ANY_USER = "any user"
#: @every_role: the user's own account and the start page, the beleidsgroeplid too.
EVERY_ROLE = "every role"
ADMIN = frozenset({Role.BEHEERDER})
LEADS = frozenset({Role.BEHEERDER, Role.PROJECTLEIDER})
CONTACT_MANAGERS = frozenset({Role.BEHEERDER, Role.PROCESBEGELEIDER})
PROJECTLEIDER = frozenset({Role.PROJECTLEIDER})
#: A group's stories: its members and the region's projectleider; never the beheerder (client
#: data) or the beleidsgroeplid (pseudonyms).
STORY_READERS = frozenset({Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER})
#: The logbook reads across every group of the region: the projectleider's alone.
LOGBOOK = frozenset({Role.PROJECTLEIDER})
#: The issued editions and the dashboard: the projectleider's and the beleidsgroep's.
POLICY_READERS = frozenset({Role.PROJECTLEIDER, Role.BELEIDSGROEPLID})
FIGURES = frozenset({Role.PROJECTLEIDER, Role.BELEIDSGROEPLID})

#: The records made on the facilitation screen (meetings/record_views.py).
RECORD_ENDPOINTS = (
    "finding_add",
    "finding_edit",
    "finding_remove",
    "action_add",
    "action_edit",
    "action_remove",
    "action_status",
    "case_update",
    "regievoerder",
    "building_blocks",
)
#: The corrections of a completed meeting's records (meetings/correction_views.py).
CORRECTION_ENDPOINTS = (
    "finding",
    "case_update",
    "review_note",
    "building_blocks",
    "guest",
    "place",
)
#: The expected rule of every endpoint. A new endpoint fails the first test until it is here.
EXPECTED_RULES = {
    "static": PUBLIC,
    "core.healthz": PUBLIC,
    "core.set_language": PUBLIC,
    "auth.login": PUBLIC,
    # The steps after the password: each checks the note of who is logging in itself.
    **{f"auth.{name}": PUBLIC for name in ("code", "enrol", "enrol_begin", "enrol_confirm")},
    **{
        f"two_factor.{name}": EVERY_ROLE
        for name in ("manage", "begin", "confirm", "regenerate", "disable", "reauth")
    },
    "core.index": EVERY_ROLE,
    "auth.logout": EVERY_ROLE,
    "account.index": EVERY_ROLE,
    "account.password": EVERY_ROLE,
    "dashboard.page": POLICY_READERS,
    "regions.region_list": ADMIN,
    "regions.region_create": ADMIN,
    "regions.region_edit": ADMIN,
    "regions.region_delete": ADMIN,
    "regions.organisation_list": ADMIN,
    "regions.organisation_create": ADMIN,
    "regions.organisation_edit": ADMIN,
    "regions.organisation_delete": ADMIN,
    **{f"house_style.{name}": ADMIN for name in ("edit", "sample", "remove")},
    **{
        f"feedback_bodies.{name}": LEADS
        for name in ("body_list", "body_edit", "body_deactivate", "body_activate")
    },
    "meeting_table.table_presence": ANY_USER,
    "signals.region_list": PROJECTLEIDER,
    "signals.signal_detail": PROJECTLEIDER,
    **{
        f"logbook_feedback.{name}": POLICY_READERS
        for name in ("edition_list", "edition_detail", "edition_download")
    },
    **{f"logbook_feedback.{name}": PROJECTLEIDER for name in ("feedback_edit", "feedback_delete")},
    **{
        f"contacts.{name}": CONTACT_MANAGERS
        for name in (
            "contact_list",
            "contact_create",
            "contact_edit",
            "contact_deactivate",
            "contact_activate",
        )
    },
    "users.user_list": ADMIN,
    "users.user_create": ADMIN,
    "users.user_edit": ADMIN,
    "users.user_deactivate": ADMIN,
    "users.user_reactivate": ADMIN,
    "users.user_unlock": ADMIN,
    "users.user_reset_password": ADMIN,
    "users.user_reset_two_factor": ADMIN,
    "users.user_audit_right": ADMIN,
    # Any role may hold the audit right; without it the page refuses, logged (test_audit_page).
    "audit.log": ANY_USER,
    "audit.case_chronology": ANY_USER,
    "audit.user_chronology": ANY_USER,
    "access_overview.download": ANY_USER,
    "groups.group_list": ANY_USER,
    "groups.group_create": LEADS,
    "groups.group_detail": ANY_USER,
    "groups.group_edit": LEADS,
    "groups.group_archive": LEADS,
    "groups.group_reopen": LEADS,
    "groups.group_members": ANY_USER,
    "groups.group_member_remove": ANY_USER,
    "groups.group_criteria": LEADS,
    "groups.group_criterion_retire": LEADS,
    "cases.case_register": ANY_USER,
    "cases.case_detail": ANY_USER,
    "cases.case_edit": ANY_USER,
    "cases.case_status": ANY_USER,
    "cases.case_close": ANY_USER,
    "cases.case_reopen": ANY_USER,
    "cases.duplicate_decide": ANY_USER,
    "cases.regie_assign": ANY_USER,
    "privacy.identity_show": ANY_USER,
    "privacy.consent_extend": ANY_USER,
    "privacy.consent_withdraw": ANY_USER,
    **{
        f"actions.{name}": ANY_USER
        for name in (
            "my_actions",
            "action_detail",
            "action_update",
            "action_edit",
            "board",
            "action_create",
        )
    },
    **{
        f"stories.{name}": STORY_READERS
        for name in (
            "story_list",
            "story_create",
            "story_detail",
            "story_edit",
            "story_submit",
            "story_approve",
            "story_send_back",
            "story_delete",
        )
    },
    "protocols.protocol_list": ANY_USER,
    "protocols.protocol_detail": ANY_USER,
    "calendars.meeting_ics": ANY_USER,
    **{f"series.{name}": ANY_USER for name in ("plan", "detail", "extend", "end")},
    # A calendar app cannot log in: the secret address is the key (tests/test_calendar.py).
    "calendars.feed": PUBLIC,
    "calendars.feed_new": ANY_USER,
    "calendars.feed_revoke": ANY_USER,
    **{
        f"meetings.{name}": ANY_USER
        for name in (
            "meeting_plan",
            "meeting_edit",
            "meeting_detail",
            "agenda_add",
            "agenda_remove",
            "agenda_move",
            "attendance_set",
            "guest_add",
            "guest_edit",
            "guest_remove",
            "meeting_cancel",
            "meeting_start",
            "case_presence",
        )
    },
    **{
        f"proposals.{name}": ANY_USER
        for name in ("call_open", "call_close", "propose", "withdraw", "accept", "decline")
    },
    **{
        f"facilitate.{name}": ANY_USER
        for name in (
            "screen",
            "go",
            "save_field",
            "close",
            "presentation",
            "presentation_state",
        )
    },
    **{f"meeting_records.{name}": ANY_USER for name in RECORD_ENDPOINTS},
    **{f"corrections.{name}": ANY_USER for name in CORRECTION_ENDPOINTS},
    "corrections.finding_spot": ANY_USER,
    "corrections.blocks_spot": ANY_USER,
    "minutes.download": ANY_USER,
    "minutes.approve": ANY_USER,
    # The handreiking's answers are about a case: never the beheerder's.
    "preparation.prepare": frozenset({Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER}),
    **{
        f"logbook.{name}": LOGBOOK
        for name in (
            "logbook_page",
            "logbook_download",
            "logbook_csv",
            "building_blocks_png",
        )
    },
    # The region's figures, suppressed and without a pseudonym: its projectleider and its
    # beleidsgroep (monitoring/policy.py).
    **{f"monitoring.{name}": FIGURES for name in ("figures_page", "figures_csv", "figures_chart")},
}

B, PL, PB, D = Role.BEHEERDER, Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER
BGL = Role.BELEIDSGROEPLID
#: Who may act on the world's own-region objects, where the route rule alone does not decide.
#: (In the world, the procesbegeleider leads the group and the deelnemer brought its cases.)
OBJECT_ACCESS = {
    "groups.group_members": {B, PL, PB},
    "groups.group_member_remove": {B, PL, PB},
    "cases.case_register": {PB, D},
    "cases.case_detail": {PL, PB, D},
    "cases.case_edit": {PB, D},
    "cases.case_status": {PB, D},
    "cases.case_close": {PB, D},
    "cases.case_reopen": {PB, D},
    # The group's procesbegeleiders and the bringing organisation's members; the projectleider
    # reads the regie on the case page but takes no part in choosing it.
    "cases.regie_assign": {PB, D},
    # Only the group's procesbegeleiders inside the existing case's consent scope decide; the
    # world's procesbegeleider works at the Gemeente, outside it (tests/test_guard.py: inside).
    "cases.duplicate_decide": set(),
    # The projectleider may see the case, so the request is taken, refused inside and logged.
    "privacy.identity_show": {PL, PB, D},
    "privacy.consent_extend": {PB, D},
    "privacy.consent_withdraw": {PB, D},
    "meetings.meeting_plan": {B, PL, PB},
    "meetings.meeting_edit": {B, PL, PB},
    "meetings.meeting_detail": {B, PL, PB, D},
    "calendars.meeting_ics": {B, PL, PB, D},
    # The group's procesbegeleiders plan and change a series; the projectleider reads it.
    "series.detail": {PL, PB},
    **{f"series.{name}": {PB} for name in ("plan", "extend", "end")},
    **{
        f"meetings.{name}": {B, PL, PB}
        for name in ("attendance_set", "guest_add", "guest_edit", "guest_remove", "meeting_cancel")
    },
    # The beheerder plans meetings but sees no cases: the agenda is not theirs to change.
    **{
        f"meetings.{name}": {PL, PB}
        for name in ("agenda_add", "agenda_remove", "agenda_move", "case_presence")
    },
    "meetings.meeting_start": {PB},
    # The call for cases is the group's procesbegeleider's; every member proposes.
    **{f"proposals.{name}": {PB} for name in ("call_open", "call_close", "accept", "decline")},
    **{f"proposals.{name}": {PB, D} for name in ("propose", "withdraw")},
    "meeting_table.table_presence": {PL, PB},
    # The url names the other region: its bodies are the beheerder's, not Noord's projectleider's.
    **{
        f"feedback_bodies.{name}": {B}
        for name in ("body_list", "body_edit", "body_deactivate", "body_activate")
    },
    # The url names the other region: its figures are not Noord's to read.
    **{f"monitoring.{name}": set() for name in ("figures_page", "figures_csv", "figures_chart")},
    # The world's action concerns a case; its owner is the deelnemer, a member. The
    # projectleider reads it, never changes it; the beheerder sees no client data.
    "actions.action_detail": {PL, PB, D},
    "actions.board": {PL, PB, D},
    **{f"actions.{name}": {PB, D} for name in ("action_update", "action_edit", "action_create")},
    **{
        f"facilitate.{name}": {PB}
        for name in (
            "screen",
            "go",
            "save_field",
            "close",
        )
    },
    **{f"meeting_records.{name}": {PB} for name in RECORD_ENDPOINTS},
    **{f"corrections.{name}": {PB} for name in CORRECTION_ENDPOINTS},
    # Where an export's link leads: the spot to correct for the procesbegeleider, the meeting's
    # record for whoever else sees the meeting.
    "corrections.finding_spot": {B, PL, PB, D},
    "corrections.blocks_spot": {B, PL, PB, D},
    # The projector shows case pseudonyms: never to the beheerder.
    "facilitate.presentation": {PL, PB, D},
    "facilitate.presentation_state": {PL, PB, D},
    # The minutes name the cases: members and the projectleider, never the beheerder; only
    # the group's procesbegeleider approves them, in the next meeting.
    "minutes.download": {PL, PB, D},
    "minutes.approve": {PB},
    # The preparation of a case on the agenda: read by the members and the projectleider.
    "preparation.prepare": {PL, PB, D},
    # A fresh draft per persona, written by the deelnemer: the projectleider reads it; the
    # author and the procesbegeleider write, edit and submit; the procesbegeleider approves and
    # sends back. Submitted by then (the route before), it is no draft to delete for anyone.
    **{f"stories.{name}": {PL, PB, D} for name in ("story_list", "story_detail")},
    **{f"stories.{name}": {PB, D} for name in ("story_create", "story_edit", "story_submit")},
    **{f"stories.{name}": {PB} for name in ("story_approve", "story_send_back")},
    "stories.story_delete": set(),
    # The url names the other region: its dashboard is its own projectleider's and beleidsgroep's.
    "dashboard.page": set(),
    # No persona of the world holds the audit right (tests/test_audit_page.py: who does).
    "audit.log": set(),
    "audit.case_chronology": set(),
    "audit.user_chronology": set(),
    # The group's procesbegeleider inside the consent scope; the world's works outside it
    # (tests/test_access_overview.py: inside).
    "access_overview.download": set(),
    # The url names the other region: its signals are its own projectleider's.
    "signals.region_list": set(),
    # The world's finding is a signal of Noord: its projectleider follows it up.
    "signals.signal_detail": {PL},
}
PERSONAS = [None, *Role]


def _declared(rule) -> object:
    if rule.public:
        return PUBLIC
    if rule.every_role:
        return EVERY_ROLE
    return rule.roles or ANY_USER


def test_every_endpoint_declares_the_expected_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(e for e in endpoints if rule_for_endpoint(e) is None)
    assert not missing, f"endpoints without an access rule: {missing}"
    assert endpoints == set(EXPECTED_RULES), "update EXPECTED_RULES for new or removed routes"
    for endpoint in endpoints:
        assert _declared(rule_for_endpoint(endpoint)) == EXPECTED_RULES[endpoint], endpoint


def _url_args(world, *, foreign: bool = False) -> dict:
    throwaway = world.users[Role.PROCESBEGELEIDER]
    group = world.other_group if foreign else world.group
    member = world.other_user if foreign else world.extra_member
    meeting = world.other_meeting if foreign else world.meeting
    return {
        "region_id": world.other_region.id,
        "organisation_id": world.other_org.id,
        "user_id": throwaway.id,
        "filename": "css/app.css",
        "group_id": group.id,
        # Removed by a persona before (seen once the session is committed): none to remove.
        "membership_id": getattr(group.membership_of(member), "id", 999999),
        "criterion_id": group.criteria[0].id if group.criteria else 999999,
        "case_id": world.other_case.id if foreign else world.consent_case.id,
        "meeting_id": meeting.id,
        "item_id": meeting.agenda[0].id,
        "finding_id": _finding_of(world).id,
        # The world's meeting runs: it has no update to correct (its meeting is checked first).
        "case_update_id": 999999,
        "action_update_id": 999999,
        "action_id": _action_of(meeting, world.users[Role.DEELNEMER]).id,
        "protocol_id": "casusgroep-samenwerking",
        "flag_id": _duplicate_flag(world).id,
        "guest_id": _guest_of(meeting).id,
        "contact_id": _contact_in(world.other_org if foreign else world.gemeente).id,
        "token": _feed_token(world),
        **_feedback_args(world.other_region if foreign else world.region),
        "body_id": _body_of(world.other_region).id,
        "kind": "bevindingen",
        "chart": "stroom",
        "pseudonym": (world.other_case if foreign else world.consent_case).pseudonym,
        "series_id": _series_of(group).id,
        "story_id": _story_of(group, world.other_user if foreign else world.users[Role.DEELNEMER]),
    }


def _story_of(group, author) -> int:
    """A new draft of the group, each time: the routes before may have moved the last one on."""
    from facilitator.stories import services

    story = services.write_story(
        group, kind="klantverhaal", title="Aan het werk", text="Een goed verhaal.", actor=author
    )
    db.session.commit()
    return story.id


def _series_of(group) -> object:
    """The group's series (planned once per test, through the service)."""
    from facilitator.localtime import local_today
    from facilitator.series import services
    from facilitator.series.models import MeetingSeries, SeriesRhythm

    existing = db.session.scalar(select(MeetingSeries).where(MeetingSeries.group_id == group.id))
    if existing is not None:
        return existing
    settings = services.SeriesSettings(
        rhythm=SeriesRhythm.MAANDELIJKS,
        weekday=2,
        start_time=time(10, 0),
        first_date=local_today() + timedelta(days=20),
        protocol_id="casusgroep-samenwerking",
    )
    series = services.plan_series(
        group,
        settings,
        services.preview_rows(group, settings, count=2),
        actor=group.procesbegeleiders[0],
    )
    db.session.commit()
    return series


def _feedback_args(region) -> dict:
    """A logbook edition of the region with a feedback entry on it (made again after a persona
    deleted the entry)."""
    edition = db.session.scalar(select(LogbookEdition).where(LogbookEdition.region_id == region.id))
    if edition is None:
        edition = editions.issue_edition(
            region=region,
            groups=[],
            period_from=date(2026, 1, 1),
            period_to=date(2026, 3, 31),
            content=empty_docx(),
            actor=None,
        )
        db.session.commit()
    if not edition.feedback:
        feedback.record_feedback(
            edition,
            body="klankbordgroep",
            given_on=date(2026, 4, 9),
            summary="Meer werkgevers aan tafel",
            decisions="",
            actor=db.session.scalar(select(User).where(User.role == Role.PROJECTLEIDER)),
        )
        db.session.commit()
    return {"edition_id": edition.id, "feedback_id": edition.feedback[0].id}


def _body_of(region) -> FeedbackBody:
    """The region's first feedback body."""
    return db.session.scalars(
        select(FeedbackBody).where(FeedbackBody.region_id == region.id).order_by(FeedbackBody.id)
    ).first()


def _finding_of(world) -> Finding:
    """A finding of the world's meeting (made again after a persona removed it)."""
    finding = db.session.scalars(
        select(Finding).where(Finding.meeting_id == world.meeting.id).order_by(Finding.id)
    ).first()
    if finding is None:
        finding = records.add_finding(
            world.meeting,
            next(s.ref for s in run.rail(world.meeting) if s.case is not None),
            kind="knelpunt",
            level="uitvoering",
            text="Overdracht tussen UWV en gemeente loopt stroef",
            organisations=[],
            signal=False,
            actor=world.users[Role.PROCESBEGELEIDER],
        )
        db.session.commit()
    return finding


def _action_of(meeting, owner) -> ActionItem:
    """An action of the meeting on its first case (made again after a persona removed it)."""
    query = select(ActionItem).where(ActionItem.meeting_id == meeting.id)
    action = db.session.scalars(query).first()
    if action is None:
        action = actions.create_action(
            meeting.group,
            description="Driegesprek plannen",
            owner=owner,
            due_on=date.today() + timedelta(days=14),
            case=meeting.agenda[0].case,
            meeting=meeting,
            actor=owner,
        )
        db.session.commit()
    return action


def _contact_in(organisation) -> Contact:
    """A contact without an account at the organisation (made once per organisation)."""
    contact = db.session.scalar(select(Contact).where(Contact.organisation_id == organisation.id))
    if contact is None:
        contact = contacts.create_contact(
            organisation,
            name="Contact zonder account",
            email=f"c{organisation.id}@x.example",
            actor=None,
        )
        db.session.commit()
    return contact


def _feed_token(world) -> str:
    """A working calendar address of a member (made once per world; only its hash is kept)."""
    if not hasattr(world, "feed_token"):
        world.feed_token = calendars.create_feed(world.extra_member, actor=None)
        db.session.commit()
    return world.feed_token


def _guest_of(meeting) -> Attendance:
    """A guest at the meeting (made once per meeting)."""
    guest = next((a for a in meeting.attendance if a.user_id is None), None)
    if guest is None:
        guest = attendance.add_guest(
            meeting,
            name="Gast van de werkgever",
            role="werkgever",
            organisation_id=None,
            status="aanwezig",
            actor=None,
        )
        db.session.commit()
    return guest


def _duplicate_flag(world) -> PossibleDuplicate:
    """A possible duplicate between the world's two cases (made once per world)."""
    flag = db.session.scalar(select(PossibleDuplicate))
    if flag is None:
        flag = PossibleDuplicate(
            case_id=world.fictional_case.id, existing_case_id=world.consent_case.id
        )
        db.session.add(flag)
        db.session.commit()
    return flag


def _requests(app, world, *, foreign: bool = False):
    """Yield (endpoint, method, url) for every route, with real ids filled in."""
    args = _url_args(world, foreign=foreign)
    for rule in app.url_map.iter_rules():
        if "finding_id" in rule.arguments:  # a route before may have removed it
            args["finding_id"] = _finding_of(world).id
        url = rule.build({name: args[name] for name in rule.arguments})[1]
        methods = rule.methods - {"HEAD", "OPTIONS"}
        method = "GET" if "GET" in methods else "POST"
        yield rule.endpoint, method, url


def _allowed(endpoint: str, persona: Role | None) -> bool:
    expected = EXPECTED_RULES[endpoint]
    if expected == PUBLIC:
        return True
    if persona is None:
        return False
    if expected == EVERY_ROLE:
        return True
    if expected == ANY_USER and persona not in WORKING_ROLES:
        return False
    if endpoint in OBJECT_ACCESS:
        return persona in OBJECT_ACCESS[endpoint]
    return expected == ANY_USER or persona in expected


def test_route_matrix_every_role_gets_exactly_its_pages(app, world):
    failures = []
    for persona in PERSONAS:
        for endpoint, method, url in _requests(app, world):
            client = app.test_client()
            if persona is not None:
                AuthActions(client).login(world.users[persona].email)
            if method == "GET":
                response = client.get(url)
            else:
                token = csrf_token(client, "/login" if persona is None else "/account/")
                response = client.post(url, data={"csrf_token": token})
            response.close()
            status = response.status_code
            allowed = _allowed(endpoint, persona)
            if status >= 500:
                failures.append((persona, endpoint, status, "server error"))
            elif (
                not allowed
                and persona is None
                and not (status == 302 and response.headers["Location"].startswith("/login"))
            ):
                failures.append((persona, endpoint, status, "anonymous not sent to login"))
            elif not allowed and persona is not None and status != 403:
                failures.append((persona, endpoint, status, "expected 403"))
            elif allowed and status in (401, 403):
                failures.append((persona, endpoint, status, "allowed role refused"))
            elif allowed and method == "GET" and status not in (200, 302):
                failures.append((persona, endpoint, status, "page did not render"))
    assert not failures, "\n".join(map(str, failures))


def test_a_denial_is_logged_with_user_and_endpoint(client, auth, world):
    auth.login("deelnemer@noord.example")
    assert client.get("/beheer/gebruikers/").status_code == 403
    db.session.expire_all()
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).one()
    assert denial.outcome == AuditOutcome.DENIED
    assert denial.user_id == world.users[Role.DEELNEMER].id
    assert denial.object_id == "users.user_list"
    assert denial.check_result == "role"


@pytest.mark.parametrize(
    "url",
    [
        "/beheer/gebruikers/999999/bewerken",
        "/beheer/organisaties/999999/bewerken",
        "/beheer/regios/999999/bewerken",
    ],
)
def test_unknown_object_ids_give_404(client, auth, world, url):
    auth.login("beheerder@noord.example")
    assert client.get(url).status_code == 404


def test_a_route_without_a_rule_is_refused(app, world, make_app):
    bare = make_app()
    bare.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    response = bare.test_client().get("/undeclared")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


OBJECT_ENDPOINT_PREFIXES = (
    "actions.",
    "series.",
    "contacts.contact_",
    "groups.group_",
    "cases.",
    "privacy.",
    "meetings.",
    "proposals.",
    "facilitate.",
    "meeting_records.",
    "corrections.",
    "minutes.",
    "access_overview.",
    "calendars.meeting_",
    "logbook_feedback.edition_detail",
    "logbook_feedback.edition_download",
    "logbook_feedback.feedback_",
    "logbook.building_blocks_png",
    "meeting_table.",
    "feedback_bodies.",
    "signals.region_list",
    "stories.",
)


@pytest.mark.parametrize("persona", [Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER])
def test_other_regions_groups_and_cases_are_refused(app, world, persona):
    """Route x role x foreign object: nobody of region Noord reaches Zuid's group or case."""
    leaks = []
    client = app.test_client()
    AuthActions(client).login(world.users[persona].email)
    token = csrf_token(client, "/account/")
    for endpoint, method, url in _requests(app, world, foreign=True):
        if not endpoint.startswith(OBJECT_ENDPOINT_PREFIXES) or endpoint in (
            "groups.group_list",
            "groups.group_create",
            "contacts.contact_list",
            "contacts.contact_create",
            "actions.my_actions",
        ):
            continue
        response = (
            client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        )
        response.close()
        if response.status_code not in (403, 404):
            leaks.append((endpoint, response.status_code))
    assert not leaks, leaks
    assert "Casusgroep Zuid" not in client.get("/groepen/").get_data(as_text=True)


def test_beheerder_manages_any_group_but_sees_no_case(app, world, client, auth):
    auth.login("beheerder@noord.example")
    assert client.get(f"/groepen/{world.other_group.id}").status_code == 200
    assert client.get(f"/casussen/{world.other_case.id}").status_code == 403
    assert client.get(f"/casussen/{world.fictional_case.id}").status_code == 403


def test_a_denial_is_recorded_in_its_own_transaction_and_commits_nothing_pending(app, world):
    """deny() rolls back what the refused request had pending before it records the row."""
    from facilitator.auth.access import deny

    group_id = world.group.id
    with app.test_request_context("/bijeenkomsten/1", method="POST"):
        world.group.name = "Gewijzigd door een geweigerd verzoek"
        db.session.flush()
        with pytest.raises(Forbidden):
            deny("probe", object_type="case_group", object_id=group_id)
    db.session.remove()
    assert db.session.get(CaseGroup, group_id).name != "Gewijzigd door een geweigerd verzoek"
    denial = db.session.scalars(select(AuditEvent).where(AuditEvent.check_result == "probe")).one()
    assert denial.object_id == str(group_id)


@pytest.mark.parametrize(
    "url",
    ["/groepen/{group}", "/bijeenkomsten/{meeting}"],
)
def test_the_beheerder_sees_no_case_pseudonym_on_group_or_meeting_pages(client, auth, world, url):
    auth.login("beheerder@noord.example")
    page = client.get(url.format(group=world.group.id, meeting=world.meeting.id))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for case in (world.fictional_case, world.consent_case):
        assert case.pseudonym not in html


def test_the_beheerder_cannot_follow_the_projector(client, auth, world):
    auth.login("beheerder@noord.example")
    assert client.get(f"/bijeenkomsten/{world.meeting.id}/presentatie").status_code == 403
    assert client.get(f"/bijeenkomsten/{world.meeting.id}/presentatie.json").status_code == 403


def test_the_procesbegeleider_still_sees_the_agenda(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    html = client.get(f"/bijeenkomsten/{world.meeting.id}").get_data(as_text=True)
    assert world.consent_case.pseudonym in html
