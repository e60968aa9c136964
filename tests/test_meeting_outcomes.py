"""One read of a meeting's outcomes (issue 9): per agenda case its findings, regievoerder and
actions, the meeting-wide findings, the building blocks; pseudonyms only; a fixed number of
queries whatever the meeting holds."""

from __future__ import annotations

from datetime import timedelta

from facilitator.cases import regie
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import records, run
from facilitator.meetings.models import FindingKind, FindingLevel, Meeting
from facilitator.meetings.outcomes import meeting_outcomes
from facilitator.regions import contacts
from facilitator.users.models import Role
from tests.factories import IDENTITY, make_case, make_meeting


def case_step(meeting: Meeting, case, field_type: str) -> str:
    return next(
        s.ref
        for s in run.rail(meeting)
        if s.case is not None
        and s.case.id == case.id
        and any(f.type.value == field_type for f in s.step.fields)
    )


def record_for(meeting: Meeting, case, leader, owner, number: int) -> None:
    """Two findings, an action and the regie for one agenda case."""
    for kind, level in (("kans", "kennis_competenties"), ("knelpunt", "wet_regelgeving")):
        records.add_finding(
            meeting,
            case_step(meeting, case, "findings"),
            kind=kind,
            level=level,
            text=f"Bevinding {number} {kind}",
            organisations=[owner.organisation],
            signal=kind == "knelpunt",
            actor=leader,
        )
    records.add_action(
        meeting,
        case_step(meeting, case, "actions"),
        description=f"Actie {number}",
        owner=owner,
        due_on=local_today() + timedelta(days=number),
        actor=leader,
    )
    records.assign_regievoerder(meeting, case, owner, actor=leader)


def test_the_outcomes_of_a_meeting_per_case_and_for_the_whole_meeting(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    meeting = db.session.get(Meeting, world.meeting.id)
    adviser = contacts.create_contact(
        world.gemeente, name="Werkgeversadviseur", email="wsp@noord.example", actor=None
    )
    record_for(meeting, world.consent_case, leader, world.extra_member, 3)
    records.add_action(
        meeting,
        case_step(meeting, world.consent_case, "actions"),
        description="Werkgever benaderen",
        owner=adviser,
        due_on=local_today() + timedelta(days=5),
        actor=leader,
    )
    regie.assign_regievoerder(
        world.fictional_case,
        world.users[Role.DEELNEMER],
        actor=leader,
        achterwacht=adviser,
        meeting_id=meeting.id,
    )
    records.add_finding(
        meeting,
        "m:opening",
        kind="kans",
        level="beleid_organisatie",
        text="Vaste contactpersonen per organisatie",
        organisations=[],
        signal=True,
        actor=leader,
    )
    records.save_building_blocks(
        meeting,
        {key: 4 for key, _ in records.BUILDING_BLOCKS} | {"vertrouwen": 2},
        went_well="Goede voorbereiding",
        could_be_better="Meer tijd",
        actor=leader,
    )
    db.session.commit()

    outcomes = meeting_outcomes(meeting)

    fictional, with_consent = outcomes.cases
    assert (fictional.pseudonym, with_consent.pseudonym) == (
        world.fictional_case.pseudonym,
        world.consent_case.pseudonym,
    )
    assert [f.text for f in fictional.findings] == [world.finding.text]
    assert fictional.regievoerder.name == world.users[Role.DEELNEMER].name
    assert fictional.regievoerder.achterwacht == "Werkgeversadviseur"
    assert [a.description for a in fictional.actions] == [world.action.description]
    # By level (the four in order), knelpunt before kans within a level.
    assert [(f.level, f.kind) for f in with_consent.findings] == [
        (FindingLevel.KENNIS, FindingKind.KANS),
        (FindingLevel.WETGEVING, FindingKind.KNELPUNT),
    ]
    assert [group.level for group in with_consent.findings_by_level] == [
        FindingLevel.KENNIS,
        FindingLevel.WETGEVING,
    ]
    assert with_consent.findings[0].organisations == ("Gemeente Noord",)
    assert [(a.description, a.owner, a.owner_has_account) for a in with_consent.actions] == [
        ("Actie 3", "Extra Lid", True),
        ("Werkgever benaderen", "Werkgeversadviseur", False),
    ]
    assert with_consent.regievoerder.name == "Extra Lid"
    assert with_consent.regievoerder.agreed_here
    assert [f.text for f in outcomes.findings] == ["Vaste contactpersonen per organisatie"]
    assert outcomes.actions == ()
    assert {f.text for f in outcomes.signals} == {
        world.finding.text,
        "Bevinding 3 knelpunt",
        "Vaste contactpersonen per organisatie",
    }
    scores = {block.key: block.score for block in outcomes.building_blocks}
    assert scores["vertrouwen"] == 2 and scores["kennen"] == 4 and len(scores) == 6
    assert (outcomes.went_well, outcomes.could_be_better) == ("Goede voorbereiding", "Meer tijd")
    shown = repr(outcomes)
    assert IDENTITY.full_name not in shown and IDENTITY.bsn not in shown


def test_a_meeting_without_records_has_empty_outcomes(world):
    meeting = make_meeting(world.group, world.users[Role.PROCESBEGELEIDER], [], start=False)
    outcomes = meeting_outcomes(meeting)
    assert (outcomes.cases, outcomes.findings, outcomes.actions) == ((), (), ())
    assert outcomes.building_blocks == () and outcomes.signals == ()


def test_the_regievoerder_shown_is_the_one_in_force_on_the_meetings_day(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    earlier = regie.assign_regievoerder(
        world.fictional_case,
        world.extra_member,
        actor=leader,
        since=local_today() - timedelta(days=20),
    )
    db.session.commit()
    outcomes = meeting_outcomes(db.session.get(Meeting, world.meeting.id))
    assert outcomes.cases[0].regievoerder.name == "Extra Lid"
    assert not outcomes.cases[0].regievoerder.agreed_here
    assert earlier.since == outcomes.cases[0].regievoerder.since


def _meeting_with(world, number_of_cases: int) -> Meeting:
    leader = world.users[Role.PROCESBEGELEIDER]
    cases = [
        make_case(world.group, world.users[Role.DEELNEMER], description=f"Casus {n}")
        for n in range(number_of_cases)
    ]
    meeting = make_meeting(world.group, leader, cases)
    for number, case in enumerate(cases):
        record_for(meeting, case, leader, world.extra_member, number)
    records.save_building_blocks(
        meeting,
        {key: 3 for key, _ in records.BUILDING_BLOCKS},
        went_well="",
        could_be_better="",
        actor=leader,
    )
    db.session.commit()
    return meeting


def test_the_outcomes_are_read_in_a_fixed_number_of_queries(world, count_queries):
    def queries(meeting_id: int) -> int:
        db.session.expire_all()
        meeting = db.session.get(Meeting, meeting_id)
        with count_queries() as counted:
            outcomes = meeting_outcomes(meeting)
            for case in outcomes.cases:  # everything a page shows, read
                _ = [
                    (f.organisations, a.owner, a.organisation)
                    for f in case.findings
                    for a in case.actions
                ]
                _ = case.regievoerder and case.regievoerder.achterwacht
        return len(counted)

    small = _meeting_with(world, 1).id
    large = _meeting_with(world, 6).id
    assert queries(small) == queries(large) <= 7
