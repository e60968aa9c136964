"""Cases: pseudonyms, registration rules, the guard on free text, editing, closing (issue #3)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from facilitator.actions.services import change_status
from facilitator.cases.models import Case, CaseStatus, ClosureReason, PrivacyMode
from facilitator.cases.pseudonyms import ALPHABET, random_pseudonym
from facilitator.extensions import db
from facilitator.privacy.models import CaseIdentity, PersonalDataConfirmation
from facilitator.users.models import Role
from tests.helpers import post_form

PSEUDONYM = re.compile(rf"^[{ALPHABET}]{{2}}-[{ALPHABET}]{{3}}$")
FICTIEF = {
    "mode": "fictief",
    "description": "Cliënt wil in de zorg werken; reistijd is lastig.",
    "benefit": "ww",
    "ggz_treatment": "nee",
}


def cases_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Case.id)))


def register(client, world, **changes):
    return post_form(client, f"/groepen/{world.group.id}/casussen/nieuw", {**FICTIEF, **changes})


def test_pseudonyms_are_random_and_readable():
    drawn = [random_pseudonym() for _ in range(400)]
    assert all(PSEUDONYM.match(p) for p in drawn)
    assert set("".join(drawn).replace("-", "")) == set(ALPHABET)  # every symbol is used
    assert len(set(drawn)) > 390  # 31^5 possibilities: repeats are rare, not impossible


def test_a_new_pseudonym_never_repeats_an_existing_one(app, world, monkeypatch):
    from facilitator.cases import pseudonyms

    taken = world.fictional_case.pseudonym
    offered = iter([taken, taken, "ZZ-ZZZ"])
    monkeypatch.setattr(pseudonyms, "random_pseudonym", lambda: next(offered))
    assert pseudonyms.new_pseudonym() == "ZZ-ZZZ"


def test_member_registers_a_fictitious_case(client, auth, world):
    auth.login("deelnemer@noord.example")
    before = cases_count()
    response = register(client, world)
    assert response.status_code == 302
    case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert response.headers["Location"] == f"/casussen/{case.id}"
    assert cases_count() == before + 1
    assert PSEUDONYM.match(case.pseudonym)
    assert case.privacy_mode == PrivacyMode.FICTIEF
    assert case.status == CaseStatus.AANGEMELD
    assert case.organisation_id == world.ggz.id
    assert case.brought_by_id == world.users[Role.DEELNEMER].id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert case.pseudonym in page


def test_fictitious_or_anonymous_case_accepts_no_identity_fields(client, auth, world):
    auth.login("deelnemer@noord.example")
    before = cases_count()
    for mode in ("fictief", "anoniem"):
        response = register(client, world, mode=mode, full_name="Piet Puk")
        assert response.status_code == 200
        assert "Laat dit leeg" in response.get_data(as_text=True)
    assert cases_count() == before


def test_case_with_consent_needs_identity_and_consent(client, auth, world):
    auth.login("deelnemer@noord.example")
    before = cases_count()
    response = register(client, world, mode="toestemming")
    assert response.status_code == 200
    assert "Verplicht voor een casus met toestemming" in response.get_data(as_text=True)
    assert cases_count() == before


def test_missing_mandatory_criterion_is_refused_naming_it(client, auth, world):
    from facilitator.groups import services

    group = world.group
    services.add_criterion(group, "Cliënt staat ingeschreven bij het werkbedrijf", True, actor=None)
    db.session.commit()
    auth.login("deelnemer@noord.example")
    response = register(client, world)
    assert response.status_code == 200
    assert "Cliënt staat ingeschreven bij het werkbedrijf" in response.get_data(as_text=True)
    mandatory = next(c for c in group.criteria if c.mandatory)
    assert register(client, world, criteria=str(mandatory.id)).status_code == 302


def test_a_bsn_in_the_description_is_refused_and_pointed_out(client, auth, world):
    auth.login("deelnemer@noord.example")
    before = cases_count()
    response = register(client, world, description="Cliënt (BSN 123.456.782) wil werken.")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "BSN" in body
    assert "123.456.782" in body  # the fragment is pointed out to the one who typed it
    assert cases_count() == before


def test_an_email_address_needs_a_recorded_confirmation(client, auth, world):
    auth.login("deelnemer@noord.example")
    description = "Contact via de jobcoach: j.jansen@werkbedrijf.example, zij plant het gesprek."
    first = register(client, world, description=description)
    assert first.status_code == 200
    assert 'name="personal_data_confirmed"' in first.get_data(as_text=True)
    second = register(client, world, description=description, personal_data_confirmed="y")
    assert second.status_code == 302
    confirmation = db.session.scalars(select(PersonalDataConfirmation)).one()
    assert confirmation.kinds == "email"
    assert confirmation.user_id == world.users[Role.DEELNEMER].id
    assert "jansen" not in confirmation.kinds + confirmation.field


def test_the_clients_own_name_is_refused_in_the_description(client, auth, world):
    auth.login("deelnemer@noord.example")
    case = world.consent_case
    response = post_form(
        client,
        f"/casussen/{case.id}/bewerken",
        {
            "description": "Meneer Voorbeeldt wil graag werken.",
            "benefit": "ww",
            "ggz_treatment": "ja",
        },
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert "Voorbeeldt" not in db.session.get(Case, case.id).description


def test_bringer_edits_moves_closes_and_reopens_a_case(client, auth, world):
    auth.login("deelnemer@noord.example")
    case_id = world.fictional_case.id
    post_form(
        client,
        f"/casussen/{case_id}/bewerken",
        {
            "description": "Nieuwe omschrijving zonder gegevens.",
            "benefit": "wajong",
            "ggz_treatment": "onbekend",
        },
    )
    post_form(
        client,
        f"/casussen/{case_id}/status",
        {"status": "besproken"},
        token_from=f"/casussen/{case_id}",
    )
    db.session.expire_all()
    assert db.session.get(Case, case_id).status == CaseStatus.BESPROKEN
    # Its open action is done first: a case with open actions is not closed.
    change_status(world.action, "gereed", note="Gedaan", actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    close = f"/casussen/{case_id}/afsluiten"
    assert post_form(client, close, {"closure_reason": "Cliënt werkt."}).status_code == 200
    # "anders" needs an explanation; the other reasons do not.
    refused = post_form(client, close, {"closure_kind": "anders", "closure_reason": ""})
    assert "Explain the reason" in refused.get_data(as_text=True) or (
        "Licht de reden toe" in refused.get_data(as_text=True)
    )
    db.session.expire_all()
    assert not db.session.get(Case, case_id).is_closed
    post_form(client, close, {"closure_kind": "betaald_werk", "closure_reason": "Cliënt werkt."})
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case.description == "Nieuwe omschrijving zonder gegevens."
    assert case.status == CaseStatus.AFGESLOTEN
    assert case.closure_kind == ClosureReason.BETAALD_WERK
    assert case.closure_reason == "Cliënt werkt."
    assert case.closed_at is not None
    post_form(client, f"/casussen/{case_id}/heropenen", token_from=f"/casussen/{case_id}")
    db.session.expire_all()
    assert db.session.get(Case, case_id).status == CaseStatus.IN_OPVOLGING


def test_other_members_can_read_but_not_edit(client, auth, world):
    auth.login("extra@noord.example")
    case_id = world.fictional_case.id
    assert client.get(f"/casussen/{case_id}").status_code == 200
    assert client.get(f"/casussen/{case_id}/bewerken").status_code == 403


def test_projectleider_sees_cases_of_the_region_under_pseudonym_only(client, auth, world):
    auth.login("projectleider@noord.example")
    page = client.get(f"/casussen/{world.consent_case.id}").get_data(as_text=True)
    assert world.consent_case.pseudonym in page
    assert "Toon identiteit" not in page
    assert "Voorbeeldt" not in page


def test_cases_list_command(runner, world):
    lines = runner.invoke(args=["cases", "list", "--group", "Casusgroep Noord"]).output
    rows = [line.split("\t") for line in lines.splitlines()]
    assert rows[0] == ["pseudonym", "group", "mode", "organisation", "status"]
    assert sorted(r[0] for r in rows[1:]) == sorted(
        [world.fictional_case.pseudonym, world.consent_case.pseudonym]
    )
    assert {r[2] for r in rows[1:]} == {"fictief", "toestemming"}
    everything = runner.invoke(args=["cases", "list"]).output
    assert world.other_case.pseudonym in everything


def test_identity_is_stored_only_for_a_case_with_consent(app, world):
    assert db.session.get(CaseIdentity, world.consent_case.id) is not None
    assert db.session.get(CaseIdentity, world.fictional_case.id) is None


def test_one_confirmation_covers_only_what_the_user_was_shown(client, auth, world):
    """A phone number in the evidence field is flagged together with the e-mail address."""
    from datetime import date

    auth.login("deelnemer@noord.example")
    response = register(
        client,
        world,
        mode="toestemming",
        description="Afspraak via j.jansen@werkbedrijf.example gepland.",
        full_name="Otto Bevestiging",
        birth_date="1975-05-05",
        given_on=date.today().isoformat(),
        organisations=str(world.ggz.id),
        purposes="Bespreking",
        evidence_reference="Map bij secretariaat, tel 020-5551234",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "j.jansen@werkbedrijf.example" in body and "020-5551234" in body
