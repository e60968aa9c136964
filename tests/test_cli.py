"""The ``facilitator`` command line (issue: set-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.users.models import Role, User

PASSWORD = "een lange zin als wachtwoord"


def test_users_create_prompts_for_the_password(runner, world):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Nieuw@Noord.example",
            "--name",
            "Nieuwe Collega",
            "--region",
            "regio noord",
            "--organisation",
            "GGZ Noord",
            "--role",
            "procesbegeleider",
        ],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "nieuw@noord.example"))
    assert user.role == Role.PROCESBEGELEIDER
    assert user.check_password(PASSWORD)
    assert PASSWORD not in result.output.split("\n", 2)[-1]


def test_users_create_refuses_a_weak_password_and_unknown_organisation(runner, world):
    weak = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@noord.example",
            "--name",
            "X",
            "--region",
            "Regio Noord",
            "--organisation",
            "GGZ Noord",
            "--role",
            "deelnemer",
            "--password",
            "kort",
        ]
    )
    assert weak.exit_code == 1
    assert "12" in weak.output
    unknown = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@noord.example",
            "--name",
            "X",
            "--region",
            "Regio Noord",
            "--organisation",
            "Bestaat Niet",
            "--role",
            "deelnemer",
            "--password",
            PASSWORD,
        ]
    )
    assert unknown.exit_code == 1
    assert db.session.scalar(select(User).where(User.email == "x@noord.example")) is None


def test_users_list_is_tab_separated_with_a_header(runner, world):
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "email\tname\trole\torganisation\tregion\tactive"
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 6 for row in rows)
    assert [
        "deelnemer@zuid.example",
        "Deelnemer UWV Zuid",
        "deelnemer",
        "UWV Zuid",
        "Regio Zuid",
        "yes",
    ] in rows
    assert len(rows) == 8  # the world has a beleidsgroeplid too


def test_organisations_list_is_tab_separated_with_a_header(runner, world):
    lines = runner.invoke(args=["organisations", "list"]).output.splitlines()
    assert lines[0] == "name\tkind\tdomain\tregion"
    assert "GGZ Noord\tggz\tzorg\tRegio Noord" in lines
    assert "UWV Zuid\tuwv\twerk_inkomen\tRegio Zuid" in lines


def test_regions_and_organisations_can_be_created_from_the_cli(runner, app):
    assert runner.invoke(args=["regions", "create", "Regio West"]).exit_code == 0
    result = runner.invoke(
        args=[
            "organisations",
            "create",
            "--region",
            "Regio West",
            "--name",
            "GGZ West",
            "--kind",
            "ggz",
        ]
    )
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["organisations", "list"]).output
    assert "GGZ West\tggz\tzorg\tRegio West" in listing
    assert runner.invoke(args=["regions", "create", "regio west"]).exit_code == 1


def test_deactivate_unlock_and_set_password_commands(runner, world):
    email = "deelnemer@noord.example"
    assert runner.invoke(args=["users", "deactivate", email]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == email)).active is False
    assert runner.invoke(args=["users", "activate", email]).exit_code == 0
    new = "een nieuwe lange wachtzin"
    assert (
        runner.invoke(args=["users", "set-password", email], input=f"{new}\n{new}\n").exit_code == 0
    )
    assert runner.invoke(args=["users", "unlock", email]).exit_code == 0
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == email))
    assert user.active and user.must_change_password and user.check_password(new)
    assert runner.invoke(args=["users", "unlock", "niemand@noord.example"]).exit_code == 1


def test_console_script_offers_the_commands_and_lists_routes(tmp_path):
    script = Path(sys.executable).parent / "facilitator"
    assert script.exists(), "the console script 'facilitator' is not installed"
    env = {**os.environ, "FACILITATOR_INSTANCE_PATH": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    help_text = subprocess.run(
        [script, "--help"], capture_output=True, text=True, check=True, env=env
    ).stdout
    for command in ("db", "seed-demo", "users", "organisations", "regions", "routes"):
        assert command in help_text
    routes = subprocess.run(
        [script, "routes"], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert "/beheer/gebruikers/" in routes
    assert "/healthz" in routes


def test_privacy_scan_names_kind_line_and_column_never_the_value(runner, tmp_path):
    text = tmp_path / "verslag.txt"
    text.write_text("Verslag K7-QF3\nBSN 111\u200b222\u200b333 en 06-12345678\n", encoding="utf-8")
    result = runner.invoke(args=["privacy", "scan", str(text)])
    assert result.exit_code == 1
    assert "bsn\t2\t5" in result.output
    assert "phone\t2\t" in result.output
    assert "111" not in result.output and "12345678" not in result.output


def test_privacy_scan_passes_a_clean_file(runner, tmp_path):
    text = tmp_path / "verslag.txt"
    text.write_text("Casus K7-QF3 besproken; regievoerder is de jobcoach.\n", encoding="utf-8")
    result = runner.invoke(args=["privacy", "scan", str(text)])
    assert result.exit_code == 0, result.output


def test_privacy_scan_with_a_group_finds_its_clients_and_audits_the_decryption(
    runner, tmp_path, world
):
    from facilitator.audit.models import AuditEvent

    text = tmp_path / "logboek.txt"
    text.write_text("Besproken met VOORBEELDT over de re-integratie.\n", encoding="utf-8")
    assert runner.invoke(args=["privacy", "scan", str(text)]).exit_code == 0
    result = runner.invoke(args=["privacy", "scan", str(text), "--group", world.group.name])
    assert result.exit_code == 1
    assert "identity\t1\t15" in result.output
    scans = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "identity_scanned")
    ).all()
    assert [row.case_pseudonym for row in scans] == [world.consent_case.pseudonym]


def test_privacy_scan_refuses_a_file_that_is_not_utf8(runner, tmp_path):
    text = tmp_path / "verslag.txt"
    text.write_bytes(b"BSN \xff\xfe")
    result = runner.invoke(args=["privacy", "scan", str(text)])
    assert result.exit_code != 0
    assert "not UTF-8" in result.output
