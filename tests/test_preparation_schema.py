"""The handreiking in the protocol files (issue 13): the `preparation` list, validated by the
schema and `facilitator protocols check`, written for every shipped protocol."""

from __future__ import annotations

import tomllib

import pytest

from facilitator.protocols.loader import DEFAULT_DIRECTORY, load_file
from facilitator.protocols.review import parse

HEADER = (
    'id = "proef"\nversion = "2.0"\ntitle = "T"\nsummary = "S"\nsource = "B"\n'
    "duration_minutes = 60\n"
)
STEPS = '[[steps]]\nkey = "presentatie"\ntitle = "P"\nscope = "case"\nminutes = 5\nguidance = "G"\n'


def _write(tmp_path, name: str, preparation: str) -> str:
    path = tmp_path / name
    path.write_text(HEADER + preparation + STEPS, encoding="utf-8")
    return str(path)


def test_every_shipped_protocol_has_a_handreiking_with_the_questions_the_seeds_ask():
    for path in sorted(DEFAULT_DIRECTORY.glob("*.toml")):
        loaded, problems = load_file(path)
        assert loaded is not None, problems
        protocol = loaded.protocol
        keys = {q.key for q in protocol.preparation}
        # Raised with the handreiking: a meeting planned on 1.0 keeps its own questions.
        assert tuple(map(int, protocol.version.split("."))) >= (1, 1), path.name
        # What the case is about, who is involved, where it gets stuck, what is asked.
        assert {"waar_gaat_het_om", "organisaties", "waar_loopt_het_vast"} <= keys, path.name
        assert "vraag_aan_groep" in keys, path.name
        # What the candidate and the employer say (Holland-Rijnland).
        said = " ".join(q.question for q in protocol.preparation).lower()
        assert "werkgever" in said and ("cliënt" in said or "kandidaat" in said), path.name
        assert any(q.required for q in protocol.preparation), path.name
        assert protocol.presentation_step is protocol.case_steps[0]


def test_protocols_check_counts_the_preparation_questions(runner):
    result = runner.invoke(args=["protocols", "check"])
    assert result.exit_code == 0, result.output
    for line in result.output.splitlines():
        assert line.startswith("OK ") and " voorbereidingsvragen, " in line, line


def test_a_good_preparation_list_passes_with_help_and_required(runner, tmp_path):
    path = _write(
        tmp_path,
        "goed.toml",
        '[[preparation]]\nkey = "casus"\nquestion = "Waar gaat het om?"\nhelp = "Kort."\n'
        "required = true\n"
        '[[preparation]]\nkey = "vraag"\nquestion = "Wat vraag je?"\n',
    )
    result = runner.invoke(args=["protocols", "check", path])
    assert result.exit_code == 0, result.output
    assert "(proef v2.0, 2 voorbereidingsvragen, 1 stap)" in result.output
    loaded, _ = load_file(tmp_path / "goed.toml")
    first, second = loaded.protocol.preparation
    assert (first.required, first.help, second.required, second.help) == (True, "Kort.", False, "")


@pytest.mark.parametrize(
    ("preparation", "expected"),
    [
        ('[[preparation]]\nkey = "Casus Een"\nquestion = "V?"\n', "preparation[0].key:"),
        ('[[preparation]]\nkey = "casus"\n', "preparation[0].question: Field required"),
        ('[[preparation]]\nkey = "casus"\nquestion = "  "\n', "preparation[0].question:"),
        ('[[preparation]]\nkey = "a"\nquestion = "V?"\nkleur = 1\n', "preparation[0].kleur:"),
        (
            '[[preparation]]\nkey = "a"\nquestion = "V?"\nrequired = "ja"\n',
            "preparation[0].required:",
        ),
        (
            '[[preparation]]\nkey = "a"\nquestion = "V?"\n'
            '[[preparation]]\nkey = "a"\nquestion = "W?"\n',
            "preparation keys used twice: a",
        ),
        ('preparation = "vragen"\n', "preparation:"),
        (
            "".join(f'[[preparation]]\nkey = "v{n}"\nquestion = "V?"\n' for n in range(13)),
            "preparation:",
        ),
    ],
)
def test_a_bad_preparation_list_is_named_with_file_and_item(
    runner, tmp_path, preparation, expected
):
    path = _write(tmp_path, "slecht.toml", preparation)
    result = runner.invoke(args=["protocols", "check", path])
    assert result.exit_code == 1
    assert f"{path}: " in result.output and expected in result.output, result.output


def test_a_protocol_text_is_parsed_once_whatever_the_number_of_readers():
    text = (DEFAULT_DIRECTORY / "klantreis.toml").read_text(encoding="utf-8")
    parse.cache_clear()
    first = parse(text)
    for _ in range(5):
        assert parse(text) is first
    info = parse.cache_info()
    assert (info.misses, info.hits) == (1, 5)
    assert [q.key for q in first.preparation] == [
        item["key"] for item in tomllib.loads(text)["preparation"]
    ]
