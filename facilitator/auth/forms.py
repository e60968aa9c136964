"""Login form."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, InputRequired, Length

from facilitator.auth.passwords import MAX_LENGTH
from facilitator.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField(validators=[Length(max=500)])
