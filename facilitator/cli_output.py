"""Tab-separated listings for the CLI: a header row, then one line per record."""

from collections.abc import Iterable, Sequence

import click


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A tab or newline inside a value would break the columns for cut, awk and spreadsheets.
    return " ".join(text.replace("\t", " ").splitlines())


def echo_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    click.echo("\t".join(header))
    for row in rows:
        click.echo("\t".join(_cell(value) for value in row))


def counted(number: int, singular: str, plural: str) -> str:
    """``1 case``, ``2 cases``, ``0 cases``: a number with its noun in the right form."""
    return f"{number} {singular if number == 1 else plural}"


def fail(message: object) -> None:
    """Print an error to stderr and exit with status 1."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)
