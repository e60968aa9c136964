"""The form of a case's preparation: a text per question of the meeting's handreiking, with
the version of each answer the page showed (facilitator.versions)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from facilitator.forms import BaseForm, IntRange
from facilitator.preparation.queries import CasePreparation
from facilitator.preparation.services import MAX_ANSWER, PreparationConflict
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.versions import MAX_VERSION, differences

ANSWER = "answer_"
VERSION = "version_"


class PreparationForm(BaseForm):
    """Built per meeting protocol by :func:`preparation_form`."""

    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def questions(self) -> list[tuple]:
        """The questions in order, each as (question, answer field, version field)."""
        return [
            (q, self[ANSWER + q.key], self[VERSION + q.key]) for q in self._preparation.questions
        ]

    def answers(self) -> dict[str, str]:
        """What was typed, by question key."""
        return {q.key: self[ANSWER + q.key].data or "" for q in self._preparation.questions}

    def seen_versions(self) -> dict[str, int] | None:
        """The version of each answer the page showed; None from a post without them."""
        seen = {q.key: self[VERSION + q.key].data for q in self._preparation.questions}
        return None if any(v is None for v in seen.values()) else seen

    def show_conflict(self, error: PreparationConflict) -> None:
        """Show what is saved now next to what was entered; saving again keeps the entry."""
        self.form_errors.append(
            _l(
                "Someone else saved a change while you were editing. What is saved now is "
                "shown next to what you entered: save again to keep yours, or cancel to keep "
                "what is saved."
            )
        )
        rows = []
        for q in self._preparation.questions:
            current = error.current.get(q.key)
            rows.append((q.question, current.text if current else "", self[ANSWER + q.key].data))
            version = self[VERSION + q.key]
            version.data = current.version if current else 0
            version.raw_data = [str(version.data)]
        self.conflict = differences(rows)


def preparation_form(preparation: CasePreparation, **kwargs) -> PreparationForm:
    """The form for one case's preparation, filled with the answers saved (on a first show)."""

    class Form(PreparationForm):
        pass

    for q in preparation.questions:
        setattr(
            Form,
            ANSWER + q.key,
            TextAreaField(
                q.question,
                description=q.help,
                validators=[Optional(), Length(max=MAX_ANSWER)],
                render_kw={"rows": 4},
            ),
        )
        setattr(
            Form,
            VERSION + q.key,
            IntegerField(
                widget=HiddenInput(), validators=[Optional(), IntRange(min=0, max=MAX_VERSION)]
            ),
        )
    data = {}
    for q in preparation.questions:
        data[ANSWER + q.key] = preparation.text(q.key)
        data[VERSION + q.key] = preparation.version(q.key)
    form = Form(data=data, **kwargs)
    form._preparation = preparation
    return form
