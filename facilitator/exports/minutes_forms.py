"""The approval of the previous meeting's minutes, in the opening of the next."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from facilitator.exports.minutes_services import MAX_CORRECTIONS
from facilitator.forms import BaseForm, IntRange
from facilitator.privacy.confirm import CONFIRM_LABEL

MAX_INT = 2**31 - 1


class MinutesApprovalForm(BaseForm):
    #: The meeting whose minutes are approved (the previous held meeting of the group).
    minutes_id = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), IntRange(min=1, max=MAX_INT)]
    )
    corrections = TextAreaField(
        _l("Corrections (optional)"),
        validators=[Length(max=MAX_CORRECTIONS)],
        render_kw={"rows": 3},
        description=_l(
            "What the group wants changed or added; noted in the approved minutes. "
            "Only pseudonyms; no names or other details of clients."
        ),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
