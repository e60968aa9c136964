"""The bodies a logbook edition is put to, kept per region (issue 13): the four defaults of every
region, the screen on which the beheerder and the region's projectleider add, rename and
deactivate them, the feedback form that offers the region's active ones, and the logbook that
names them."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent
from facilitator.exceptions import ServiceError
from facilitator.exports import editions, feedback, feedback_bodies
from facilitator.exports.logbook import LogbookScope, logbook_data
from facilitator.exports.models import FeedbackBody, LogbookFeedback
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.regions import services as regions
from facilitator.users.models import Role
from tests.helpers import post_form

PROJECTLEIDER = "projectleider@noord.example"
BEHEERDER = "beheerder@noord.example"
BSN = "111222333"


def text_of(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return unescape(re.sub(r"\s+", " ", text))


def url(region, rest: str = "") -> str:
    return f"/regios/{region.id}/feedbackorganen{rest}"


def names(region) -> list[str]:
    db.session.expire_all()
    return [b.name for b in feedback_bodies.bodies_of(region.id)]


def body(region, name: str) -> FeedbackBody:
    return next(b for b in feedback_bodies.bodies_of(region.id) if b.name == name)


@pytest.fixture
def edition(world):
    issued = editions.issue_edition(
        region=world.region,
        groups=[world.group],
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        content=b"PK",
        actor=world.users[Role.PROJECTLEIDER],
    )
    db.session.commit()
    return issued


def test_every_region_starts_with_the_four_usual_bodies(world):
    expected = ["Klankbordgroep", "Beleidsgroep", "Projectgroep", "Focusgroep ervaringsdeskundigen"]
    assert names(world.region) == expected
    assert names(world.other_region) == expected
    new = regions.create_region(name="Regio West", actor=None)
    assert names(new) == expected
    assert body(new, "Projectgroep").id != body(world.region, "Projectgroep").id


def test_the_projectleider_adds_renames_and_deactivates_a_body(client, auth, world, edition):
    auth.login(PROJECTLEIDER)
    assert "Feedbackorganen van Regio Noord" in text_of(client.get(url(world.region)))
    assert "De organen waaraan het logboek" in text_of(client.get("/logboek/edities"))

    response = post_form(client, url(world.region), {"name": "  Stuurgroep   werk  "})
    assert response.status_code == 302
    assert names(world.region)[-1] == "Stuurgroep werk"

    stuurgroep = body(world.region, "Stuurgroep werk")
    response = post_form(
        client, url(world.region, f"/{stuurgroep.id}/bewerken"), {"name": "Stuurgroep"}
    )
    assert response.status_code == 302 and "Stuurgroep" in names(world.region)

    deactivate = url(world.region, f"/{stuurgroep.id}/uitzetten")
    assert "Stuurgroep uitzetten?" in text_of(client.get(deactivate))
    assert db.session.get(FeedbackBody, stuurgroep.id).active, "asking is not deactivating"
    assert post_form(client, deactivate).status_code == 302
    db.session.expire_all()
    assert not db.session.get(FeedbackBody, stuurgroep.id).active
    client.get(url(world.region))  # where the flash about it is shown
    page = client.get(f"/logboek/edities/{edition.id}").get_data(as_text=True)
    select_html = page[
        page.index('name="body"') : page.index("</select>", page.index('name="body"'))
    ]
    assert "Projectgroep" in select_html and "Stuurgroep" not in select_html

    activate = url(world.region, f"/{stuurgroep.id}/aanzetten")
    assert post_form(client, activate, token_from=url(world.region)).status_code == 302
    db.session.expire_all()
    assert db.session.get(FeedbackBody, stuurgroep.id).active
    events = db.session.scalars(
        select(AuditEvent.event_type)
        .where(AuditEvent.object_type == "feedback_body")
        .order_by(AuditEvent.id)
    ).all()
    assert events == [
        "feedback_body_added",
        "feedback_body_renamed",
        "feedback_body_deactivated",
        "feedback_body_activated",
    ]


def test_the_beheerder_keeps_the_bodies_of_every_region(client, auth, world):
    auth.login(BEHEERDER)
    assert "Feedbackorganen" in text_of(client.get("/beheer/regios"))
    response = post_form(client, url(world.other_region), {"name": "Projectgroep Zuid"})
    assert response.status_code == 302
    assert "Projectgroep Zuid" in names(world.other_region)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (f"Groep van {BSN}", "BSN"),
        ("Klankbord\u202egroep", "tekens die niet zijn toegestaan"),
        ("Proj\u200bectgroep", "onzichtbare tekens"),
        ("projectgroep", "al een orgaan met die naam"),
        ("x" * 121, "120"),
        ("   ", ""),
    ],
)
def test_hostile_or_doubled_names_are_refused(client, auth, world, name, message):
    before = names(world.region)
    auth.login(PROJECTLEIDER)
    response = post_form(client, url(world.region), {"name": name})
    assert response.status_code == 200
    assert message.lower() in text_of(response).lower()
    assert names(world.region) == before
    assert BSN not in " ".join(db.session.scalars(select(FeedbackBody.name)))


def test_a_rename_is_guarded_as_an_addition_is(client, auth, world):
    auth.login(PROJECTLEIDER)
    target = body(world.region, "Projectgroep")
    response = post_form(
        client, url(world.region, f"/{target.id}/bewerken"), {"name": f"Projectgroep {BSN}"}
    )
    assert response.status_code == 200
    assert names(world.region)[2] == "Projectgroep"


def test_another_regions_bodies_are_refused_and_logged(client, auth, world):
    auth.login(PROJECTLEIDER)
    foreign = body(world.other_region, "Projectgroep")
    assert client.get(url(world.other_region)).status_code == 403
    assert client.get(url(world.other_region, f"/{foreign.id}/bewerken")).status_code == 403
    # Under the user's own region: the body is not of it.
    response = post_form(
        client,
        url(world.region, f"/{foreign.id}/uitzetten"),
        token_from=url(world.region),
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(FeedbackBody, foreign.id).active
    assert client.get(url(world.region, "/999999/bewerken")).status_code == 404
    denials = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.outcome == "denied")
    )
    assert denials >= 3


@pytest.mark.parametrize("persona", [Role.PROCESBEGELEIDER, Role.DEELNEMER])
def test_the_groups_people_do_not_keep_the_bodies(client, auth, world, persona):
    auth.login(world.users[persona].email)
    assert client.get(url(world.region)).status_code == 403


def test_the_last_active_body_stays(world):
    leader = world.users[Role.PROJECTLEIDER]
    bodies = feedback_bodies.bodies_of(world.region.id)
    for entry in bodies[:-1]:
        feedback_bodies.set_body_active(entry, False, actor=leader)
    with pytest.raises(ServiceError):
        feedback_bodies.set_body_active(bodies[-1], False, actor=leader)


def _entry(body_id: str, **changes) -> dict:
    return {
        "body": body_id,
        "given_on": (local_today() - timedelta(days=2)).isoformat(),
        "summary": "De projectgroep neemt de aanbevelingen van de werkgroep over.",
        "decisions": "",
        **changes,
    }


def test_the_feedback_form_chooses_from_the_regions_active_bodies(client, auth, world, edition):
    auth.login(PROJECTLEIDER)
    page = f"/logboek/edities/{edition.id}"
    foreign = body(world.other_region, "Projectgroep")
    assert post_form(client, page, _entry(str(foreign.id))).status_code == 200
    projectgroep = body(world.region, "Projectgroep")
    assert post_form(client, page, _entry(str(projectgroep.id))).status_code == 302
    [entry] = db.session.scalars(select(LogbookFeedback)).all()
    assert entry.body_id == projectgroep.id

    # Deactivated: offered no more for new feedback, kept for the feedback that names it.
    feedback_bodies.set_body_active(projectgroep, False, actor=world.users[Role.PROJECTLEIDER])
    db.session.commit()
    assert post_form(client, page, _entry(str(projectgroep.id))).status_code == 200
    edit = f"{page}/feedback/{entry.id}/bewerken"
    assert "Projectgroep" in text_of(client.get(edit))
    assert (
        post_form(client, edit, _entry(str(projectgroep.id), decisions="Vastgesteld")).status_code
        == 302
    )
    # A renamed body renames its feedback: it is one row.
    feedback_bodies.rename_body(
        projectgroep, name="Projectgroep werk", actor=world.users[Role.PROJECTLEIDER]
    )
    db.session.commit()
    assert "Projectgroep werk" in text_of(client.get(page))


def test_a_trekkers_one_group_logbook_names_the_projectgroep_in_the_next_edition(world, edition):
    """The werkgroep's results go to the projectgroep with the logbook of that one group; the
    next edition of the same group reports back what the projectgroep said."""
    leader = world.users[Role.PROJECTLEIDER]
    feedback.record_feedback(
        edition,
        body=body(world.region, "Projectgroep").id,
        given_on=date(2026, 4, 14),
        summary="De projectgroep wil de werkwijze regionaal invoeren.",
        decisions="",
        actor=leader,
    )
    db.session.commit()
    scope = LogbookScope(world.region, (world.group,), date(2026, 4, 1), date(2026, 6, 30))
    [item] = logbook_data(scope).feedback
    assert item.body.label == "Projectgroep"


def test_the_bodies_page_reads_a_fixed_number_of_queries(client, auth, world, count_queries):
    auth.login(PROJECTLEIDER)
    leader = world.users[Role.PROJECTLEIDER]

    def queries() -> int:
        db.session.expire_all()
        with count_queries() as counted:
            assert client.get(url(world.region)).status_code == 200
        return len(counted)

    few = queries()
    for number in range(12):
        feedback_bodies.add_body(world.region, name=f"Werkgroep {number}", actor=leader)
    db.session.commit()
    assert queries() == few


def test_a_name_that_differs_only_in_the_case_of_any_script_is_the_same_name(world):
    """SQLite's lower() folds ASCII only: the check folds in Python, before the unique index
    would raise (found by the form fuzzing)."""
    leader = world.users[Role.PROJECTLEIDER]
    feedback_bodies.add_body(world.region, name="Ĉentrumgroep Ærø", actor=leader)
    with pytest.raises(ServiceError, match=r"al een orgaan|already has a body"):
        feedback_bodies.add_body(world.region, name="ĉentrumgroep ærø", actor=leader)
    with pytest.raises(ServiceError):
        feedback_bodies.rename_body(
            body(world.region, "Projectgroep"), name="ĈENTRUMGROEP ÆRØ", actor=leader
        )


def test_a_chart_draws_a_name_in_any_script_without_a_warning():
    """A group named in a script the chart's font lacks (found by the form fuzzing, where
    warnings are errors): the chart shows "?" for it, the text alternative the name."""
    import warnings

    from facilitator.exports.charts import drawable, empty_chart

    assert drawable("Werkgroep 삺 Ærø \U0007d403") == "Werkgroep ? Ærø ?"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert empty_chart("Werkgroep 삺").startswith(b"\x89PNG")
