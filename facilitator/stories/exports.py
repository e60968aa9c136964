"""The texts of approved stories for the export screening (SECURITY.md P8): a logbook that
shows them screens them again before the file leaves, each with the story to correct."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from facilitator.exports.screening import Place, TextInScope, link
from facilitator.stories.queries import StoryLine


def story_texts(stories: Iterable[StoryLine]) -> list[TextInScope]:
    """The title and the text of each story, placed at the story's page."""
    texts = []
    for story in stories:
        place = Place(
            _("Story of %(group)s", group=story.group),
            "",
            story.label,
            link("stories.story_detail", story_id=story.id),
        )
        texts += [TextInScope(place, story.title), TextInScope(place, story.text)]
    return texts
