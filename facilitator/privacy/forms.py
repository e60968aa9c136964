"""Forms for consent, and showing the personal-data guard's findings on a form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.forms import BaseForm, show_service_error
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.privacy.guard import KIND_LABELS, PersonalDataError


def show_personal_data_error(form, error: PersonalDataError) -> None:
    """Put the guard's message on the field, pointing at each fragment the user typed.

    The fragments go back only to the person who typed them, in this response; they are never
    logged or flashed (a flash would travel in the session cookie).
    """
    show_service_error(form, error)
    field = form._fields.get(error.field)
    if field is None:
        return
    for finding in error.findings:
        field.errors = [
            *field.errors,
            _l(
                "Found: “%(fragment)s” (%(kind)s)",
                fragment=finding.fragment,
                kind=KIND_LABELS[finding.kind],
            ),
        ]
    if error.needs_confirmation and "personal_data_confirmed" in form._fields:
        form.personal_data_confirmed.render_confirm = True


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
