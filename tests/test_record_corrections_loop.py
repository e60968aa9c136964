"""From a refused export to minutes that pass, by following its links (issue 10, P8).

Old records that never passed the guard, written straight into the database: a BSN or the
client's name in every kind of text the minutes carry. The export is refused with each place
as a link; the procesbegeleider follows each one, finds a form there that corrects that very
text (by its action URL, at the anchor the link names), corrects it, and the export passes with
no identity value anywhere in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import insert, select, update

from facilitator.actions.models import ActionItem, ActionUpdate
from facilitator.audit.models import AuditEvent
from facilitator.cases.models import CaseUpdate
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.groups.people import person_key
from facilitator.meetings.models import (
    Attendance,
    BuildingBlockScore,
    FieldValue,
    Finding,
    Meeting,
)
from tests.factories import IDENTITY
from tests.helpers import post_form
from tests.minutes_helpers import EARLIER_ACTION, WIDE_FINDING, hold_world_meeting, package_parts
from tests.test_record_corrections import blocks_ref, review_ref

LEADER = "procesbegeleider@noord.example"
BSN = "111.222.333"
NAME = IDENTITY.full_name
REASON = "Persoonsgegevens verwijderd na de geweigerde export"
CLEAN = "Zonder persoonsgegevens beschreven"
REFUSED = re.compile(r'<ul class="refused-places">(.*?)</ul>', re.S)
FORMS = re.compile(r"<form\b[^>]*>", re.S)


@dataclass
class Place:
    """One hostile text: the link the refusal should give, the form that corrects it there,
    and what that form posts."""

    what: str
    href: str
    form_action: str
    data: dict = field(default_factory=dict)

    @property
    def page(self) -> str:
        return self.href.split("#", 1)[0]

    @property
    def anchor(self) -> str:
        return self.href.split("#", 1)[1] if "#" in self.href else ""


def screen(meeting: Meeting, ref: str, anchor: str) -> str:
    return f"/bijeenkomsten/{meeting.id}/leiden?stap={ref}#{anchor}"


def _set(model, where, **values) -> None:
    db.session.execute(update(model).where(where).values(**values))


@pytest.fixture
def leaked(world) -> tuple[Meeting, list[Place]]:
    """The held meeting with a BSN or the client's name in each kind of text, past the guard."""
    meeting = hold_world_meeting(world)
    mid = meeting.id
    places: list[Place] = []
    corrections = f"/bijeenkomsten/{mid}/correcties"

    # A value typed in a case step, and one in a meeting step (inserted: none was typed there).
    clarify = db.session.scalars(
        select(FieldValue).where(
            FieldValue.meeting_id == mid, FieldValue.field_key == "verduidelijking"
        )
    ).one()
    _set(FieldValue, FieldValue.id == clarify.id, value=f"Cliënt heeft BSN {BSN}")
    db.session.execute(
        insert(FieldValue).values(
            meeting_id=mid, step_ref="m:opbrengst", field_key="opbrengst", value=f"{NAME} kwam"
        )
    )
    for ref, key, version in (
        (clarify.step_ref, "verduidelijking", clarify.version),
        ("m:opbrengst", "opbrengst", 1),
    ):
        places.append(
            Place(
                f"field {key}",
                screen(meeting, ref, f"f-{key}"),
                f"/bijeenkomsten/{mid}/veld",
                {"ref": ref, "key": key, "value": CLEAN, "version": version},
            )
        )

    # A case's finding and a meeting-wide one.
    findings = db.session.scalars(
        select(Finding).where(Finding.meeting_id == mid).order_by(Finding.id)
    ).all()
    case_finding = next(f for f in findings if f.text == "Bevinding 7 knelpunt")
    wide = next(f for f in findings if f.text == WIDE_FINDING)
    for finding, text in ((case_finding, f"{NAME} belde zelf"), (wide, f"BSN {BSN} bij de balie")):
        _set(Finding, Finding.id == finding.id, text=text)
        data = {
            "kind": finding.kind.value,
            "level": finding.level.value,
            "text": CLEAN,
            "organisations": [o.id for o in finding.organisations],
        }
        if finding.signal:
            data["signal"] = "y"
        places.append(
            Place(
                f"finding {finding.id}",
                screen(meeting, finding.step_ref, f"finding-{finding.id}"),
                f"{corrections}/bevindingen/{finding.id}",
                data | {"reason": REASON},
            )
        )

    # The regievoerder's update on a case, and a terugkoppeling in the review.
    case_update = db.session.scalars(select(CaseUpdate).where(CaseUpdate.meeting_id == mid)).one()
    _set(CaseUpdate, CaseUpdate.id == case_update.id, text=f"{NAME} werkt nu twee dagen")
    places.append(
        Place(
            "case update",
            screen(
                meeting,
                review_ref(meeting, case_update.case_id),
                f"case-update-text-{case_update.id}",
            ),
            f"{corrections}/stand-van-zaken/{case_update.id}",
            {"text": CLEAN},
        )
    )
    note = db.session.scalars(select(ActionUpdate).where(ActionUpdate.meeting_id == mid)).one()
    _set(ActionUpdate, ActionUpdate.id == note.id, note=f"Gesprek met BSN {BSN} gevoerd")
    places.append(
        Place(
            "review note",
            screen(meeting, review_ref(meeting, note.action.case_id), f"review-{note.action_id}"),
            f"{corrections}/terugkoppeling/{note.id}",
            {"note": CLEAN},
        )
    )

    # The building-block remarks: both in one form, at one place.
    _set(
        BuildingBlockScore,
        BuildingBlockScore.meeting_id == mid,
        went_well=f"{NAME} was er zelf bij",
        could_be_better=f"BSN {BSN} niet noemen",
    )
    blocks = Place(
        "building blocks",
        screen(meeting, blocks_ref(meeting), "building-blocks"),
        f"{corrections}/bouwstenen",
        {"went_well": CLEAN, "could_be_better": CLEAN},
    )
    places.append(blocks)

    # An action agreed for a case, and the earlier action reviewed: their own edit page.
    agreed = db.session.scalars(
        select(ActionItem).where(ActionItem.meeting_id == mid, ActionItem.case_id.is_not(None))
    ).first()
    earlier = db.session.scalars(
        select(ActionItem).where(ActionItem.description == EARLIER_ACTION)
    ).one()
    for action, text in ((agreed, f"{NAME} bellen"), (earlier, f"BSN {BSN} navragen")):
        _set(ActionItem, ActionItem.id == action.id, description=text)
        edit = f"/acties/{action.id}/bewerken"
        places.append(
            Place(
                f"action {action.id}",
                edit,
                edit,
                {
                    "description": CLEAN,
                    "owner_id": person_key(action.owner),
                    "due_on": action.due_on.isoformat(),
                    "case_id": action.case_id or 0,
                },
            )
        )
    # Who was there and where: a client who came as a guest, a place named after them.
    guest = db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == mid, Attendance.user_id.is_(None))
    ).one()
    _set(Attendance, Attendance.id == guest.id, guest_name=NAME)
    _set(Meeting, Meeting.id == mid, location=f"Bij {NAME} thuis")
    for where, data in (
        (f"{corrections}/gasten/{guest.id}", {"guest_name": "Ervaringsdeskundige"}),
        (f"{corrections}/plaats", {"location": "Stadhuis, zaal 2"}),
    ):
        places.append(Place(where, where, where, data))
    db.session.commit()
    return meeting, places


def refused_links(client, meeting: Meeting) -> list[str]:
    response = client.get(f"/bijeenkomsten/{meeting.id}/verslag.docx")
    assert response.status_code == 409
    listed = REFUSED.search(response.get_data(as_text=True)).group(1)
    return re.findall(r'href="([^"]+)"', listed)


def form_actions(page: str, url: str) -> list[str]:
    """Where each form of the page posts (a form without an action posts to the page)."""
    actions = []
    for tag in FORMS.findall(page):
        found = re.search(r'action="([^"]*)"', tag)
        actions.append(found.group(1) if found and found.group(1) else url)
    return actions


def test_every_refused_place_links_to_a_form_that_corrects_it_and_then_the_export_passes(
    client, auth, world, leaked
):
    meeting, places = leaked
    auth.login(LEADER)

    links = refused_links(client, meeting)

    # Each hostile text is listed, at the place that corrects it (a place once per hit kind).
    assert set(links) == {p.href for p in places}
    for place in places:
        response = client.get(place.page)
        assert response.status_code == 200, place.what
        page = response.get_data(as_text=True)
        assert place.form_action in form_actions(page, place.page), place.what
        if place.anchor:
            at = page.index(f'id="{place.anchor}"')
            assert page.find(f'action="{place.form_action}"', at) > at or (
                place.form_action.endswith("/veld")
            ), place.what
        data = {**place.data}
        if not place.form_action.startswith("/acties/") and not any(
            k.endswith("reason") for k in data
        ):
            data["reason"] = REASON
        corrected = post_form(client, place.form_action, data, token_from=place.page)
        assert corrected.status_code == 302, (place.what, corrected.get_data(as_text=True)[-1500:])

    response = client.get(f"/bijeenkomsten/{meeting.id}/verslag.docx")

    assert response.status_code == 200
    everything = "\n".join(package_parts(response.data).values())
    assert CLEAN in everything
    for value in (NAME, "Voorbeeldt", BSN, "111222333", IDENTITY.bsn):
        assert value not in everything, value


def test_a_field_value_link_lands_at_its_own_field(client, auth, world, leaked):
    """The field's anchor is the field itself, inside the form that saves it."""
    _meeting, places = leaked
    auth.login(LEADER)
    place = next(p for p in places if p.what == "field verduidelijking")
    page = client.get(place.page).get_data(as_text=True)
    form = page.rfind("<form", 0, page.index(f'id="{place.anchor}"'))
    assert f'action="{place.form_action}"' in page[form : form + 300]
    assert 'name="key" value="verduidelijking"' in page[form : page.index(f'id="{place.anchor}"')]


def test_a_group_name_links_to_the_group_form_of_the_projectleider(client, auth, world, leaked):
    """Only the projectleider (or the beheerder) names a group: the link is their form."""
    meeting, _places = leaked
    _set(CaseGroup, CaseGroup.id == meeting.group_id, name=f"Groep {NAME}")
    db.session.commit()
    auth.login(LEADER)
    edit = f"/groepen/{meeting.group_id}/bewerken"
    assert edit in refused_links(client, meeting)
    auth.logout()
    auth.login("projectleider@noord.example")
    page = client.get(edit)
    assert page.status_code == 200
    assert edit in form_actions(page.get_data(as_text=True), edit)


def test_approved_minutes_corrected_afterwards_are_issued_anew_without_the_data(
    client, auth, world
):
    """The kept file of approved minutes slipped past (a name found only later): once the
    finding is corrected, the file handed out is built anew, never the kept one with the name."""
    from facilitator.exports.minutes import minutes_data
    from facilitator.exports.minutes_docx import build_minutes_docx
    from facilitator.exports.minutes_services import approval_of, approve_minutes
    from facilitator.users.models import Role
    from tests.minutes_helpers import next_meeting

    meeting = hold_world_meeting(world)
    approve_minutes(
        meeting,
        in_meeting=next_meeting(world),
        corrections="",
        actor=world.users[Role.PROCESBEGELEIDER],
    )
    finding = db.session.scalars(
        select(Finding).where(Finding.meeting_id == meeting.id, Finding.text == WIDE_FINDING)
    ).one()
    finding.text = f"{NAME} belde zelf"
    approval = approval_of(meeting)
    approval.content = build_minutes_docx(minutes_data(meeting)).getvalue()  # past the screen
    issued_hash = approval.sha256
    db.session.commit()
    auth.login(LEADER)
    assert [link for link in refused_links(client, meeting) if f"finding-{finding.id}" in link]
    corrected = post_form(
        client,
        f"/bijeenkomsten/{meeting.id}/correcties/bevindingen/{finding.id}",
        {
            "kind": finding.kind.value,
            "level": finding.level.value,
            "text": CLEAN,
            "organisations": [o.id for o in finding.organisations],
            "reason": REASON,
        },
        token_from=f"/bijeenkomsten/{meeting.id}/leiden?stap={finding.step_ref}",
    )
    assert corrected.status_code == 302

    response = client.get(f"/bijeenkomsten/{meeting.id}/verslag.docx")

    assert response.status_code == 200
    everything = "\n".join(package_parts(response.data).values())
    assert NAME not in everything and "Voorbeeldt" not in everything and CLEAN in everything
    db.session.expire_all()
    assert approval_of(meeting).sha256 not in ("", issued_hash)
    assert approval_of(meeting).content == response.data
    events = db.session.scalars(
        select(AuditEvent.event_type).where(AuditEvent.event_type == "minutes_reissued")
    ).all()
    assert events == ["minutes_reissued"]
    # Downloaded again: the file as now kept, not issued anew.
    again = client.get(f"/bijeenkomsten/{meeting.id}/verslag.docx")
    assert again.data == response.data


def test_the_logbook_links_lead_the_procesbegeleider_to_the_forms_and_others_to_the_meeting(
    client, auth, world
):
    """The logbook names meetings and findings, not steps: its links resolve to the spot."""
    from datetime import timedelta

    from facilitator.localtime import local_date

    meeting = hold_world_meeting(world)
    mid = meeting.id
    finding = db.session.scalars(
        select(Finding).where(Finding.meeting_id == mid, Finding.text == WIDE_FINDING)
    ).one()
    finding.text = f"BSN {BSN} bij de balie"
    _set(BuildingBlockScore, BuildingBlockScore.meeting_id == mid, went_well=f"{NAME} kwam")
    day = local_date(meeting.scheduled_at)
    period = {"van": (day - timedelta(days=7)).isoformat(), "tot": day.isoformat()}
    db.session.commit()
    finding_spot = f"/bijeenkomsten/{mid}/correcties/bevindingen/{finding.id}"
    blocks_spot = f"/bijeenkomsten/{mid}/correcties/bouwstenen"

    def download():
        return post_form(client, "/logboek/download", period, token_from="/logboek")

    auth.login("projectleider@noord.example")
    refused = download()
    assert refused.status_code == 409
    listed = REFUSED.search(refused.get_data(as_text=True)).group(1)
    assert {finding_spot, blocks_spot} <= set(re.findall(r'href="([^"]+)"', listed))
    for spot in (finding_spot, blocks_spot):  # the projectleider corrects nothing: the meeting
        assert client.get(spot).headers["Location"] == f"/bijeenkomsten/{mid}#record"
    auth.logout()

    auth.login(LEADER)
    for spot, anchor, data in (
        (
            finding_spot,
            f"finding-{finding.id}",
            {
                "kind": finding.kind.value,
                "level": finding.level.value,
                "text": CLEAN,
                "organisations": [o.id for o in finding.organisations],
            },
        ),
        (blocks_spot, "building-blocks", {"went_well": CLEAN, "could_be_better": ""}),
    ):
        landing = client.get(spot)
        assert landing.status_code == 302 and landing.headers["Location"].endswith(f"#{anchor}")
        page = client.get(landing.headers["Location"]).get_data(as_text=True)
        at = page.index(f'id="{anchor}"')
        assert page.find(f'action="{spot}"', at) > at  # the form there posts to the spot
        token_from = landing.headers["Location"]
        saved = post_form(client, spot, data | {"reason": REASON}, token_from=token_from)
        assert saved.status_code == 302, saved.get_data(as_text=True)[-1500:]
    auth.logout()

    auth.login("projectleider@noord.example")
    assert download().status_code == 200
