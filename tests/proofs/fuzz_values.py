"""What the form fuzzer types: Hypothesis strategies per kind of control, and the fingerprint
of the database that a refused submission must leave as it was.

Every text may hold any character of any plane (no lone surrogates: a browser cannot send
them), bidi controls, zero-width characters, NUL and the other control characters, and may be
far longer than its field allows. Dates, times and numbers come well-formed, malformed and out
of range; a select or radio gets one of its options or anything else; a hidden value is kept
(mostly) or replaced. A text may carry a marker tag (``<x-fz…>``): the marker may come back
only escaped in any page, so a raw ``<x-fz`` in HTML is output that was not escaped.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from datetime import date, timedelta

from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.crawling import Control, Filler, Form

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
CONTROLS = "".join(map(chr, range(32))) + "\x7f" + "".join(map(chr, range(0x80, 0xA0)))
#: Beyond the lengths the forms allow (40, 120, 300, 1000, 5000, ...), not near the request
#: limit: that is one deterministic submission per form (see the test), not a random one.
LONG = (41, 121, 201, 301, 1001, 2001, 5001, 10_001, 20_001, 100_001)

RAW_MARKER = re.compile(r"<x-fz\d+")
ESCAPED_MARKER = re.compile(r"&lt;x-fz(\d+)")

#: Every plane; no lone surrogates (a browser cannot send them: UTF-8 has no form for them).
any_character = st.characters(exclude_categories=("Cs",))
special = st.sampled_from(BIDI + ZERO_WIDTH + CONTROLS)
#: Text a person could type: letters of any script, symbols, emoji; no control characters.
printable = st.characters(exclude_categories=("Cc", "Cs", "Cf", "Co", "Cn"))

markers = st.integers(0, 10**6).map(lambda n: f"<x-fz{n}>\"'&amp;</x-fz{n}>")


@st.composite
def long_text(draw) -> str:
    piece = draw(st.text(st.one_of(any_character, special), min_size=1, max_size=8))
    length = draw(st.sampled_from(LONG))
    return (piece * (length // len(piece) + 1))[:length]


texts = st.one_of(
    st.text(st.one_of(any_character, special), max_size=60),
    st.text(printable, min_size=1, max_size=60),
    st.builds(
        lambda a, m, b: f"{a} {m} {b}",
        st.text(printable, max_size=20),
        markers,
        st.text(printable, max_size=20),
    ),
    st.builds(lambda a, m: a + m, st.text(special, min_size=1, max_size=6), markers),
    long_text(),
    st.sampled_from(["", " ", "\t\n", "\x00", "\u202e", "\u200b", "<", "&", "'\"", "\\"]),
)

MALFORMED_DATES = [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "2026-1-1",
    "26-01-2026",
    "2026/01/01",
    "2026-01-01T00:00",
    " 2026-01-01 ",
    "２０２６-０１-０１",
    "٢٠٢٦-٠١-٠١",
    "nan",
    "1e9",
    "2026-01-01\x00",
]
dates = st.one_of(
    st.sampled_from(MALFORMED_DATES),
    st.dates().map(date.isoformat),
    st.integers(-400, 400).map(lambda d: (date.today() + timedelta(days=d)).isoformat()),
    st.text(st.one_of(any_character, special), max_size=12),
)
times = st.one_of(
    st.sampled_from(
        [
            "25:00",
            "24:00",
            "23:60",
            "12:5",
            "-1:00",
            "12:00:00",
            "1200",
            "١٢:٠٠",
            "12:00 PM",
            "99:99",
            "00:00",
            "23:59",
            "12:00\u202e",
        ]
    ),
    st.times().map(lambda t: t.isoformat()),
    st.text(st.one_of(any_character, special), max_size=8),
)
numbers = st.one_of(
    st.sampled_from(
        [
            "1e309",
            "-1e309",
            "NaN",
            "inf",
            "-inf",
            "0",
            "-0",
            "-1",
            "9" * 400,
            "1_000",
            "٣",
            "0x10",
            "1.5",
            " 7 ",
            "²",
            "2147483648",
            "-2147483649",
        ]
    ),
    st.integers(-(2**70), 2**70).map(str),
    st.floats().map(repr),
    st.text(st.one_of(any_character, special), max_size=8),
)
ids = st.one_of(
    st.integers(-(2**64), 2**64).map(str),
    st.sampled_from(
        [
            "user:999999",
            "contact:-1",
            "user:",
            "contact:1e3",
            "user:1:2",
            "0",
            "-1",
            "99999999999999999999",
            "1.0",
            "１",
        ]
    ),
)


def control_value(control: Control, filled: str) -> st.SearchStrategy[str]:
    """Values for one control: malformed ones of its kind, or what a browser would send."""
    kind = control.type
    if kind == "date":
        odd = dates
    elif kind == "time":
        odd = times
    elif kind == "number":
        odd = numbers
    elif kind in ("select", "radio", "checkbox"):
        odd = st.one_of(ids, texts)
    elif kind == "hidden":
        odd = st.one_of(numbers, ids, texts)
    else:
        odd = texts
    return (
        st.one_of(st.just(filled), odd)
        if kind != "select"
        else st.one_of(st.sampled_from([v for v, _ in control.options] or [filled]), odd)
    )


@st.composite
def submissions(draw, form: Form, filler: Filler) -> MultiDict:
    """One submission of ``form``: each control as a browser fills it, or fuzzed; free text
    always fuzzed. A name may be sent twice, or left out."""
    filled = filler.fill(form, {}, confirm=draw(st.booleans()))
    data: list[tuple[str, str]] = []
    fuzzed = draw(st.sets(st.sampled_from([c.name for c in form.controls] or [""])))
    for name in dict.fromkeys(c.name for c in form.controls):
        if name == "csrf_token":
            data += [(name, v) for v in filled.getlist(name)]
            continue
        control = next(c for c in form.controls if c.name == name)
        browser = filled.get(name, "")
        if control.is_free_text:
            values = [draw(texts)]
        elif name in fuzzed:
            values = [draw(control_value(control, browser))]
        else:
            values = filled.getlist(name)
        how = draw(st.sampled_from(["as is"] * 6 + ["twice", "left out"]))
        if how == "twice" and values:
            values = [*values, draw(control_value(control, browser))]
        elif how == "left out":
            values = []
        data += [(name, v) for v in values]
    return MultiDict(data)


def near_the_limit(form: Form, filler: Filler, limit: int) -> MultiDict:
    """Every free-text (or, without any, every) control filled so the body is just under the
    request limit: the largest submission a form must refuse or take without failing."""
    data = filler.fill(form, {}, confirm=True)
    names = [c.name for c in form.controls if c.is_free_text] or [
        c.name for c in form.controls if c.name != "csrf_token"
    ]
    share = max(1, (limit - 8192) // max(1, len(names)))
    for name in dict.fromkeys(names):
        data.setlist(name, ["a\u00e9 " * (share // 3)])  # "é" takes two bytes, its escape 6
    return data


# --- sending -----------------------------------------------------------------------------------

_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_ENCODED = [chr(b) if b in _SAFE else "+" if b == 32 else f"%{b:02X}" for b in range(256)]


def _quote(text: str) -> str:
    return "".join(map(_ENCODED.__getitem__, text.encode("utf-8")))


def urlencoded(data: MultiDict) -> str:
    """The body (or query string) a browser sends for ``data``, as a browser encodes it.

    The test client would encode it too, byte by byte in Python: minutes for the values near
    the request limit, so it is done here with a table.
    """
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in data.items(multi=True))


# --- the database's fingerprint -----------------------------------------------------------------

#: Written by a refused request too: the audit log records refusals and denials.
WRITTEN_WHEN_REFUSED = {"audit_events", "audit_chain_lock"}


class Fingerprint:
    """The content of every table, as an order-free checksum per table, read through a
    connection of its own (SQLite: the proofs run there). ``version()`` is cheap: SQLite's
    data_version changes whenever another connection commits a write."""

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path)
        self.connection.create_function(
            "fz_row", -1, lambda *values: zlib.crc32(repr(values).encode()), deterministic=True
        )
        tables = [
            name
            for (name,) in self.connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if name not in WRITTEN_WHEN_REFUSED
        ]
        self.queries = {}
        for table in tables:
            columns = ", ".join(
                f'"{row[1]}"' for row in self.connection.execute(f'PRAGMA table_info("{table}")')
            )
            # Names from sqlite_master, not from input.
            self.queries[table] = f'SELECT count(*), total(fz_row({columns})) FROM "{table}"'  # noqa: S608

    def version(self) -> int:
        return self.connection.execute("PRAGMA data_version").fetchone()[0]

    def take(self) -> dict[str, tuple]:
        return {t: tuple(self.connection.execute(q).fetchone()) for t, q in self.queries.items()}

    def close(self) -> None:
        self.connection.close()
