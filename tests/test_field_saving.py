"""Every field type saves through the plain form, and "saved" is said only when it was
(issue 8, "Nothing typed is lost"). The browser side is in tests/e2e/test_nothing_lost.py."""

from __future__ import annotations

import json

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from facilitator.extensions import db
from facilitator.meetings import run
from facilitator.meetings.models import FieldValue, Meeting
from facilitator.users.models import Role
from tests.factories import make_meeting
from tests.helpers import csrf_token

LEADER = "procesbegeleider@noord.example"
PROTOCOLS = ("casusgroep-samenwerking", "kandidaat-perspectief", "opvolging", "klantreis")


def _field_of_type(meeting_id: int, kind: str):
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    for step in run.rail(meeting):
        for field in step.step.fields:
            if field.type.value == kind:
                return step, field
    raise AssertionError(f"no {kind} field in the protocol")


def _post(client, meeting_id, ref, key, values, version=0, *, script=False, **extra):
    """Post the field's form as the browser does: ``values`` as repeated "value" entries."""
    screen = f"/bijeenkomsten/{meeting_id}/leiden?stap={ref}"
    data = [
        ("csrf_token", csrf_token(client, screen)),
        ("ref", ref),
        ("key", key),
        ("version", str(version)),
        *(("value", value) for value in values),
        *extra.items(),
    ]
    headers = {"X-Requested-With": "fetch"} if script else {}
    return client.post(f"/bijeenkomsten/{meeting_id}/veld", data=MultiDict(data), headers=headers)


def _stored(key: str) -> FieldValue | None:
    db.session.expire_all()
    return db.session.scalar(select(FieldValue).where(FieldValue.field_key == key))


def test_a_checklist_saves_its_ticked_boxes_without_javascript(client, auth, world):
    auth.login(LEADER)
    step, field = _field_of_type(world.meeting.id, "checklist")
    chosen = [field.options[2], field.options[0]]
    response = _post(client, world.meeting.id, step.ref, field.key, chosen)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"stap={step.ref}")
    assert json.loads(_stored(field.key).value) == [field.options[0], field.options[2]]

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Opgeslagen." in page
    for index, option in enumerate(field.options, start=1):
        box = f'id="f-{field.key}-{index}" name="value" value="{option}"'
        assert box in page, "each checkbox is the field itself"
        assert (f"{box} checked" in page) == (option in chosen)


def test_unticking_every_box_saves_an_empty_checklist(client, auth, world):
    auth.login(LEADER)
    step, field = _field_of_type(world.meeting.id, "checklist")
    _post(client, world.meeting.id, step.ref, field.key, field.options[:2])
    response = _post(client, world.meeting.id, step.ref, field.key, [], version=1)
    assert response.status_code == 302
    stored = _stored(field.key)
    assert stored.value == "[]" and stored.version == 2


def test_the_autosave_script_posts_a_checklist_the_same_way(client, auth, world):
    auth.login(LEADER)
    step, field = _field_of_type(world.meeting.id, "checklist")
    response = _post(client, world.meeting.id, step.ref, field.key, [field.options[1]], script=True)
    assert response.status_code == 200
    assert response.get_json()["status"] == "saved"
    assert json.loads(_stored(field.key).value) == [field.options[1]]


def test_an_option_not_offered_is_refused_and_nothing_is_said_to_be_saved(client, auth, world):
    auth.login(LEADER)
    step, field = _field_of_type(world.meeting.id, "checklist")
    response = _post(client, world.meeting.id, step.ref, field.key, [field.options[0], "Verzonnen"])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies alleen uit de opties." in page
    assert "Opgeslagen." not in page
    # What was ticked comes back ticked, unsaved.
    assert f'value="{field.options[0]}" checked' in page
    assert _stored(field.key) is None


def test_a_text_field_takes_one_value(client, auth, world):
    auth.login(LEADER)
    step, field = _field_of_type(world.meeting.id, "text")
    response = _post(client, world.meeting.id, step.ref, field.key, ["een", "twee"], script=True)
    assert response.status_code == 422
    assert response.get_json()["message"] == "Dit veld neemt één antwoord."
    assert _stored(field.key) is None


def test_without_javascript_a_refused_text_comes_back_as_typed_not_as_saved(client, auth, world):
    auth.login(LEADER)
    step, field = _field_of_type(world.meeting.id, "text")
    typed = "Regel een\nregel twee \x1b met een stuurteken"
    response = _post(client, world.meeting.id, step.ref, field.key, [typed])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Opgeslagen." not in page
    assert "tekens die niet zijn toegestaan" in page
    assert "Regel een\nregel twee" in page  # put back in the field, not lost
    assert _stored(field.key) is None


def test_every_value_field_type_saves_through_the_plain_form(client, auth, world):
    """Text, short text, choice, rating and checklist: each saved without the script."""
    auth.login(LEADER)
    leader = world.users[Role.PROCESBEGELEIDER]
    answers = {
        "text": lambda f: ["Lang antwoord"],
        "shorttext": lambda f: ["Kort antwoord"],
        "choice": lambda f: f.options[:1],
        "rating": lambda f: ["4"],
        "checklist": lambda f: f.options[:2],
    }
    seen = set()
    for protocol_id in (
        "casusgroep-samenwerking",
        "kandidaat-perspectief",
        "opvolging",
        "klantreis",
    ):
        meeting = make_meeting(world.group, leader, [world.fictional_case], protocol_id=protocol_id)
        for step in run.rail(meeting):
            for field in step.step.fields:
                kind = field.type.value
                if kind not in answers:
                    continue
                values = answers[kind](field)
                response = _post(client, meeting.id, step.ref, field.key, values)
                assert response.status_code == 302, (kind, response.get_data(as_text=True)[-800:])
                row = db.session.scalar(
                    select(FieldValue).where(
                        FieldValue.meeting_id == meeting.id,
                        FieldValue.step_ref == step.ref,
                        FieldValue.field_key == field.key,
                    )
                )
                stored = (
                    json.dumps(values, ensure_ascii=False) if kind == "checklist" else values[0]
                )
                assert row is not None and row.value == stored, kind
                seen.add(kind)
    assert seen == set(answers)
