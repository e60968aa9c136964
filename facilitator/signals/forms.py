"""Forms for signals: record a follow-up, and filter the region's list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Form,
    IntegerField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from facilitator.forms import BaseForm, IntRange
from facilitator.meetings.forms import plausible_date
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.signals.models import SignalStatus
from facilitator.signals.queries import SignalLine
from facilitator.signals.services import MAX_DECISION
from facilitator.versions import MAX_VERSION


class FollowUpForm(BaseForm):
    """How the signal stands with the beleidsgroep: status, decision, date."""

    status = SelectField(_l("Status"))
    decision = TextAreaField(
        _l("Decision of the policy group"),
        validators=[Optional(), Length(max=MAX_DECISION)],
        description=_l("In a sentence; required for a decision taken, carried out or not adopted."),
    )
    decided_on = DateField(_l("Date"), validators=[DataRequired(), plausible_date])
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    #: The follow-up's version the form showed (facilitator.versions); 0: none recorded yet,
    #: so that two first records of one signal cannot both win.
    version = IntegerField(
        widget=HiddenInput(), validators=[Optional(), IntRange(min=0, max=MAX_VERSION)]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = SignalStatus.choices()

    @classmethod
    def for_signal(cls, line: SignalLine, today) -> FollowUpForm:
        """An empty form showing how the signal stands now."""
        return cls(
            formdata=None,
            status=line.status.value,
            decision=line.decision,
            decided_on=line.decided_on or today,
            version=line.version,
        )

    def changes_since(self, line: SignalLine) -> list[tuple]:
        """What is saved now and what was entered, field by field (facilitator.versions)."""
        chosen = {choice.value: choice.label for choice in self.status.choices}
        return [
            (self.status.label.text, line.status.label, chosen.get(self.status.data, "")),
            (self.decision.label.text, line.decision, self.decision.data),
            (self.decided_on.label.text, line.decided_on, self.decided_on.data),
        ]


class SignalFilterForm(Form):
    """The list's filters as GET parameters; a value that is no choice filters nothing."""

    status = SelectField(_l("Status"), validators=[Optional()])
    groep = SelectField(_l("Group"), coerce=int, validators=[Optional()])

    def __init__(self, *args, groups=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice("", str(_l("All"))), *SignalStatus.choices()]
        self.groep.choices = [SelectChoice(0, str(_l("All")))] + [
            SelectChoice(g.id, g.name) for g in groups
        ]

    def chosen(self, lines: tuple[SignalLine, ...]) -> tuple[SignalLine, ...]:
        """The lines that match the filters holding a valid choice."""
        self.validate()
        status = self.status.data if self.status.data and not self.status.errors else None
        group = self.groep.data if self.groep.data and not self.groep.errors else None
        return tuple(
            line
            for line in lines
            if (status is None or line.status.value == status)
            and (group is None or line.group_id == group)
        )

    @property
    def active(self) -> bool:
        return bool(self.status.data or self.groep.data)
