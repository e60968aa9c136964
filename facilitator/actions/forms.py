"""Forms for actions: agree or edit one, record how it stands, filter the board."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from facilitator.actions.models import ActionItem, ActionStatus
from facilitator.actions.queries import BoardFilter
from facilitator.forms import BaseForm, ids_of_its_own
from facilitator.groups.people import person_choices, person_key, person_label
from facilitator.meetings.forms import plausible_date
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.versions import version_field

#: "No case": an action of the whole group.
NO_CASE = 0


class ActionForm(BaseForm):
    """What, who (a user or a contact), by when, and the case it concerns, if any."""

    description = TextAreaField(_l("What"), validators=[DataRequired(), Length(max=1000)])
    #: Selects without a "required" flag: they always hold a choice, and one that is no choice
    #: (or nothing) is refused by the field itself.
    owner_id = SelectField(_l("Who"))
    due_on = DateField(_l("By when"), validators=[DataRequired(), plausible_date])
    case_id = SelectField(_l("Case"), coerce=int)
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    #: The action's version the form showed (facilitator.versions); removed for a new one.
    version = version_field()

    def __init__(self, *args, people=(), cases=(), keep=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = person_choices(list(people), keep)
        self.case_id.choices = [
            SelectChoice(NO_CASE, str(_l("(the whole group)"))),
            *(SelectChoice(c.id, c.pseudonym) for c in cases),
        ]

    @classmethod
    def editing(cls, action: ActionItem, people, cases, **kwargs) -> ActionForm:
        """The form for ``action``: its case and owner stay choices even when no longer
        offered (a closed case, an owner who left the group)."""
        if action.case is not None and action.case not in cases:
            cases = [*cases, action.case]
        values = {
            "description": action.description,
            "owner_id": person_key(action.owner),
            "due_on": action.due_on,
            "case_id": action.case_id or NO_CASE,
            "version": action.version,
        }
        return cls(people=people, cases=cases, keep=action.owner, data=values, **kwargs)

    @classmethod
    def creating(cls, **kwargs) -> ActionForm:
        """The form for a new action: nothing to compare a version with."""
        form = cls(**kwargs)
        del form.version
        return form

    def changes_since(self, action: ActionItem) -> list[tuple]:
        """What is saved now and what was entered, field by field (facilitator.versions)."""
        chosen = _labels(self.owner_id)
        cases = _labels(self.case_id)
        return [
            (self.description.label.text, action.description, self.description.data),
            (
                self.owner_id.label.text,
                person_label(action.owner),
                chosen.get(self.owner_id.data, ""),
            ),
            (self.due_on.label.text, action.due_on, self.due_on.data),
            (
                self.case_id.label.text,
                action.case.pseudonym if action.case else cases.get(NO_CASE),
                cases.get(self.case_id.data, ""),
            ),
        ]


class UpdateForm(BaseForm):
    """How an action stands: its status, a terugkoppeling note, maybe a new due date."""

    status = SelectField(_l("Status"))
    note = TextAreaField(_l("Terugkoppeling"), validators=[DataRequired(), Length(max=1000)])
    due_on = DateField(
        _l("New due date"),
        validators=[Optional(), plausible_date],
        description=_l("Only when it goes on past its due date."),
    )
    #: Where the form was, to come back to after saving.
    back = HiddenField(validators=[Optional(), Length(max=20)])
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    #: The action's version the form showed (facilitator.versions).
    version = version_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = ActionStatus.choices()

    @classmethod
    def for_action(cls, action: ActionItem, back: str) -> UpdateForm:
        """An empty form for ``action``, to come back to ``back`` after saving."""
        form = cls(formdata=None, status=action.status.value, back=back, version=action.version)
        return form.identify(action)

    def changes_since(self, action: ActionItem) -> list[tuple]:
        """What is saved now and what was entered (facilitator.versions); the other person's
        note stands in the action's history above the form."""
        chosen = _labels(self.status)
        latest = action.updates[-1] if action.updates else None
        return [
            (self.status.label.text, action.status.label, chosen.get(self.status.data, "")),
            (self.due_on.label.text, action.due_on, self.due_on.data or action.due_on),
            (_l("Latest terugkoppeling"), latest.note if latest else "", self.note.data),
        ]

    def identify(self, action: ActionItem) -> UpdateForm:
        """Give the fields ids of the action: a page holds a form per action. The names stay
        the same in each, so every one is the same form to whoever fills it."""
        return ids_of_its_own(self, f"update-{action.id}")


_PERSON = re.compile(r"^(user|contact):([0-9]{1,10})$")


class BoardFilterForm(Form):
    """The board's filters as GET parameters; a value that is no choice filters nothing."""

    status = SelectField(_l("Status"), validators=[Optional()])
    te_laat = BooleanField(_l("Only overdue"))
    organisatie = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    casus = SelectField(_l("Case"), coerce=int, validators=[Optional()])
    eigenaar = SelectField(_l("Owner"), validators=[Optional()])

    def __init__(self, *args, organisations=(), cases=(), people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = SelectChoice("", str(_l("All")))
        self.status.choices = [everything, *ActionStatus.choices()]
        self.organisatie.choices = [SelectChoice(0, str(_l("All")))] + [
            SelectChoice(o.id, o.name) for o in organisations
        ]
        self.casus.choices = [SelectChoice(0, str(_l("All")))] + [
            SelectChoice(c.id, c.pseudonym) for c in cases
        ]
        self.eigenaar.choices = [everything, *person_choices(list(people))]

    def chosen(self) -> BoardFilter:
        """The filters that hold one of the choices; anything else is left out."""
        self.validate()
        return BoardFilter(
            status=ActionStatus(self.status.data) if _valid(self.status) else None,
            overdue=bool(self.te_laat.data),
            organisation_id=self.organisatie.data if _valid(self.organisatie) else None,
            case_id=self.casus.data if _valid(self.casus) else None,
            owner=_person(self.eigenaar.data) if _valid(self.eigenaar) else None,
        )

    @property
    def active(self) -> bool:
        return self.chosen() != BoardFilter()


def _labels(field: SelectField) -> dict:
    return {choice.value: choice.label for choice in field.choices}


def _valid(field) -> bool:
    """Whether ``field`` holds a choice other than "All" ("" or 0). Optional() stops at a
    blank value, spaces included, before the choice is checked, so blanks are caught here."""
    return field.data not in (None, 0) and str(field.data).strip() != "" and not field.errors


def _person(value: str) -> tuple[str, int] | None:
    match = _PERSON.match(value or "")
    return (match.group(1), int(match.group(2))) if match else None
