"""A pseudonym typed into free text never reaches the beleidsgroeplid: an edition whose text
names a case is withheld from them (logged), and the feedback they read may name none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.cases.mentions import named_cases
from facilitator.exceptions import ServiceError
from facilitator.exports import feedback, feedback_bodies
from facilitator.exports.logbook import LogbookScope
from facilitator.exports.logbook_export import export_logbook
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import records, run
from facilitator.users.models import Role
from tests.helpers import AuthActions, post_form
from tests.holding import hold

BGL = Role.BELEIDSGROEPLID


def test_named_cases_finds_only_existing_pseudonyms_whole_and_in_any_case(world):
    known = world.consent_case.pseudonym
    assert named_cases([f"Zoals bij {known}, en ZZ-ZZZ bestaat niet"]) == [known]
    assert named_cases([f"zoals bij {known.lower()}."]) == [known]
    assert named_cases([f"X{known}", f"{known}9"]) == []  # part of a longer token
    assert named_cases(["", "Geen casus genoemd"]) == []


def _finding_naming(world, pseudonym: str) -> None:
    step = next(s.ref for s in run.rail(world.meeting) if s.case is not None)
    records.add_finding(
        world.meeting,
        step,
        kind="knelpunt",
        level="uitvoering",
        text=f"Net als bij {pseudonym} loopt de overdracht stroef",
        organisations=[],
        signal=True,
        actor=world.users[Role.PROCESBEGELEIDER],
    )
    hold(world.meeting, world.users[Role.PROCESBEGELEIDER])  # the logbook quotes held meetings
    db.session.commit()


def _edition(world):
    today = local_today()
    scope = LogbookScope(world.region, (), today - timedelta(days=30), today + timedelta(days=30))
    edition = export_logbook(scope, actor=world.users[Role.PROJECTLEIDER])
    db.session.commit()
    return edition


def test_an_edition_that_names_a_case_is_withheld_from_the_beleidsgroeplid(app, world):
    pseudonym = world.fictional_case.pseudonym
    _finding_naming(world, pseudonym)
    edition = _edition(world)
    url = f"/logboek/edities/{edition.id}/downloaden"

    reader = app.test_client()
    AuthActions(reader).login(world.users[BGL].email)
    response = reader.get(url)
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    assert pseudonym not in response.get_data(as_text=True)
    db.session.expire_all()
    row = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "logbook_edition_withheld")
    ).one()
    assert (row.user_id, row.object_id, row.outcome) == (
        world.users[BGL].id,
        str(edition.id),
        AuditOutcome.DENIED,
    )
    assert pseudonym not in (row.reason or "") + (row.case_pseudonym or "")

    leader = app.test_client()
    AuthActions(leader).login(world.users[Role.PROJECTLEIDER].email)
    assert leader.get(url).status_code == 200  # the projectleider sees the cases anyway


def test_an_edition_naming_no_case_is_handed_over(app, world):
    edition = _edition(world)
    reader = app.test_client()
    AuthActions(reader).login(world.users[BGL].email)
    response = reader.get(f"/logboek/edities/{edition.id}/downloaden")
    assert response.status_code == 200
    assert response.data == edition.content


def test_feedback_that_names_a_case_is_refused(client, auth, world):
    edition = _edition(world)
    pseudonym = world.consent_case.pseudonym
    for summary, decisions in ((f"Denk aan {pseudonym}", ""), ("Goed", f"{pseudonym} volgen")):
        with pytest.raises(ServiceError):
            feedback.record_feedback(
                edition,
                body="beleidsgroep",
                given_on=local_today(),
                summary=summary,
                decisions=decisions,
                actor=world.users[Role.PROJECTLEIDER],
            )
        db.session.rollback()
    auth.login(world.users[Role.PROJECTLEIDER].email)
    url = f"/logboek/edities/{edition.id}"
    response = post_form(
        client,
        url,
        {
            "body": feedback_bodies.bodies_of(world.region.id)[0].id,
            "given_on": local_today().isoformat(),
            "summary": f"Casus {pseudonym.lower()} als voorbeeld",
            "decisions": "",
        },
    )
    assert response.status_code == 200
    assert "beleidsgroep leest" in response.get_data(as_text=True)
    assert feedback.feedback_on(edition.id) == []
