"""The form with which the projectleider records a body's feedback on a logbook edition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.exports.feedback import MAX_TEXT
from facilitator.exports.feedback_bodies import MAX_NAME, bodies_of
from facilitator.exports.models import LogbookEdition, LogbookFeedback
from facilitator.forms import BaseForm
from facilitator.meetings.forms import plausible_date
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.widgets import RequiredSelectField


class FeedbackForm(BaseForm):
    body = RequiredSelectField(_l("Who gave the feedback"))
    given_on = DateField(_l("Date"), validators=[DataRequired(), plausible_date])
    summary = TextAreaField(_l("What was said"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    decisions = TextAreaField(
        _l("What was decided"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l("The next edition of the logbook reports this back."),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def __init__(self, *args, edition: LogbookEdition, current: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The region's active bodies; a deactivated one only for feedback that already names it.
        self.body.choices = [
            SelectChoice(str(b.id), b.name)
            for b in bodies_of(edition.region_id)
            if b.active or b.id == current
        ]

    @classmethod
    def editing(cls, feedback: LogbookFeedback) -> FeedbackForm:
        return cls(
            edition=feedback.edition,
            current=feedback.body_id,
            data={
                "body": str(feedback.body_id),
                "given_on": feedback.given_on,
                "summary": feedback.summary,
                "decisions": feedback.decisions,
            },
        )

    def details(self) -> dict:
        """The fields the feedback services take."""
        return {
            "body": int(self.body.data),
            "given_on": self.given_on.data,
            "summary": self.summary.data,
            "decisions": self.decisions.data or "",
            "confirmed": bool(self.personal_data_confirmed.data),
        }


class FeedbackBodyForm(BaseForm):
    name = StringField(
        _l("Name of the body"),
        validators=[DataRequired(), Length(max=MAX_NAME)],
        description=_l("For example: projectgroep, or the name the region gives it."),
    )
