"""Export the logbook of a large region-year, and the same content with bare python-docx calls.

Usage: ``make bench`` (or ``.venv/bin/python benchmarks/logbook.py [--repeat N]``). Builds a
fresh SQLite database in a temporary instance folder (or uses ``DATABASE_URL``, which must be an
empty database), writes the region-year of ``large_region.py`` (6 groups, 60 meetings, 250
cases, 1,500 findings, 2,000 actions), then times, N times (default 5), the whole export as the
page runs it (read, screening, charts, Word file) and its parts. The floor writes the same
outline with the same chart images in bare python-docx calls (``add_heading``,
``add_paragraph``, ``add_table`` with all its rows, filled through ``row.cells``,
``add_picture``) and no styling.
Prints the medians and ends with one JSON line: ``logbook_seconds`` (the whole export) and
``logbook_vs_floor`` (the whole export against the floor: drawing the same charts and writing
the same outline in bare calls; what the export adds is reading, screening and styling).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

import docx
from docx.shared import Cm
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Aim of issue #10: the export of a region-year within 2 s, within 1.5 times the floor.
AIM_SECONDS, AIM_RATIO = 2.0, 1.5


def floor(blocks, drawn: dict) -> BytesIO:
    """The same content in the fewest python-docx calls: what any Word export costs at least."""
    from facilitator.exports.logbook_outline import Chart, Heading, Paragraph, Table

    document = docx.Document()
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            document.add_paragraph(f"{block.label} {block.text}".strip())
        elif isinstance(block, Table):
            table = document.add_table(rows=len(block.rows) + 1, cols=len(block.headers))
            header, *body = table.rows
            for cell, text in zip(header.cells, block.headers, strict=True):
                cell.text = text
            for row, values in zip(body, block.rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = "" if value is None else str(value)
        elif isinstance(block, Chart):
            document.add_picture(BytesIO(drawn[block.group.group_id].png), width=Cm(16))
    buffer = BytesIO()
    document.save(buffer)
    return buffer


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def run(repeat: int) -> dict:
    from flask_migrate import upgrade
    from large_region import YEAR, populate

    from facilitator import create_app
    from facilitator.exports.charts import building_blocks_chart
    from facilitator.exports.logbook import LogbookScope, logbook_data, logbook_texts
    from facilitator.exports.logbook_docx import build_logbook_docx
    from facilitator.exports.logbook_outline import outline
    from facilitator.exports.screening import screen_export
    from facilitator.extensions import db

    app = create_app()
    with app.app_context():
        upgrade()
        region = populate()
        engine_url = db.engine.url.render_as_string(hide_password=True)
    queries = []
    results: dict[str, list[float]] = {}
    with app.test_request_context():
        region = db.session.merge(region)
        scope = LogbookScope(region, (), date(YEAR, 1, 1), date(YEAR, 12, 31))
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        for number in range(repeat):
            db.session.expire_all()
            queries.clear()
            data, read = timed(logbook_data, scope)
            read_queries = len(queries)
            _, screening = timed(
                screen_export, logbook_texts(data), data.case_ids, actor=None, reason="benchmark"
            )
            groups = [block.group for block in _charts(outline(data))]
            drawn, drawing = timed(_draw, groups, building_blocks_chart)
            _, build = timed(build_logbook_docx, data, charts=_given(drawn))
            _, floor_write = timed(_floor, data, drawn)
            floor_time = drawing + floor_write
            whole = read + screening + drawing + build
            for key, value in (
                ("read", read),
                ("screening", screening),
                ("charts", drawing),
                ("word", build),
                ("bare", floor_write),
                ("floor", floor_time),
                ("whole", whole),
            ):
                results.setdefault(key, []).append(value)
            print(
                f"  run {number + 1}: whole {whole:.2f} s (read {read:.3f} s in {read_queries} "
                f"queries, screening {screening:.2f} s, {len(drawn)} charts {drawing:.2f} s, "
                f"Word {build:.2f} s); floor {floor_time:.2f} s"
            )
        cases = len(data.case_ids)
    median = {key: statistics.median(values) for key, values in results.items()}
    print(
        f"logbook of a region-year on {engine_url.split(':')[0]} ({cases} cases in scope), "
        f"median of {repeat}:"
    )
    for key in ("read", "screening", "charts", "word", "bare", "floor", "whole"):
        print(f"  {key:<10} {median[key]:.3f} s")
    ratio = median["whole"] / median["floor"]
    print(
        f"  whole export {median['whole']:.2f} s (aim < {AIM_SECONDS:.0f} s), "
        f"{ratio:.2f} times the floor (aim < {AIM_RATIO}); the Word file alone "
        f"{median['word'] / median['bare']:.2f} times the bare writing"
    )
    return {"logbook_seconds": round(median["whole"], 3), "logbook_vs_floor": round(ratio, 2)}


def _draw(groups, chart) -> dict:
    return {group.group_id: chart(group) for group in groups}


def _given(drawn: dict):
    """The charts already drawn, so the Word file and the floor embed the same images."""
    return lambda group: drawn[group.group_id]


def _floor(data, drawn: dict) -> BytesIO:
    from facilitator.exports.logbook_outline import outline

    return floor(outline(data), drawn)


def _charts(blocks):
    from facilitator.exports.logbook_outline import Chart

    return [block for block in blocks if isinstance(block, Chart)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        os.environ["FACILITATOR_INSTANCE_PATH"] = instance
        summary = run(arguments.repeat)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
