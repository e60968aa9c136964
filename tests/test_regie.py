"""The regievoerder on the case page (issue 9): give the regie to a member of the group or a
contact without an account, since a date, with an achterwacht; hand it over with a reason,
keeping the history. And "zonder regie": a discussed case that nobody holds the regie of is
marked on the group page and on the next meeting's agenda, without extra queries."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent
from facilitator.cases import regie
from facilitator.cases import services as cases
from facilitator.cases.models import Case, CaseStatus, RegievoerderAssignment
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import run
from facilitator.regions import contacts
from facilitator.users.models import Role
from tests.factories import IDENTITY, make_case, make_meeting
from tests.helpers import post_form
from tests.holding import hold

LEADER = "procesbegeleider@noord.example"
BRINGER = "deelnemer@noord.example"  # GGZ Noord, brought the world's cases
BSN = "123456782"


def text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(unescape(html).split())


def fresh(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def assignments(case: Case) -> int:
    return db.session.scalar(
        select(func.count(RegievoerderAssignment.id)).where(
            RegievoerderAssignment.case_id == case.id
        )
    )


@pytest.fixture
def adviser(world):
    contact = contacts.create_contact(
        world.gemeente, name="Wim Werkgeversadviseur", email="wsp@noord.example", actor=None
    )
    db.session.commit()
    return contact


def give(client, case, **fields):
    data = {"since": local_today().isoformat(), "achterwacht": "", "reason": "", **fields}
    return post_form(client, f"/casussen/{case.id}/regie", data)


# --- giving and handing over ---------------------------------------------------------------


def test_the_procesbegeleider_gives_the_regie_to_a_contact_without_an_account(
    client, auth, world, adviser
):
    auth.login(LEADER)
    case = world.fictional_case
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert f'href="/casussen/{case.id}/regie"' in page  # "Kies een regievoerder"
    response = give(
        client,
        case,
        person=f"contact:{adviser.id}",
        achterwacht=f"user:{world.users[Role.DEELNEMER].id}",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/casussen/{case.id}#timeline-regie"
    shown = text(client.get(response.headers["Location"]))
    assert f"Wim Werkgeversadviseur heeft nu de regie over {case.pseudonym}." in shown
    assert "Regievoerder Wim Werkgeversadviseur (Gemeente Noord, zonder account)" in shown
    current = regie.current_regievoerder(fresh(case))
    assert current.contact_id == adviser.id
    assert current.achterwacht_user_id == world.users[Role.DEELNEMER].id
    assert (
        current.since == local_today()
        and current.created_by_id == world.users[Role.PROCESBEGELEIDER].id
    )
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "regievoerder_assigned")
    ).one()
    assert audit.case_pseudonym == case.pseudonym and audit.reason == "first"


def test_a_handover_needs_a_reason_and_keeps_the_history(client, auth, world, adviser):
    auth.login(BRINGER)  # a member from the bringing organisation
    case = world.fictional_case
    started = local_today() - timedelta(days=30)
    give(client, case, person=f"user:{world.extra_member.id}", since=started.isoformat())
    assert assignments(case) == 1

    refused = give(client, case, person=f"contact:{adviser.id}")
    assert refused.status_code == 200
    assert "Zeg waarom de regie naar iemand anders gaat" in text(refused)
    assert assignments(case) == 1
    assert regie.current_regievoerder(fresh(case)).user_id == world.extra_member.id

    handed = local_today() - timedelta(days=2)
    response = give(
        client,
        case,
        person=f"contact:{adviser.id}",
        since=handed.isoformat(),
        reason="De cliënt start bij een werkgever; de adviseur houdt de lijnen bij elkaar",
    )
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert (
        f"De regie over {case.pseudonym} is van Extra Lid naar Wim Werkgeversadviseur gegaan; "
        "de geschiedenis blijft bewaard." in page
    )
    history = page[page.index("Regievoerders van deze casus, nieuwste eerst") :]
    rows = re.findall(r"(Wim Werkgeversadviseur|Extra Lid) \(?", history)
    assert rows[:2] == ["Wim Werkgeversadviseur", "Extra Lid"]
    assert "De cliënt start bij een werkgever" in history
    earlier, current = (
        db.session.scalars(
            select(RegievoerderAssignment)
            .where(RegievoerderAssignment.case_id == case.id)
            .order_by(RegievoerderAssignment.id)
        )
    ).all()
    assert earlier.ended_at is not None and current.ended_at is None
    assert (earlier.since, current.since) == (started, handed)


def test_a_handover_offers_the_others_first_and_the_one_in_force_last(client, auth, world):
    auth.login(LEADER)
    case = world.fictional_case
    give(client, case, person=f"user:{world.extra_member.id}")
    page = client.get(f"/casussen/{case.id}/regie").get_data(as_text=True)
    person = re.search(r'<select[^>]*name="person".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', person)
    assert options[0] == ("", "Kies …")
    assert options[-1] == (
        f"user:{world.extra_member.id}",
        "Extra Lid (Gemeente Noord): heeft nu de regie",
    )
    assert f"user:{world.extra_member.id}" not in [value for value, _ in options[:-1]]
    assert "Regie van" in page and "overdragen" in page


def test_the_same_regievoerder_again_changes_nothing_and_says_so(client, auth, world):
    auth.login(LEADER)
    case = world.fictional_case
    give(client, case, person=f"user:{world.extra_member.id}")
    response = give(client, case, person=f"user:{world.extra_member.id}")
    assert "Niets gewijzigd: Extra Lid heeft de regie al." in text(client.get(response.location))
    assert assignments(case) == 1


def test_a_new_achterwacht_keeps_the_regievoerder_without_a_reason(client, auth, world, adviser):
    auth.login(LEADER)
    case = world.fictional_case
    give(client, case, person=f"user:{world.extra_member.id}")
    response = give(
        client, case, person=f"user:{world.extra_member.id}", achterwacht=f"contact:{adviser.id}"
    )
    assert "de nieuwe achterwacht is opgeslagen" in text(client.get(response.location))
    assert regie.current_regievoerder(fresh(case)).achterwacht_contact_id == adviser.id


@pytest.mark.parametrize(
    ("since", "message"),
    [
        (1, "De regie begint vandaag of eerder."),
        (-40, "Een overdracht kan niet liggen vóór het begin van de huidige regie."),
    ],
)
def test_the_date_lies_between_the_current_regie_and_today(
    client, auth, world, adviser, since, message
):
    auth.login(LEADER)
    case = world.fictional_case
    give(
        client,
        case,
        person=f"user:{world.extra_member.id}",
        since=(local_today() - timedelta(days=30)).isoformat(),
    )
    response = give(
        client,
        case,
        person=f"contact:{adviser.id}",
        since=(local_today() + timedelta(days=since)).isoformat(),
        reason="Andere werkgever",
    )
    assert message in text(response)
    assert assignments(case) == 1


# --- hostile text in the reason ---------------------------------------------------------------


def _handover_with(client, world, adviser, reason: str, **extra):
    give(client, world.consent_case, person=f"user:{world.extra_member.id}")
    return give(client, world.consent_case, person=f"contact:{adviser.id}", reason=reason, **extra)


@pytest.mark.parametrize(
    "reason",
    [
        f"Overdracht, BSN {BSN}",
        "Overdracht, bsn 12 34 56 782",
        f"Overdracht naar {IDENTITY.full_name}",  # the client, inside the bringer's scope
        "Overdracht \u202egnilatsrevO",  # bidi control: shows other than stored
    ],
)
def test_personal_data_in_the_reason_is_refused_and_nothing_changes(
    client, auth, world, adviser, reason
):
    auth.login(BRINGER)
    response = _handover_with(client, world, adviser, reason)
    assert response.status_code == 200
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert assignments(world.consent_case) == 1
    stored = db.session.scalars(select(RegievoerderAssignment.handover_reason)).all()
    assert not [r for r in stored if BSN in r or "Voorbeeldt" in r or "\u202e" in r]


def test_an_email_address_in_the_reason_needs_a_confirmation(client, auth, world, adviser):
    auth.login(LEADER)
    reason = "Overdracht; bereikbaar via wim@werkgever.example"
    asked = _handover_with(client, world, adviser, reason)
    assert 'name="personal_data_confirmed"' in asked.get_data(as_text=True)
    assert assignments(world.consent_case) == 1
    confirmed = give(
        client,
        world.consent_case,
        person=f"contact:{adviser.id}",
        reason=reason,
        personal_data_confirmed="y",
    )
    assert confirmed.status_code == 302
    assert regie.current_regievoerder(fresh(world.consent_case)).handover_reason == reason


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "may"),
    [
        (LEADER, True),
        (BRINGER, True),
        ("extra@noord.example", False),  # a member, from another organisation than the bringer
        ("projectleider@noord.example", False),  # reads the regie, does not choose it
        ("beheerder@noord.example", False),
        ("deelnemer@zuid.example", False),
    ],
)
def test_who_may_choose_the_regievoerder(client, auth, world, adviser, email, may):
    auth.login(email)
    case = world.consent_case
    url = f"/casussen/{case.id}/regie"
    assert client.get(url).status_code == (200 if may else 403)
    if may:
        assert give(client, case, person=f"contact:{adviser.id}").status_code == 302
        return
    token_page = "/account/"
    response = post_form(
        client, url, {"person": f"contact:{adviser.id}", "since": ""}, token_from=token_page
    )
    assert response.status_code == 403
    assert assignments(case) == 0
    page = client.get(f"/casussen/{case.id}")
    assert url not in page.get_data(as_text=True)
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).first()
    assert denial is not None


def test_another_groups_case_is_refused_and_logged(client, auth, world, adviser):
    auth.login(LEADER)
    response = post_form(
        client,
        f"/casussen/{world.other_case.id}/regie",
        {"person": f"contact:{adviser.id}", "since": local_today().isoformat()},
        token_from="/account/",
    )
    assert response.status_code == 403
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).one()
    assert denial.case_pseudonym == world.other_case.pseudonym
    assert client.get("/casussen/999999/regie").status_code == 404


@pytest.mark.parametrize(
    "person", ["user:{other}", "contact:{foreign}", "user:999999", "someone", ""]
)
def test_only_the_groups_members_and_the_regions_contacts_can_be_chosen(
    client, auth, world, person
):
    foreign = contacts.create_contact(
        world.other_org, name="Zuidelijk Contact", email="z@zuid.example", actor=None
    )
    db.session.commit()
    auth.login(LEADER)
    chosen = person.format(other=world.other_user.id, foreign=foreign.id)
    response = give(client, world.fictional_case, person=chosen)
    assert response.status_code == 200
    assert 'id="person-error"' in response.get_data(as_text=True)
    assert assignments(world.fictional_case) == 0


def test_a_closed_case_takes_no_new_regievoerder(client, auth, world, adviser):
    leader = world.users[Role.PROCESBEGELEIDER]
    case = make_case(world.group, world.users[Role.DEELNEMER], description="Klaar")
    cases.close_case(case, "geen_vervolg", actor=leader)
    db.session.commit()
    auth.login(LEADER)
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert f"/casussen/{case.id}/regie" not in page
    response = give(client, case, person=f"contact:{adviser.id}")
    assert "Deze casus is afgesloten; heropen de casus eerst." in text(response)
    assert assignments(case) == 0


# --- "zonder regie" ---------------------------------------------------------------------------


def _discussed_without_regie(world, case=None) -> Case:
    """A case held in a klantreis meeting, whose protocol has no regie step."""
    leader = world.users[Role.PROCESBEGELEIDER]
    case = case or make_case(world.group, world.users[Role.DEELNEMER], description="Besproken")
    meeting = make_meeting(world.group, leader, [case], protocol_id="klantreis")
    hold(meeting, leader)
    db.session.commit()
    assert fresh(case).status == CaseStatus.BESPROKEN
    return case


def _row_of(page: str, case: Case) -> str:
    row = re.search(
        rf"<tr[^>]*>\s*<td><a class=\"pseudonym\"[^>]*>{case.pseudonym}</a>.*?</tr>", page, re.S
    )
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", row.group(0))).split())


def test_the_group_page_marks_a_discussed_case_without_regie(client, auth, world, adviser):
    discussed = _discussed_without_regie(world)
    closed = _discussed_without_regie(world)
    cases.close_case(closed, "geen_vervolg", actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    auth.login("projectleider@noord.example")
    page = client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    # In words, with what it means for a screen reader (the colour only adds to it).
    assert "Besproken zonder regie : de casus is besproken, maar niemand heeft de regie" in _row_of(
        page, discussed
    )
    # Not discussed yet (on the running meeting's agenda), or closed: no marker.
    assert "zonder regie" not in _row_of(page, world.consent_case)
    assert "zonder regie" not in _row_of(page, closed)

    auth.logout()
    auth.login(LEADER)
    give(client, discussed, person=f"contact:{adviser.id}")
    page = client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    assert "zonder regie" not in _row_of(page, discussed)


def test_the_next_meetings_agenda_and_the_facilitation_screen_mark_it(client, auth, world):
    leader = world.users[Role.PROCESBEGELEIDER]
    discussed = _discussed_without_regie(world)
    held = db.session.scalars(
        select(RegievoerderAssignment).where(RegievoerderAssignment.case_id == discussed.id)
    ).all()
    assert held == []
    following = make_meeting(world.group, leader, [discussed], start=False)
    auth.login(LEADER)
    agenda = client.get(f"/bijeenkomsten/{following.id}").get_data(as_text=True)
    item = re.search(r'<ol class="agenda">.*?</ol>', agenda, re.S).group(0)
    assert discussed.pseudonym in item and "zonder regie" in item

    run.start_meeting(following, actor=leader)
    db.session.commit()
    step = next(s for s in run.rail(following) if s.case is not None)
    screen = text(client.get(f"/bijeenkomsten/{following.id}/leiden?stap={step.ref}"))
    assert f"{discussed.pseudonym} zonder regie" in screen


def test_marking_cases_zonder_regie_adds_no_queries(client, auth, world, count_queries):
    def queries(url: str) -> int:
        db.session.expire_all()
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    auth.login("projectleider@noord.example")
    group_page = f"/groepen/{world.group.id}"
    first = _discussed_without_regie(world)
    before = queries(group_page)
    for number in range(4):
        case = _discussed_without_regie(world)
        if number % 2:
            regie.assign_regievoerder(
                case, world.extra_member, actor=world.users[Role.PROCESBEGELEIDER]
            )
    db.session.commit()
    page = client.get(group_page).get_data(as_text=True)
    assert page.count("tag-attention") == 3  # first and two of the four
    assert queries(group_page) == before

    # The next meeting's agenda: the same number of queries with the marker as without it.
    following = make_meeting(world.group, world.users[Role.PROCESBEGELEIDER], [first], start=False)
    meeting_page = f"/bijeenkomsten/{following.id}"
    marked = queries(meeting_page)
    assert "zonder regie" in client.get(meeting_page).get_data(as_text=True)
    regie.assign_regievoerder(first, world.extra_member, actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    assert queries(meeting_page) == marked


# --- the demo ---------------------------------------------------------------------------------


def test_the_demo_shows_a_handover_and_a_case_zonder_regie_at_first_login(runner, app):
    from facilitator.demo.regie import CONTACT, HANDOVER_REASON
    from facilitator.demo.seed import DEFAULT_PASSWORD
    from facilitator.meetings.models import Meeting, MeetingStatus
    from tests.helpers import AuthActions

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    handed = db.session.scalars(
        select(RegievoerderAssignment).where(
            RegievoerderAssignment.handover_reason == HANDOVER_REASON
        )
    ).one()
    assert handed.contact is not None and handed.contact.name == CONTACT[0]
    assert handed.achterwacht_user is not None
    (earlier,) = [a for a in regie.regie_history([handed.case_id]) if a.id != handed.id]
    assert earlier.user is not None and earlier.since < handed.since <= local_today()
    assert earlier.meeting_id is not None  # agreed in the group's first meeting

    client = app.test_client()
    AuthActions(client).login("klantmanager@lindewaard.example", DEFAULT_PASSWORD)
    timeline = text(client.get(f"/casussen/{handed.case_id}"))
    assert HANDOVER_REASON in timeline and "Karin Smeets" in timeline
    planned = db.session.scalars(
        select(Meeting).where(
            Meeting.group_id == handed.case.group_id, Meeting.status == MeetingStatus.GEPLAND
        )
    ).one()
    agenda = client.get(f"/bijeenkomsten/{planned.id}").get_data(as_text=True)
    assert "zonder regie" in re.search(r'<ol class="agenda">.*?</ol>', agenda, re.S).group(0)
    group = text(client.get(f"/groepen/{planned.group_id}"))
    assert group.count("zonder regie") == 1
