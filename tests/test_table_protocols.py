"""Protocol prompts that address the candidate (issue 13): the schema's per-step
``to_candidate`` questions, validated strictly, used by the shipped protocols, and parsed once
per protocol text like the rest."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from facilitator.protocols.review import parse, protocol_to_run
from facilitator.protocols.schema import Protocol

PROTOCOLS = Path(__file__).resolve().parent.parent / "protocols"


def _protocol(step_extra: dict, scope: str = "case") -> dict:
    return {
        "id": "proef",
        "version": "1.0",
        "title": "Proef",
        "summary": "S",
        "source": "B",
        "duration_minutes": 60,
        "steps": [
            {"key": "opening", "title": "O", "scope": "meeting", "minutes": 5, "guidance": "G"},
            {"key": "casus", "title": "C", "scope": scope, "minutes": 5, "guidance": "G"}
            | step_extra,
        ],
    }


def test_a_case_step_may_put_questions_to_the_candidate():
    protocol = Protocol.model_validate(_protocol({"to_candidate": ["  Wat wil jij?  "]}))
    assert protocol.steps[1].to_candidate == ["Wat wil jij?"]
    assert protocol.steps[0].to_candidate == []


@pytest.mark.parametrize(
    ("extra", "scope", "reason"),
    [
        ({"to_candidate": ["Wat wil jij?"]}, "meeting", "to_candidate questions belong in a case"),
        ({"to_candidate": [""]}, "case", "at least 1 character"),
        ({"to_candidate": ["   "]}, "case", "at least 1 character"),
        ({"to_candidate": "Wat wil jij?"}, "case", "valid list"),
        ({"to_candidate": ["x" * 4001]}, "case", "at most 4000 characters"),
        ({"to_candidate": [f"Vraag {n}?" for n in range(13)]}, "case", "at most 12 items"),
        ({"to_kandidaat": ["Wat wil jij?"]}, "case", "Extra inputs are not permitted"),
    ],
)
def test_questions_to_the_candidate_are_validated(extra, scope, reason):
    with pytest.raises(ValidationError, match=reason):
        Protocol.model_validate(_protocol(extra, scope))


def test_the_check_command_names_a_misplaced_question_to_the_candidate(runner, tmp_path):
    source = (PROTOCOLS / "kandidaat-perspectief.toml").read_text(encoding="utf-8")
    broken = source.replace(
        'key = "opening"\n', 'key = "opening"\nto_candidate = ["Hoe gaat het?"]\n', 1
    )
    (tmp_path / "kapot.toml").write_text(broken, encoding="utf-8")
    result = runner.invoke(args=["protocols", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "kapot.toml: steps[0]: Value error, to_candidate questions belong in a case step" in (
        result.output
    )


def test_the_shipped_protocols_ask_the_candidate_where_a_candidate_can_sit():
    asked = {}
    for path in sorted(PROTOCOLS.glob("*.toml")):
        protocol = Protocol.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        asked[protocol.id] = [s.key for s in protocol.steps if s.to_candidate]
        assert all(s.scope == "case" for s in protocol.steps if s.to_candidate)
    assert len(asked["kandidaat-perspectief"]) >= 5
    assert asked["casusgroep-samenwerking"] and asked["opvolging"]
    # The klantreis follows a fictitious client: nobody to ask.
    assert asked["klantreis"] == []


def test_a_protocol_text_is_parsed_once_with_its_questions(app):
    source = (PROTOCOLS / "kandidaat-perspectief.toml").read_text(encoding="utf-8")
    assert parse(source) is parse(source)
    running = protocol_to_run(source)
    wensen = next(s for s in running.steps if s.key == "wensen")
    assert wensen.to_candidate and wensen.to_candidate == parse(source).steps[2].to_candidate


def test_a_meeting_planned_before_the_questions_existed_runs_without_them(app):
    """A stored snapshot of version 1.0 has no to_candidate: it reads as none, not an error."""
    source = (PROTOCOLS / "kandidaat-perspectief.toml").read_text(encoding="utf-8")
    lines, skipping = [], False
    for line in source.replace('version = "1.2"', 'version = "1.0"').splitlines():
        if line.startswith("to_candidate = ["):
            skipping = True
            continue
        if skipping:
            skipping = line != "]"
            continue
        lines.append(line)
    old = "\n".join(lines)
    assert "to_candidate" not in old
    assert all(step.to_candidate == [] for step in protocol_to_run(old).steps)
