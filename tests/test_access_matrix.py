"""The access matrix (SECURITY.md A7): every route, by every role, with the objects of another
group and of another region: 403 or 404, never 2xx, 3xx or 5xx, and each 403 with its audit row.

The routes come from the URL map: every route with an object id in its URL is requested, GET
and POST (with a valid CSRF token, so what refuses is the access check), by each persona with
the ids of a site that is not theirs (tests/access_world.py). A new route is covered as soon as
it exists; a new kind of URL variable fails until ``OBJECT_IDS`` or ``NOT_OBJECTS`` names it.
What a role may legitimately do across groups is in ``ACROSS``, one table, with the reason; such
a cell is read (GET must answer, showing no identity, and no pseudonym to the beheerder) and not
posted to (the functional tests change things; the world here stays as built for every persona).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from facilitator.extensions import db
from facilitator.users.models import Role
from tests.access_cells import (
    MEETING_FREE,
    NOT_OBJECTS,
    OBJECT_IDS,
    Cell,
    new_denials,
    object_routes,
    variables,
)
from tests.access_world import make_access_world
from tests.conftest import empty_database
from tests.helpers import AuthActions, csrf_token

SAME_REGION = "another group of the same region"
OTHER_REGION = "another region"
B, PL, PB, D = Role.BEHEERDER, Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER
BGL = Role.BELEIDSGROEPLID

#: Who reaches which site from where: (persona, site, relation). The beheerder belongs to no
#: group: sites B and Z are simply two groups, one in their organisation's region.
VISITS = {
    "anonymous": {"A": OTHER_REGION},
    "beheerder": {"B": SAME_REGION, "Z": OTHER_REGION},
    "pl.Noord": {"B": SAME_REGION, "Z": OTHER_REGION},
    # The beleidsgroeplid of Noord belongs to no group: site B is one of its region's groups.
    "bgl.Noord": {"B": SAME_REGION, "Z": OTHER_REGION},
    "pb.A": {"B": SAME_REGION, "Z": OTHER_REGION},
    "d.A": {"B": SAME_REGION, "Z": OTHER_REGION},
    # Region Noord's other group, seen from B; Zuid's people, seen from Noord (site Z is
    # visited from A already, so B's people do not visit it again).
    "pb.B": {"A": SAME_REGION},
    "d.B": {"A": SAME_REGION},
    "pl.Zuid": {"A": OTHER_REGION},
    "pb.Z": {"A": OTHER_REGION},
    "d.Z": {"A": OTHER_REGION},
}
ANYWHERE = (SAME_REGION, OTHER_REGION)
#: A URL whose first object is the persona's own and the rest another site's: never allowed.
MIXED = "own parent, foreign child"
#: The site whose first object a persona may reach, for the mixed URLs.
HOME = {
    "beheerder": "A",
    "pl.Noord": "A",
    "bgl.Noord": "A",
    "pb.A": "A",
    "d.A": "A",
    "pb.B": "B",
    "d.B": "B",
    "pl.Zuid": "Z",
    "pb.Z": "Z",
    "d.Z": "Z",
}


@dataclass(frozen=True)
class Across:
    endpoints: tuple[str, ...]
    who: frozenset[tuple[Role, str]]
    reason: str


def _who(*pairs: tuple[Role, tuple[str, ...] | str]) -> frozenset[tuple[Role, str]]:
    return frozenset(
        (role, relation)
        for role, relations in pairs
        for relation in ((relations,) if isinstance(relations, str) else relations)
    )


#: Every cell where a user legitimately reaches an object outside their own groups.
ACROSS = (
    Across(
        (
            "regions.region_edit",
            "regions.region_delete",
            "regions.organisation_edit",
            "regions.organisation_delete",
            "house_style.edit",
            "house_style.sample",
            "house_style.remove",
            *(
                f"users.user_{name}"
                for name in (
                    "edit",
                    "deactivate",
                    "reactivate",
                    "unlock",
                    "reset_password",
                    "reset_two_factor",
                    "audit_right",
                )
            ),
        ),
        _who((B, ANYWHERE)),
        "the beheerder keeps regions, organisations, users and house styles everywhere",
    ),
    Across(
        tuple(
            f"groups.group_{name}"
            for name in (
                "detail",
                "edit",
                "archive",
                "reopen",
                "members",
                "member_remove",
                "criteria",
                "criterion_retire",
            )
        ),
        _who((B, ANYWHERE), (PL, SAME_REGION)),
        "groups are managed by the beheerder and by the projectleider of their region",
    ),
    Across(
        (
            *(
                f"meetings.{name}"
                for name in (
                    "meeting_plan",
                    "meeting_edit",
                    "meeting_detail",
                    "attendance_set",
                    "guest_add",
                    "guest_edit",
                    "guest_remove",
                    "meeting_cancel",
                )
            ),
            "calendars.meeting_ics",
            "corrections.finding_spot",
            "corrections.blocks_spot",
        ),
        _who((B, ANYWHERE), (PL, SAME_REGION)),
        "who manages a group plans its meetings; these pages show no case (the spots lead "
        "them to the meeting's record)",
    ),
    Across(
        (
            "cases.case_detail",
            "privacy.identity_show",
            "actions.board",
            "actions.action_detail",
            "meetings.agenda_add",
            "meetings.agenda_remove",
            "meetings.agenda_move",
            "meetings.case_presence",
            "meeting_table.table_presence",
            "facilitate.presentation",
            "facilitate.presentation_state",
            "minutes.download",
            "preparation.prepare",
            "logbook.building_blocks_png",
            "logbook_feedback.feedback_edit",
            "logbook_feedback.feedback_delete",
            "series.detail",
            "signals.region_list",
            "signals.signal_detail",
            "stories.story_list",
            "stories.story_detail",
        ),
        _who((PL, SAME_REGION)),
        "the projectleider reads every group of the region under pseudonym, shapes its "
        "agendas and keeps the region's logbook",
    ),
    Across(
        ("logbook_feedback.edition_detail", "logbook_feedback.edition_download", "dashboard.page"),
        _who((PL, SAME_REGION), (BGL, SAME_REGION)),
        "the region's issued logbook editions and its dashboard count cases and name none: the "
        "projectleider and the beleidsgroepleden of the region read them",
    ),
    Across(
        tuple(
            f"feedback_bodies.{name}"
            for name in ("body_list", "body_edit", "body_deactivate", "body_activate")
        ),
        _who((B, ANYWHERE), (PL, SAME_REGION)),
        "the bodies a logbook is put to belong to the region: the beheerder everywhere, the "
        "projectleider in their own region",
    ),
    Across(
        ("monitoring.figures_page", "monitoring.figures_csv", "monitoring.figures_chart"),
        _who((PL, SAME_REGION), (BGL, SAME_REGION)),
        "the region's figures, suppressed and without a pseudonym: its projectleider and its "
        "beleidsgroepleden",
    ),
    Across(
        ("contacts.contact_edit", "contacts.contact_deactivate", "contacts.contact_activate"),
        _who((B, ANYWHERE), (PB, SAME_REGION)),
        "contacts belong to the region, not to a group: the beheerder everywhere, a "
        "procesbegeleider in their own region",
    ),
)


def _allowed_across() -> dict[str, frozenset[tuple[Role, str]]]:
    table: dict[str, frozenset[tuple[Role, str]]] = {}
    for entry in ACROSS:
        for endpoint in entry.endpoints:
            assert endpoint not in table, f"{endpoint} twice in ACROSS"
            table[endpoint] = entry.who
    return table


ALLOWED = _allowed_across()
#: Cells of ACROSS that are posted to all the same: the post changes nothing and must not
#: show what it guards.
POSTED_ACROSS = {
    "privacy.identity_show": "the projectleider may ask, but stands outside the consent scope: "
    "refused inside and logged (tests/test_guard.py), the identity is not shown",
}


@pytest.fixture(scope="module")
def matrix(_app):
    """One world for the whole module: the matrix only reads it (every post it sends is
    refused and rolled back)."""
    with _app.app_context():
        world = make_access_world()
        db.session.remove()
        yield world
        empty_database()


def test_every_url_variable_is_an_object_id_or_explained(_app):
    unknown = {
        (rule.endpoint, name)
        for rule in _app.url_map.iter_rules()
        for name in rule.arguments
        if name not in OBJECT_IDS and name not in NOT_OBJECTS
    }
    assert not unknown, f"add these URL variables to OBJECT_IDS or NOT_OBJECTS: {unknown}"
    endpoints = {rule.endpoint for rule in _app.url_map.iter_rules()}
    assert set(ALLOWED) <= endpoints, set(ALLOWED) - endpoints
    assert len(object_routes(_app)) >= 80  # a floor: the filter still finds the routes


def _verdict(person, cell, response, denials) -> str | None:
    """What is wrong with the answer to a refused request, or None."""
    status = response.status_code
    if person is None:
        if status == 302 and response.location.startswith("/login"):
            return None
        return "anonymous not sent to the login page"
    if status not in (403, 404):
        return "not refused"
    if status == 404:
        return "a denial row with a 404" if denials else None
    if len(denials) != 1:
        return f"{len(denials)} denial rows for one 403"
    row = denials[0]
    if row.user_id != person.user_id or not cell.names(row):
        return f"denial row names {row.user_id} {row.object_type}:{row.object_id}"
    return None


def _shown_across(person, site, response) -> str | None:
    """What is wrong with a page a user legitimately reads across groups, or None: it must
    answer, show no client's identity, and no case pseudonym to the beheerder or the
    beleidsgroeplid."""
    if response.status_code == 302:
        return "sent to log in" if response.location.startswith("/login") else None
    if response.status_code != 200:
        return "allowed across, but refused"
    body = response.get_data()
    blind = person.role in (Role.BEHEERDER, Role.BELEIDSGROEPLID)  # they see no case
    hidden = site.identity + (site.pseudonyms if blind else ())
    shown = [text for text in hidden if text.encode() in body]
    return f"shows {shown}" if shown else None


def _cells(app, world, persona: str):
    """Every object route with each foreign site's ids; then, for routes with two objects or
    more, the persona's own first object (a group, a meeting, an edition) with the rest foreign."""
    home = HOME.get(persona)
    for site, relation in VISITS[persona].items():
        foreign = world.sites[site].ids
        for rule in object_routes(app):
            yield Cell(site, "", relation, rule, foreign)
            for state, meeting in world.sites[site].meetings.items():  # then the other states
                if "meeting_id" in rule.arguments and rule.arguments & set(OBJECT_IDS) <= {
                    *meeting,
                    *MEETING_FREE,
                }:
                    yield Cell(site, state, relation, rule, {**foreign, **meeting})
            if home is None:
                continue
            parent, *children = [name for name in variables(rule) if name in OBJECT_IDS]
            own = world.sites[home].ids
            # Only where the children differ: sites A and B share region Noord's edition.
            if children and all(own[name] != foreign[name] for name in [parent, *children]):
                variant = f"{parent} of {home}"
                yield Cell(site, variant, MIXED, rule, {**foreign, parent: own[parent]})


@pytest.mark.parametrize("persona", list(VISITS))
def test_nobody_reaches_another_groups_or_regions_objects(_app, matrix, persona):
    person = matrix.people.get(persona)
    client = _app.test_client()
    if person is not None:
        AuthActions(client).login(person.email)
    token = csrf_token(client, "/login" if person is None else "/account/")
    last_id, _ = new_denials(0)
    failures, figures = [], Counter()
    for cell in _cells(_app, matrix, persona):
        endpoint = cell.rule.endpoint
        allowed = person is not None and (person.role, cell.relation) in ALLOWED.get(endpoint, ())
        figures["cells"] += 1
        for method in sorted(cell.rule.methods & {"GET", "POST"}):
            if allowed and method == "POST" and endpoint not in POSTED_ACROSS:
                figures["allowed, not posted"] += 1
                continue
            figures["requests"] += 1
            try:
                response = _ask(client, method, cell.url, token)
            except Exception as error:  # TESTING propagates what would be a 500
                failures.append((cell.label, method, endpoint, 500, repr(error)))
                continue
            last_id, denials = new_denials(last_id)
            figures[f"status {response.status_code}"] += 1
            if allowed:
                problem = _shown_across(person, matrix.sites[cell.site], response)
            else:
                problem = _verdict(person, cell, response, denials)
            if problem:
                failures.append((cell.label, method, endpoint, response.status_code, problem))
    print(persona, dict(figures))
    assert not failures, "\n".join(map(str, failures))


def _ask(client, method: str, url: str, token: str):
    data = {"csrf_token": token} if method == "POST" else None
    response = client.open(url, method=method, data=data)
    response.get_data()  # read a streamed file whole, then let it go
    response.close()
    return response
