"""Closing a case: a structured reason, and no open actions left behind (issue #9)."""

from __future__ import annotations

from flask_babel import force_locale

from facilitator.actions import services as actions
from facilitator.audit.models import AuditEvent
from facilitator.cases.models import Case, ClosureReason
from facilitator.extensions import db
from facilitator.users.models import Role
from tests.helpers import post_form


def closing(client, case_id: int, **data):
    return post_form(client, f"/casussen/{case_id}/afsluiten", data)


def case(case_id: int) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case_id)


def test_a_case_with_an_open_action_is_not_closed_until_the_action_is_done(client, auth, world):
    leader = world.users[Role.PROCESBEGELEIDER]
    case_id = world.action.case_id
    assert world.action.status.is_open
    auth.login(leader.email)
    page = client.get(f"/casussen/{case_id}/afsluiten").get_data(as_text=True)
    assert "1 openstaande actie" in page or "1 open action" in page

    refused = closing(client, case_id, closure_kind="betaald_werk")
    assert refused.status_code == 200
    assert "open action" in refused.get_data(as_text=True) or "openstaande actie" in (
        refused.get_data(as_text=True)
    )
    assert not case(case_id).is_closed
    assert not db.session.query(AuditEvent).filter_by(event_type="case_closed").count()

    actions.change_status(world.action, "gereed", note="Driegesprek gehouden", actor=leader)
    db.session.commit()
    assert closing(client, case_id, closure_kind="betaald_werk").status_code == 302
    closed = case(case_id)
    assert closed.is_closed
    assert closed.closure_kind is ClosureReason.BETAALD_WERK


def test_a_dropped_action_does_not_hold_the_case_open(client, auth, world):
    leader = world.users[Role.PROCESBEGELEIDER]
    actions.change_status(world.action, "vervallen", note="Niet meer nodig", actor=leader)
    db.session.commit()
    auth.login(leader.email)
    response = closing(client, world.action.case_id, closure_kind="geen_vervolg")
    assert response.status_code == 302
    assert case(world.action.case_id).closure_kind is ClosureReason.GEEN_VERVOLG


def test_every_reason_has_a_dutch_label(app):
    with force_locale("nl"):
        labels = {reason: reason.label for reason in ClosureReason}
    assert labels[ClosureReason.BETAALD_WERK] == "Uitstroom naar betaald werk"
    assert len(set(labels.values())) == len(ClosureReason)
