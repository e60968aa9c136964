"""The form for the candidate and the employer at the table for one case."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField
from wtforms.validators import Length, Optional

from facilitator.forms import BaseForm


class TablePresenceForm(BaseForm):
    """Whether the candidate and the employer sit at the table, never who they are."""

    candidate_present = BooleanField(_l("The candidate is present"))
    employer_present = BooleanField(_l("The employer is present"))
    #: The facilitation step to come back to ("" for the meeting page).
    ref = HiddenField(validators=[Optional(), Length(max=120)])
