"""Encrypted identity, consent, withdrawal, P7 and the sweep (SECURITY.md P1-P7, issue #3)."""

from __future__ import annotations

import contextvars
import logging
import sqlite3
from datetime import date, timedelta

import flask_migrate
import pytest
from sqlalchemy import func, select, update

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.cases.models import Case, CaseStatus, PrivacyMode
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.privacy.crypto import DecryptionError, encode_key, new_data_key
from facilitator.privacy.identity import read_identity
from facilitator.privacy.keystore import keystore
from facilitator.privacy.models import (
    CaseIdentity,
    Consent,
    ConsentStatus,
    IdentityBlindIndex,
)
from facilitator.users.models import Role, User
from tests.conftest import TEST_MASTER_KEY
from tests.factories import IDENTITY, OTHER_IDENTITY, consent_for, make_case, make_world
from tests.helpers import AuthActions, post_form

IDENTITY_STRINGS = [
    "Voorbeeldt",
    "Jan Willem",
    "123456782",
    "1984-03-07",
    "07-03-1984",
    "CL-90812",
    "Proefsma",
    "111222333",
]


def case(case_id: int) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case_id)


def audit(event_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == event_type).order_by(AuditEvent.id)
    ).all()


@pytest.fixture
def sqlite_world(tmp_path, make_app):
    """A world on an SQLite database and key store of its own, whatever the suite runs on."""
    instance = tmp_path / "instance"
    instance.mkdir()
    app = make_app(
        f"sqlite:///{instance / 'casustafel.db'}",
        KEYSTORE_URL=f"sqlite:///{instance / 'keystore.db'}",
    )

    def build():
        with app.app_context():
            flask_migrate.upgrade()
            world = make_world()
            return {
                "group": world.group.id,
                "ggz": world.ggz.id,
                "consent_case": world.consent_case.id,
            }

    return app, instance, contextvars.Context().run(build)


def test_no_identity_value_in_any_file_or_log_line(sqlite_world, caplog):
    app, instance, ids = sqlite_world
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    AuthActions(client).login("deelnemer@noord.example")
    response = post_form(
        client,
        f"/groepen/{ids['group']}/casussen/nieuw",
        {
            "mode": "toestemming",
            "description": "Cliënt wil weer aan het werk.",
            "benefit": "wia",
            "ggz_treatment": "ja",
            "full_name": OTHER_IDENTITY.full_name,
            "birth_date": OTHER_IDENTITY.birth_date.isoformat(),
            "bsn": OTHER_IDENTITY.bsn,
            "given_on": (date.today() - timedelta(days=3)).isoformat(),
            "organisations": str(ids["ggz"]),
            "purposes": "Bespreking in de casusgroep",
            "evidence_reference": "Dossier GGZ Noord",
        },
    )
    assert response.status_code == 302
    shown = post_form(
        client,
        f"/casussen/{ids['consent_case']}/identiteit",
        token_from=f"/casussen/{ids['consent_case']}",
    )
    assert IDENTITY.full_name in shown.get_data(as_text=True)  # it was really decrypted
    files = [p for p in instance.rglob("*") if p.is_file()]
    assert {"casustafel.db", "keystore.db"} <= {p.name for p in files}
    for path in files:
        content = path.read_bytes()
        for value in IDENTITY_STRINGS:
            assert value.encode() not in content, f"{value} in plain text in {path.name}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in IDENTITY_STRINGS:
        assert value not in logged


def test_restoring_a_backup_from_before_a_withdrawal_does_not_bring_the_identity_back(
    sqlite_world, make_app, tmp_path
):
    app, instance, ids = sqlite_world

    def add_second_case() -> int:
        with app.app_context():
            world_group = db.session.get(CaseGroup, ids["group"])
            bringer = db.session.scalar(select(User).where(User.email == "deelnemer@noord.example"))
            return make_case(
                world_group, bringer, PrivacyMode.TOESTEMMING, identity=OTHER_IDENTITY
            ).id

    second_id = contextvars.Context().run(add_second_case)
    backup = tmp_path / "backup.db"
    with sqlite3.connect(instance / "casustafel.db") as source, sqlite3.connect(backup) as target:
        source.backup(target)
    client = app.test_client()
    AuthActions(client).login("deelnemer@noord.example")
    post_form(client, f"/casussen/{ids['consent_case']}/toestemming/intrekken")
    restored = make_app(f"sqlite:///{backup}", KEYSTORE_URL=f"sqlite:///{instance / 'keystore.db'}")

    def check():
        with restored.app_context():
            assert db.session.get(CaseIdentity, ids["consent_case"]) is not None  # row is back
            assert read_identity(db.session.get(Case, ids["consent_case"])) is None  # key is not
            assert read_identity(db.session.get(Case, second_id)) == OTHER_IDENTITY

    contextvars.Context().run(check)


def test_identity_round_trips_only_through_the_key(app, world):
    assert read_identity(case(world.consent_case.id)) == IDENTITY


def test_swapped_ciphertexts_do_not_decrypt(app, world):
    consent_id = world.consent_case.id
    row = db.session.get(CaseIdentity, consent_id)
    name, number = row.full_name, row.client_number
    db.session.execute(
        update(CaseIdentity)
        .where(CaseIdentity.case_id == consent_id)
        .values(full_name=number, client_number=name)
    )
    db.session.commit()
    with pytest.raises(DecryptionError):
        read_identity(case(consent_id))


def test_a_ciphertext_moved_to_another_case_does_not_decrypt(app, world):
    second = make_case(
        world.group, world.users[Role.DEELNEMER], PrivacyMode.TOESTEMMING, identity=OTHER_IDENTITY
    )
    first_row = db.session.get(CaseIdentity, world.consent_case.id)
    db.session.execute(
        update(CaseIdentity)
        .where(CaseIdentity.case_id == second.id)
        .values(full_name=first_row.full_name)
    )
    db.session.commit()
    with pytest.raises(DecryptionError):
        read_identity(case(second.id))


def test_tampered_ciphertext_does_not_decrypt(app, world):
    row = db.session.get(CaseIdentity, world.consent_case.id)
    flipped = bytes([row.birth_date[0] ^ 1]) + row.birth_date[1:]
    db.session.execute(
        update(CaseIdentity).where(CaseIdentity.case_id == row.case_id).values(birth_date=flipped)
    )
    db.session.commit()
    with pytest.raises(DecryptionError):
        read_identity(case(world.consent_case.id))


def test_key_rotation_then_removing_the_old_key_keeps_everything_readable(app, world, make_app):
    second = make_case(
        world.group, world.users[Role.DEELNEMER], PrivacyMode.TOESTEMMING, identity=OTHER_IDENTITY
    )
    new_key = encode_key(new_data_key())
    rotating = make_app(MASTER_KEYS=f"{new_key},{TEST_MASTER_KEY}")
    result = rotating.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "Re-wrapped 2 of 2" in result.output
    only_new = make_app(MASTER_KEYS=new_key)
    first_id, second_id = world.consent_case.id, second.id
    with only_new.app_context():
        assert read_identity(db.session.get(Case, first_id)) == IDENTITY
        assert read_identity(db.session.get(Case, second_id)) == OTHER_IDENTITY
    with pytest.raises(DecryptionError):  # the old key alone no longer unwraps them
        read_identity(case(second.id))


def test_withdrawal_erases_identity_blind_index_and_key_and_keeps_the_case(client, auth, world):
    auth.login("deelnemer@noord.example")
    case_id = world.consent_case.id
    page = client.get(f"/casussen/{case_id}/toestemming/intrekken")
    assert page.status_code == 200  # one confirmation page, one button
    response = post_form(client, f"/casussen/{case_id}/toestemming/intrekken")
    assert response.headers["Location"] == f"/casussen/{case_id}"
    withdrawn = case(case_id)
    assert withdrawn.privacy_mode == PrivacyMode.ANONIEM
    assert withdrawn.pseudonym == world.consent_case.pseudonym
    assert db.session.get(CaseIdentity, case_id) is None
    assert not db.session.scalars(
        select(IdentityBlindIndex).where(IdentityBlindIndex.case_id == case_id)
    ).all()
    assert case_id not in keystore().case_ids()
    consent = withdrawn.consents[-1]
    assert consent.status == ConsentStatus.INGETROKKEN
    assert [e.kind for e in consent.events] == [ConsentStatus.GEGEVEN, ConsentStatus.INGETROKKEN]


def test_consent_extension_is_appended_as_an_event(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    case_id = world.consent_case.id
    old_end = case(case_id).consents[-1].valid_until
    new_end = old_end + timedelta(days=200)
    response = post_form(
        client,
        f"/casussen/{case_id}/toestemming/verlengen",
        {"valid_until": new_end.isoformat(), "note": "Nieuw formulier getekend"},
    )
    assert response.status_code == 302
    consent = case(case_id).consents[-1]
    assert consent.valid_until == new_end
    assert [(e.kind, e.valid_until) for e in consent.events] == [
        (ConsentStatus.GEGEVEN, old_end),
        (ConsentStatus.VERLENGD, new_end),
    ]
    for refused_end in (old_end, date(9999, 12, 31)):  # earlier, or beyond the maximum
        response = post_form(
            client,
            f"/casussen/{case_id}/toestemming/verlengen",
            {"valid_until": refused_end.isoformat()},
        )
        assert response.status_code == 200
        consent = case(case_id).consents[-1]
        assert consent.valid_until == new_end
        assert len(consent.events) == 2


def test_identity_is_shown_to_a_member_in_scope_and_logged(client, auth, world):
    auth.login("deelnemer@noord.example")
    case_id = world.consent_case.id
    assert "Toon identiteit" in client.get(f"/casussen/{case_id}").get_data(as_text=True)
    response = post_form(
        client, f"/casussen/{case_id}/identiteit", token_from=f"/casussen/{case_id}"
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert IDENTITY.full_name in body and IDENTITY.bsn in body
    assert response.headers["Cache-Control"] == "no-store"
    [event] = audit("identity_viewed")
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.user_id == world.users[Role.DEELNEMER].id
    assert event.case_pseudonym == world.consent_case.pseudonym
    assert IDENTITY.full_name not in (event.reason + event.object_id)


def test_identity_is_never_shown_by_get(client, auth, world):
    auth.login("deelnemer@noord.example")
    assert client.get(f"/casussen/{world.consent_case.id}/identiteit").status_code == 405


@pytest.mark.parametrize(
    "email, reason",
    [
        ("extra@noord.example", "organisation outside the consent's scope"),  # Gemeente Noord
        ("projectleider@noord.example", "role may not see identity"),
    ],
)
def test_identity_is_refused_outside_the_scope_and_the_refusal_logged(
    client, auth, world, email, reason
):
    auth.login(email)
    case_id = world.consent_case.id
    assert "Toon identiteit" not in client.get(f"/casussen/{case_id}").get_data(as_text=True)
    response = post_form(
        client, f"/casussen/{case_id}/identiteit", token_from=f"/casussen/{case_id}"
    )
    assert response.status_code == 302
    assert IDENTITY.full_name not in client.get(response.headers["Location"]).get_data(True)
    [event] = audit("identity_viewed")
    assert event.outcome == AuditOutcome.DENIED
    assert event.reason == reason


def test_identity_is_refused_once_consent_has_ended(client, auth, world):
    consent = case(world.consent_case.id).consents[-1]
    consent.given_on = date.today() - timedelta(days=400)
    consent.valid_until = date.today() - timedelta(days=1)
    db.session.commit()
    auth.login("deelnemer@noord.example")
    post_form(
        client,
        f"/casussen/{world.consent_case.id}/identiteit",
        token_from=f"/casussen/{world.consent_case.id}",
    )
    assert audit("identity_viewed")[0].reason == "no active consent"


def test_a_client_known_in_the_region_is_recognised(client, auth, world):
    auth.login("deelnemer@noord.example")
    before = db.session.scalar(select(func.count(Case.id)))
    response = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        {
            "mode": "toestemming",
            "description": "Zelfde cliënt, ander verhaal.",
            "benefit": "wia",
            "ggz_treatment": "ja",
            "full_name": "JAN willem voorbeeldt",
            "birth_date": "1984-03-07",
            "given_on": date.today().isoformat(),
            "organisations": str(world.ggz.id),
            "purposes": "Bespreking",
            "evidence_reference": "Dossier",
        },
    )
    assert response.status_code == 200
    assert world.consent_case.pseudonym in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Case.id))) == before
    search = audit("identity_search")[-1]  # kept, although the registration rolled back
    assert search.user_id == world.users[Role.DEELNEMER].id


def test_an_invalid_bsn_is_refused_with_the_elfproef_message(client, auth, world):
    auth.login("deelnemer@noord.example")
    response = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        {
            "mode": "toestemming",
            "description": "Cliënt wil werken.",
            "benefit": "wia",
            "ggz_treatment": "ja",
            "full_name": "Test Persoon",
            "birth_date": "1990-01-01",
            "bsn": "123456789",
            "given_on": date.today().isoformat(),
            "organisations": str(world.ggz.id),
            "purposes": "Bespreking",
            "evidence_reference": "Dossier",
        },
    )
    assert "elfproef" in response.get_data(as_text=True)


def test_consent_scope_must_include_the_bringing_organisation(app, world):
    from facilitator.exceptions import ServiceError

    with pytest.raises(ServiceError, match="inbrengende organisatie"):
        make_case(
            world.group,
            world.users[Role.DEELNEMER],
            PrivacyMode.TOESTEMMING,
            identity=OTHER_IDENTITY,
            consent=consent_for([world.gemeente]),
        )


def test_group_page_warns_before_consent_ends(client, auth, world):
    consent = case(world.consent_case.id).consents[-1]
    consent.valid_until = date.today() + timedelta(days=20)
    db.session.commit()
    auth.login("procesbegeleider@noord.example")
    page = client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    warning = page.split('id="expiring-heading"')[1].split("</section>")[0]
    assert world.consent_case.pseudonym in warning
    consent.valid_until = date.today() + timedelta(days=40)
    db.session.commit()
    later = client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    assert 'id="expiring-heading"' not in later


def test_sweep_erases_expired_and_retained_identities_and_is_idempotent(runner, world):
    expired = make_case(
        world.group, world.users[Role.DEELNEMER], PrivacyMode.TOESTEMMING, identity=OTHER_IDENTITY
    )
    consent = db.session.scalars(select(Consent).where(Consent.case_id == expired.id)).one()
    consent.given_on = date.today() - timedelta(days=400)
    consent.valid_until = date.today() - timedelta(days=1)
    closed = db.session.get(Case, world.consent_case.id)
    closed.status = CaseStatus.AFGESLOTEN
    closed.closure_reason = "Werkt weer"
    closed.closed_at = utcnow() - timedelta(days=200)
    db.session.commit()
    first = runner.invoke(args=["privacy", "sweep"])
    assert first.exit_code == 0, first.output
    assert expired.pseudonym in first.output and closed.pseudonym in first.output
    for value in ("Proefsma", "Voorbeeldt", "111222333"):
        assert value not in first.output
    assert keystore().case_ids() == []
    assert case(expired.id).consents[-1].status == ConsentStatus.VERLOPEN
    assert case(expired.id).consents[-1].events[-1].actor_id is None
    assert "nachtelijke" in case(expired.id).consents[-1].events[-1].note  # Dutch, not English
    second = runner.invoke(args=["privacy", "sweep"])
    assert "0 cases." in second.output and expired.pseudonym not in second.output


def test_sweep_leaves_recently_closed_cases_alone(runner, world):
    closed = db.session.get(Case, world.consent_case.id)
    closed.status = CaseStatus.AFGESLOTEN
    closed.closure_reason = "Werkt weer"
    closed.closed_at = utcnow() - timedelta(days=10)
    db.session.commit()
    runner.invoke(args=["privacy", "sweep"])
    assert read_identity(case(world.consent_case.id)) == IDENTITY


def test_consent_fields_are_guarded_too(client, auth, world):
    auth.login("deelnemer@noord.example")
    before = db.session.scalar(select(func.count(Case.id)))
    response = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        {
            "mode": "toestemming",
            "description": "Cliënt wil werken.",
            "benefit": "wia",
            "ggz_treatment": "ja",
            "full_name": "Ria Bewijsstuk",
            "birth_date": "1970-02-02",
            "client_number": "RB-5521",
            "given_on": date.today().isoformat(),
            "organisations": str(world.ggz.id),
            "purposes": "Bespreking",
            "evidence_reference": "Map RB-5521 in het archief",
        },
    )
    assert response.status_code == 200
    assert "RB-5521" in response.get_data(as_text=True)  # pointed out on the form
    assert db.session.scalar(select(func.count(Case.id))) == before


def test_a_withdrawal_note_with_an_email_needs_confirmation(client, auth, world):
    auth.login("deelnemer@noord.example")
    url = f"/casussen/{world.consent_case.id}/toestemming/intrekken"
    note = "Bericht ontvangen via secretariaat@ggznoord.example"
    first = post_form(client, url, {"note": note})
    assert first.status_code == 200
    assert case(world.consent_case.id).privacy_mode == PrivacyMode.TOESTEMMING
    second = post_form(client, url, {"note": note, "personal_data_confirmed": "y"})
    assert second.status_code == 302
    assert case(world.consent_case.id).privacy_mode == PrivacyMode.ANONIEM


def test_a_projectleider_who_joins_the_group_still_sees_no_identity(client, auth, world):
    """DOMAIN.md: the projectleider never sees identifying data, member or not."""
    from facilitator.groups import services as groups

    case_id = world.consent_case.id
    consent = case(case_id).consents[-1]
    consent.organisations.append(world.gemeente)  # the projectleider's organisation
    groups.add_member(
        db.session.get(CaseGroup, world.group.id),
        world.users[Role.PROJECTLEIDER],
        "lid",
        actor=None,
    )
    db.session.commit()
    auth.login("projectleider@noord.example")
    assert "Toon identiteit" not in client.get(f"/casussen/{case_id}").get_data(as_text=True)
    response = post_form(
        client, f"/casussen/{case_id}/identiteit", token_from=f"/casussen/{case_id}"
    )
    assert response.status_code == 302
    assert IDENTITY.full_name not in client.get(response.headers["Location"]).get_data(True)
    assert audit("identity_viewed")[0].reason == "role may not see identity"


def test_the_guard_is_no_oracle_for_editors_outside_the_consent_scope(client, auth, world):
    """The procesbegeleider (Gemeente Noord) may edit but is outside the scope (GGZ Noord)."""
    auth.login("procesbegeleider@noord.example")
    case_id = world.consent_case.id
    for guess in ("Meneer Voorbeeldt zoekt werk.", "Meneer Pietersen zoekt werk."):
        response = post_form(
            client,
            f"/casussen/{case_id}/bewerken",
            {"description": guess, "benefit": "ww", "ggz_treatment": "ja"},
        )
        assert response.status_code == 302  # the same answer, right guess or wrong
    assert audit("identity_scanned") == []  # the identity was never decrypted for them


def test_editors_inside_the_scope_are_guarded_and_the_scan_is_audited(client, auth, world):
    auth.login("deelnemer@noord.example")
    case_id = world.consent_case.id
    refused = post_form(
        client,
        f"/casussen/{case_id}/afsluiten",
        {"closure_kind": "betaald_werk", "closure_reason": "Voorbeeldt werkt weer bij de bakker"},
    )
    assert refused.status_code == 200
    assert not case(case_id).is_closed
    [event] = audit("identity_scanned")
    assert event.user_id == world.users[Role.DEELNEMER].id
    assert event.case_pseudonym == world.consent_case.pseudonym
