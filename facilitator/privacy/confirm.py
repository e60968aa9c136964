"""The wording of the personal-data confirmation, shared by every form that saves free text."""

from flask_babel import lazy_gettext as _l

CONFIRM_LABEL = _l(
    "I confirm that these details are not the client's (e.g. a colleague's "
    "work address or an organisation's phone number)."
)
