"""Shared form fields."""

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, SelectMultipleField
from wtforms.fields.choices import Choice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

CHOOSE = _l("Choose …")


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; fine for a handful of options, accessible without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RequiredSelectField(SelectField):
    """A select the user must choose in: it starts with an empty "Choose …" option (so the
    ``required`` select is valid HTML and nothing is chosen for the user by accident), and an
    empty or missing choice is refused with one clear message.

    WTForms' SelectField with ``InputRequired`` would answer an empty choice of an integer field
    with "could not coerce" as well; this field never coerces the empty value.
    """

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.flags.required = True

    def iter_choices(self):
        return [
            Choice(value="", label=CHOOSE, selected=self.data is None, render_kw=None),
            *super().iter_choices(),
        ]

    def process_formdata(self, valuelist) -> None:
        if valuelist and valuelist[0] == "":
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form) -> None:
        if self.data is None and not self.process_errors:
            raise StopValidation(_l("Choose one of the options."))
        super().pre_validate(form)


class ValueListField(Field):
    """Every value sent under the field's name, in order, each trimmed.

    One field of a meeting step sends one text, or one value per ticked checkbox of a
    checklist: the same form takes both, and the service decides what the field accepts.
    """

    def process_formdata(self, valuelist) -> None:
        self.data = [value.strip() for value in valuelist]

    def process_data(self, value) -> None:
        self.data = list(value or ())
