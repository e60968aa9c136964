"""Forms for accounts: the beheerder's user form, password forms, the language choice."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, InputRequired, Length

from facilitator.auth.passwords import MAX_LENGTH, MIN_LENGTH
from facilitator.forms import BaseForm
from facilitator.users.models import Role
from facilitator.widgets import RequiredSelectField

LANGUAGE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]
PASSWORD_HINT = _l(
    "At least %(min)d and at most %(max)d characters. A sentence of several words is easy to "
    "remember and hard to guess.",
    min=MIN_LENGTH,
    max=MAX_LENGTH,
)


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(max=MAX_LENGTH)],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    return password, confirm


class UserForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    organisation_id = RequiredSelectField(_l("Organisation"), coerce=int)
    role = RequiredSelectField(
        _l("Role"),
        description=_l(
            "A policy group member (a manager in the region's policy group) reads only the "
            "region's dashboard and logbook editions: never a group, a case or a meeting."
        ),
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="nl")

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [
            SelectChoice(org.id, f"{org.name} ({org.region.name})") for org in organisations
        ]
        self.role.choices = Role.choices()


class NewUserForm(UserForm):
    password, confirm = _new_password_fields()


class ResetPasswordForm(BaseForm):
    password, confirm = _new_password_fields()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(), Length(max=MAX_LENGTH)]
    )
    password, confirm = _new_password_fields()


class LanguageForm(BaseForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class AuditRightForm(BaseForm):
    """Grant ("ja") or withdraw ("nee") the right to read the audit log: one button each."""

    granted = HiddenField(validators=[AnyOf(("ja", "nee"))])
