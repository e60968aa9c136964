"""Shared form fields."""

from wtforms import Field, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; fine for a handful of options, accessible without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ValueListField(Field):
    """Every value sent under the field's name, in order, each trimmed.

    One field of a meeting step sends one text, or one value per ticked checkbox of a
    checklist: the same form takes both, and the service decides what the field accepts.
    """

    def process_formdata(self, valuelist) -> None:
        self.data = [value.strip() for value in valuelist]

    def process_data(self, value) -> None:
        self.data = list(value or ())
