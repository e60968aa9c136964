"""Protocols, planning and the guided meeting (issue #4, the parts built so far)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from facilitator.actions.models import ActionItem
from facilitator.cases.models import Case, CaseStatus
from facilitator.extensions import db
from facilitator.meetings import run
from facilitator.meetings.models import (
    BuildingBlockScore,
    FieldCorrection,
    FieldValue,
    Finding,
    Meeting,
    MeetingStatus,
)
from facilitator.users.models import Role
from tests.factories import IDENTITY, make_meeting
from tests.helpers import csrf_token, post_form

ROOT = Path(__file__).resolve().parent.parent


def meeting(meeting_id: int) -> Meeting:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id)


def test_every_shipped_protocol_passes_the_check(runner):
    result = runner.invoke(args=["protocols", "check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("OK ") and " stappen)" in line for line in lines)


def test_broken_protocol_files_are_named_with_path_and_reason(runner, tmp_path):
    (tmp_path / "syntax.toml").write_text('id = "x"\nversion = \n', encoding="utf-8")
    (tmp_path / "schema.toml").write_text(
        'id = "kapot"\nversion = "1.0"\ntitle = "T"\nsummary = "S"\nsource = "B"\n'
        'duration_minutes = 60\nonbekend = 1\n[[steps]]\nkey = "a"\ntitle = "A"\n'
        'scope = "meeting"\nminutes = 5\nguidance = "G"\n[[steps.fields]]\nkey = "f"\n'
        'type = "tekst"\nlabel = "F"\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["protocols", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'syntax.toml'}: line 2, column" in result.output
    assert f"{tmp_path / 'schema.toml'}: steps[0].fields[0].type:" in result.output
    assert f"{tmp_path / 'schema.toml'}: onbekend:" in result.output


def test_invalid_protocols_are_listed_for_the_beheerder_not_crashed_on(make_app, tmp_path):
    (tmp_path / "kapot.toml").write_text("id = [", encoding="utf-8")
    app = make_app(PROTOCOL_DIRECTORY=str(tmp_path))
    with app.app_context():
        from facilitator.protocols.loader import protocols

        assert "kapot.toml" in protocols().invalid
        assert protocols().valid == {}


def test_procesbegeleider_plans_a_meeting_with_a_snapshot_of_the_protocol(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    response = post_form(
        client,
        f"/groepen/{world.group.id}/bijeenkomsten/nieuw",
        {
            "date": (date.today() + timedelta(days=7)).isoformat(),
            "time": "14:00",
            "location": "Stadskantoor",
            "protocol_id": "opvolging",
        },
    )
    assert response.status_code == 302
    planned = db.session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()
    assert planned.status == MeetingStatus.GEPLAND
    source = (ROOT / "protocols" / "opvolging.toml").read_bytes()
    assert planned.protocol_id == "opvolging"
    assert planned.protocol_hash == hashlib.sha256(source).hexdigest()
    assert planned.protocol_source == source.decode()  # kept whole: a later edit changes nothing
    amsterdam = datetime.combine(
        date.today() + timedelta(days=7), time(14, 0), tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    assert planned.scheduled_at == amsterdam.astimezone(UTC)


def test_a_case_whose_consent_ended_cannot_go_on_the_agenda(app, world):
    from facilitator.exceptions import ServiceError
    from facilitator.meetings import planning

    consent = db.session.get(Case, world.consent_case.id).consents[-1]
    consent.given_on = date.today() - timedelta(days=400)
    consent.valid_until = date.today() - timedelta(days=1)
    db.session.commit()
    planned = make_meeting(world.group, world.users[Role.PROCESBEGELEIDER], [], start=False)
    with pytest.raises(ServiceError):
        planning.add_to_agenda(
            planned,
            db.get_or_404(Case, world.consent_case.id),
            actor=world.users[Role.PROCESBEGELEIDER],
        )


def test_the_meeting_page_warns_when_the_agenda_does_not_fit(client, auth, world):
    from facilitator.meetings.planning import agenda_minutes

    m = meeting(world.meeting.id)
    needed = agenda_minutes(m)
    assert needed == m.protocol.fixed_minutes() + 2 * m.protocol.minutes_per_case()
    m.duration_minutes = needed - 1
    db.session.commit()
    auth.login("procesbegeleider@noord.example")
    page = client.get(f"/bijeenkomsten/{world.meeting.id}").get_data(as_text=True)
    assert f"{needed} minuten nodig; de bijeenkomst duurt {needed - 1} minuten" in page
    meeting(world.meeting.id).duration_minutes = needed
    db.session.commit()
    page = client.get(f"/bijeenkomsten/{world.meeting.id}").get_data(as_text=True)
    assert "minuten nodig" not in page


def _first_text_field(m: Meeting):
    for step in run.rail(m):
        for f in step.step.fields:
            if f.type.value in ("text", "shorttext"):
                return step, f
    raise AssertionError("protocol has no text field")


def save(client, meeting_id, ref, key, value, version, **extra):
    token = csrf_token(client, f"/bijeenkomsten/{meeting_id}/leiden?stap={ref}")
    return client.post(
        f"/bijeenkomsten/{meeting_id}/veld",
        data={
            "csrf_token": token,
            "ref": ref,
            "key": key,
            "value": value,
            "version": version,
            **extra,
        },
        headers={"X-Requested-With": "fetch"},
    )


def test_autosave_keeps_versions_and_reports_a_conflict(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    step, f = _first_text_field(meeting(world.meeting.id))
    first = save(client, world.meeting.id, step.ref, f.key, "Eerste versie", 0)
    assert first.status_code == 200
    assert first.get_json() == {"status": "saved", "version": 1, "step_state": "done"}
    second = save(client, world.meeting.id, step.ref, f.key, "Tweede versie", 1)
    assert second.get_json()["version"] == 2
    stale = save(client, world.meeting.id, step.ref, f.key, "Oude tab", 1)
    assert stale.status_code == 409
    assert stale.get_json()["value"] == "Tweede versie"
    stored = db.session.scalar(select(FieldValue).where(FieldValue.field_key == f.key))
    assert stored.value == "Tweede versie"  # nothing overwritten silently
    page = client.get(f"/bijeenkomsten/{world.meeting.id}/leiden?stap={step.ref}")
    assert "Tweede versie" in page.get_data(as_text=True)  # a reload shows what was saved


def test_autosave_refuses_identity_and_asks_to_confirm_contact_details(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    step, f = _first_text_field(meeting(world.meeting.id))
    refused = save(client, world.meeting.id, step.ref, f.key, "BSN 123456782 bekend", 0)
    assert refused.status_code == 422 and refused.get_json()["confirm"] is False
    ask = save(client, world.meeting.id, step.ref, f.key, "mail info@werk.example", 0)
    assert ask.status_code == 422 and ask.get_json()["confirm"] is True
    ok = save(
        client,
        world.meeting.id,
        step.ref,
        f.key,
        "mail info@werk.example",
        0,
        personal_data_confirmed="y",
    )
    assert ok.status_code == 200


def test_the_form_works_without_javascript(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    step, f = _first_text_field(meeting(world.meeting.id))
    response = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/veld",
        {"ref": step.ref, "key": f.key, "value": "Zonder script", "version": 0},
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )
    assert response.status_code == 302
    assert "stap=" in response.headers["Location"]
    stored = db.session.scalar(select(FieldValue).where(FieldValue.field_key == f.key))
    assert stored.value == "Zonder script" and stored.version == 1


def test_steps_keep_their_start_time_across_reloads(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    steps = run.rail(meeting(world.meeting.id))
    post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/stap",
        {"ref": steps[1].ref},
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )
    started = run.step_started_at(meeting(world.meeting.id), steps[1].ref)
    assert started is not None
    client.get(f"/bijeenkomsten/{world.meeting.id}/leiden?stap={steps[1].ref}")
    post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/stap",
        {"ref": steps[1].ref},
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )
    assert run.step_started_at(meeting(world.meeting.id), steps[1].ref) == started
    assert meeting(world.meeting.id).current_step == steps[1].ref


def test_presentation_shows_the_step_and_pseudonym_never_identity(client, auth, world):
    auth.login("deelnemer@noord.example")
    m = meeting(world.meeting.id)
    consent_step = next(s for s in run.rail(m) if s.case and s.case.id == world.consent_case.id)
    m.current_step = consent_step.ref
    db.session.commit()
    state = client.get(f"/bijeenkomsten/{world.meeting.id}/presentatie.json").get_json()
    assert state["pseudonym"] == world.consent_case.pseudonym
    page = client.get(f"/bijeenkomsten/{world.meeting.id}/presentatie").get_data(as_text=True)
    for text in (state, page):
        assert IDENTITY.full_name not in str(text) and IDENTITY.bsn not in str(text)


def test_closing_needs_the_required_fields_then_locks_the_meeting(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    url = f"/bijeenkomsten/{world.meeting.id}/afsluiten"
    post_form(client, url, token_from=f"/bijeenkomsten/{world.meeting.id}/leiden")
    assert meeting(world.meeting.id).status == MeetingStatus.LOPEND
    assert run.missing_required(meeting(world.meeting.id))
    _fill_required(world)
    assert run.missing_required(meeting(world.meeting.id)) == []
    post_form(client, url, token_from=f"/bijeenkomsten/{world.meeting.id}/leiden")
    closed = meeting(world.meeting.id)
    assert closed.status == MeetingStatus.AFGEROND
    assert db.session.get(Case, world.fictional_case.id).status == CaseStatus.BESPROKEN
    step, f = _first_text_field(closed)
    no_reason = save(client, world.meeting.id, step.ref, f.key, "Later aangevuld", 0)
    assert no_reason.status_code == 422
    corrected = save(
        client,
        world.meeting.id,
        step.ref,
        f.key,
        "Later aangevuld",
        0,
        reason="Aangevuld na de bijeenkomst",
    )
    assert corrected.status_code == 200
    first_edit = save(client, world.meeting.id, step.ref, f.key, "Nog eens", 1, reason="Typefout")
    assert first_edit.status_code == 200
    corrections = db.session.scalars(select(FieldCorrection).order_by(FieldCorrection.id)).all()
    assert [(c.old_value, c.reason) for c in corrections] == [
        ("", "Aangevuld na de bijeenkomst"),
        ("Later aangevuld", "Typefout"),
    ]
    # held meetings are read, not changed: no attendance change, no step moves
    post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/aanwezigheid",
        {"rows-0-user_id": world.users[Role.PROCESBEGELEIDER].id, "rows-0-status": "afwezig"},
        token_from=f"/bijeenkomsten/{world.meeting.id}",
    )
    assert run.missing_required(meeting(world.meeting.id)) == []
    current = meeting(world.meeting.id).current_step
    post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/stap",
        {"ref": step.ref},
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )
    assert meeting(world.meeting.id).current_step == current


def _fill_required(world) -> None:
    from facilitator.meetings import planning, records

    m = meeting(world.meeting.id)
    leader = world.users[Role.PROCESBEGELEIDER]
    planning.set_attendance(m, leader, "aanwezig", actor=leader)
    for step in run.rail(m):
        if step.case is not None and any(f.type.value == "regievoerder" for f in step.step.fields):
            records.assign_regievoerder(m, step.case, world.users[Role.DEELNEMER], actor=leader)
    records.save_building_blocks(
        m,
        {
            key: 4
            for key in (
                "kennen",
                "begrijpen",
                "waarderen",
                "vertrouwen",
                "samenwerken",
                "doelen_realiseren",
            )
        },
        went_well="Goede inbreng van UWV",
        could_be_better="Tijd bewaken",
        actor=leader,
    )
    db.session.commit()
    assert db.session.get(BuildingBlockScore, m.id).kennen == 4


def test_meetings_list_command(runner, world):
    lines = runner.invoke(args=["meetings", "list", "--group", "Casusgroep Noord"]).output
    rows = [line.split("\t") for line in lines.splitlines()]
    assert rows[0] == ["id", "group", "date", "status", "protocol", "host", "notulist"]
    assert rows[1][0] == str(world.meeting.id)
    assert rows[1][3] == "lopend" and rows[1][4] == "casusgroep-samenwerking v1.2"


PROTOCOLS = ["casusgroep-samenwerking", "kandidaat-perspectief", "opvolging", "klantreis"]


@pytest.mark.parametrize("protocol_id", PROTOCOLS)
def test_a_meeting_runs_through_every_step_of_each_protocol_and_closes(
    client, auth, world, protocol_id
):
    """Plan, fill the agenda, start, answer every field of every step over HTTP, close."""
    auth.login("procesbegeleider@noord.example")
    response = post_form(
        client,
        f"/groepen/{world.group.id}/bijeenkomsten/nieuw",
        {"date": date.today().isoformat(), "time": "10:00", "protocol_id": protocol_id},
    )
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    detail = f"/bijeenkomsten/{meeting_id}"
    for case_id in (world.fictional_case.id, world.consent_case.id):
        post_form(client, f"{detail}/agenda", {"case_id": case_id}, token_from=detail)
    post_form(
        client,
        f"{detail}/aanwezigheid",
        {"rows-0-user_id": world.users[Role.PROCESBEGELEIDER].id, "rows-0-status": "aanwezig"},
        token_from=detail,
    )
    assert post_form(client, f"{detail}/starten", token_from=detail).status_code == 302
    steps = run.rail(meeting(meeting_id))
    assert len(steps) == len(meeting(meeting_id).protocol.steps) + len(
        meeting(meeting_id).protocol.case_steps
    )  # two cases on the agenda
    screen = f"{detail}/leiden"
    for step in steps:
        post_form(client, f"{detail}/stap", {"ref": step.ref}, token_from=screen)
        page = client.get(f"{screen}?stap={step.ref}")
        assert page.status_code == 200
        assert step.step.title in page.get_data(as_text=True)
        for f in step.step.fields:
            _answer_over_http(client, detail, step, f, world)
    assert run.missing_required(meeting(meeting_id)) == []
    post_form(client, f"{detail}/afsluiten", token_from=screen)
    assert meeting(meeting_id).status == MeetingStatus.AFGEROND


def _answer_over_http(client, detail, step, f, world) -> None:
    screen = f"{detail}/leiden?stap={step.ref}"
    kind = f.type.value
    if kind in ("text", "shorttext", "choice", "checklist", "rating"):
        value = {
            "text": "Samenwerking loopt via de cliënt.",
            "shorttext": "Wie neemt regie?",
            "choice": f.options[0] if f.options else "",
            "checklist": "\n".join(f.options[:2]),
            "rating": "4",
        }[kind]
        response = save(client, detail.rsplit("/", 1)[1], step.ref, f.key, value, 0)
        assert response.status_code == 200, response.get_json()
        return
    data = {"ref": step.ref}
    if kind == "findings":
        data |= {"kind": "kans", "level": "beleid_organisatie", "text": "Vast overleg helpt."}
        url = f"{detail}/bevindingen"
    elif kind == "actions":
        data |= {
            "description": "Driegesprek plannen",
            "owner_id": f"user:{world.users[Role.DEELNEMER].id}",
            "due_on": (date.today() + timedelta(days=14)).isoformat(),
        }
        url = f"{detail}/acties"
    elif kind == "regievoerder" and step.case is not None:
        data |= {"person": f"user:{world.users[Role.DEELNEMER].id}"}
        url = f"{detail}/regievoerder"
    elif kind == "building_blocks":
        data |= {
            key: "4"
            for key in (
                "kennen",
                "begrijpen",
                "waarderen",
                "vertrouwen",
                "samenwerken",
                "doelen_realiseren",
            )
        }
        url = f"{detail}/bouwstenen"
    else:  # attendance, review_actions, consent_check: shown on the page, nothing to post
        return
    response = post_form(client, url, data, token_from=screen)
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert "stap=" in response.headers["Location"]
    if kind in ("findings", "actions"):
        model = Finding if kind == "findings" else ActionItem
        assert db.session.scalars(select(model).where(model.step_ref == step.ref)).first()


def test_the_demo_region_has_held_meetings_with_records_and_a_planned_one(runner, app):
    from facilitator.cases.models import RegievoerderAssignment
    from facilitator.meetings.models import Finding

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    statuses = [m.status for m in db.session.scalars(select(Meeting))]
    assert statuses.count(MeetingStatus.AFGEROND) >= 2
    assert MeetingStatus.GEPLAND in statuses
    assert db.session.scalars(select(Finding)).first() is not None
    assert db.session.scalars(select(ActionItem)).first() is not None
    assert db.session.scalars(select(RegievoerderAssignment)).first() is not None
    assert db.session.scalars(select(BuildingBlockScore)).first() is not None


def test_option_labels_are_translated_per_request(client, auth, world):
    """Choices built at import time would freeze the labels in English."""
    auth.login("procesbegeleider@noord.example")
    detail = client.get(f"/bijeenkomsten/{world.meeting.id}").get_data(as_text=True)
    assert ">Aanwezig</option>" in detail and ">Present</option>" not in detail
    case_step = next(
        s
        for s in run.rail(meeting(world.meeting.id))
        if s.case is not None and any(f.type.value == "findings" for f in s.step.fields)
    )
    screen = client.get(f"/bijeenkomsten/{world.meeting.id}/leiden?stap={case_step.ref}")
    assert ">Knelpunt</option>" in screen.get_data(as_text=True)


def test_an_expired_session_answers_autosave_with_json_not_a_login_page(client, auth, world):
    import time

    from facilitator.auth.sessions import LAST_SEEN

    auth.login("procesbegeleider@noord.example")
    step, f = _first_text_field(meeting(world.meeting.id))
    token = csrf_token(client, f"/bijeenkomsten/{world.meeting.id}/leiden")
    with client.session_transaction() as session:
        session[LAST_SEEN] = time.time() - 31 * 60
    response = client.post(
        f"/bijeenkomsten/{world.meeting.id}/veld",
        data={
            "csrf_token": token,
            "ref": step.ref,
            "key": f.key,
            "value": "x",
            "version": 0,
        },
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 401
    assert response.get_json()["status"] == "login"


def test_without_javascript_a_refused_text_comes_back_unsaved_and_out_of_the_cookie(
    client, auth, world
):
    auth.login("procesbegeleider@noord.example")
    step, f = _first_text_field(meeting(world.meeting.id))
    typed = "Cliënt belt via 06-12345678 voor een afspraak."
    response = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/veld",
        {"ref": step.ref, "key": f.key, "value": typed, "version": 0},
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert typed in body  # nothing typed is lost
    assert "06-12345678" in body
    with client.session_transaction() as session:
        assert "06-12345678" not in str(dict(session))
    assert db.session.scalars(select(FieldValue)).first() is None


def test_inside_the_scope_the_clients_name_is_refused_in_case_and_meeting_steps(
    client, auth, world
):
    consent = db.session.get(Case, world.consent_case.id).consents[-1]
    consent.organisations.append(world.gemeente)  # the procesbegeleider's organisation
    db.session.commit()
    auth.login("procesbegeleider@noord.example")
    m = meeting(world.meeting.id)
    case_step = next(
        s
        for s in run.rail(m)
        if s.case
        and s.case.id == world.consent_case.id
        and any(f.type.value == "text" for f in s.step.fields)
    )
    meeting_step = next(
        s
        for s in run.rail(m)
        if s.case is None and any(f.type.value == "text" for f in s.step.fields)
    )
    for step in (case_step, meeting_step):
        key = next(f.key for f in step.step.fields if f.type.value == "text")
        response = save(client, world.meeting.id, step.ref, key, "Voorbeeldt zoekt werk", 0)
        assert response.status_code == 422, step.ref
        assert response.get_json()["confirm"] is False


def test_without_javascript_a_conflict_keeps_both_texts(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    step, f = _first_text_field(meeting(world.meeting.id))
    save(client, world.meeting.id, step.ref, f.key, "Tekst van de ander", 0)
    response = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/veld",
        {"ref": step.ref, "key": f.key, "value": "Mijn eigen tekst", "version": 0},
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Mijn eigen tekst" in body and "Tekst van de ander" in body


def test_a_refused_action_comes_back_with_what_was_typed(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    step = next(
        s
        for s in run.rail(meeting(world.meeting.id))
        if any(f.type.value == "actions" for f in s.step.fields)
    )
    response = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/acties",
        {
            "ref": step.ref,
            "description": "Werkgever bellen over proefplaatsing",
            "owner_id": f"user:{world.users[Role.DEELNEMER].id}",
            "due_on": (date.today() - timedelta(days=30)).isoformat(),
        },
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )
    assert response.status_code == 422
    assert "Werkgever bellen over proefplaatsing" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/bijeenkomsten/99999999999999999999",
        "/bijeenkomsten/99999999999999999999/presentatie.json",
        "/casussen/99999999999999999999",
    ],
)
def test_huge_ids_in_urls_are_not_found(client, auth, world, url):
    auth.login("procesbegeleider@noord.example")
    assert client.get(url).status_code == 404


def test_odd_versions_and_dates_are_refused_without_a_server_error(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    step, f = _first_text_field(meeting(world.meeting.id))
    save(client, world.meeting.id, step.ref, f.key, "Eerste", 0)
    assert save(client, world.meeting.id, step.ref, f.key, "x", 10**20).status_code == 400
    plan = post_form(
        client,
        f"/groepen/{world.group.id}/bijeenkomsten/nieuw",
        {"date": "0001-01-01", "time": "00:00", "protocol_id": "opvolging"},
    )
    assert plan.status_code == 200
    assert "2000" in plan.get_data(as_text=True)


def test_case_fields_are_refused_in_a_step_held_once_per_meeting():
    from pydantic import ValidationError

    from facilitator.protocols.schema import Protocol

    data = {
        "id": "x",
        "version": "1",
        "title": "T",
        "summary": "S",
        "source": "B",
        "duration_minutes": 60,
        "steps": [
            {
                "key": "a",
                "title": "A",
                "scope": "meeting",
                "minutes": 5,
                "guidance": "G",
                "fields": [{"key": "r", "type": "regievoerder", "label": "R"}],
            }
        ],
    }
    with pytest.raises(ValidationError, match="belong in a case step"):
        Protocol.model_validate(data)


def test_starting_a_meeting_with_nothing_to_run_is_refused(app, world):
    from facilitator.exceptions import ServiceError

    case_only = (
        'id = "alleen-casus"\nversion = "1"\ntitle = "T"\nsummary = "S"\nsource = "B"\n'
        'duration_minutes = 30\n[[steps]]\nkey = "c"\ntitle = "C"\nscope = "case"\n'
        'minutes = 10\nguidance = "G"\n'
    )
    planned = make_meeting(world.group, world.users[Role.PROCESBEGELEIDER], [], start=False)
    planned.protocol_source = case_only
    db.session.commit()
    with pytest.raises(ServiceError):
        run.start_meeting(meeting(planned.id), actor=world.users[Role.PROCESBEGELEIDER])


def test_organisations_present_are_recorded_per_case(client, auth, world):
    from facilitator.meetings.models import AgendaItem

    auth.login("procesbegeleider@noord.example")
    item = meeting(world.meeting.id).agenda[0]
    url = f"/bijeenkomsten/{world.meeting.id}/agenda/{item.id}/aanwezig"
    response = post_form(
        client,
        url,
        {"organisations": [world.ggz.id, world.gemeente.id]},
        token_from=f"/bijeenkomsten/{world.meeting.id}",
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(AgendaItem, item.id)
    assert {o.id for o in saved.present_organisations} == {world.ggz.id, world.gemeente.id}
    page = client.get(f"/bijeenkomsten/{world.meeting.id}").get_data(as_text=True)
    assert "Organisaties aan tafel: GGZ Noord, Gemeente Noord" in page
    foreign = post_form(
        client,
        url,
        {"organisations": [world.other_org.id]},
        token_from=f"/bijeenkomsten/{world.meeting.id}",
    )
    assert foreign.status_code == 302
    db.session.expire_all()
    assert {o.id for o in db.session.get(AgendaItem, item.id).present_organisations} == {
        world.ggz.id,
        world.gemeente.id,
    }  # an organisation of another region changes nothing


def test_a_finding_of_another_meeting_cannot_be_removed_through_this_one(client, auth, world):
    from facilitator.audit.models import AuditEvent
    from facilitator.meetings.models import Finding

    leader = world.users[Role.PROCESBEGELEIDER]
    finding_id = world.finding.id
    other = make_meeting(world.group, leader, [world.fictional_case])
    auth.login("procesbegeleider@noord.example")
    response = post_form(
        client,
        f"/bijeenkomsten/{other.id}/bevindingen/{finding_id}/verwijderen",
        token_from=f"/bijeenkomsten/{other.id}/leiden",
    )
    assert response.status_code == 403
    assert db.session.get(Finding, finding_id) is not None
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).one()
    assert denial.check_result == "not_of_this_meeting"
    removed = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/bevindingen/{finding_id}/verwijderen",
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )
    assert removed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Finding, finding_id) is None
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == "findings_removed"))
        .one()
        .user_id
        == leader.id
    )


def test_a_planned_meeting_can_be_moved_and_a_running_one_not(client, auth, world):
    leader = world.users[Role.PROCESBEGELEIDER]
    planned = make_meeting(world.group, leader, [], start=False)
    auth.login("procesbegeleider@noord.example")
    day = date.today() + timedelta(days=21)
    response = post_form(
        client,
        f"/bijeenkomsten/{planned.id}/bewerken",
        {
            "date": day.isoformat(),
            "time": "09:30",
            "duration_minutes": 75,
            "location": "Wijkcentrum De Brug",
        },
    )
    assert response.status_code == 302
    moved = meeting(planned.id)
    expected = datetime.combine(day, time(9, 30), tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert moved.scheduled_at == expected.astimezone(UTC)
    assert (moved.duration_minutes, moved.location) == (75, "Wijkcentrum De Brug")
    running = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/bewerken",
        {"date": day.isoformat(), "time": "09:30", "location": "Elders"},
    )
    assert running.status_code == 200
    assert meeting(world.meeting.id).location != "Elders"
