"""Attendance in one form, "everyone present", and guests corrected and removed (issue 8).

Functional tests through HTTP with CSRF on: the meeting page hands out the form, the tests post
what a browser would post from it.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from sqlalchemy import insert, select

from facilitator.audit.models import AuditEvent
from facilitator.extensions import db
from facilitator.meetings import attendance
from facilitator.meetings.models import Attendance, AttendanceStatus, Meeting
from facilitator.users.models import Role, User
from tests.factories import make_group, make_meeting, make_user
from tests.helpers import post_form

#: A valid BSN (elfproef) and a right-to-left override that would reorder what is shown.
BSN = "123456782"
BIDI_OVERRIDE = "\u202e"


# --- helpers ----------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The ids, label targets and attendance selects of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.selects: dict[str, str] = {}  # name -> id
        self.hidden: dict[str, str] = {}  # name -> value
        self.forms: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label" and "for" in attributes:
            self.label_for.add(attributes["for"])
        if tag == "form":
            self.forms.append(attributes.get("action") or "")
        if tag == "select" and attributes.get("name", "").startswith("rows-"):
            self.selects[attributes["name"]] = attributes.get("id", "")
        if tag == "input" and attributes.get("type") == "hidden" and "name" in attributes:
            self.hidden[attributes["name"]] = attributes.get("value", "")


def read_page(client, url: str) -> _Page:
    page = _Page()
    page.feed(client.get(url).get_data(as_text=True))
    return page


def rows_of(page: _Page) -> dict[int, int]:
    """Which row index of the attendance form holds which user id."""
    return {
        int(name.split("-")[1]): int(value)
        for name, value in page.hidden.items()
        if re.fullmatch(r"rows-\d+-user_id", name)
    }


def form_data(page: _Page, chosen: dict[int, str]) -> dict[str, str]:
    """The attendance form as a browser submits it: every row, ``chosen`` by user id."""
    data = {}
    for index, user_id in rows_of(page).items():
        data[f"rows-{index}-user_id"] = str(user_id)
        data[f"rows-{index}-status"] = chosen.get(user_id, "")
    return data


def statuses(meeting_id: int) -> dict[int, str]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.user_id.is_not(None)
        )
    )
    return {row.user_id: row.status.value for row in rows}


def audit(event_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == event_type).order_by(AuditEvent.id)
    ).all()


def guests(meeting_id: int) -> list[Attendance]:
    db.session.expire_all()
    return db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.user_id.is_(None))
    ).all()


@pytest.fixture
def six(world) -> list[User]:
    """The world's group grown to six members, as in the issue: three more of the region."""
    from facilitator.groups import services as groups
    from facilitator.groups.models import GroupRole

    for name in ("Anna Arbeidsdeskundige", "Bram Behandelaar", "Cor Coach"):
        user = make_user(world.ggz, email=f"{name.split()[0].lower()}@noord.example", name=name)
        groups.add_member(world.group, user, GroupRole.LID, actor=None)
    db.session.commit()
    members = [m.user for m in world.group.memberships]
    assert len(members) == 6
    return members


@pytest.fixture
def leader(client, auth, world) -> User:
    auth.login("procesbegeleider@noord.example")
    return world.users[Role.PROCESBEGELEIDER]


def detail(meeting: Meeting) -> str:
    return f"/bijeenkomsten/{meeting.id}"


# --- one form for every member ----------------------------------------------------------------


def test_every_member_is_recorded_with_one_submit(client, world, six, leader):
    url = detail(world.meeting)
    page = read_page(client, url)
    assert page.forms.count(f"{url}/aanwezigheid") == 1, "one attendance form, not one per row"
    assert len(page.selects) == 6
    chosen = {user.id: "aanwezig" for user in six}
    chosen[six[1].id] = "afgemeld"
    chosen[six[2].id] = "afwezig"
    before = len(audit("attendance_set"))

    response = post_form(client, f"{url}/aanwezigheid", form_data(page, chosen), token_from=url)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url}#attendance")
    assert statuses(world.meeting.id) == chosen
    # One audit row per member whose attendance changed, naming the row and the new status.
    rows = audit("attendance_set")[before:]
    assert len(rows) == 6
    assert Counter(row.reason for row in rows) == {"aanwezig": 4, "afgemeld": 1, "afwezig": 1}
    assert all(row.user_id == leader.id for row in rows)
    assert "6 wijzigingen" in client.get(url).get_data(as_text=True)


def test_saving_again_changes_and_logs_only_what_changed(client, world, six, leader):
    url = detail(world.meeting)
    page = read_page(client, url)
    everyone = {user.id: "aanwezig" for user in six}
    post_form(client, f"{url}/aanwezigheid", form_data(page, everyone), token_from=url)
    before = len(audit("attendance_set"))

    again = {**everyone, six[3].id: "afwezig"}
    post_form(
        client, f"{url}/aanwezigheid", form_data(read_page(client, url), again), token_from=url
    )

    assert statuses(world.meeting.id) == again
    assert [row.reason for row in audit("attendance_set")[before:]] == ["afwezig"]
    assert "1 wijziging." in client.get(url).get_data(as_text=True)


def test_the_attendance_form_is_valid_html_with_a_label_for_every_select(
    client, world, six, leader
):
    page = read_page(client, detail(world.meeting))
    duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
    assert not duplicates, f"duplicate ids on the meeting page: {duplicates}"
    assert all(select_id and select_id in page.label_for for select_id in page.selects.values())
    html = client.get(detail(world.meeting)).get_data(as_text=True)
    assert '<th scope="col">Aanwezigheid</th>' in html
    assert html.count('name="csrf_token"') == html.count("<form ")


# --- everyone present, with exceptions ------------------------------------------------------------


def test_everyone_present_fills_the_open_rows_and_keeps_the_exceptions(client, world, six, leader):
    url = detail(world.meeting)
    # Apologies recorded before the meeting: saving them marks nobody else.
    page = read_page(client, url)
    post_form(
        client, f"{url}/aanwezigheid", form_data(page, {six[0].id: "afgemeld"}), token_from=url
    )
    assert statuses(world.meeting.id) == {six[0].id: "afgemeld"}

    # At the table: one more is missing; the rest are there.
    page = read_page(client, url)
    data = form_data(page, {six[0].id: "afgemeld", six[4].id: "afwezig"})
    data["everyone_present"] = "1"
    post_form(client, f"{url}/aanwezigheid", data, token_from=url)

    expected = {user.id: "aanwezig" for user in six}
    expected[six[0].id] = "afgemeld"
    expected[six[4].id] = "afwezig"
    assert statuses(world.meeting.id) == expected


def test_a_recorded_member_is_offered_no_way_back_to_not_recorded(client, world, six, leader):
    attendance.record_attendance(world.meeting, {six[0]: "afgemeld"}, actor=leader)
    db.session.commit()
    html = client.get(detail(world.meeting)).get_data(as_text=True)
    options = re.findall(r'<select id="(rows-\d+-status)"[^>]*>(.*?)</select>', html, re.S)
    recorded = [body for _, body in options if 'selected value="afgemeld"' in body]
    assert len(recorded) == 1 and "nog niet vastgelegd" not in recorded[0]
    assert sum("nog niet vastgelegd" in body for _, body in options) == 5


# --- refused members: nothing changes ---------------------------------------------------------


def test_a_member_of_another_group_is_refused_and_nothing_changes(client, world, six, leader):
    stranger = make_user(world.gemeente, email="ander@noord.example", name="Lid Elders")
    make_group(world.region, "Werkgroep Noord", leader=leader, members=(stranger,))
    url = detail(world.meeting)
    page = read_page(client, url)
    data = form_data(page, {user.id: "aanwezig" for user in six})
    data.update({"rows-6-user_id": str(stranger.id), "rows-6-status": "aanwezig"})
    before = len(audit("attendance_set"))

    response = post_form(client, f"{url}/aanwezigheid", data, token_from=url, follow_redirects=True)

    assert statuses(world.meeting.id) == {}
    assert len(audit("attendance_set")) == before
    assert "Alleen leden van de groep" in response.get_data(as_text=True)


def test_a_person_of_another_region_is_a_logged_403_and_nothing_changes(client, world, six, leader):
    url = detail(world.meeting)
    data = form_data(read_page(client, url), {user.id: "aanwezig" for user in six})
    data.update({"rows-6-user_id": str(world.other_user.id), "rows-6-status": "aanwezig"})

    response = post_form(client, f"{url}/aanwezigheid", data, token_from=url)

    assert response.status_code == 403
    assert statuses(world.meeting.id) == {}
    denial = audit("access_denied")[-1]
    assert denial.object_type == "users" and denial.object_id == str(world.other_user.id)


@pytest.mark.parametrize(
    "tampered",
    [
        {"rows-0-status": "verzonnen"},
        {"rows-1-user_id": "{first}"},  # one member twice
        {"rows-0-user_id": "niet-een-getal"},
    ],
)
def test_a_malformed_submit_changes_nothing(client, world, six, leader, tampered):
    url = detail(world.meeting)
    data = form_data(read_page(client, url), {user.id: "aanwezig" for user in six})
    data.update({k: v.format(first=data["rows-0-user_id"]) for k, v in tampered.items()})
    response = post_form(client, f"{url}/aanwezigheid", data, token_from=url, follow_redirects=True)
    assert statuses(world.meeting.id) == {}
    assert "niet opgeslagen" in response.get_data(as_text=True)


def test_a_closed_meeting_keeps_its_attendance(client, world, six, leader):
    meeting = make_meeting(world.group, leader, [], start=False)
    attendance.record_attendance(meeting, {leader: "aanwezig"}, actor=leader)
    meeting.status = meeting.status.AFGEROND
    db.session.commit()
    url = detail(meeting)
    assert "rows-0-status" not in client.get(url).get_data(as_text=True)
    data = {"rows-0-user_id": str(leader.id), "rows-0-status": "afwezig", "everyone_present": "1"}
    post_form(client, f"{url}/aanwezigheid", data, token_from=url)
    assert statuses(meeting.id) == {leader.id: "aanwezig"}


def test_a_deelnemer_sees_attendance_but_cannot_set_it(client, auth, world, six):
    auth.login(world.users[Role.DEELNEMER].email)
    url = detail(world.meeting)
    assert "rows-0-status" not in client.get(url).get_data(as_text=True)
    data = {"rows-0-user_id": str(six[0].id), "rows-0-status": "afwezig"}
    assert post_form(client, f"{url}/aanwezigheid", data, token_from=url).status_code == 403
    assert statuses(world.meeting.id) == {}


# --- from the facilitation step and back --------------------------------------------------------


def test_the_attendance_step_links_to_the_form_and_saving_returns_to_the_step(
    client, world, six, leader
):
    from facilitator.meetings import run

    step = next(
        s
        for s in run.rail(world.meeting)
        if any(f.type.value == "attendance" for f in s.step.fields)
    )
    screen = client.get(f"{detail(world.meeting)}/leiden?stap={step.ref}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)">Aanwezigheid vastleggen</a>', screen).group(1)
    assert link == f"{detail(world.meeting)}?stap={step.ref}#attendance"
    assert "6 leden nog niet vastgelegd" in screen

    page = read_page(client, link.replace("&amp;", "&"))
    assert page.hidden["return_step"] == step.ref
    data = form_data(page, {})
    data.update(everyone_present="1", return_step=step.ref)
    response = post_form(client, f"{detail(world.meeting)}/aanwezigheid", data, token_from=link)

    assert response.headers["Location"].endswith(f"/leiden?stap={step.ref}")
    assert set(statuses(world.meeting.id).values()) == {"aanwezig"}
    assert len(statuses(world.meeting.id)) == 6


# --- guests ---------------------------------------------------------------------------------------


def add_guest(client, meeting: Meeting, **fields) -> object:
    url = detail(meeting)
    data = {"guest_name": "Mira Werkgever", "guest_role": "HR", "organisation_id": "0"}
    data.update(status="aanwezig", **fields)
    return post_form(client, f"{url}/gasten", data, token_from=url)


def test_a_guest_is_corrected_and_then_removed_with_confirmation(client, world, leader):
    assert add_guest(client, world.meeting).status_code == 302
    (guest,) = guests(world.meeting.id)
    edit = f"{detail(world.meeting)}/gasten/{guest.id}"
    assert "Mira Werkgever" in client.get(edit).get_data(as_text=True)

    response = post_form(
        client,
        edit,
        {
            "guest_name": "Mira de Werkgever",
            "guest_role": "HR-adviseur",
            "organisation_id": str(world.gemeente.id),
            "status": "afgemeld",
        },
    )

    assert response.status_code == 302
    (guest,) = guests(world.meeting.id)
    assert (guest.guest_name, guest.guest_role, guest.organisation_id, guest.status) == (
        "Mira de Werkgever",
        "HR-adviseur",
        world.gemeente.id,
        AttendanceStatus.AFGEMELD,
    )
    assert audit("meeting_guest_corrected")[-1].object_id == str(guest.id)

    confirm = client.get(f"{edit}/verwijderen").get_data(as_text=True)
    assert "Gast Mira de Werkgever verwijderen?" in confirm
    assert guests(world.meeting.id), "showing the confirmation removes nothing"
    guest_id = guest.id
    assert post_form(client, f"{edit}/verwijderen").status_code == 302
    assert guests(world.meeting.id) == []
    removed = audit("meeting_guest_removed")[-1]
    assert removed.object_id == str(guest_id) and removed.action.value == "D"


def test_the_meeting_page_links_each_guest_to_correct_and_remove(client, world, leader):
    add_guest(client, world.meeting)
    (guest,) = guests(world.meeting.id)
    html = client.get(detail(world.meeting)).get_data(as_text=True)
    assert f'href="{detail(world.meeting)}/gasten/{guest.id}"' in html
    assert f'href="{detail(world.meeting)}/gasten/{guest.id}/verwijderen"' in html
    assert "1 gast" in html


def test_another_meetings_guest_is_refused_and_logged(client, world, leader):
    planned = make_meeting(world.group, leader, [], start=False)
    add_guest(client, planned)
    (guest,) = guests(planned.id)
    elsewhere = f"{detail(world.meeting)}/gasten/{guest.id}"

    assert client.get(elsewhere).status_code == 403
    refused = post_form(
        client,
        elsewhere,
        {"guest_name": "Overgenomen", "organisation_id": "0", "status": "afwezig"},
        token_from=detail(world.meeting),
    )
    assert refused.status_code == 403
    assert (
        post_form(client, f"{elsewhere}/verwijderen", token_from=detail(world.meeting)).status_code
        == 403
    )

    assert [g.guest_name for g in guests(planned.id)] == ["Mira Werkgever"]
    denials = [row for row in audit("access_denied") if row.object_id == str(guest.id)]
    assert len(denials) == 3
    assert {row.check_result for row in denials} == {"not_of_this_meeting"}


def test_a_members_attendance_cannot_be_edited_as_a_guest(client, world, leader):
    attendance.record_attendance(world.meeting, {leader: "aanwezig"}, actor=leader)
    db.session.commit()
    (row,) = db.session.scalars(select(Attendance).where(Attendance.user_id == leader.id))
    assert client.get(f"{detail(world.meeting)}/gasten/{row.id}").status_code == 403
    assert audit("access_denied")[-1].check_result == "is_guest"


HOSTILE = [
    pytest.param({"guest_name": f"Gast {BSN}"}, "Gevonden", id="bsn-in-name"),
    pytest.param(
        {"guest_role": f"werkgever, bsn {BSN[:4]} {BSN[4:]}"}, "Gevonden", id="bsn-in-role"
    ),
    pytest.param(
        {"guest_name": f"Mira {BIDI_OVERRIDE}revegkreW"}, "niet zijn toegestaan", id="bidi-in-name"
    ),
]


@pytest.mark.parametrize(("hostile", "message"), HOSTILE)
def test_hostile_text_in_a_new_guest_is_refused(client, world, leader, hostile, message):
    response = add_guest(client, world.meeting, **hostile)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert '<details class="add-guest" id="add-guest" open>' in html
    assert guests(world.meeting.id) == []


@pytest.mark.parametrize(("hostile", "message"), HOSTILE)
def test_hostile_text_in_a_correction_is_refused(client, world, leader, hostile, message):
    add_guest(client, world.meeting)
    (guest,) = guests(world.meeting.id)
    before = len(audit("meeting_guest_corrected"))
    data = {"guest_name": "Mira Werkgever", "guest_role": "HR", "organisation_id": "0"}
    data.update(status="afwezig", **hostile)

    response = post_form(client, f"{detail(world.meeting)}/gasten/{guest.id}", data)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    (guest,) = guests(world.meeting.id)
    assert (guest.guest_name, guest.guest_role, guest.status) == (
        "Mira Werkgever",
        "HR",
        AttendanceStatus.AANWEZIG,
    )
    assert len(audit("meeting_guest_corrected")) == before


def test_a_phone_number_asks_for_confirmation_only_when_found(client, world, leader):
    edit_form = client.get(detail(world.meeting)).get_data(as_text=True)
    assert 'name="personal_data_confirmed"' not in edit_form
    refused = add_guest(client, world.meeting, guest_role="bereikbaar op 06-12345678")
    assert 'name="personal_data_confirmed"' in refused.get_data(as_text=True)
    assert guests(world.meeting.id) == []
    confirmed = add_guest(
        client, world.meeting, guest_role="bereikbaar op 06-12345678", personal_data_confirmed="y"
    )
    assert confirmed.status_code == 302
    assert [g.guest_role for g in guests(world.meeting.id)] == ["bereikbaar op 06-12345678"]


def test_a_member_recorded_a_moment_ago_in_another_tab_is_updated_not_duplicated(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    meeting = world.meeting
    assert meeting.attendance == []  # this request's view of the list, before the other tab
    db.session.execute(
        insert(Attendance).values(
            meeting_id=meeting.id,
            user_id=leader.id,
            organisation_id=leader.organisation_id,
            status=AttendanceStatus.AFWEZIG,
        )
    )

    changed = attendance.record_attendance(meeting, {leader: "aanwezig"}, actor=leader)
    db.session.commit()

    assert changed == 1
    assert statuses(meeting.id) == {leader.id: "aanwezig"}


def test_the_meeting_page_sums_up_attendance(client, world, six, leader):
    attendance.record_attendance(
        world.meeting, {six[0]: "aanwezig", six[1]: "aanwezig", six[2]: "afgemeld"}, actor=leader
    )
    db.session.commit()
    add_guest(client, world.meeting)
    html = client.get(detail(world.meeting)).get_data(as_text=True)
    summary = re.search(r'<p class="hint attendance-summary">(.*?)</p>', html, re.S).group(1)
    assert " ".join(summary.split()) == (
        "6 leden · Aanwezig: 2 · Afgemeld: 1 · Nog niet vastgelegd: 3 · 1 gast"
    )


def test_a_deactivated_member_is_not_on_the_attendance_form(client, auth, world):
    from facilitator.users import services as users

    users.deactivate_user(world.extra_member, actor=None)
    db.session.commit()
    auth.login("procesbegeleider@noord.example")
    html = client.get(f"/bijeenkomsten/{world.meeting.id}").get_data(as_text=True)
    assert world.extra_member.name not in html
    assert world.users[Role.DEELNEMER].name in html


def _form_rows(html: str) -> dict[str, str]:
    """The hidden and selected values of the attendance form as the page shows them."""
    fields = dict(re.findall(r'name="(rows-\d+-(?:user_id|shown))"[^>]*value="([^"]*)"', html))
    fields |= {
        name: (re.search(r'<option selected value="([^"]*)"', select) or [None, ""])[1]
        for name, select in re.findall(
            r'<select[^>]*name="(rows-\d+-status)"[^>]*>(.*?)</select>', html, re.S
        )
    }
    return fields


def test_a_form_opened_before_another_change_does_not_undo_it(client, auth, world):
    """R3: tab A shows everyone open; tab B records apologies for one member; tab A then
    changes someone else and presses "Iedereen aanwezig": B's apologies stay."""
    auth.login("procesbegeleider@noord.example")
    url = f"/bijeenkomsten/{world.meeting.id}"
    page = client.get(url).get_data(as_text=True)
    rows = _form_rows(page)
    other = world.extra_member
    attendance.record_attendance(
        world.meeting, {other: "afgemeld"}, actor=world.users[Role.PROCESBEGELEIDER]
    )
    db.session.commit()
    post_form(client, f"{url}/aanwezigheid", {**rows, "everyone_present": "y"}, token_from=url)
    db.session.expire_all()
    statuses = {
        a.user_id: a.status.value
        for a in db.session.get(Meeting, world.meeting.id).attendance
        if a.user_id
    }
    assert statuses[other.id] == "afgemeld"
    assert statuses[world.users[Role.DEELNEMER].id] == "aanwezig"


def test_a_member_changed_in_two_tabs_is_refused_by_name(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    url = f"/bijeenkomsten/{world.meeting.id}"
    rows = _form_rows(client.get(url).get_data(as_text=True))
    other = world.extra_member
    attendance.record_attendance(
        world.meeting, {other: "afgemeld"}, actor=world.users[Role.PROCESBEGELEIDER]
    )
    db.session.commit()
    index = next(
        k.split("-")[1] for k, v in rows.items() if k.endswith("user_id") and v == str(other.id)
    )
    rows[f"rows-{index}-status"] = "aanwezig"
    response = post_form(client, f"{url}/aanwezigheid", rows, token_from=url, follow_redirects=True)
    assert other.name in response.get_data(as_text=True)
    db.session.expire_all()
    row = next(
        a for a in db.session.get(Meeting, world.meeting.id).attendance if a.user_id == other.id
    )
    assert row.status.value == "afgemeld"
