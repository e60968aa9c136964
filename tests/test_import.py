"""``facilitator cases import``: all or nothing, line and column named, no values printed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from facilitator.cases.models import Case, PrivacyMode
from facilitator.extensions import db
from facilitator.privacy.identity import read_identity
from facilitator.privacy.keystore import keystore

HEADER = (
    "modus;organisatie;ingebracht_door;omschrijving;uitkering;ggz_behandeling;naam;"
    "geboortedatum;bsn;clientnummer;toestemming_datum;toestemming_tot;"
    "toestemming_organisaties;toestemming_bewijs"
)
GIVEN = (date.today() - timedelta(days=5)).strftime("%d-%m-%Y")
ROWS = [
    "fictief;GGZ Noord;deelnemer@noord.example;Fictieve cliënt zoekt werk;ww;ja;;;;;;;;",
    "anoniem;Gemeente Noord;extra@noord.example;Cliënt in de bijstand;participatiewet;nee;;;;;;;;",
    f"toestemming;GGZ Noord;deelnemer@noord.example;Cliënt wil uitbreiden;wajong;ja;"
    f"Karel Importeerman;1979-05-06;111222333;K-1;{GIVEN};;GGZ Noord|Gemeente Noord;Dossier",
]


def write(tmp_path, rows, *, header=HEADER, bom=True, delimiter=";"):
    text = "\n".join([header, *rows]).replace(";", delimiter) + "\n"
    path = tmp_path / "casussen.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Case.id)))


def run(runner, path, group="Casusgroep Noord"):
    return runner.invoke(args=["cases", "import", str(path), "--group", group])


def test_a_good_file_with_bom_and_semicolons_is_imported(runner, world, tmp_path):
    before = count()
    result = run(runner, write(tmp_path, ROWS))
    assert result.exit_code == 0, result.output
    assert "Imported 3 cases" in result.output
    assert "Importeerman" not in result.output and "111222333" not in result.output
    assert count() == before + 3
    imported = db.session.scalars(
        select(Case).where(Case.privacy_mode == PrivacyMode.TOESTEMMING).order_by(Case.id)
    ).all()[-1]
    identity = read_identity(imported)
    assert identity.full_name == "Karel Importeerman"
    assert identity.birth_date == date(1979, 5, 6)
    assert {o.name for o in imported.consents[-1].organisations} == {"GGZ Noord", "Gemeente Noord"}


def test_commas_and_no_bom_work_too(runner, world, tmp_path):
    rows = [row for row in ROWS[:2]]
    result = run(runner, write(tmp_path, rows, bom=False, delimiter=","))
    assert result.exit_code == 0, result.output
    assert "Imported 2 cases" in result.output


def test_one_bad_row_rejects_the_whole_file_naming_line_and_column(runner, world, tmp_path):
    before = count()
    keys_before = set(keystore().case_ids())
    rows = [
        *ROWS,
        "fictief;GGZ Noord;deelnemer@noord.example;Geheim;ww;ja;Piet Puk;;;;;;;",
        "toestemming;GGZ Noord;deelnemer@noord.example;Cliënt;ww;ja;Ans Fout;1980-01-01;"
        f"123456789;;{GIVEN};;GGZ Noord;Dossier",
        "raar;Bestaat Niet;niemand@noord.example;X;ww;misschien;;;;;;;;",
    ]
    result = run(runner, write(tmp_path, rows))
    assert result.exit_code == 1
    output = result.output
    assert "line 5, column naam" in output
    assert "line 6, column bsn" in output and "elfproef" in output
    assert "line 7, column modus" in output
    assert "line 7, column organisatie" in output
    assert "line 7, column ingebracht_door" in output
    assert "line 7, column ggz_behandeling" in output
    for value in ("Piet Puk", "123456789", "Ans Fout", "Karel"):
        assert value not in output
    assert count() == before
    assert set(keystore().case_ids()) == keys_before


def test_a_failure_while_storing_leaves_no_cases_and_no_keys(runner, world, tmp_path):
    """The same client twice is only found when the first is stored: everything rolls back."""
    before = count()
    keys_before = set(keystore().case_ids())
    twice = [ROWS[2], ROWS[2].replace("K-1", "K-2")]
    result = run(runner, write(tmp_path, twice))
    assert result.exit_code == 1
    assert "line 3, column naam" in result.output
    assert count() == before
    assert set(keystore().case_ids()) == keys_before


def test_unknown_or_missing_columns_reject_the_file(runner, world, tmp_path):
    result = run(runner, write(tmp_path, ROWS[:1], header=HEADER + ";extra"))
    assert result.exit_code == 1
    assert result.output.startswith("line 1, column ")
    assert "15" in result.output.splitlines()[0]  # named by position, not by its text
    result = run(runner, write(tmp_path, ["GGZ Noord"], header="organisatie"))
    assert "column modus" in result.output


def test_a_bsn_in_a_description_rejects_the_row(runner, world, tmp_path):
    row = "fictief;GGZ Noord;deelnemer@noord.example;Cliënt met BSN 111222333;ww;ja;;;;;;;;"
    result = run(runner, write(tmp_path, [row]))
    assert result.exit_code == 1
    assert "line 2, column omschrijving" in result.output
    assert "111222333" not in result.output


def test_an_unknown_group_or_a_non_utf8_file_is_refused(runner, world, tmp_path):
    assert run(runner, write(tmp_path, ROWS), group="Bestaat niet").exit_code == 1
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\nfictief;GGZ Noord;deelnemer@noord.example;Cli\xebnt;ww;ja").encode("latin-1")
    )
    result = run(runner, path)
    assert result.exit_code == 1
    assert "UTF-8" in result.output


def test_the_demo_region_has_groups_and_cases_of_every_mode(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    modes = set(db.session.scalars(select(Case.privacy_mode)))
    assert modes == set(PrivacyMode)
    assert len(keystore().case_ids()) == 2


def test_a_file_without_header_row_prints_none_of_its_values(runner, world, tmp_path):
    path = tmp_path / "zonder-kop.csv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 1
    for value in ("Importeerman", "111222333", "1979-05-06", "deelnemer@noord.example"):
        assert value not in result.output


def test_an_overlong_value_rejects_the_file_before_anything_is_stored(runner, world, tmp_path):
    keys_before = set(keystore().case_ids())
    long_evidence = ROWS[2].replace(";Dossier", ";" + "D" * 400)
    result = run(runner, write(tmp_path, [ROWS[2].replace("K-1", "K-9"), long_evidence]))
    assert result.exit_code == 1
    assert "line 3, column toestemming_bewijs" in result.output
    assert set(keystore().case_ids()) == keys_before
