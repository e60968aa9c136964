"""Every meeting reviews the open actions of its group, whatever its protocol.

A protocol places the review where it wants with ``review_actions`` fields: in a meeting step
the group's list, in a case step that case's list. A protocol without a review for the group
gets a step of its own at the start, after the opening step if there is one. The meeting runs
the protocol with that step, so the rail, the progress, the presentation and the closing page
all see it. A meeting's protocol text is parsed once, and the step added once per language
(its title and guidance are the interface's words, not the file's).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from facilitator.protocols.schema import (
    FieldType,
    MeetingProtocol,
    Prompt,
    Protocol,
    Step,
    StepField,
)

#: The added step's key, and its ref on the rail ("m:terugblik"), unless the file took it.
REVIEW_KEY = "terugblik"
REVIEW_MINUTES = 5


def protocol_to_run(source: str) -> MeetingProtocol:
    """The protocol of a meeting, from its stored text, as the meeting runs it."""
    locale = get_locale()
    return _to_run(source, str(locale) if locale else current_app.config["BABEL_DEFAULT_LOCALE"])


@lru_cache(maxsize=32)
def parse(source: str) -> Protocol:
    """Parse a protocol text: once per text, whatever the number of meetings that keep it."""
    return Protocol.model_validate(tomllib.loads(source))


@lru_cache(maxsize=64)
def _to_run(source: str, language: str) -> MeetingProtocol:
    protocol = parse(source)
    fields = dict(protocol)
    if protocol.reviews_group:
        return MeetingProtocol(**fields)
    keys = {step.key for step in protocol.steps}
    key = REVIEW_KEY if REVIEW_KEY not in keys else f"{REVIEW_KEY}-acties"
    with force_locale(language):
        review = _review_step(key)
    at = 1 if protocol.steps[0].scope == "meeting" else 0  # after the opening step
    steps = [*protocol.steps[:at], review, *protocol.steps[at:]]
    return MeetingProtocol(**(fields | {"steps": steps, "added_review": key}))


def _review_step(key: str) -> Step:
    return Step(
        key=key,
        title=_("Looking back on the actions"),
        scope="meeting",
        minutes=REVIEW_MINUTES,
        guidance=_(
            "Go through the actions agreed before this meeting that are still open. Ask the "
            "owner of each how it stands: done, goes on (with a new date) or dropped (with the "
            "reason), and record it with a short note. Let the regievoerder of each case on "
            "today's agenda tell in a few sentences how the client is doing. Keep the pace up: "
            "the time is meant for the cases."
        ),
        prompts=[
            Prompt(text=_("Is your action done, and what came of it?"), to="deelnemers"),
            Prompt(
                text=_(
                    "Regievoerder: how is the client doing now, and what has changed since "
                    "the last meeting?"
                )
            ),
            Prompt(
                text=_("Which action keeps slipping: does it get a new date, or do we drop it?"),
                to="procesbegeleider",
            ),
        ],
        fields=[
            StepField(
                key="acties",
                type=FieldType.REVIEW_ACTIONS,
                label=_("Open actions of earlier meetings"),
                help=_("Per action: done, goes on with a new date, or dropped with the reason."),
            )
        ],
    )
