"""Behind the route rules, every object rule refuses the beleidsgroeplid too: a group, a case,
a meeting, its minutes and preparation, an action, a proposal call, a series, a contact, the
audit log. Also with a membership row left from before the role changed (fail closed)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from facilitator.actions import policy as actions
from facilitator.audit.policy import can_read_audit_log
from facilitator.cases import policy as cases
from facilitator.dashboard.policy import can_read_dashboard
from facilitator.extensions import db
from facilitator.groups import policy as groups
from facilitator.groups.models import GroupMembership
from facilitator.meetings import policy as meetings
from facilitator.preparation import policy as preparation
from facilitator.proposals import policy as proposals
from facilitator.regions import policy as regions
from facilitator.series import policy as series
from facilitator.users.models import Role, User

BGL = Role.BELEIDSGROEPLID


def _checks(world) -> dict:
    group, case, meeting, action = world.group, world.consent_case, world.meeting, world.action
    return {
        "can_view_group": groups.can_view_group(_me(world), group),
        "can_manage_group": groups.can_manage_group(_me(world), group),
        "can_manage_members": groups.can_manage_members(_me(world), group),
        "can_register_case": groups.can_register_case(_me(world), group),
        "can_see_cases": groups.can_see_cases(_me(world), group),
        "visible_groups": bool(db.session.scalars(groups.visible_groups(_me(world))).all()),
        "can_view_case": cases.can_view_case(_me(world), case),
        "can_edit_case": cases.can_edit_case(_me(world), case),
        "can_manage_consent": cases.can_manage_consent(_me(world), case),
        "can_assign_regie": cases.can_assign_regie(_me(world), case),
        "can_view_meeting": meetings.can_view_meeting(_me(world), meeting),
        "can_plan_meetings": meetings.can_plan_meetings(_me(world), group),
        "can_run_meeting": meetings.can_run_meeting(_me(world), meeting),
        "can_change_agenda": meetings.can_change_agenda(_me(world), meeting),
        "can_follow_presentation": meetings.can_follow_presentation(_me(world), meeting),
        "can_read_minutes": meetings.can_read_minutes(_me(world), meeting),
        "can_read_preparation": preparation.can_read_preparation(_me(world), meeting),
        "can_answer": preparation.can_answer(_me(world), meeting),
        "can_lead_call": proposals.can_lead_call(_me(world), meeting),
        "can_propose": proposals.can_propose(_me(world), meeting),
        "can_view_board": actions.can_view_board(_me(world), group),
        "can_add_actions": actions.can_add_actions(_me(world), group),
        "can_view_action": actions.can_view_action(_me(world), action),
        "can_update_action": actions.can_update_action(_me(world), action),
        "can_edit_action": actions.can_edit_action(_me(world), action),
        "can_plan_series": series.can_plan_series(_me(world), group),
        "can_read_series_of": series.can_read_series_of(_me(world), group),
        "can_manage_contacts_in": regions.can_manage_contacts_in(_me(world), world.gemeente),
        "can_read_audit_log": can_read_audit_log(_me(world)),
    }


def _me(world) -> User:
    return db.session.get(User, world.users[BGL].id)


def test_every_object_rule_refuses_the_beleidsgroeplid(world):
    granted = [name for name, allowed in _checks(world).items() if allowed]
    assert granted == []
    assert can_read_dashboard(_me(world), world.region.id)
    assert not can_read_dashboard(_me(world), world.other_region.id)


@pytest.mark.parametrize("group_role", ["lid", "procesbegeleider"])
def test_a_membership_left_from_an_earlier_role_opens_nothing(world, group_role):
    """A deelnemer made beleidsgroeplid behind the services' back keeps its membership row:
    the rules still refuse."""
    member = world.extra_member
    membership = world.group.membership_of(member)
    membership.role = group_role
    db.session.execute(update(User).where(User.id == member.id).values(role=BGL))
    db.session.commit()
    db.session.expire_all()
    world.users[BGL] = db.session.get(User, member.id)
    assert db.session.get(GroupMembership, membership.id) is not None
    granted = [name for name, allowed in _checks(world).items() if allowed]
    assert granted == []
