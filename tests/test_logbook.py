"""The logbook's read model (issue 10) against a region whose every number is known
(tests/logbook_world.py): what each section counts, what stays out, and its cost in queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from facilitator.exports import feedback
from facilitator.exports.editions import issue_edition
from facilitator.exports.logbook import (
    SECTIONS,
    LogbookScope,
    last_full_quarter,
    logbook_data,
    logbook_texts,
)
from facilitator.exports.logbook_outline import Heading, outline
from facilitator.extensions import db
from facilitator.meetings.models import Finding, FindingKind, FindingLevel
from facilitator.users.models import Role
from tests import factories
from tests.holding import hold, record_case
from tests.logbook_world import HANDOVER_REASON, make_logbook_world

#: The finding tests/factories.make_world records in Noord's running meeting.
WORLD_FINDING = "Overdracht tussen UWV en gemeente loopt stroef"


@pytest.fixture
def logbook(app):
    built = make_logbook_world()
    with app.test_request_context():
        yield built


def _counts(counts) -> dict[str, int]:
    return {str(c.label): c.count for c in counts}


def test_meetings_count_held_and_cancelled_with_attendance_per_organisation_and_domain(logbook):
    section = logbook_data(logbook.scope()).meetings
    assert (section.held, section.cancelled) == (2, 1)
    assert [(g.group, g.held, g.cancelled) for g in section.per_group] == [
        ("Casusgroep Noord", 2, 0),
        ("Werkgroep Noord", 0, 1),
    ]
    assert [(o.organisation, o.present, o.meetings) for o in section.by_organisation] == [
        ("GGZ Noord", 1, 1),
        ("Gemeente Noord", 2, 2),
    ]
    assert _counts(section.by_domain) == {"Zorg": 1, "Werk & inkomen": 2}


def test_cases_are_counted_by_mode_organisation_benefit_status_and_closure_never_listed(logbook):
    section = logbook_data(logbook.scope()).cases
    # 4 cases: 4 registered, 3 discussed, 1 closed; all from 1 to 4, so "<5" (issue 14)
    small = "<5"
    assert (section.total, section.registered, section.discussed, section.closed) == (small,) * 4
    assert _counts(section.by_privacy_mode) == {
        "Fictief": small,
        "Anoniem": small,
        "Met toestemming": small,
    }
    assert _counts(section.by_organisation) == {"GGZ Noord": small}
    assert _counts(section.by_benefit) == {"Participatiewet": small}
    assert _counts(section.by_status) == {"Besproken": small, "Afgesloten": small}
    assert _counts(section.by_closure_reason) == {"Uitstroom naar betaald werk": small}


def test_findings_are_grouped_by_level_and_kind_with_group_and_date(logbook):
    data = logbook_data(logbook.scope())
    section = data.findings
    assert (section.total, section.knelpunten, section.kansen) == (3, 2, 1)
    assert [(g.level, g.kind, [f.text for f in g.findings]) for g in section.groups] == [
        (FindingLevel.UITVOERING, FindingKind.KNELPUNT, [WORLD_FINDING]),
        (FindingLevel.BELEID, FindingKind.KANS, ["Gezamenlijk budget voor jobcoaching"]),
        (FindingLevel.WETGEVING, FindingKind.KNELPUNT, ["Regels over bijverdienen schrikken af"]),
    ]
    earlier = section.groups[2].findings[0]
    assert (earlier.group, earlier.day) == ("Casusgroep Noord", date.today() - timedelta(30))
    assert sorted(f.text for f in data.signals) == [
        WORLD_FINDING,
        "Regels over bijverdienen schrikken af",
    ]
    every_text = [f.text for g in section.groups for f in g.findings]
    assert "Buiten de periode" not in every_text  # 100 days ago
    assert len(every_text) == 3  # Regio Zuid's finding is not Noord's


def test_actions_show_completion_overdue_and_each_organisation(logbook):
    section = logbook_data(logbook.scope()).actions
    assert (section.total, section.done, section.open, section.dropped) == (4, 1, 2, 1)
    assert section.completion == 33  # 1 done of the 3 not dropped
    assert [a.description for a in section.overdue_actions] == [
        "Werkgever benaderen over een proefplaats"
    ]
    per_organisation = [
        (o.organisation, o.total, o.done, o.open, o.overdue) for o in section.per_organisation
    ]
    assert per_organisation == [("GGZ Noord", 3, 1, 1, 0), ("Gemeente Noord", 1, 0, 1, 1)]


def test_regie_counts_discussed_cases_with_a_regievoerder_and_the_handovers(logbook):
    section = logbook_data(logbook.scope()).regie
    # 3 of 3 discussed cases: small counts, and no share over fewer than 5 cases (issue 14)
    assert (section.discussed, section.with_regievoerder, section.share) == ("<5", "<5", "—")
    [handover] = section.handovers
    assert (handover.from_organisation, handover.to_organisation) == ("GGZ Noord", "Gemeente Noord")
    assert handover.reason == HANDOVER_REASON
    assert _counts(section.by_organisation) == {"GGZ Noord": "<5", "Gemeente Noord": "<5"}


def test_building_blocks_compare_the_first_and_latest_measurement_per_group(logbook):
    [group] = logbook_data(logbook.scope()).building_blocks.groups
    assert group.group == "Casusgroep Noord"
    assert [m.day for m in group.measurements] == [date.today() - timedelta(30), date.today()]
    kennen = group.comparison[0]
    assert (kennen.first, kennen.latest, kennen.change, kennen.average) == (3, 4, 1, 3.5)
    assert [(m.went_well, m.could_be_better) for m in group.remarks] == [
        ("Korte lijnen", "Meer tijd voor acties")
    ]


def test_a_chosen_group_narrows_every_section(logbook):
    data = logbook_data(logbook.scope(logbook.second_group))
    assert (data.meetings.held, data.meetings.cancelled) == (0, 1)
    assert (data.cases.total, data.findings.total, data.actions.total) == (0, 0, 0)
    assert data.building_blocks.groups == ()
    assert data.case_ids == ()


def test_the_outline_holds_every_section_heading_in_order(logbook):
    headings = [b.text for b in outline(logbook_data(logbook.scope())) if isinstance(b, Heading)]
    top = [b for b in headings if b in {str(title) for _, title in SECTIONS}]
    assert top == [
        "Samenvatting",
        "Bijeenkomsten",
        "Casussen",
        "Bevindingen",
        "Signalen voor de beleidsgroep",
        "Vervolgacties",
        "Regievoering",
        "Bouwstenen",
        "Monitoring",
        "Verhalen",
        "Feedback",
    ]


def test_every_text_is_in_scope_of_the_screening_with_a_place_to_correct_it(logbook):
    data = logbook_data(logbook.scope())
    texts = logbook_texts(data)
    screened = {t.text for t in texts}
    assert "Regels over bijverdienen schrikken af" in screened
    assert "Werkgever benaderen over een proefplaats" in screened
    assert HANDOVER_REASON in screened
    assert "Korte lijnen" in screened
    finding = next(t for t in texts if t.text == "Regels over bijverdienen schrikken af")
    finding_id = db.session.scalar(
        select(Finding.id).where(Finding.text == "Regels over bijverdienen schrikken af")
    )
    spot = f"/bijeenkomsten/{logbook.earlier.id}/correcties/bevindingen/{finding_id}"
    assert finding.place.url == spot  # the procesbegeleider lands at it, others at the meeting
    assert finding.place.case_pseudonym == logbook.anonymous_case.pseudonym
    world = logbook.world
    assert set(data.case_ids) == {
        world.fictional_case.id,
        world.consent_case.id,
        logbook.anonymous_case.id,
        logbook.closed_case.id,
    }


def test_the_logbook_costs_the_same_queries_however_much_the_region_did(logbook, count_queries):
    scope = logbook.scope()
    db.session.commit()
    with count_queries() as small:
        logbook_data(scope)
    world = logbook.world
    leader, member = world.users[Role.PROCESBEGELEIDER], world.users[Role.DEELNEMER]
    for number in range(3):
        extra = factories.make_case(world.group, member)
        meeting = factories.make_meeting(world.group, leader, [extra])
        record_case(meeting, extra, leader, member, number=number)
        hold(meeting, leader, member)
    db.session.commit()
    with count_queries() as large:
        data = logbook_data(scope)
    assert data.findings.total == 3 + 6
    # 13: the region (expired by the commit), the logbook's 7 reads, the feedback, the approved
    # stories and the monitoring figures' 3 (its meetings, attendance and building blocks are
    # the logbook's own rows). The suppression of the counts of cases reads nothing.
    assert len(large) == len(small) <= 13, large


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 11, 30), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 1, 1), (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 6, 30), (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_the_default_period_is_the_last_full_quarter(today, quarter):
    assert last_full_quarter(today) == quarter


def test_the_scope_of_the_whole_region_has_no_groups(logbook):
    scope = LogbookScope(logbook.world.region, (), date(2026, 1, 1), date(2026, 3, 31))
    assert scope.group_ids == []


def test_the_feedback_on_the_previous_edition_of_the_same_scope_comes_back(logbook):
    leader = logbook.world.users[Role.PROJECTLEIDER]
    before = logbook.period_from - timedelta(days=1)
    edition = issue_edition(
        region=logbook.world.region,
        groups=[],
        period_from=before - timedelta(days=90),
        period_to=before,
        content=b"PK",
        actor=leader,
    )
    feedback.record_feedback(
        edition,
        body="klankbordgroep",
        given_on=before,
        summary="Werkgevers ontbreken",
        decisions="Een werkgever uitnodigen",
        actor=leader,
    )
    [item] = logbook_data(logbook.scope()).feedback
    assert (str(item.body.label), item.summary, item.decisions) == (
        "Klankbordgroep",
        "Werkgevers ontbreken",
        "Een werkgever uitnodigen",
    )
    assert logbook_data(logbook.scope(logbook.world.group)).feedback == ()
    texts = {t.text for t in logbook_texts(logbook_data(logbook.scope()))}
    assert {"Werkgevers ontbreken", "Een werkgever uitnodigen"} <= texts
