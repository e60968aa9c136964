"""The form with which the projectleider records a body's feedback on a logbook edition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.exports.feedback import MAX_TEXT
from facilitator.exports.models import FeedbackBody, LogbookFeedback
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.body.choices = FeedbackBody.choices()

    @classmethod
    def editing(cls, feedback: LogbookFeedback) -> FeedbackForm:
        return cls(
            data={
                "body": feedback.body.value,
                "given_on": feedback.given_on,
                "summary": feedback.summary,
                "decisions": feedback.decisions,
            }
        )

    def details(self) -> dict:
        """The fields the feedback services take."""
        return {
            "body": self.body.data,
            "given_on": self.given_on.data,
            "summary": self.summary.data,
            "decisions": self.decisions.data or "",
            "confirmed": bool(self.personal_data_confirmed.data),
        }
