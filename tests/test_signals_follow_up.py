"""Recording a signal's follow-up through HTTP (issue 14, "Signals followed up"): only the
region's projectleider, validated, screened by the guard, checked against the version seen,
each change kept as a row of the signal's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.signals.models import SignalFollowUp, SignalStatus, SignalUpdate
from facilitator.users.models import Role
from tests.helpers import AuthActions, csrf_token, post_form
from tests.signal_helpers import DECISION, PROJECTLEIDER, follow_up

BSN = "2431.80.226"
BIDI = "Besluit \u202egenomen"


def _url(finding) -> str:
    return f"/signalen/{finding.id}"


def _form(**fields) -> dict:
    return {
        "status": "besluit_genomen",
        "decision": DECISION,
        "decided_on": local_today().isoformat(),
        "version": "0",
    } | fields


def _stored(world):
    db.session.expire_all()
    follow_up = db.session.scalar(
        select(SignalFollowUp).where(SignalFollowUp.finding_id == world.finding.id)
    )
    updates = db.session.scalar(select(func.count(SignalUpdate.id)))
    return follow_up, updates


def test_the_projectleider_records_a_decision_and_it_shows_with_its_timeline(client, auth, world):
    auth.login(PROJECTLEIDER)
    page = client.get(_url(world.finding)).get_data(as_text=True)
    assert "Nog niets vastgelegd" in page
    response = post_form(client, _url(world.finding), _form())
    assert response.status_code == 302
    stored, updates = _stored(world)
    assert stored.status == SignalStatus.BESLUIT_GENOMEN
    assert stored.decision == DECISION
    assert stored.decided_on == local_today()
    assert stored.recorded_by_id == world.users[Role.PROJECTLEIDER].id
    assert stored.version == 1 and updates == 1
    page = client.get(_url(world.finding)).get_data(as_text=True)
    assert DECISION in page
    assert world.consent_case.pseudonym not in page and world.fictional_case.pseudonym not in page
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "signal_follow_up")
    ).one()
    assert audit.reason == "nieuw->besluit_genomen"


def test_every_change_is_a_row_of_the_timeline_with_who_and_when(client, auth, world):
    auth.login(PROJECTLEIDER)
    assert post_form(client, _url(world.finding), _form(status="geagendeerd", decision=""))
    response = post_form(client, _url(world.finding), _form(version="1"))
    assert response.status_code == 302
    response = post_form(
        client,
        _url(world.finding),
        _form(status="uitgevoerd", decision="Overleg loopt", version="2"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    updates = db.session.scalars(select(SignalUpdate).order_by(SignalUpdate.id)).all()
    assert [u.status for u in updates] == [
        SignalStatus.GEAGENDEERD,
        SignalStatus.BESLUIT_GENOMEN,
        SignalStatus.UITGEVOERD,
    ]
    assert {u.by_id for u in updates} == {world.users[Role.PROJECTLEIDER].id}
    assert all(u.at is not None for u in updates)
    page = client.get(_url(world.finding)).get_data(as_text=True)
    timeline = page[page.index('id="timeline-heading"') :]
    assert timeline.count("<li>") == 3
    assert timeline.index("Overleg loopt") > timeline.index(DECISION)


@pytest.mark.parametrize("role", [Role.PROCESBEGELEIDER, Role.DEELNEMER, Role.BEHEERDER,
                                  Role.BELEIDSGROEPLID])  # fmt: skip
def test_other_roles_may_not_read_or_record_a_follow_up(app, world, role):
    client = app.test_client()
    AuthActions(client).login(world.users[role].email)
    assert client.get(_url(world.finding)).status_code == 403
    token = csrf_token(client, "/account/")
    response = client.post(_url(world.finding), data={"csrf_token": token, **_form()})
    assert response.status_code == 403
    assert _stored(world) == (None, 0)
    assert client.get(f"/regios/{world.region.id}/signalen").status_code == 403


def test_another_regions_projectleider_is_refused_and_logged(app, client, auth, world):
    from tests.factories import make_organisation, make_user

    zuid = make_user(make_organisation(world.other_region, "Gemeente Zuid"), Role.PROJECTLEIDER)
    db.session.commit()
    auth.login(zuid.email)
    before = db.session.scalar(select(func.max(AuditEvent.id)))
    assert client.get(_url(world.finding)).status_code == 403
    token = csrf_token(client, "/account/")
    response = client.post(_url(world.finding), data={"csrf_token": token, **_form()})
    assert response.status_code == 403
    assert client.get(f"/regios/{world.region.id}/signalen").status_code == 403
    db.session.expire_all()
    denials = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > before, AuditEvent.outcome == AuditOutcome.DENIED)
    ).all()
    assert len(denials) == 3
    assert {d.object_type for d in denials} == {"findings", "regions"}
    assert _stored(world) == (None, 0)


def test_an_unknown_signal_is_404_and_a_finding_that_is_no_signal_too(client, auth, world):
    auth.login(PROJECTLEIDER)
    assert client.get("/signalen/999999").status_code == 404
    world.finding.signal = False
    db.session.commit()
    assert client.get(_url(world.finding)).status_code == 404


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"decision": ""}, "Schrijf het besluit van de beleidsgroep in een zin."),
        ({"status": "niet_overgenomen", "decision": "  "}, "Schrijf het besluit"),
        ({"status": "uitgevoerd", "decision": ""}, "Schrijf het besluit"),
        ({"decision": "x" * 1001}, "Veld mag niet langer zijn dan 1000 karakters."),
        ({"decided_on": str(local_today() + timedelta(days=1))}, "De datum ligt in de toekomst."),
        ({"decided_on": str(local_today() - timedelta(days=30))}, "voor de bijeenkomst waarin"),
        ({"decided_on": ""}, "Dit veld is vereist."),
        ({"status": "verzonnen"}, "Ongeldige keuze."),
    ],
)  # fmt: skip
def test_a_refused_follow_up_changes_nothing_and_says_why(client, auth, world, fields, message):
    auth.login(PROJECTLEIDER)
    response = post_form(client, _url(world.finding), _form(**fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _stored(world) == (None, 0)


@pytest.mark.parametrize(
    "hostile, message",
    [(f"Besluit voor {BSN}", "Dit lijkt op een BSN"), (BIDI, "tekens die niet zijn toegestaan")],
)
def test_hostile_text_in_the_decision_is_refused_by_the_guard(
    client, auth, world, hostile, message
):
    auth.login(PROJECTLEIDER)
    response = post_form(client, _url(world.finding), _form(decision=hostile))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _stored(world) == (None, 0)


def test_a_stale_version_is_refused_and_keeps_what_was_typed(client, auth, world):
    follow_up(world, status="geagendeerd", decision="")  # someone else, meanwhile: version 1
    auth.login(PROJECTLEIDER)
    mine = "Mijn eigen verwoording van het besluit"
    response = post_form(client, _url(world.finding), _form(decision=mine, version="0"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert mine in page  # in the form, and in the comparison: nothing typed is lost
    assert 'name="version" type="hidden" value="1"' in page
    stored, updates = _stored(world)
    assert stored.status == SignalStatus.GEAGENDEERD and updates == 1
    again = post_form(client, _url(world.finding), _form(decision=mine, version="1"))
    assert again.status_code == 302
    stored, updates = _stored(world)
    assert stored.decision == mine and stored.version == 2 and updates == 2


def test_a_signal_corrected_away_drops_out_of_the_list_and_keeps_its_history(client, auth, world):
    follow_up(world)
    auth.login(PROJECTLEIDER)
    url = f"/regios/{world.region.id}/signalen"
    assert world.finding.text in client.get(url).get_data(as_text=True)
    world.finding.signal = False
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert world.finding.text not in page
    assert _stored(world)[1] == 1  # the timeline stays
    world.finding.signal = True  # marked again: the history comes back with it
    db.session.commit()
    assert DECISION in client.get(_url(world.finding)).get_data(as_text=True)


def test_the_region_list_filters_by_status_and_group_newest_first(client, auth, world):
    from tests.signal_helpers import add_signals

    add_signals(world, world.meeting, 2, text="Later signaal")
    auth.login(PROJECTLEIDER)
    url = f"/regios/{world.region.id}/signalen"
    page = client.get(url).get_data(as_text=True)
    assert (
        page.index("Later signaal 1")
        < page.index("Later signaal 0")
        < page.index(world.finding.text)
    )
    decided = client.get(url, query_string={"status": "besluit_genomen"}).get_data(as_text=True)
    assert "Later signaal 0" in decided and world.finding.text not in decided
    new = client.get(url, query_string={"status": "nieuw"}).get_data(as_text=True)
    assert world.finding.text in new and "Later signaal" not in new
    other = client.get(url, query_string={"groep": world.other_group.id}).get_data(as_text=True)
    assert world.finding.text in other  # not a choice: filters nothing
    mine = client.get(url, query_string={"groep": world.group.id}).get_data(as_text=True)
    assert world.finding.text in mine


def test_the_region_list_has_an_empty_state(client, auth, world):
    world.finding.signal = False
    db.session.commit()
    auth.login(PROJECTLEIDER)
    page = client.get(f"/regios/{world.region.id}/signalen").get_data(as_text=True)
    assert "Er is nog geen bevinding als signaal" in page


def test_a_signal_of_a_meeting_started_before_its_day_is_dated_from_the_day_it_ran(
    client, auth, world
):
    """A planned meeting started early: its signals are followed up from the day it ran."""
    from facilitator.database import utcnow
    from tests.factories import make_meeting
    from tests.signal_helpers import add_signals

    early = make_meeting(
        world.group,
        world.users[Role.PROCESBEGELEIDER],
        [world.fictional_case],
        when=utcnow() + timedelta(days=14),
    )
    add_signals(world, early, 1, text="Vroeg")
    auth.login(PROJECTLEIDER)
    url = f"/regios/{world.region.id}/signalen"
    page = client.get(url, query_string={"status": "besluit_genomen"}).get_data(as_text=True)
    assert "Vroeg 0" in page  # recorded today, for a meeting planned two weeks ahead
