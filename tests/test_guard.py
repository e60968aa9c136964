"""The one guard on stored free text (SECURITY.md P3, P6, P7, P8; commit b3d50d6).

Text is read as a person sees it: invisible characters, look-alike digits and odd separators
hide nothing. The identities of every case in the user's consent scope are kept out of the
group's texts, and nobody outside that scope learns anything from the guard or from the
duplicate check. Functional tests post through the screens with CSRF on; the rest goes through
the services.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent
from facilitator.cases.models import Case, PrivacyMode
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import CaseGroup, GroupRole
from facilitator.meetings import run
from facilitator.meetings.models import FieldValue, Finding, Meeting
from facilitator.privacy import guard
from facilitator.privacy.identity import IdentityData, read_identity
from facilitator.privacy.models import (
    CaseIdentity,
    ConsentStatus,
    PersonalDataConfirmation,
    PossibleDuplicate,
)
from facilitator.privacy.normalise import BIDI_CONTROLS
from facilitator.privacy.services import withdraw_consent
from facilitator.regions.models import OrganisationKind
from facilitator.users.models import Role, User
from tests.factories import (
    IDENTITY,
    OTHER_IDENTITY,
    consent_for,
    make_case,
    make_group,
    make_organisation,
    make_user,
)
from tests.helpers import csrf_token, post_form

#: The example client of the brief: a hyphenated name and a client number with punctuation.
HYPHENATED = IdentityData(
    full_name="Jan-Willem Voorbeeldt",
    birth_date=date(1979, 5, 14),
    client_number="W&I-20931",
)
#: A valid BSN (elfproef) that no case of the world holds: only the generic pattern finds it.
STRANGER_BSN = "111222333"


# --- helpers ----------------------------------------------------------------------------------


def reload_case(case_id: int) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case_id)


def audit_rows(event_type: str, user: User | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.event_type == event_type)
    if user is not None:
        query = query.where(AuditEvent.user_id == user.id)
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def case_count() -> int:
    return db.session.scalar(select(func.count(Case.id)))


def field_value(meeting_id: int, ref: str, key: str) -> FieldValue | None:
    db.session.expire_all()
    return db.session.scalar(
        select(FieldValue).where(
            FieldValue.meeting_id == meeting_id,
            FieldValue.step_ref == ref,
            FieldValue.field_key == key,
        )
    )


def autosave(client, meeting_id: int, ref: str, key: str, value: str, version: int, **extra):
    """Save one field the way the facilitation screen's script does."""
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


def go_to_step(client, meeting_id: int, ref: str):
    screen = f"/bijeenkomsten/{meeting_id}/leiden"
    return post_form(client, f"/bijeenkomsten/{meeting_id}/stap", {"ref": ref}, token_from=screen)


def meeting_text_field(meeting_id: int) -> tuple[str, str]:
    """A text field of a step held once per meeting (group level, about no case)."""
    db.session.expire_all()
    m = db.session.get(Meeting, meeting_id)
    for step in run.rail(m):
        if step.case is None:
            for f in step.step.fields:
                if f.type.value == "text":
                    return step.ref, f.key
    raise AssertionError("the protocol has no text field in a meeting step")


def case_text_field(meeting_id: int, case_id: int) -> tuple[str, str]:
    db.session.expire_all()
    m = db.session.get(Meeting, meeting_id)
    for step in run.rail(m):
        if step.case is not None and step.case.id == case_id:
            for f in step.step.fields:
                if f.type.value == "text":
                    return step.ref, f.key
    raise AssertionError("the protocol has no text field in a case step")


def findings_step(meeting_id: int, case_id: int) -> str:
    db.session.expire_all()
    m = db.session.get(Meeting, meeting_id)
    return next(
        s.ref
        for s in run.rail(m)
        if s.case is not None
        and s.case.id == case_id
        and any(f.type.value == "findings" for f in s.step.fields)
    )


def edit_description(client, case_id: int, description: str, **extra):
    return post_form(
        client,
        f"/casussen/{case_id}/bewerken",
        {"description": description, "benefit": "ww", "ggz_treatment": "ja", **extra},
    )


def registration(
    group_id: int,
    organisation_id: int,
    identity: IdentityData | None = None,
    description: str = "Cliënt wil weer aan het werk; de reistijd is een probleem.",
    **extra,
) -> dict:
    data = {"description": description, "benefit": "wia", "ggz_treatment": "ja"}
    if identity is None:
        data["mode"] = "anoniem"
    else:
        data |= {
            "mode": "toestemming",
            "full_name": identity.full_name,
            "birth_date": identity.birth_date.isoformat(),
            "bsn": identity.bsn,
            "client_number": identity.client_number,
            "given_on": date.today().isoformat(),
            "organisations": str(organisation_id),
            "purposes": "Bespreking in de casusgroep",
            "evidence_reference": "Dossier, map toestemmingen",
        }
    return data | extra


@pytest.fixture
def ggz_leader(world) -> User:
    """A procesbegeleider of the group who works at GGZ Noord: inside the consent's scope."""
    leader = make_user(world.ggz, Role.PROCESBEGELEIDER, email="pb.ggz@noord.example")
    groups.add_member(
        db.session.get(CaseGroup, world.group.id), leader, GroupRole.PROCESBEGELEIDER, actor=None
    )
    db.session.commit()
    return leader


# --- 1. normalisation: what a person sees is what the guard reads ---------------------------

DISGUISED_BLOCKED = [
    pytest.param("BSN 1\u200b23456\u200b782 is bekend", "bsn", id="bsn-zero-width-spaces"),
    pytest.param("BSN 1234\u00ad5678\u00ad2 is bekend", "bsn", id="bsn-soft-hyphens"),
    pytest.param("BSN 12345\u20606782 is bekend", "bsn", id="bsn-word-joiner"),
    pytest.param("BSN 1\u200c2345\u200d6\ufeff782 is bekend", "bsn", id="bsn-zwnj-zwj-bom"),
    pytest.param("BSN １２３４５６７８２ is bekend", "bsn", id="bsn-fullwidth-digits"),
    pytest.param("BSN 𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟐 is bekend", "bsn", id="bsn-mathematical-bold-digits"),
    pytest.param("BSN ١٢٣٤٥٦٧٨٢ is bekend", "bsn", id="bsn-arabic-indic-digits"),
    pytest.param("BSN 123–456–782 is bekend", "bsn", id="bsn-en-dash-separators"),
    pytest.param("BSN 123•456•782 is bekend", "bsn", id="bsn-bullet-separators"),
    pytest.param("BSN 123_456_782 is bekend", "bsn", id="bsn-underscore-separators"),
    pytest.param("BSN 123\u00a0456\u00a0782 is bekend", "bsn", id="bsn-nbsp-separators"),
    pytest.param("IBAN NL91ABNA\u200d0417164300 van cliënt", "iban", id="iban-zero-width-joiner"),
    pytest.param("IBAN NL91\u00a0ABNA\u00a00417\u00a01643\u00a000 ok", "iban", id="iban-nbsp"),
]


#: The guard's Dutch message per kind (the JSON answer carries no kind of its own).
REFUSAL = {"bsn": "Dit lijkt op een BSN", "iban": "bankrekeningnummer (IBAN)"}


@pytest.mark.parametrize("text, kind", DISGUISED_BLOCKED)
def test_a_disguised_number_is_refused_by_the_autosave_and_nothing_is_stored(
    client, auth, world, text, kind
):
    auth.login("procesbegeleider@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    response = autosave(client, world.meeting.id, ref, key, text, 0)
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "personal_data"
    assert REFUSAL[kind] in body["message"]
    assert body["confirm"] is False  # refused outright: no tick lets it through
    assert body["fragments"] and all(fragment in text for fragment in body["fragments"])
    assert field_value(world.meeting.id, ref, key) is None
    # a confirmation does not let a refused kind through either
    again = autosave(client, world.meeting.id, ref, key, text, 0, personal_data_confirmed="y")
    assert again.status_code == 422
    assert field_value(world.meeting.id, ref, key) is None


@pytest.mark.parametrize(
    "filler",
    ["\u3164", "\uffa0", "\u115f", "\u1160"],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_a_bsn_spaced_with_invisible_hangul_fillers_is_refused(client, auth, world, filler):
    """A Hangul filler shows as a blank: the reader sees "123 456 782". It is a letter to
    Unicode (category Lo), so neither the Cf removal nor the separator rule touches it."""
    auth.login("procesbegeleider@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    text = f"BSN 123{filler}456{filler}782 is bekend"
    response = autosave(client, world.meeting.id, ref, key, text, 0)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["confirm"] is False
    assert field_value(world.meeting.id, ref, key) is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("BSN 1\u200b23456\u200b782 is bekend", id="zero-width-spaces"),
        pytest.param("BSN 𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟐 is bekend", id="mathematical-bold-digits"),
        pytest.param("BSN 123–456–782 is bekend", id="en-dash"),
    ],
)
def test_a_disguised_bsn_is_refused_in_a_case_description(client, auth, world, text):
    auth.login("procesbegeleider@noord.example")
    before = reload_case(world.fictional_case.id).description
    response = edit_description(client, world.fictional_case.id, text)
    assert response.status_code == 200  # the form comes back
    assert "BSN" in response.get_data(as_text=True)
    assert reload_case(world.fictional_case.id).description == before


def test_an_email_in_fullwidth_letters_needs_confirmation_and_the_confirmation_is_recorded(
    client, auth, world
):
    auth.login("procesbegeleider@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    text = "Afspraken via ｉｎｆｏ＠ｗｅｒｋｇｅｖｅｒ．ｅｘａｍｐｌｅ lopen goed."
    asked = autosave(client, world.meeting.id, ref, key, text, 0)
    assert asked.status_code == 422
    assert asked.get_json()["confirm"] is True
    assert asked.get_json()["fragments"] == ["ｉｎｆｏ＠ｗｅｒｋｇｅｖｅｒ．ｅｘａｍｐｌｅ"]
    assert field_value(world.meeting.id, ref, key) is None
    confirmed = autosave(client, world.meeting.id, ref, key, text, 0, personal_data_confirmed="y")
    assert confirmed.status_code == 200
    assert field_value(world.meeting.id, ref, key).value == text
    db.session.expire_all()
    [confirmation] = db.session.scalars(select(PersonalDataConfirmation)).all()
    assert confirmation.kinds == "email"
    assert confirmation.field == f"{ref}/{key}/value"
    assert confirmation.user_id == world.users[Role.PROCESBEGELEIDER].id
    assert "werkgever" not in confirmation.kinds + confirmation.field  # never the text


BIDI_TEXT = "Cliënt zegt: \u202e287654321 NSB\u202c en verder niets."
#: The form layer's refusal of such characters (R5), in Dutch.
NOT_ALLOWED = "Dit veld bevat tekens die niet zijn toegestaan."


def test_a_bidi_override_is_refused_by_the_autosave_and_nothing_is_stored(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    response = autosave(client, world.meeting.id, ref, key, BIDI_TEXT, 0)
    assert response.status_code == 400
    assert response.get_json()["status"] == "error"
    assert field_value(world.meeting.id, ref, key) is None
    confirmed = autosave(
        client, world.meeting.id, ref, key, BIDI_TEXT, 0, personal_data_confirmed="y"
    )
    assert confirmed.status_code == 400  # no tick makes a reordered text acceptable
    assert field_value(world.meeting.id, ref, key) is None


def test_the_autosave_says_why_a_bidi_override_is_refused(client, auth, world):
    """R5: a clear message. The script shows only the JSON message, so it must name the
    cause; a bare "could not be saved" leaves the user retyping the same text."""
    auth.login("procesbegeleider@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    message = autosave(client, world.meeting.id, ref, key, BIDI_TEXT, 0).get_json()["message"]
    assert message != "Het veld kon niet worden opgeslagen."
    assert "tekens" in message  # the form's "Dit veld bevat tekens die niet zijn toegestaan."


def test_a_bidi_override_is_refused_in_a_case_description_with_a_message(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    before = reload_case(world.fictional_case.id).description
    response = edit_description(client, world.fictional_case.id, BIDI_TEXT)
    assert response.status_code == 200
    assert NOT_ALLOWED in response.get_data(as_text=True)
    assert reload_case(world.fictional_case.id).description == before


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_the_guard_refuses_every_bidi_control_for_texts_that_skip_the_forms(app, control):
    """The import and the CLI store text without a form: the guard itself refuses."""
    with pytest.raises(ServiceError) as refused:
        guard.screen({"text": f"Cliënt {control}tekst\u202c"}, actor=None, on=None)
    assert not isinstance(refused.value, guard.PersonalDataError)
    assert refused.value.field == "text"


def test_the_guards_bidi_refusal_is_explained_in_dutch(app):
    """R5: the source text is English; the Dutch catalogue must have it."""
    with pytest.raises(ServiceError) as refused:
        guard.screen({"text": BIDI_TEXT}, actor=None, on=None)
    assert "change the order" not in str(refused.value.message)


IMPORT_HEADER = (
    "modus;organisatie;ingebracht_door;omschrijving;uitkering;ggz_behandeling;naam;"
    "geboortedatum;bsn;clientnummer;toestemming_datum;toestemming_tot;"
    "toestemming_organisaties;toestemming_bewijs"
)


@pytest.mark.parametrize(
    "description",
    [
        pytest.param("Cliënt met BSN 1\u200b23456\u200b782 zoekt werk", id="bsn-zero-width"),
        pytest.param("Cliënt met BSN １２３４５６７８２ zoekt werk", id="bsn-fullwidth"),
        pytest.param("Cliënt met BSN 123–456–782 zoekt werk", id="bsn-en-dash"),
        pytest.param(BIDI_TEXT, id="bidi-override"),
    ],
)
def test_the_import_refuses_a_disguised_bsn_or_bidi_override_naming_the_cell(
    runner, world, tmp_path, description
):
    """The import stores descriptions without a form; nothing of the value is printed."""
    row = f"fictief;GGZ Noord;deelnemer@noord.example;{description};ww;ja;;;;;;;;"
    path = tmp_path / "casussen.csv"
    path.write_text(f"{IMPORT_HEADER}\n{row}\n", encoding="utf-8")
    before = case_count()
    result = runner.invoke(args=["cases", "import", str(path), "--group", "Casusgroep Noord"])
    assert result.exit_code == 1
    assert "line 2, column omschrijving" in result.output, result.output
    assert description not in result.output
    for shown in ("123456782", "１２３４５６７８２", "123–456–782", "287654321"):
        assert shown not in result.output
    db.session.expire_all()
    assert case_count() == before


CLEAN_TEXTS = [
    pytest.param(
        "Team 👩\u200d💻👨\u200d👩\u200d👧 en 🏳️\u200d🌈 vieren de proefplaatsing 🎉",
        id="emoji-zwj-sequences",
    ),
    pytest.param(
        "Loon € 1.234,56 per maand, 12,5 uur per week (09:00-17:00), 80% en 3/4 dagen.",
        id="amounts-times-percentages",
    ),
    pytest.param("Afgesproken: 2 gesprekken – 1 op 12-03 en 1 op 19-03.", id="short-dates"),
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_text_with_emoji_and_amounts_is_saved_as_typed(client, auth, world, text):
    auth.login("procesbegeleider@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    response = autosave(client, world.meeting.id, ref, key, text, 0)
    assert response.status_code == 200, response.get_json()
    assert field_value(world.meeting.id, ref, key).value == text  # not normalised on the way
    edited = edit_description(client, world.fictional_case.id, text)
    assert edited.status_code == 302
    assert reload_case(world.fictional_case.id).description == text


# --- 2. identity values: names and client numbers as people write them ----------------------

IDENTITY_SPELLINGS = [
    "jan willem",
    "Jan-Willem",
    "VOORBEELDT",
    "Vöorbeeldt",
    "Voor\u200bbeeldt",
    "W&I 20931",
    "WI-20931",
    "w&i20931",
    "20931",
    "２０９３１",
    "14-05-1979",
    "14 mei 1979",
]


@pytest.mark.parametrize("spelling", IDENTITY_SPELLINGS)
def test_the_guard_refuses_an_identity_value_however_it_is_written(app, spelling):
    with pytest.raises(guard.PersonalDataError) as refused:
        guard.screen(
            {"text": f"Gesprek met {spelling} over een proefplaatsing."},
            actor=None,
            on=None,
            identity_values=HYPHENATED.values_for_scanning(),
        )
    assert refused.value.needs_confirmation is False
    assert {f.kind for f in refused.value.findings} == {"identity"}


@pytest.mark.parametrize("text", ["Gesprek met Janssen.", "Dossier 120931.", "Willemstad"])
def test_the_guard_does_not_take_a_longer_word_or_number_for_an_identity_value(app, text):
    guard.screen(
        {"text": text}, actor=None, on=None, identity_values=HYPHENATED.values_for_scanning()
    )


@pytest.fixture
def hyphenated_case(world) -> Case:
    """The world's consent withdrawn, and a case of the hyphenated client (scope: GGZ Noord)."""
    deelnemer = world.users[Role.DEELNEMER]
    withdraw_consent(reload_case(world.consent_case.id), actor=deelnemer)
    db.session.commit()
    return make_case(world.group, deelnemer, PrivacyMode.TOESTEMMING, identity=HYPHENATED)


@pytest.mark.parametrize("spelling", IDENTITY_SPELLINGS)
def test_a_member_in_scope_cannot_write_the_identity_into_another_cases_description(
    client, auth, world, hyphenated_case, spelling
):
    auth.login("deelnemer@noord.example")  # GGZ Noord, brought the fictitious case too
    before = reload_case(world.fictional_case.id).description
    response = edit_description(client, world.fictional_case.id, f"Gesprek met {spelling}.")
    assert response.status_code == 200
    assert reload_case(world.fictional_case.id).description == before
    [scan] = audit_rows("identity_scanned", world.users[Role.DEELNEMER])
    assert scan.case_pseudonym == hyphenated_case.pseudonym


# --- 3. scope: inside it everything is refused; outside it the guard reveals nothing --------

IDENTITY_IN_TEXT = [
    pytest.param("Meneer Voorbeeldt zoekt werk in de zorg.", id="name"),
    pytest.param("Cliënt, 07-03-1984, zoekt werk in de zorg.", id="birth-date"),
    pytest.param("Cliënt (bsn 123456782) zoekt werk.", id="bsn"),
    pytest.param("Cliënt 123.45.67.82 zoekt werk.", id="bsn-odd-grouping"),
    pytest.param("Cliënt CL 90812 zoekt werk in de zorg.", id="client-number"),
]
#: What a member outside the scope may write: nothing in it is personal data in itself.
ACCEPTED_OUTSIDE = [
    pytest.param("Meneer Voorbeeldt zoekt werk in de zorg.", id="name"),
    pytest.param("Cliënt, 07-03-1984, zoekt werk in de zorg.", id="birth-date"),
    pytest.param("Cliënt CL 90812 zoekt werk in de zorg.", id="client-number"),
]


@pytest.mark.parametrize("text", IDENTITY_IN_TEXT)
def test_a_member_in_scope_cannot_put_the_identity_into_a_new_case(client, auth, world, text):
    auth.login("deelnemer@noord.example")
    before = case_count()
    response = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        registration(world.group.id, world.ggz.id, description=text),
    )
    assert response.status_code == 200
    assert case_count() == before
    assert [e.case_pseudonym for e in audit_rows("identity_scanned")] == [
        world.consent_case.pseudonym
    ]


@pytest.mark.parametrize("text", IDENTITY_IN_TEXT)
def test_a_leader_in_scope_cannot_put_the_identity_into_a_meeting_step(
    client, auth, world, ggz_leader, text
):
    auth.login("pb.ggz@noord.example")
    for ref, key in (
        meeting_text_field(world.meeting.id),
        case_text_field(world.meeting.id, world.fictional_case.id),  # another case's step
    ):
        response = autosave(client, world.meeting.id, ref, key, text, 0)
        assert response.status_code == 422, ref
        assert response.get_json()["confirm"] is False
        assert field_value(world.meeting.id, ref, key) is None


@pytest.mark.parametrize("text", IDENTITY_IN_TEXT)
def test_a_leader_in_scope_cannot_put_the_identity_into_a_finding(
    client, auth, world, ggz_leader, text
):
    auth.login("pb.ggz@noord.example")
    ref = findings_step(world.meeting.id, world.fictional_case.id)
    before = db.session.scalar(select(func.count(Finding.id)))
    response = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/bevindingen",
        {"ref": ref, "kind": "knelpunt", "level": "uitvoering", "text": text},
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden?stap={ref}",
    )
    assert response.status_code == 422
    assert text in response.get_data(as_text=True)  # comes back as typed, unsaved
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Finding.id))) == before


@pytest.mark.parametrize("text", ACCEPTED_OUTSIDE)
def test_a_member_outside_the_scope_registers_a_case_and_learns_nothing(client, auth, world, text):
    """The extra member works at Gemeente Noord; the consent covers GGZ Noord only."""
    auth.login("extra@noord.example")
    before = case_count()
    response = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        registration(world.group.id, world.gemeente.id, description=text),
    )
    assert response.status_code == 302
    assert case_count() == before + 1
    assert audit_rows("identity_scanned", world.extra_member) == []


@pytest.mark.parametrize("text", ACCEPTED_OUTSIDE)
def test_a_leader_outside_the_scope_gets_only_the_generic_patterns(client, auth, world, text):
    leader = world.users[Role.PROCESBEGELEIDER]  # Gemeente Noord
    auth.login("procesbegeleider@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    response = autosave(client, world.meeting.id, ref, key, text, 0)
    assert response.status_code == 200, response.get_json()
    assert audit_rows("identity_scanned", leader) == []
    refused = autosave(client, world.meeting.id, ref, key, f"{text} BSN 123456782.", 1)
    assert refused.status_code == 422  # the generic patterns still hold
    assert audit_rows("identity_scanned", leader) == []


def test_a_projectleider_leading_the_group_is_outside_the_scope_even_for_their_organisation(
    client, auth, world
):
    """DOMAIN.md: the projectleider never sees identity, so the guard decrypts none for them."""
    projectleider = world.users[Role.PROJECTLEIDER]
    consent = reload_case(world.consent_case.id).consents[-1]
    consent.organisations.append(world.gemeente)  # the projectleider's organisation
    groups.add_member(
        db.session.get(CaseGroup, world.group.id),
        projectleider,
        GroupRole.PROCESBEGELEIDER,
        actor=None,
    )
    db.session.commit()
    auth.login("projectleider@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    response = autosave(client, world.meeting.id, ref, key, "Voorbeeldt zoekt werk.", 0)
    assert response.status_code == 200, response.get_json()
    assert audit_rows("identity_scanned", projectleider) == []


# --- 4. consent notes -------------------------------------------------------------------------

WITHDRAW_NOTES = [
    pytest.param("Intrekking gemeld, BSN 123456782.", id="bsn"),
    pytest.param("Intrekking gemeld, BSN 1\u200b23456\u200b782.", id="bsn-zero-width"),
    pytest.param(f"Intrekking gemeld, BSN {STRANGER_BSN}.", id="another-bsn"),
    pytest.param("Meneer Voorbeeldt belde zelf.", id="name"),
]


@pytest.mark.parametrize("note", WITHDRAW_NOTES)
def test_a_withdrawal_note_with_personal_data_is_refused_and_nothing_is_erased(
    client, auth, world, note
):
    auth.login("deelnemer@noord.example")
    case_id = world.consent_case.id
    response = post_form(client, f"/casussen/{case_id}/toestemming/intrekken", {"note": note})
    assert response.status_code == 200
    refused = reload_case(case_id)
    assert refused.privacy_mode == PrivacyMode.TOESTEMMING
    assert refused.consents[-1].status == ConsentStatus.GEGEVEN
    assert [e.kind for e in refused.consents[-1].events] == [ConsentStatus.GEGEVEN]
    assert db.session.get(CaseIdentity, case_id) is not None
    assert read_identity(refused) == IDENTITY
    assert audit_rows("consent_withdrawn") == []


@pytest.mark.parametrize(
    "note",
    [
        pytest.param("Nieuw formulier, BSN 123456782.", id="bsn"),
        pytest.param("Nieuw formulier, BSN １２３４５６７８２.", id="bsn-fullwidth"),
        pytest.param(f"Nieuw formulier, BSN {STRANGER_BSN}.", id="another-bsn"),
    ],
)
def test_an_extension_note_with_a_bsn_is_refused_and_the_end_date_stays(client, auth, world, note):
    auth.login("deelnemer@noord.example")
    case_id = world.consent_case.id
    old_end = reload_case(case_id).consents[-1].valid_until
    response = post_form(
        client,
        f"/casussen/{case_id}/toestemming/verlengen",
        {"valid_until": (old_end + timedelta(days=30)).isoformat(), "note": note},
    )
    assert response.status_code == 200
    consent = reload_case(case_id).consents[-1]
    assert consent.valid_until == old_end
    assert consent.status == ConsentStatus.GEGEVEN
    assert len(consent.events) == 1
    assert audit_rows("consent_extended") == []


# --- 5. duplicates: inside the scope a choice, outside no oracle (P3) -----------------------


def test_inside_the_scope_a_known_client_is_named_then_registered_when_accepted(
    client, auth, world
):
    auth.login("deelnemer@noord.example")
    url = f"/groepen/{world.group.id}/casussen/nieuw"
    data = registration(world.group.id, world.ggz.id, IDENTITY)
    before = case_count()
    refused = post_form(client, url, data)
    assert refused.status_code == 200
    assert world.consent_case.pseudonym in refused.get_data(as_text=True)
    assert 'name="duplicate_accepted"' in refused.get_data(as_text=True)
    assert case_count() == before
    assert db.session.scalars(select(PossibleDuplicate)).all() == []

    accepted = post_form(client, url, data | {"duplicate_accepted": "y"})
    assert accepted.status_code == 302
    assert case_count() == before + 1
    new = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert accepted.headers["Location"] == f"/casussen/{new.id}"
    [flag] = db.session.scalars(select(PossibleDuplicate)).all()
    assert (flag.case_id, flag.existing_case_id) == (new.id, world.consent_case.id)
    [flagged] = audit_rows("possible_duplicate_flagged")
    assert flagged.case_pseudonym == world.consent_case.pseudonym


def test_the_known_client_message_is_in_dutch(client, auth, world):
    auth.login("deelnemer@noord.example")
    page = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        registration(world.group.id, world.ggz.id, IDENTITY),
    ).get_data(as_text=True)
    assert world.consent_case.pseudonym in page
    assert "already known in the region" not in page
    assert "register this client as a new case anyway" not in page  # the tick's label


def _outsider_in_the_same_group(world) -> tuple[User, int, int]:
    return world.extra_member, world.group.id, world.gemeente.id


def _outsider_in_another_group(world) -> tuple[User, int, int]:
    uwv = make_organisation(world.region, "UWV Noord", OrganisationKind.UWV)
    outsider = make_user(uwv, Role.DEELNEMER, email="uwv@noord.example")
    group = make_group(
        world.region,
        "Werkgroep Noord-Oost",
        leader=world.users[Role.PROCESBEGELEIDER],
        members=(outsider,),
    )
    return outsider, group.id, uwv.id


NOT_KNOWN = re.compile(r"al bekend|already known|bekend als|known in the region", re.IGNORECASE)


def _comparable(page: str, case: Case) -> str:
    """A case page without what differs between any two new cases."""
    page = page.replace(case.pseudonym, "PSEUDONYM")
    page = re.sub(rf"/casussen/{case.id}\b", "/casussen/ID", page)
    page = re.sub(rf"\bcasus={case.id}\b", "casus=ID", page)  # "new action for this case"
    page = re.sub(r'(name="csrf_token"[^>]*value=)"[^"]+"', r"\1CSRF", page)
    return re.sub(r"\d{1,2}:\d{2}", "HH:MM", page)


@pytest.mark.parametrize("outsider", [_outsider_in_the_same_group, _outsider_in_another_group])
def test_outside_the_scope_a_known_client_registers_like_a_new_one_and_is_flagged(
    client, auth, world, outsider
):
    user, group_id, organisation_id = outsider(world)
    auth.login(user.email)
    url = f"/groepen/{group_id}/casussen/nieuw"
    existing = world.consent_case.pseudonym

    response = post_form(client, url, registration(group_id, organisation_id, IDENTITY))
    assert response.status_code == 302
    known = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert response.headers["Location"] == f"/casussen/{known.id}"
    assert existing not in response.get_data(as_text=True)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert known.pseudonym in shown
    assert existing not in shown and not NOT_KNOWN.search(shown)

    [flag] = db.session.scalars(select(PossibleDuplicate)).all()
    assert (flag.case_id, flag.existing_case_id) == (known.id, world.consent_case.id)
    [flagged] = audit_rows("possible_duplicate_flagged")
    assert flagged.user_id == user.id
    assert flagged.case_pseudonym == existing
    assert audit_rows("identity_scanned", user) == []

    # and it looks exactly like registering a client nobody knows
    stranger = IdentityData(full_name="Pieter Nieuwland", birth_date=date(1991, 1, 2))
    control = post_form(client, url, registration(group_id, organisation_id, stranger))
    assert control.status_code == 302
    new = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    control_page = client.get(control.headers["Location"]).get_data(as_text=True)
    assert _comparable(shown, known) == _comparable(control_page, new)


def test_the_duplicate_search_audit_row_survives_a_refusal_after_a_confirmed_contact_detail(
    client, auth, world
):
    """L1: the blind-index search is audited whatever the request does next, also when a
    confirmed e-mail in the description made the guard write before the duplicate check."""
    auth.login("deelnemer@noord.example")
    searches = len(audit_rows("identity_search", world.users[Role.DEELNEMER]))
    response = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        registration(
            world.group.id,
            world.ggz.id,
            IDENTITY,
            description="Werkgever bereikbaar via info@werkgever.example.",
            personal_data_confirmed="y",
        ),
    )
    assert response.status_code == 200
    assert world.consent_case.pseudonym in response.get_data(as_text=True)
    assert len(audit_rows("identity_search", world.users[Role.DEELNEMER])) == searches + 1


# --- 6. autosave: one scan row per field per step visit -------------------------------------


def test_autosave_audits_the_scan_once_per_case_in_scope_per_step_visit(
    client, auth, world, ggz_leader
):
    deelnemer = world.users[Role.DEELNEMER]
    second = make_case(world.group, deelnemer, PrivacyMode.TOESTEMMING, identity=OTHER_IDENTITY)
    outside = make_case(  # consent for Gemeente Noord only: not in the GGZ leader's scope
        world.group,
        world.extra_member,
        PrivacyMode.TOESTEMMING,
        identity=IdentityData(full_name="Karel Buitenveld", birth_date=date(1975, 1, 1)),
        consent=consent_for([world.gemeente]),
    )
    in_scope = sorted([world.consent_case.pseudonym, second.pseudonym])
    auth.login("pb.ggz@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    other_ref, _ = case_text_field(world.meeting.id, world.fictional_case.id)

    assert go_to_step(client, world.meeting.id, ref).status_code == 302
    for version in range(5):
        response = autosave(client, world.meeting.id, ref, key, f"Versie {version + 1}", version)
        assert response.get_json()["version"] == version + 1
    scans = audit_rows("identity_scanned", ggz_leader)
    assert sorted(e.case_pseudonym for e in scans) == in_scope
    assert outside.pseudonym not in {e.case_pseudonym for e in scans}

    assert go_to_step(client, world.meeting.id, other_ref).status_code == 302
    assert go_to_step(client, world.meeting.id, ref).status_code == 302
    for version in range(5, 7):
        response = autosave(client, world.meeting.id, ref, key, f"Versie {version + 1}", version)
        assert response.status_code == 200
    scans = audit_rows("identity_scanned", ggz_leader)
    assert sorted(e.case_pseudonym for e in scans) == sorted(in_scope * 2)


def test_a_refused_autosave_keeps_its_scan_audit_row(client, auth, world, ggz_leader):
    """The identity was decrypted for the refusal: the row outlives the rollback."""
    auth.login("pb.ggz@noord.example")
    ref, key = meeting_text_field(world.meeting.id)
    go_to_step(client, world.meeting.id, ref)
    response = autosave(client, world.meeting.id, ref, key, "Voorbeeldt zoekt werk.", 0)
    assert response.status_code == 422
    [scan] = audit_rows("identity_scanned", ggz_leader)
    assert scan.case_pseudonym == world.consent_case.pseudonym
    assert field_value(world.meeting.id, ref, key) is None


def test_a_possible_duplicate_is_shown_and_decided_only_inside_the_existing_cases_scope(
    client, auth, world, ggz_leader
):
    """P3: the Gemeente's procesbegeleider (outside the scope) registers the same client; the
    GGZ procesbegeleider of the group sees the flag on both cases and decides; the registrant
    and the projectleider never see it."""
    registrant = world.users[Role.PROCESBEGELEIDER]
    auth.login(registrant.email)
    url = f"/groepen/{world.group.id}/casussen/nieuw"
    response = post_form(client, url, registration(world.group.id, world.gemeente.id, IDENTITY))
    assert response.status_code == 302
    new_case_url = response.headers["Location"]
    assert "Mogelijk dubbel" not in client.get(new_case_url).get_data(as_text=True)
    [flag] = db.session.scalars(select(PossibleDuplicate)).all()
    refused = post_form(
        client,
        f"/casussen/{flag.case_id}/dubbel/{flag.id}",
        {"decision": "verschillend"},
        token_from=new_case_url,
    )
    assert refused.status_code == 403
    auth.logout()

    auth.login(world.users[Role.PROJECTLEIDER].email)
    assert "Mogelijk dubbel" not in client.get(new_case_url).get_data(as_text=True)
    auth.logout()

    auth.login(ggz_leader.email)
    for case_id in (flag.case_id, flag.existing_case_id):
        page = client.get(f"/casussen/{case_id}").get_data(as_text=True)
        assert "Mogelijk dubbel" in page
    decided = post_form(
        client,
        f"/casussen/{flag.existing_case_id}/dubbel/{flag.id}",
        {"decision": "dezelfde"},
        token_from=f"/casussen/{flag.existing_case_id}",
    )
    assert decided.status_code == 302
    db.session.expire_all()
    assert db.session.get(PossibleDuplicate, flag.id).decision.value == "dezelfde"
    assert audit_rows("possible_duplicate_decided", ggz_leader)


# --- 7. found in review ------------------------------------------------------------------------


def test_an_identity_in_scope_is_refused_in_another_groups_text_too(client, auth, world):
    """The GGZ deelnemer may see consent_case's identity (group A); typing it into a case of
    group B, read by people outside that scope, is refused as well."""
    deelnemer = world.users[Role.DEELNEMER]
    other = make_group(
        world.region, "Werkgroep B", leader=world.users[Role.PROCESBEGELEIDER], members=(deelnemer,)
    )
    case_b = make_case(other, deelnemer)
    auth.login(deelnemer.email)
    response = post_form(
        client,
        f"/casussen/{case_b.id}/bewerken",
        {"description": "Lijkt op Voorbeeldt", "benefit": "ww", "ggz_treatment": "ja"},
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert "Voorbeeldt" not in db.session.get(Case, case_b.id).description


def test_the_beheerder_cannot_become_a_member_and_so_sees_no_case(client, auth, world):
    beheerder = world.users[Role.BEHEERDER]
    auth.login(beheerder.email)
    response = post_form(
        client,
        f"/groepen/{world.group.id}/leden",
        {"user_id": beheerder.id, "role": "lid"},
    )
    assert response.status_code == 200
    assert world.group.membership_of(beheerder) is None
    assert client.get(f"/casussen/{world.consent_case.id}").status_code == 403


def test_an_invisible_character_in_a_name_does_not_hide_a_known_client(world):
    from facilitator.privacy.identity import find_known_cases

    hidden = IdentityData(
        full_name="Jan Willem Voor\u00adbeeldt\u200b", birth_date=IDENTITY.birth_date
    )
    assert [c.id for c in find_known_cases(world.region.id, hidden)] == [world.consent_case.id]


def test_an_import_that_fails_keeps_the_audit_rows_of_its_identity_searches(
    runner, world, tmp_path
):
    """L1: the file is rolled back whole; the searches it made are still on record."""
    given = (date.today() - timedelta(days=5)).strftime("%d-%m-%Y")
    header = (
        "modus;organisatie;ingebracht_door;omschrijving;uitkering;ggz_behandeling;naam;"
        "geboortedatum;bsn;clientnummer;toestemming_datum;toestemming_tot;"
        "toestemming_organisaties;toestemming_bewijs"
    )
    rows = [
        "anoniem;GGZ Noord;deelnemer@noord.example;Cliënt zoekt werk;ww;ja;;;;;;;;",
        f"toestemming;GGZ Noord;deelnemer@noord.example;Cliënt;ww;ja;{IDENTITY.full_name};"
        f"{IDENTITY.birth_date.isoformat()};;;{given};;GGZ Noord;Dossier",
    ]
    path = tmp_path / "casussen.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    searches = len(audit_rows("identity_search"))
    cases = db.session.scalar(select(func.count(Case.id)))
    result = runner.invoke(args=["cases", "import", str(path), "--group", world.group.name])
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count(Case.id))) == cases
    assert len(audit_rows("identity_search")) == searches + 1
