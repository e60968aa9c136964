"""A case's pseudonym is found however it is written (cases.mentions): in any letter case, with
any dash (hyphen, non-breaking hyphen, figure dash, en and em dash, minus sign) and with
zero-width characters inside; the dashboard masks it, the decision and the story refuse it."""

from __future__ import annotations

import pytest

from facilitator.cases.mentions import MASK, mask_cases, named_cases
from facilitator.dashboard.queries import dashboard_data
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import records, run
from facilitator.signals import queries
from facilitator.users.models import Role
from tests.signal_helpers import follow_up, held_with_signal

DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def _variants(pseudonym: str) -> list[str]:
    dashed = [pseudonym.replace("-", dash) for dash in DASHES]
    hidden = [pseudonym[:1] + zw + pseudonym[1:] for zw in ZERO_WIDTH]
    hidden += [pseudonym.replace("-", zw + "-" + zw) for zw in ZERO_WIDTH]
    return dashed + hidden + [v.lower() for v in dashed + hidden]


def test_every_variant_names_the_case(world):
    pseudonym = world.fictional_case.pseudonym
    for written in _variants(pseudonym):
        assert named_cases([f"Net als bij {written}, zie ook"]) == [pseudonym], repr(written)


def test_a_shape_that_is_no_case_or_part_of_a_longer_word_names_nothing(world):
    pseudonym = world.fictional_case.pseudonym
    assert named_cases(["Code ZZ-ZZZ is geen casus", f"X{pseudonym}", f"{pseudonym}Q"]) == []


def test_the_mask_replaces_each_variant_and_keeps_the_rest(world):
    first, second = world.fictional_case.pseudonym, world.consent_case.pseudonym
    for written in _variants(first):
        text = f"Bij {written} en {second.lower()} liep het vast; ZZ-ZZZ is geen casus."
        assert mask_cases([text, ""]) == [
            f"Bij {MASK} en {MASK} liep het vast; ZZ-ZZZ is geen casus.",
            "",
        ], repr(written)


def test_the_mask_reads_all_texts_in_one_query(world, count_queries):
    texts = [f"Casus {world.fictional_case.pseudonym} nummer {n}" for n in range(20)]
    with count_queries() as seen:
        masked = mask_cases(texts)
    assert len(seen) == 1 and all(MASK in text for text in masked)
    with count_queries() as none:
        assert mask_cases(["Niets te zien"]) == ["Niets te zien"]
    assert len(none) == 0


def _signal(world, meeting, text: str):
    step = next(s.ref for s in run.rail(meeting) if s.case is not None)
    finding = records.add_finding(
        meeting, step, kind="knelpunt", level="uitvoering", text=text,
        organisations=[], signal=True, actor=world.users[Role.PROCESBEGELEIDER],
    )  # fmt: skip
    db.session.commit()
    return finding


def test_the_dashboard_masks_the_signal_and_shows_only_held_meetings(world):
    pseudonym = world.consent_case.pseudonym
    written = pseudonym.lower().replace("-", "\u2011")
    _signal(world, world.meeting, f"Net als bij {written} loopt het stroef")
    running = _signal(world, world.other_meeting, "Nog lopend")
    held_with_signal(world)
    follow_up(world)
    lines = dashboard_data(world.region, local_today()).signals
    texts = {line.text for line in lines}
    assert f"Net als bij {MASK} loopt het stroef" in texts
    assert not any(pseudonym.lower() in t.lower() for t in texts)
    assert running.id not in {line.finding_id for line in queries.dashboard_signals(
        world.other_region.id)}  # fmt: skip
    # the projectleider's own list keeps every signal, under pseudonym as before
    assert running.id in {line.finding_id for line in queries.region_signals(
        world.other_region.id)}  # fmt: skip


@pytest.mark.parametrize("dash", ["\u2011", "\u2013", "\u2212"])
def test_a_decision_naming_a_case_with_another_dash_is_refused(world, dash):
    from facilitator.exceptions import ServiceError
    from facilitator.signals import services

    held_with_signal(world)
    written = world.fictional_case.pseudonym.replace("-", dash)
    with pytest.raises(ServiceError) as refused:
        services.record_follow_up(
            world.finding, status="besluit_genomen", decision=f"Voorrang voor {written}",
            decided_on=local_today(), expected_version=0, actor=world.users[Role.PROJECTLEIDER],
        )  # fmt: skip
    assert refused.value.field == "decision"
