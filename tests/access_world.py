"""The world of the access matrix (tests/test_access_matrix.py): three sites, each a casusgroep
with one object of every kind a URL can point at, and the people who could reach for them.

Sites A and B are two groups of region Noord, site Z a group of region Zuid. Each holds a held
meeting (with a guest, findings, an action, a reviewed earlier action and a case update), two
cases (one fictitious, one with consent and identity), a possible duplicate between them, a
criterion, a contact at the site's organisation and a logbook edition of its region with
feedback on it. Only plain ids leave this module: the matrix never touches ORM objects while
requests run beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select, update

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem, ActionUpdate
from facilitator.cases.models import CaseUpdate, PrivacyMode
from facilitator.database import utcnow
from facilitator.exports import editions, feedback, feedback_bodies
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import attendance, review
from facilitator.meetings.models import Attendance, Finding
from facilitator.privacy.identity import IdentityData
from facilitator.privacy.models import PossibleDuplicate
from facilitator.regions import contacts
from facilitator.regions.models import OrganisationKind
from facilitator.series import services
from facilitator.series.models import SeriesRhythm
from facilitator.stories import services as stories
from facilitator.users.models import Role
from tests.factories import (
    make_case,
    make_group,
    make_meeting,
    make_organisation,
    make_region,
    make_user,
)
from tests.holding import hold, record_case
from tests.reference_docs import empty_docx


@dataclass(frozen=True)
class Person:
    key: str
    role: Role
    user_id: int
    email: str


@dataclass(frozen=True)
class Site:
    """One casusgroep and the ids of everything in it, by URL variable."""

    name: str
    region: str
    ids: dict[str, int]
    #: The ids of the group's running and planned meetings, to put in place of the held one's.
    meetings: dict[str, dict[str, int]]
    #: The cases' pseudonyms, and the identity of the client with consent.
    pseudonyms: tuple[str, ...]
    identity: tuple[str, ...]


@dataclass(frozen=True)
class AccessWorld:
    people: dict[str, Person]
    sites: dict[str, Site]


def _region_edition(region, projectleider) -> dict[str, int]:
    edition = editions.issue_edition(
        region=region,
        groups=[],
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        content=empty_docx(),
        actor=None,
    )
    entry = feedback.record_feedback(
        edition,
        body="klankbordgroep",
        given_on=date(2026, 4, 9),
        summary="Meer werkgevers aan tafel",
        decisions="",
        actor=projectleider,
    )
    db.session.commit()
    return {
        "region_id": region.id,
        "edition_id": edition.id,
        "feedback_id": entry.id,
        "body_id": feedback_bodies.bodies_of(region.id)[0].id,
    }


def _site(region, label: str, kind: OrganisationKind, client: IdentityData) -> tuple:
    """A group of ``region`` with its procesbegeleider and deelnemer, a held meeting, a running
    and a planned one: (the people, the ids, the other meetings' ids, the pseudonyms)."""
    org = make_organisation(region, f"Organisatie {label}", kind)
    slug = label.lower()
    leader = make_user(org, Role.PROCESBEGELEIDER, email=f"pb.{slug}@matrix.example")
    member = make_user(org, Role.DEELNEMER, email=f"d.{slug}@matrix.example")
    group = make_group(
        region,
        f"Casusgroep {label}",
        leader=leader,
        members=(member,),
        criteria=(("Cliënt heeft een uitkering", False),),
    )
    fictional = make_case(group, member)
    with_consent = make_case(group, member, PrivacyMode.TOESTEMMING, identity=client)
    ids = _held_meeting(group, leader, member, fictional, with_consent)
    later = {"running": utcnow() + timedelta(hours=1), "planned": utcnow() + timedelta(days=7)}
    meetings = {
        state: _meeting_ids(group, leader, member, with_consent, when=at, start=state == "running")
        for state, at in later.items()
    }
    flag = PossibleDuplicate(case_id=fictional.id, existing_case_id=with_consent.id)
    db.session.add(flag)
    contact = contacts.create_contact(
        org, name="Contact zonder account", email=f"contact.{slug}@matrix.example", actor=None
    )
    series = _series(group, leader)
    story = stories.write_story(
        group,
        kind="klantverhaal",
        title="Weer aan het werk",
        text="Via de samenwerking vond een cliënt werk in de bakkerij.",
        case=fictional,
        actor=member,
    )
    db.session.commit()
    ids |= {
        "story_id": story.id,
        "series_id": series.id,
        "organisation_id": org.id,
        "user_id": member.id,
        "group_id": group.id,
        "membership_id": group.membership_of(member).id,
        "criterion_id": group.criteria[0].id,
        "case_id": with_consent.id,
        "flag_id": flag.id,
        "contact_id": contact.id,
    }
    names = (fictional.pseudonym, with_consent.pseudonym)
    return {"pb": leader, "d": member}, ids, meetings, names


def _held_meeting(group, leader, member, fictional, with_consent) -> dict[str, int]:
    """The group's held meeting, with a record of every kind: the ids of them all."""
    earlier = actions.create_action(
        group,
        description="Werkgeversadviseur vragen",
        owner=member,
        due_on=local_today() + timedelta(days=3),
        case=fictional,
        actor=leader,
    )
    meeting = make_meeting(group, leader, [fictional, with_consent])
    db.session.execute(  # agreed before the meeting started: the review lists it
        update(ActionItem)
        .where(ActionItem.id == earlier.id)
        .values(created_at=meeting.started_at - timedelta(days=20))
    )
    db.session.expire_all()
    record_case(meeting, with_consent, leader, member)
    attendance.add_guest(
        meeting, name="Gast", role="werkgever", organisation_id=None, status="aanwezig", actor=None
    )
    earlier = db.session.get(ActionItem, earlier.id)
    review.review_action(meeting, earlier, "gereed", note="Gedaan", due_on=None, actor=leader)
    item = meeting.agenda[0]
    review.record_case_update(meeting, item, "Werkt twee dagen", expected_version=0, actor=leader)
    hold(meeting, leader, member)
    db.session.commit()
    return {
        "meeting_id": meeting.id,
        "item_id": item.id,
        "finding_id": _first(Finding, Finding.meeting_id == meeting.id),
        "action_id": _first(ActionItem, ActionItem.meeting_id == meeting.id),
        "guest_id": _first(
            Attendance, Attendance.meeting_id == meeting.id, Attendance.user_id.is_(None)
        ),
        "case_update_id": _first(CaseUpdate, CaseUpdate.meeting_id == meeting.id),
        "action_update_id": _first(ActionUpdate, ActionUpdate.meeting_id == meeting.id),
    }


def _meeting_ids(group, leader, member, case, *, when, start: bool) -> dict[str, int]:
    """Another meeting of the group (running, or planned), with a record of every kind it
    can hold by then: the ids that replace the held meeting's in a URL."""
    meeting = make_meeting(group, leader, [case], start=start, when=when)
    if start:
        record_case(meeting, case, leader, member)
    attendance.add_guest(
        meeting, name="Gast", role="werkgever", organisation_id=None, status="aanwezig", actor=None
    )
    db.session.commit()
    ids = {"meeting_id": meeting.id, "item_id": meeting.agenda[0].id}
    ids["guest_id"] = _first(
        Attendance, Attendance.meeting_id == meeting.id, Attendance.user_id.is_(None)
    )
    if start:
        ids["finding_id"] = _first(Finding, Finding.meeting_id == meeting.id)
        ids["action_id"] = _first(ActionItem, ActionItem.meeting_id == meeting.id)
    return ids


def _series(group, leader):
    """A series of two monthly meetings a month ahead, planned by the group's procesbegeleider."""
    settings = services.SeriesSettings(
        rhythm=SeriesRhythm.MAANDELIJKS,
        weekday=3,
        start_time=time(10, 0),
        first_date=local_today() + timedelta(days=30),
        protocol_id="casusgroep-samenwerking",
    )
    rows = services.preview_rows(group, settings, count=2)
    return services.plan_series(group, settings, rows, actor=leader)


def _first(model, *where) -> int:
    return db.session.scalars(select(model.id).where(*where).order_by(model.id)).first()


def _client(name: str, bsn: str) -> IdentityData:
    return IdentityData(full_name=name, birth_date=date(1980, 1, 2), bsn=bsn)


def make_access_world() -> AccessWorld:
    noord, zuid = make_region("Regio Noord"), make_region("Regio Zuid")
    people: dict[str, Person] = {}
    region_ids = {}
    for key, region, role in (
        ("beheerder", noord, Role.BEHEERDER),
        ("pl.Noord", noord, Role.PROJECTLEIDER),
        ("pl.Zuid", zuid, Role.PROJECTLEIDER),
        ("bgl.Noord", noord, Role.BELEIDSGROEPLID),
    ):
        org = make_organisation(region, f"Bureau {key}", OrganisationKind.GEMEENTE)
        user = make_user(org, role, email=f"{key.lower()}@matrix.example")
        people[key] = Person(key, role, user.id, user.email)
        if role == Role.PROJECTLEIDER:
            region_ids[region.id] = _region_edition(region, user)
    sites = {}
    for label, region, kind, client in (
        ("A", noord, OrganisationKind.GEMEENTE, _client("Anna Aalders", "123456782")),
        ("B", noord, OrganisationKind.GGZ, _client("Bert Bakkerman", "111222333")),
        ("Z", zuid, OrganisationKind.UWV, _client("Zora Zwartjes", "100000009")),
    ):
        members, ids, meetings, pseudonyms = _site(region, label, kind, client)
        identity = (client.full_name, client.bsn)
        ids |= region_ids[region.id]
        sites[label] = Site(label, region.name, ids, meetings, pseudonyms, identity)
        for key, user in members.items():
            people[f"{key}.{label}"] = Person(f"{key}.{label}", user.role, user.id, user.email)
    return AccessWorld(people, sites)
