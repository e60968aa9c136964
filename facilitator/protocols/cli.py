"""``facilitator protocols check``."""

from pathlib import Path

import click
from flask.cli import AppGroup

from facilitator.cli_output import counted
from facilitator.protocols.loader import DEFAULT_DIRECTORY, load_file

protocols_cli = AppGroup("protocols", help="Discussion protocols (TOML files).")


@protocols_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths):
    """Validate protocol files (default: the protocols/ folder); exit 1 on any problem."""
    files = []
    for path in paths or (DEFAULT_DIRECTORY,):
        files += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files:
        click.echo("No protocol files found.", err=True)
        raise SystemExit(1)
    failed = False
    for path in files:
        loaded, problems = load_file(path)
        if loaded is not None:
            p = loaded.protocol
            steps = counted(len(p.steps), "stap", "stappen")
            questions = counted(len(p.preparation), "voorbereidingsvraag", "voorbereidingsvragen")
            click.echo(f"OK {path} ({p.id} v{p.version}, {questions}, {steps})")
        else:
            failed = True
            for problem in problems:
                click.echo(f"{path}: {problem}")
    if failed:
        raise SystemExit(1)
