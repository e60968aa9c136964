"""The app with its audit log switched off, for the benchmark of what the log costs only.

Never for serving: ``record``, ``record_committed`` and ``record_all_committed`` are replaced
before any module binds them, so no audit row is written at all. ``benchmarks/autosave.py``
measures both.
"""

from facilitator.audit import services


def _nothing(*args, **kwargs) -> None:
    return None


services.record = _nothing
services.record_committed = _nothing
services.record_all_committed = _nothing

from facilitator import create_app  # noqa: E402  (after the switch, on purpose)

app = create_app()
