"""The structure of issue 9: an action belongs to its group and outlives its meeting, has an
owner with or without an account and a history; the regie belongs to the case, one in force."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem, ActionStatus, ActionUpdate
from facilitator.cases import regie
from facilitator.cases.models import RegievoerderAssignment
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings.models import Meeting
from facilitator.privacy.guard import PersonalDataError
from facilitator.regions import contacts
from facilitator.users.models import Role

BSN = "2431.80.226"
BIDI = "Werkgever \u202ebellen"


@pytest.fixture
def contact(world):
    made = contacts.create_contact(
        world.gemeente, name="Werkgeversadviseur", email="wsp@noord.example", actor=None
    )
    db.session.commit()
    return made


def fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def test_an_action_outside_a_meeting_can_be_owned_by_a_contact(world, contact):
    leader = world.users[Role.PROCESBEGELEIDER]
    action = actions.create_action(
        world.group,
        description="Werkgever benaderen voor een proefplaats",
        owner=contact,
        due_on=local_today() + timedelta(days=10),
        case=world.fictional_case,
        actor=leader,
    )
    db.session.commit()
    action = fresh(ActionItem, action.id)
    assert action.owner is not None and action.owner.id == contact.id
    assert (action.owner_user_id, action.meeting_id, action.group_id) == (
        None,
        None,
        world.group.id,
    )
    assert action.organisation_id == world.gemeente.id
    assert action.status == ActionStatus.OPEN


def test_the_database_wants_exactly_one_owner(world, contact):
    action = fresh(ActionItem, world.action.id)
    action.owner_contact_id = contact.id  # and still the user
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    action = fresh(ActionItem, world.action.id)
    action.owner_user_id = None  # nobody
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_action_survives_the_deletion_of_its_meeting(world):
    action_id = world.action.id
    actions.change_status(
        fresh(ActionItem, action_id),
        "in_uitvoering",
        note="Gesprek gepland",
        actor=world.users[Role.DEELNEMER],
        meeting=fresh(Meeting, world.meeting.id),
    )
    db.session.commit()
    db.session.execute(delete(Meeting).where(Meeting.id == world.meeting.id))
    db.session.commit()
    action = fresh(ActionItem, action_id)
    assert action is not None and action.meeting_id is None
    assert action.group_id == world.group.id
    assert [u.meeting_id for u in action.updates] == [None]


def test_a_status_change_needs_a_note_and_is_kept_with_who_and_when(world):
    owner = world.users[Role.DEELNEMER]
    action = fresh(ActionItem, world.action.id)
    with pytest.raises(ServiceError) as refused:
        actions.change_status(action, "gereed", note="  ", actor=owner)
    assert refused.value.field == "note"
    assert fresh(ActionItem, world.action.id).status == ActionStatus.OPEN

    actions.change_status(action, "in_uitvoering", note="Eerste gesprek gevoerd", actor=owner)
    new_due = action.due_on + timedelta(days=14)
    actions.change_status(action, "in_uitvoering", note="Uitgesteld", actor=owner, due_on=new_due)
    actions.change_status(action, "gereed", note="Proefplaats geregeld", actor=owner)
    db.session.commit()

    action = fresh(ActionItem, world.action.id)
    assert action.status == ActionStatus.GEREED and action.due_on == new_due
    history = [(u.status_from, u.status_to, u.due_to, u.note, u.by_id) for u in action.updates]
    assert history == [
        (ActionStatus.OPEN, ActionStatus.IN_UITVOERING, None, "Eerste gesprek gevoerd", owner.id),
        (ActionStatus.IN_UITVOERING, ActionStatus.IN_UITVOERING, new_due, "Uitgesteld", owner.id),
        (ActionStatus.IN_UITVOERING, ActionStatus.GEREED, None, "Proefplaats geregeld", owner.id),
    ]
    assert all(u.at is not None for u in action.updates)


def test_a_new_due_date_in_an_edit_is_kept_in_the_history(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    action = fresh(ActionItem, world.action.id)
    old_due = action.due_on
    actions.edit_action(
        action,
        description=action.description,
        owner=action.owner,
        due_on=old_due + timedelta(days=7),
        case=action.case,
        actor=leader,
    )
    db.session.commit()
    (update,) = fresh(ActionItem, world.action.id).updates
    assert (update.due_from, update.due_to, update.by_id) == (
        old_due,
        old_due + timedelta(days=7),
        leader.id,
    )


@pytest.mark.parametrize("text", [f"Cliënt met BSN {BSN} bellen", BIDI])
def test_hostile_text_is_refused_in_every_new_text(world, contact, text):
    leader = world.users[Role.PROCESBEGELEIDER]
    action = fresh(ActionItem, world.action.id)
    with pytest.raises(ServiceError):
        actions.change_status(action, "gereed", note=text, actor=leader)
    with pytest.raises(ServiceError):
        actions.create_action(
            world.group,
            description=text,
            owner=contact,
            due_on=local_today(),
            actor=leader,
        )
    with pytest.raises(ServiceError):
        regie.assign_regievoerder(world.fictional_case, contact, actor=leader, reason=text)
    with pytest.raises(ServiceError):
        contacts.create_contact(world.ggz, name=text, email="x@y.example", actor=leader)
    db.session.rollback()
    assert not db.session.scalars(select(ActionUpdate)).all()
    assert fresh(ActionItem, world.action.id).status == ActionStatus.OPEN


def test_a_bsn_in_a_note_is_refused_as_personal_data(world):
    action = fresh(ActionItem, world.action.id)
    with pytest.raises(PersonalDataError):
        actions.change_status(
            action, "gereed", note=f"BSN {BSN}", actor=world.users[Role.DEELNEMER]
        )


def test_an_owner_from_another_region_or_a_case_of_another_group_is_refused(world, contact):
    leader = world.users[Role.PROCESBEGELEIDER]
    with pytest.raises(ServiceError):
        actions.create_action(
            world.group,
            description="Bellen",
            owner=world.other_user,
            due_on=local_today(),
            actor=leader,
        )
    with pytest.raises(ServiceError):
        actions.create_action(
            world.group,
            description="Bellen",
            owner=contact,
            due_on=local_today(),
            case=world.other_case,
            actor=leader,
        )
    with pytest.raises(ServiceError):
        actions.create_action(
            world.group,
            description="Bellen",
            owner=contact,
            due_on=local_today() - timedelta(days=1),
            actor=leader,
        )


# --- the regie of a case ----------------------------------------------------------------------


def test_a_handover_ends_the_regie_in_force_and_keeps_the_history(world, contact):
    leader = world.users[Role.PROCESBEGELEIDER]
    case = world.fictional_case
    first = regie.assign_regievoerder(
        case,
        world.users[Role.DEELNEMER],
        actor=leader,
        since=local_today() - timedelta(days=30),
    )
    second = regie.assign_regievoerder(
        case,
        contact,
        actor=leader,
        reason="De cliënt gaat aan het werk via de werkgeversadviseur",
        achterwacht=world.extra_member,
    )
    db.session.commit()
    assert fresh(RegievoerderAssignment, first.id).ended_at is not None
    current = regie.current_regievoerder(case)
    assert current.id == second.id
    assert current.person.id == contact.id and current.achterwacht.id == world.extra_member.id
    assert current.handover_reason.startswith("De cliënt gaat")
    assert current.since == local_today()
    assert [a.id for a in regie.regie_history([case.id])] == [second.id, first.id]


def test_the_same_regievoerder_again_changes_nothing(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    first = regie.assign_regievoerder(world.fictional_case, leader, actor=leader)
    again = regie.assign_regievoerder(world.fictional_case, leader, actor=leader)
    assert again is first
    assert len(regie.regie_history([world.fictional_case.id])) == 1


def test_the_database_holds_one_regie_in_force_per_case(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    assignment = regie.assign_regievoerder(world.fictional_case, leader, actor=leader)
    db.session.commit()
    row = {
        "case_id": world.fictional_case.id,
        "user_id": world.extra_member.id,
        "organisation_id": world.gemeente.id,
        "since": local_today(),
        "handover_reason": "",
        "created_at": assignment.created_at,
    }
    with pytest.raises(IntegrityError):
        db.session.execute(insert(RegievoerderAssignment).values(**row))
    db.session.rollback()
    fresh(RegievoerderAssignment, assignment.id).ended_at = assignment.created_at
    db.session.execute(insert(RegievoerderAssignment).values(**row))  # the old one ended
    db.session.commit()


def test_a_regie_cannot_go_to_the_same_person_as_achterwacht_or_outside_the_region(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    with pytest.raises(ServiceError):
        regie.assign_regievoerder(world.fictional_case, leader, actor=leader, achterwacht=leader)
    with pytest.raises(ServiceError):
        regie.assign_regievoerder(world.fictional_case, world.other_user, actor=leader)
    with pytest.raises(ServiceError):
        regie.assign_regievoerder(
            world.fictional_case, leader, actor=leader, since=local_today() + timedelta(days=1)
        )
    assert regie.current_regievoerder(world.fictional_case) is None
