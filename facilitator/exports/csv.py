"""CSV files as Dutch Excel opens them directly: ``;`` between fields, UTF-8 with a BOM, CRLF.

A text cell that starts like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets
a leading apostrophe, so a typed text is never run as a formula when the file is opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value: object) -> str:
    if not isinstance(value, str):
        return "" if value is None else str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value
