"""Stories through HTTP (issue 14): a member writes a klantverhaal, submits it, the group's
procesbegeleider approves or sends it back; who may do what; hostile text and stale versions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.stories import services as stories
from facilitator.stories.models import Story, StoryStatus
from facilitator.users.models import Role
from tests import factories
from tests.helpers import AuthActions, csrf_token, post_form

MEMBER = "deelnemer@noord.example"
OTHER_MEMBER = "extra@noord.example"
LEADER = "procesbegeleider@noord.example"
TEXT = "Na twee jaar thuis begon hij met twaalf uur per week in een bakkerij."


def fresh(story_id: int) -> Story | None:
    db.session.expire_all()
    return db.session.get(Story, story_id)


def count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Story.id)))


def written(world, *, by=Role.DEELNEMER, status: StoryStatus = StoryStatus.CONCEPT, case=None):
    """A story of the world's group, moved on to ``status`` through the services."""
    author = world.users[by] if isinstance(by, Role) else by
    story = stories.write_story(
        world.group, kind="klantverhaal", title="Aan het werk", text=TEXT, case=case, actor=author
    )
    if status != StoryStatus.CONCEPT:
        stories.submit_story(story, actor=author)
    if status == StoryStatus.GOEDGEKEURD:
        stories.approve_story(story, actor=world.users[Role.PROCESBEGELEIDER])
    if status == StoryStatus.TERUGGESTUURD:
        stories.send_back_story(story, reason="Korter", actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    return story


def login(app, email: str):
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def form(title: str = "Aan het werk", text: str = TEXT, **extra) -> dict:
    return {"kind": "klantverhaal", "title": title, "text": text, "case_id": "0", **extra}


def step(client, story: Story, name: str, **data):
    page = f"/verhalen/{story.id}"
    return post_form(client, f"{page}/{name}", {"version": story.version, **data}, token_from=page)


# --- the whole way: write, submit, approve, send back ---------------------------------------


def test_a_member_writes_and_submits_and_the_procesbegeleider_approves(app, world):
    member = login(app, MEMBER)
    page = member.get(f"/groepen/{world.group.id}/verhalen").get_data(as_text=True)
    assert "Nog geen verhalen" in page and "Verhaal schrijven" in page
    data = form(case_id=str(world.fictional_case.id))
    response = post_form(member, f"/groepen/{world.group.id}/verhalen/nieuw", data)
    assert response.status_code == 302
    story = db.session.scalars(select(Story)).one()
    assert (story.status, story.case_id, story.written_by.email) == (
        StoryStatus.CONCEPT,
        world.fictional_case.id,
        MEMBER,
    )
    assert step(member, story, "indienen").status_code == 302
    assert fresh(story.id).status == StoryStatus.INGEDIEND
    listed = member.get(f"/groepen/{world.group.id}/verhalen").get_data(as_text=True)
    assert "Wacht op goedkeuring" in listed and world.fictional_case.pseudonym in listed

    leader = login(app, LEADER)
    detail = leader.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Goedkeuren" in detail and "Terugsturen" in detail
    assert step(leader, fresh(story.id), "goedkeuren").status_code == 302
    story = fresh(story.id)
    assert story.status == StoryStatus.GOEDGEKEURD
    assert story.approved_by.email == LEADER and story.approved_at is not None
    events = db.session.scalars(
        select(AuditEvent.event_type)
        .where(AuditEvent.object_type == "story")
        .order_by(AuditEvent.id)
    ).all()
    assert events == ["story_written", "story_submitted", "story_approved"]


def test_the_procesbegeleider_sends_a_story_back_with_a_reason_and_the_author_resubmits(app, world):
    story = written(world, status=StoryStatus.INGEDIEND)
    leader = login(app, LEADER)
    empty = step(leader, story, "terugsturen", reason="   ")
    assert empty.status_code == 422
    assert fresh(story.id).status == StoryStatus.INGEDIEND
    reason = "Laat de naam van de bakkerij weg."
    assert step(leader, fresh(story.id), "terugsturen", reason=reason).status_code == 302
    assert (fresh(story.id).status, fresh(story.id).sent_back_reason) == (
        StoryStatus.TERUGGESTUURD,
        reason,
    )
    member = login(app, MEMBER)
    assert reason in member.get(f"/verhalen/{story.id}").get_data(as_text=True)
    response = post_form(
        member,
        f"/verhalen/{story.id}/bewerken",
        form(text="Hij begon in een bakkerij.", version=fresh(story.id).version),
    )
    assert response.status_code == 302
    assert step(member, fresh(story.id), "indienen").status_code == 302
    assert fresh(story.id).status == StoryStatus.INGEDIEND


def test_editing_an_approved_story_sends_it_back_for_approval(app, world):
    story = written(world, status=StoryStatus.GOEDGEKEURD)
    member = login(app, MEMBER)
    edit_page = member.get(f"/verhalen/{story.id}/bewerken").get_data(as_text=True)
    assert "opnieuw ter goedkeuring" in edit_page
    response = post_form(
        member, f"/verhalen/{story.id}/bewerken", form(text="Anders", version=story.version)
    )
    assert response.status_code == 302
    story = fresh(story.id)
    assert (story.status, story.approved_by_id, story.text) == (
        StoryStatus.INGEDIEND,
        None,
        "Anders",
    )


def test_a_draft_is_deleted_after_its_confirmation_page(app, world):
    story = written(world)
    member = login(app, MEMBER)
    page = member.get(f"/verhalen/{story.id}/verwijderen")
    assert page.status_code == 200 and "verwijderen?" in page.get_data(as_text=True)
    assert count() == 1
    response = post_form(member, f"/verhalen/{story.id}/verwijderen")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/groepen/{world.group.id}/verhalen"
    assert count() == 0
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.event_type == "story_deleted"))


def test_a_submitted_story_is_no_draft_to_delete(app, world):
    story = written(world, status=StoryStatus.INGEDIEND)
    member = login(app, MEMBER)
    assert member.get(f"/verhalen/{story.id}/verwijderen").status_code == 403
    token = csrf_token(member, f"/verhalen/{story.id}")
    response = member.post(f"/verhalen/{story.id}/verwijderen", data={"csrf_token": token})
    assert response.status_code == 403
    assert count() == 1


def test_approving_twice_is_refused_with_a_message(app, world):
    story = written(world, status=StoryStatus.GOEDGEKEURD)
    leader = login(app, LEADER)
    response = step(leader, story, "goedkeuren")
    assert response.status_code == 302
    page = leader.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Alleen een verhaal dat op goedkeuring wacht" in page


# --- who may do what ---------------------------------------------------------------------


@pytest.fixture
def second_group(world):
    """Another group of the same region, with its own procesbegeleider."""
    leader = factories.make_user(
        world.gemeente, Role.PROCESBEGELEIDER, email="pb2@noord.example", name="Tweede Leider"
    )
    group = factories.make_group(world.region, "Casusgroep West", leader=leader)
    db.session.commit()
    return group


@pytest.mark.parametrize(
    ("email", "read", "edit", "approve"),
    [
        (MEMBER, 200, 200, 403),  # the author
        (OTHER_MEMBER, 200, 403, 403),  # another member: reads, does not edit
        (LEADER, 200, 200, 200),  # the group's procesbegeleider
        ("pb2@noord.example", 403, 403, 403),  # the procesbegeleider of another group
        ("pb@zuid.example", 403, 403, 403),  # of another region
        ("projectleider@noord.example", 200, 403, 403),  # reads the region, read-only
        ("beheerder@noord.example", 403, 403, 403),  # never client data
        ("beleidsgroeplid@noord.example", 403, 403, 403),  # never a pseudonym
    ],
)
def test_who_reads_edits_and_approves_a_story(app, world, second_group, email, read, edit, approve):
    story = written(world, status=StoryStatus.INGEDIEND)
    client = login(app, email)
    assert client.get(f"/groepen/{world.group.id}/verhalen").status_code == read
    assert client.get(f"/verhalen/{story.id}").status_code == read
    assert client.get(f"/verhalen/{story.id}/bewerken").status_code == edit
    token = csrf_token(client, "/account/")
    response = client.post(
        f"/verhalen/{story.id}/goedkeuren", data={"csrf_token": token, "version": story.version}
    )
    assert response.status_code == (302 if approve == 200 else 403)
    expected = StoryStatus.GOEDGEKEURD if approve == 200 else StoryStatus.INGEDIEND
    assert fresh(story.id).status == expected


def test_a_refusal_is_logged_with_the_story(app, world):
    story = written(world)
    client = login(app, "projectleider@noord.example")
    assert client.get(f"/verhalen/{story.id}/bewerken").status_code == 403
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.DENIED)
    ).all()[-1]
    assert (denial.object_type, denial.object_id, denial.check_result) == (
        "stories",
        str(story.id),
        "can_edit_story",
    )


def test_the_projectleider_reads_but_is_offered_no_writing(app, world):
    written(world)
    client = login(app, "projectleider@noord.example")
    page = client.get(f"/groepen/{world.group.id}/verhalen").get_data(as_text=True)
    assert "Aan het werk" in page and "Verhaal schrijven" not in page
    assert client.get(f"/groepen/{world.group.id}/verhalen/nieuw").status_code == 403


def test_the_group_page_links_to_the_stories_for_its_readers_only(app, world):
    member = login(app, MEMBER)
    link = f'href="/groepen/{world.group.id}/verhalen"'
    assert link in member.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    beheerder = login(app, "beheerder@noord.example")
    assert link not in beheerder.get(f"/groepen/{world.group.id}").get_data(as_text=True)


def test_another_groups_case_in_the_form_is_refused_and_nothing_stored(app, world):
    member = login(app, MEMBER)
    url = f"/groepen/{world.group.id}/verhalen/nieuw"
    response = post_form(member, url, form(case_id=str(world.other_case.id)))
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True) or "geldige" in (
        response.get_data(as_text=True)
    )
    assert count() == 0


def test_the_service_refuses_another_groups_case_too(app, world):
    with pytest.raises(stories.ServiceError):
        stories.write_story(
            world.group,
            kind="klantverhaal",
            title="x",
            text="y",
            case=world.other_case,
            actor=world.users[Role.DEELNEMER],
        )


# --- hostile text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("text", "Zijn BSN is 2431.80.226, hij werkt nu.", "BSN"),
        ("title", "BSN 243180226", "BSN"),
        ("text", "Hij \u202ewerkt\u202c nu", "niet zijn toegestaan"),
        ("title", "Aan \u2067het\u2069 werk", "niet zijn toegestaan"),
        ("text", "x" * 100_000, "niet langer"),
        ("title", "x" * 100_000, "niet langer"),
        ("text", "Casus QF-7K3 werkt nu twintig uur.", "pseudoniem"),
    ],
)
def test_hostile_text_is_refused_with_a_clear_message_and_nothing_stored(
    app, world, field, value, message
):
    member = login(app, MEMBER)
    response = post_form(
        member, f"/groepen/{world.group.id}/verhalen/nieuw", form(**{field: value})
    )
    assert response.status_code == 200
    errors = re.findall(r'<p class="error"[^>]*>([^<]*)</p>', response.get_data(as_text=True))
    assert any(message in error for error in errors), errors
    assert count() == 0


def test_the_groups_own_pseudonym_is_refused_in_any_spelling(app, world):
    member = login(app, MEMBER)
    text = f"Over {world.fictional_case.pseudonym.lower()}: hij werkt."
    response = post_form(member, f"/groepen/{world.group.id}/verhalen/nieuw", form(text=text))
    assert "pseudoniem" in response.get_data(as_text=True)
    assert count() == 0


def test_a_bsn_in_the_reason_for_sending_back_is_refused(app, world):
    story = written(world, status=StoryStatus.INGEDIEND)
    leader = login(app, LEADER)
    response = step(leader, story, "terugsturen", reason="Haal BSN 2431.80.226 weg")
    assert response.status_code == 422
    assert "BSN" in response.get_data(as_text=True)
    assert fresh(story.id).status == StoryStatus.INGEDIEND
    assert fresh(story.id).sent_back_reason == ""


def test_a_hostile_edit_keeps_the_story_as_it_was(app, world):
    story = written(world)
    member = login(app, MEMBER)
    response = post_form(
        member,
        f"/verhalen/{story.id}/bewerken",
        form(text="BSN 2431.80.226", version=story.version),
    )
    assert response.status_code == 200 and "BSN" in response.get_data(as_text=True)
    assert (fresh(story.id).text, fresh(story.id).version) == (TEXT, story.version)


# --- stale versions ----------------------------------------------------------------------


def test_a_stale_edit_is_refused_and_shows_both_texts(app, world):
    story = written(world)
    seen = story.version
    stories.edit_story(
        story,
        kind="klantverhaal",
        title="Aan het werk",
        text="Wat de procesbegeleider schreef.",
        case=None,
        actor=world.users[Role.PROCESBEGELEIDER],
    )
    db.session.commit()
    member = login(app, MEMBER)
    mine = "Wat ik schreef, en niet kwijt wil."
    response = post_form(member, f"/verhalen/{story.id}/bewerken", form(text=mine, version=seen))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert mine in page and "Wat de procesbegeleider schreef." in page
    assert fresh(story.id).text == "Wat de procesbegeleider schreef."
    again = post_form(
        member,
        f"/verhalen/{story.id}/bewerken",
        form(text=mine, version=fresh(story.id).version),
    )
    assert again.status_code == 302 and fresh(story.id).text == mine


def test_approving_a_version_that_changed_since_is_refused(app, world):
    story = written(world, status=StoryStatus.INGEDIEND)
    seen = story.version
    stories.edit_story(
        story,
        kind="klantverhaal",
        title="Aan het werk",
        text="Later veranderd.",
        case=None,
        actor=world.users[Role.DEELNEMER],
    )
    db.session.commit()
    leader = login(app, LEADER)
    token = csrf_token(leader, f"/verhalen/{story.id}")
    response = leader.post(
        f"/verhalen/{story.id}/goedkeuren", data={"csrf_token": token, "version": seen}
    )
    assert response.status_code == 302
    assert fresh(story.id).status == StoryStatus.INGEDIEND
    assert "iemand anders" in leader.get(f"/verhalen/{story.id}").get_data(as_text=True).lower()


def test_a_stale_send_back_keeps_the_reason_and_the_second_try_sends_it(app, world):
    story = written(world, status=StoryStatus.INGEDIEND)
    seen = story.version
    stories.edit_story(
        story,
        kind="klantverhaal",
        title="Aan het werk",
        text="Intussen aangepast.",
        case=None,
        actor=world.users[Role.DEELNEMER],
    )
    db.session.commit()
    leader = login(app, LEADER)
    reason = "Graag zonder de naam van de werkgever."
    response = step(leader, story, "terugsturen", reason=reason, version=seen)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert reason in page and "Iemand anders" in page
    assert fresh(story.id).status == StoryStatus.INGEDIEND
    send_back_form = page[page.index('/terugsturen"') :]
    current = re.search(r'name="version" type="hidden" value="(\d+)"', send_back_form).group(1)
    assert int(current) == fresh(story.id).version
    again = step(leader, fresh(story.id), "terugsturen", reason=reason, version=current)
    assert again.status_code == 302
    assert fresh(story.id).status == StoryStatus.TERUGGESTUURD
