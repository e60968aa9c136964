"""Forms of the call for cases: open a call, propose a case, decline a proposal."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.forms import BaseForm, database_int
from facilitator.localtime import local_date, local_today
from facilitator.meetings.models import Meeting
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.proposals.services import MAX_MESSAGE, MAX_NOTE, MAX_REASON
from facilitator.widgets import MultiCheckboxField, RequiredSelectField

#: The deadline the call form proposes: a week before the meeting.
CALL_WEEK = timedelta(days=7)


class CallForm(BaseForm):
    deadline = DateField(
        _l("Last day for proposals"),
        validators=[DataRequired()],
        description=_l("Before the day of the meeting; members may propose up to this day."),
    )
    message = TextAreaField(
        _l("Message to the members (optional)"),
        validators=[Optional(), Length(max=MAX_MESSAGE)],
        description=_l("What kind of case you are looking for; never a client's name or numbers."),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    @classmethod
    def for_meeting(cls, meeting: Meeting) -> CallForm:
        """The form, its deadline proposed a week before the meeting (today at the earliest;
        none when the meeting is today or past)."""
        day = local_date(meeting.scheduled_at)
        deadline = max(day - CALL_WEEK, local_today())
        return cls(deadline=deadline if deadline < day else None)


class ProposalForm(BaseForm):
    #: The choice is checked by loading the case through the one door (a logged 403 for a
    #: case of another group), not by the list of choices; a number no column holds is no case.
    case_id = RequiredSelectField(_l("Case"), coerce=database_int, validate_choice=False)
    criteria = MultiCheckboxField(
        _l("The case meets these selection criteria of the group"),
        coerce=int,
        description=_l("Tick every criterion the case meets; the mandatory ones are required."),
    )
    note = TextAreaField(
        _l("Why this case, now (optional)"),
        validators=[Optional(), Length(max=MAX_NOTE)],
        description=_l(
            "A sentence for the process supervisor; never the client's name or numbers."
        ),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def __init__(self, *args, cases=(), criteria=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case_id.choices = [
            SelectChoice(c.id, f"{c.pseudonym} ({c.organisation.name})") for c in cases
        ]
        self.criteria.choices = [
            SelectChoice(c.id, f"{c.text}" + (f" ({_l('mandatory')})" if c.mandatory else ""))
            for c in criteria
        ]


class DeclineForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("The proposer reads it in a mail; never the client's name or numbers."),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
