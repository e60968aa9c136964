"""The audit page (SECURITY.md L3): only audit readers see it; filters, chronologies, and
every look at the log logged. The beheerder grants the right and, without it, sees nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditAction, AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.users.models import Role, User
from tests.audit_helpers import make_reader, place_row, utc
from tests.helpers import post_form


@pytest.fixture
def reader(world):
    return make_reader(world)


@pytest.fixture
def marked(world):
    """Four rows: two cases, two users, a row without a user; m2 falls on 3 March local time."""
    pb, d = world.users[Role.PROCESBEGELEIDER], world.users[Role.DEELNEMER]
    p1, p2 = world.consent_case.pseudonym, world.fictional_case.pseudonym
    return {
        "m1": place_row("marker-m1", at=utc(2026, 3, 1, 10), user=pb, pseudonym=p1,
                        event_type="identity_viewed", action=AuditAction.READ),
        "m2": place_row("marker-m2", at=utc(2026, 3, 2, 23, 30), user=d, pseudonym=p2),
        "m3": place_row("marker-m3", at=utc(2026, 3, 5, 12), user=pb, pseudonym=p2),
        "m4": place_row("marker-m4", at=utc(2026, 3, 4, 8), event_type="login_failed",
                        action=AuditAction.READ, outcome=AuditOutcome.FAILURE),
    }  # fmt: skip


def _markers(html: str) -> list[str]:
    return re.findall(r"marker-(m\d+)", html)


def _denials(user: User) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.event_type == "access_denied", AuditEvent.user_id == user.id)
        .order_by(AuditEvent.id)
    ).all()


# --- who may look -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.BEHEERDER, Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER]
)
def test_no_role_without_the_audit_right_sees_the_log_and_each_refusal_is_logged(
    client, auth, world, role
):
    user = world.users[role]
    auth.login(user.email)
    urls = [
        "/audit/",
        f"/audit/casus/{world.consent_case.pseudonym}",
        f"/audit/gebruiker/{user.id}",
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    denials = _denials(user)
    assert len(denials) == len(urls)
    assert {d.check_result for d in denials} == {"audit_right"}
    assert 'href="/audit/"' not in client.get("/").get_data(as_text=True)


def test_an_audit_reader_sees_the_log_and_the_link_to_it(client, auth, world, reader, marked):
    auth.login(reader.email)
    assert 'href="/audit/"' in client.get("/").get_data(as_text=True)
    page = client.get("/audit/")
    assert page.status_code == 200
    assert _markers(page.get_data(as_text=True)) == ["m3", "m4", "m2", "m1"]  # newest first


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_beheerder_grants_and_withdraws_the_right_each_audited(client, auth, world):
    beheerder = world.users[Role.BEHEERDER]
    member = world.extra_member
    auth.login(beheerder.email)
    edit = f"/beheer/gebruikers/{member.id}/bewerken"
    url = f"/beheer/gebruikers/{member.id}/auditrecht"
    assert "Recht geven om het auditlog in te zien" in client.get(edit).get_data(as_text=True)
    assert post_form(client, url, {"granted": "ja"}, token_from=edit).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).can_read_audit
    assert "Mag inzien" in client.get("/beheer/gebruikers/").get_data(as_text=True)
    assert "Mag het auditlog inzien" in client.get(edit).get_data(as_text=True)
    # The member now reads the log; the beheerder still does not.
    reader = client.application.test_client()
    from tests.helpers import AuthActions

    AuthActions(reader).login(member.email)
    assert reader.get("/audit/").status_code == 200
    assert client.get("/audit/").status_code == 403
    assert post_form(client, url, {"granted": "nee"}, token_from=edit).status_code == 302
    assert reader.get("/audit/").status_code == 403
    db.session.expire_all()
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.event_type.like("audit_right_%"))
        .order_by(AuditEvent.id)
    ).all()
    assert [r.event_type for r in rows] == ["audit_right_granted", "audit_right_withdrawn"]
    assert {(r.user_id, r.object_id, r.action) for r in rows} == {
        (beheerder.id, str(member.id), AuditAction.UPDATE)
    }


def test_a_beheerder_granted_the_right_reads_the_log(client, auth, world):
    from facilitator.users import services as users

    beheerder = world.users[Role.BEHEERDER]
    users.set_audit_right(beheerder, True, actor=beheerder)
    db.session.commit()
    auth.login(beheerder.email)
    assert client.get("/audit/").status_code == 200


def test_only_a_beheerder_may_grant_the_right(client, auth, world, reader):
    auth.login(reader.email)
    url = f"/beheer/gebruikers/{reader.id}/auditrecht"
    response = post_form(client, url, {"granted": "ja"}, token_from="/account/")
    assert response.status_code == 403


# --- filters ------------------------------------------------------------------------------------


def _shown(client, query: str) -> list[str]:
    page = client.get(f"/audit/?{query}")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return sorted(_markers(page.get_data(as_text=True)))


def test_each_filter_works_and_they_combine(client, auth, world, reader, marked):
    auth.login(reader.email)
    pb, ggz = world.users[Role.PROCESBEGELEIDER], world.ggz
    p2 = world.fictional_case.pseudonym
    assert _shown(client, f"pseudoniem={p2}") == ["m2", "m3"]
    assert _shown(client, f"pseudoniem={p2.lower()}") == ["m2", "m3"]
    assert _shown(client, f"gebruiker={pb.id}") == ["m1", "m3"]
    assert _shown(client, f"organisatie={ggz.id}") == ["m2"]
    assert _shown(client, "soort=case_updated") == ["m2", "m3"]
    # Local calendar days: 23:30 UTC on 2 March is 3 March in the Netherlands.
    assert _shown(client, "van=2026-03-03&tot=2026-03-04") == ["m2", "m4"]
    assert _shown(client, "van=2026-03-05") == ["m3"]
    assert _shown(client, "tot=2026-03-01") == ["m1"]
    assert _shown(client, f"soort=case_updated&gebruiker={pb.id}") == ["m3"]
    assert _shown(client, f"pseudoniem={p2}&van=2026-03-04&organisatie={pb.organisation_id}") == [
        "m3"
    ]


def test_the_event_select_offers_the_types_present_in_words(client, auth, world, reader, marked):
    auth.login(reader.email)
    html = client.get("/audit/").get_data(as_text=True)
    assert '<option value="login_failed">Mislukte inlogpoging</option>' in html
    assert '<option value="identity_viewed">Identiteit ingezien</option>' in html
    assert 'value="logout"' not in html  # never recorded in this world


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("van=31-13-2026", "Vul een datum in als jaar-maand-dag"),
        ("tot=morgen", "Vul een datum in als jaar-maand-dag"),
        ("van=2026-03-05&tot=2026-03-01", "De laatste dag ligt vóór de eerste dag."),
        ("van=0001-01-01", "Kies een periode in deze eeuw."),
        ("pseudoniem=123456782", "Vul een pseudoniem van een casus in"),
        ("pseudoniem=" + "X" * 5000, "Vul een pseudoniem van een casus in"),
    ],
)
def test_a_bad_filter_gets_a_clear_message_and_no_rows(
    client, auth, world, reader, marked, query, message
):
    auth.login(reader.email)
    page = client.get(f"/audit/?{query}")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert message in html
    assert _markers(html) == []
    db.session.expire_all()
    viewed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "audit_log_viewed")
    ).all()
    assert viewed and all("123456782" not in v.reason + v.case_pseudonym for v in viewed)


def test_bidi_controls_in_the_pseudonym_filter_are_dropped(client, auth, world, reader, marked):
    auth.login(reader.email)
    p2 = world.fictional_case.pseudonym
    assert _shown(client, f"pseudoniem=%E2%80%AE{p2}%E2%80%AC") == ["m2", "m3"]


# --- chronologies -------------------------------------------------------------------------------


def test_the_chronology_of_a_case_runs_oldest_first_and_is_linked(
    client, auth, world, reader, marked
):
    auth.login(reader.email)
    p2 = world.fictional_case.pseudonym
    assert f'href="/audit/casus/{p2}"' in client.get("/audit/").get_data(as_text=True)
    html = client.get(f"/audit/casus/{p2}").get_data(as_text=True)
    assert _markers(html) == ["m2", "m3"]
    assert f"Chronologie van casus {p2}" in html
    assert client.get("/audit/casus/123456782").status_code == 404


def test_the_chronology_of_a_user_runs_oldest_first_and_is_linked(
    client, auth, world, reader, marked
):
    auth.login(reader.email)
    pb = world.users[Role.PROCESBEGELEIDER]
    assert f'href="/audit/gebruiker/{pb.id}"' in client.get("/audit/").get_data(as_text=True)
    html = client.get(f"/audit/gebruiker/{pb.id}").get_data(as_text=True)
    assert _markers(html) == ["m1", "m3"]
    assert f"Chronologie van {pb.name}" in html


def test_a_row_of_a_removed_account_still_shows_its_id(client, auth, world, reader):
    place_row("marker-m9", at=utc(2026, 3, 6, 9), user_id=987654)
    auth.login(reader.email)
    html = client.get("/audit/").get_data(as_text=True)
    assert "account 987654 (bestaat niet meer)" in html
    chronology = client.get("/audit/gebruiker/987654")
    assert chronology.status_code == 200
    assert _markers(chronology.get_data(as_text=True)) == ["m9"]


def test_a_row_shows_time_words_outcome_and_who_in_local_time(client, auth, world, reader, marked):
    auth.login(reader.email)
    html = client.get(f"/audit/?gebruiker={world.users[Role.DEELNEMER].id}").get_data(as_text=True)
    assert "3 maart 2026 00:30:00" in html  # 23:30 UTC on 2 March, in Amsterdam
    assert "Gegevens van de casus gewijzigd" in html
    assert "gelukt" in html
    assert "(gewijzigd)" in html
    assert "GGZ Noord" in html
    assert "10.0.0.7" in html


# --- looking is logged --------------------------------------------------------------------------


def test_every_look_is_logged_with_its_filter_and_no_data(client, auth, world, reader, marked):
    auth.login(reader.email)
    p2 = world.fictional_case.pseudonym
    pb = world.users[Role.PROCESBEGELEIDER]
    client.get(f"/audit/?pseudoniem={p2}&soort=case_updated&van=2026-03-01&gebruiker={pb.id}")
    client.get(f"/audit/casus/{p2}")
    client.get(f"/audit/gebruiker/{pb.id}")
    db.session.expire_all()
    looks = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.event_type == "audit_log_viewed")
        .order_by(AuditEvent.id)
    ).all()
    assert len(looks) == 3
    assert {(r.user_id, r.action, r.outcome) for r in looks} == {
        (reader.id, AuditAction.READ, AuditOutcome.SUCCESS)
    }
    assert [r.case_pseudonym for r in looks] == [p2, p2, ""]
    assert looks[0].reason == f"log: user={pb.id} from=2026-03-01 type=case_updated, page 1"
    assert looks[1].reason.startswith("case chronology")
    assert looks[2].reason.startswith(f"user chronology: user={pb.id}")
    for look in looks:
        assert "marker" not in look.reason


# --- bounded --------------------------------------------------------------------------------------


def test_the_page_reads_a_fixed_number_of_queries_at_1_and_30_rows(
    client, auth, world, reader, count_queries
):
    auth.login(reader.email)
    people = [*world.users.values(), world.extra_member, world.other_user]

    def queries(url: str) -> int:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    place_row("marker-q0", at=utc(2026, 4, 1), user=people[0], event_type="probe")
    urls = ["/audit/?soort=probe", f"/audit/casus/{world.fictional_case.pseudonym}"]
    place_row("marker-q0", at=utc(2026, 4, 1), user=people[1],
              pseudonym=world.fictional_case.pseudonym)  # fmt: skip
    before = [queries(url) for url in urls]
    for number in range(30):
        person = people[number % len(people)]
        place_row(f"marker-q{number}", at=utc(2026, 4, 2, number % 24), user=person,
                  event_type="probe", pseudonym=world.fictional_case.pseudonym)  # fmt: skip
        place_row(f"marker-x{number}", at=utc(2026, 4, 3), user_id=900000 + number,
                  event_type="probe")  # fmt: skip
    assert [queries(url) for url in urls] == before
    assert max(before) <= 10, before


def test_the_log_is_paginated_and_the_filter_kept_across_pages(
    client, auth, world, reader, monkeypatch
):
    monkeypatch.setitem(client.application.config, "ITEMS_PER_PAGE", 5)
    for number in range(12):
        place_row(f"marker-m{number + 10}", at=utc(2026, 5, 1, number), event_type="probe")
    auth.login(reader.email)
    first = client.get("/audit/?soort=probe").get_data(as_text=True)
    assert _markers(first) == ["m21", "m20", "m19", "m18", "m17"]
    assert "Pagina 1 van 3" in first
    assert 'href="/audit/?soort=probe&amp;pagina=2"' in first
    third = client.get("/audit/?soort=probe&pagina=3").get_data(as_text=True)
    assert _markers(third) == ["m11", "m10"]
    pseudonym = world.fictional_case.pseudonym
    for number in range(7):
        place_row(f"marker-c{number}", at=utc(2026, 5, 2, number), pseudonym=pseudonym)
    chronology = client.get(f"/audit/casus/{pseudonym}?pagina=2").get_data(as_text=True)
    assert f'href="/audit/casus/{pseudonym}?pagina=1"' in chronology


@pytest.mark.parametrize("url", ["/audit/", "/audit/gebruiker/1"])
def test_a_page_number_beyond_any_integer_shows_an_empty_page(client, auth, world, reader, url):
    auth.login(reader.email)
    response = client.get(f"{url}?pagina=99999999999999999999999")
    assert response.status_code == 200
    assert "Geen auditregels gevonden." in response.get_data(as_text=True)
