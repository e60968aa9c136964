"""Forms for consent, and showing the personal-data guard's findings on a form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.forms import BaseForm
from facilitator.privacy.confirm import CONFIRM_LABEL


class ExtendConsentForm(BaseForm):
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    valid_until = DateField(_l("New end date"), validators=[DataRequired()])
    note = StringField(
        _l("Note"),
        validators=[Optional(), Length(max=300)],
        description=_l("E.g. where the renewed form is kept."),
    )


class WithdrawConsentForm(BaseForm):
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=300)])
