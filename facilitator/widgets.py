"""Shared form fields."""

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; fine for a handful of options, accessible without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
