"""Forms for planning and running meetings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from facilitator.actions.models import ActionItem, ActionStatus
from facilitator.forms import (
    BaseForm,
    HiddenInputsWithoutIds,
    IntRange,
    has_forbidden_characters,
    ids_of_its_own,
)
from facilitator.groups.people import person_choices, person_key
from facilitator.meetings.hosting import host_choices, notulist_choices
from facilitator.meetings.models import (
    BUILDING_BLOCKS,
    AgendaItem,
    AttendanceStatus,
    Finding,
    FindingKind,
    FindingLevel,
)
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.versions import version_field
from facilitator.widgets import MultiCheckboxField, RequiredSelectField, ValueListField

MAX_INT = 2**31 - 1
#: More rows than any group has members: a bound on what one request may hold.
MAX_MEMBERS = 200
#: The 1-5 scores of the bouwstenen; the ends say what they mean (the form's legend does too).
SCORES = [
    SelectChoice("1", _l("1 (hardly yet)")),
    *(SelectChoice(str(n), str(n)) for n in range(2, 5)),
    SelectChoice("5", _l("5 (completely)")),
]
#: A step field's text, as long as the service stores; a checklist has far fewer options.
MAX_TEXT = 20000
MAX_VALUES = 100


def plausible_date(form, field) -> None:
    if field.data and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Give a date between 2000 and 2100."))


class MeetingForm(BaseForm):
    """When and where; the protocol is chosen once, when the meeting is planned."""

    date = DateField(_l("Date"), validators=[DataRequired(), plausible_date])
    time = TimeField(_l("Start time"), validators=[DataRequired()])
    duration_minutes = IntegerField(
        _l("Length in minutes"),
        validators=[Optional(), IntRange(min=15, max=480)],
        description=_l("Empty: the protocol's length."),
    )
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    online_link = StringField(
        _l("Online link"), validators=[Optional(), URL(require_tld=False), Length(max=500)]
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)


class MeetingEditForm(MeetingForm):
    """When and where, and who hosts and takes the minutes."""

    host_organisation_id = SelectField(_l("Host"), coerce=int)
    notulist_id = SelectField(_l("Notulist"), coerce=int)

    def __init__(self, *args, meeting, **kwargs) -> None:
        super().__init__(*args, obj=meeting, **kwargs)
        self.host_organisation_id.choices = host_choices(meeting.group, meeting.host_organisation)
        self.notulist_id.choices = notulist_choices(meeting.group, meeting.notulist)
        for chosen in (self.host_organisation_id, self.notulist_id):
            if chosen.data is None:  # none yet (or none sent): the "not chosen yet" option
                chosen.data = 0


class PlanMeetingForm(MeetingForm):
    protocol_id = RequiredSelectField(_l("Protocol"))

    def __init__(self, *args, protocols=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.protocol_id.choices = [
            SelectChoice(
                p.protocol.id,
                f"{p.protocol.title} (v{p.protocol.version}, {p.protocol.duration_minutes} min)",
            )
            for p in protocols
        ]


class AgendaAddForm(BaseForm):
    case_id = RequiredSelectField(_l("Case"), coerce=int)


class CasePresenceForm(BaseForm):
    organisations = MultiCheckboxField(_l("Organisations at the table for this case"), coerce=int)

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations.choices = [SelectChoice(o.id, o.name) for o in organisations]


class AgendaMoveForm(BaseForm):
    direction = SelectField(choices=[SelectChoice("-1", "up"), SelectChoice("1", "down")])


class AttendanceRowForm(Form):
    """One member's row of the attendance form: no CSRF token of its own, the form has one."""

    class Meta(HiddenInputsWithoutIds):
        pass

    user_id = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), IntRange(min=1, max=MAX_INT)]
    )
    status = SelectField(_l("Attendance"))
    #: The status the page showed ("" for not recorded): what the user changes is what counts.
    shown = HiddenField(validators=[Optional(), Length(max=32)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Labels are translated per request, so choices are built here, not at import.
        # Empty: not recorded yet, so recording apologies before the meeting marks nobody else.
        self.status.choices = [
            SelectChoice("", _l("not recorded yet")),
            *AttendanceStatus.choices(),
        ]


class AttendanceForm(BaseForm):
    """Every member of the group in one form, with "everyone present" for the rows left open."""

    rows = FieldList(FormField(AttendanceRowForm), max_entries=MAX_MEMBERS)
    everyone_present = SubmitField(_l("Everyone present"))
    #: The facilitation step to return to after saving, when the form was opened from it.
    return_step = HiddenField(validators=[Optional(), Length(max=120)])

    @classmethod
    def for_members(cls, members, recorded, return_step: str = "") -> AttendanceForm:
        """The form as the page shows it: each member's recorded status, or empty."""
        form = cls(
            formdata=None,
            data={
                "rows": [
                    {
                        "user_id": user.id,
                        "status": recorded[user.id].status.value,
                        "shown": recorded[user.id].status.value,
                    }
                    if user.id in recorded
                    else {"user_id": user.id, "status": "", "shown": ""}
                    for user in members
                ],
                "return_step": return_step,
            },
        )
        for row in form.rows:
            if row.user_id.data in recorded:  # once recorded, a member is never unrecorded
                row.status.choices = AttendanceStatus.choices()
        return form

    def validate_rows(self, field) -> None:
        user_ids = [row.user_id.data for row in field]
        if len(set(user_ids)) != len(user_ids):
            raise ValidationError(_l("Each member can appear only once."))

    def statuses(self) -> dict[int, tuple[str | None, str | None]]:
        """Each member's (chosen status or None, status the page showed or None if unknown)."""
        return {
            row.user_id.data: (
                row.status.data or None,
                row.shown.raw_data[0] if row.shown.raw_data else None,
            )
            for row in self.rows
        }


class GuestForm(BaseForm):
    guest_name = StringField(_l("Guest's name"), validators=[DataRequired(), Length(max=120)])
    guest_role = StringField(_l("Role"), validators=[Optional(), Length(max=120)])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    status = SelectField(_l("Attendance"))
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = AttendanceStatus.choices()
        self.organisation_id.choices = [SelectChoice(0, str(_l("(other)")))] + [
            SelectChoice(o.id, o.name) for o in organisations
        ]


class StepForm(BaseForm):
    ref = HiddenField(validators=[DataRequired(), Length(max=120)])


class FieldSaveForm(BaseForm):
    ref = HiddenField(validators=[DataRequired(), Length(max=120)])
    key = HiddenField(validators=[DataRequired(), Length(max=48)])
    #: One text, or one value per ticked option of a checklist (no value: nothing ticked).
    value = ValueListField()
    version = IntegerField(validators=[InputRequired(), IntRange(min=0, max=MAX_INT)])
    reason = StringField(_l("Reason for the correction"), validators=[Optional(), Length(max=300)])
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def validate_value(self, field) -> None:
        if len(field.data) > MAX_VALUES:
            raise ValidationError(_l("Choose only from the options."))
        for value in field.data:
            if len(value) > MAX_TEXT:
                raise ValidationError(_l("This text is too long."))
            if has_forbidden_characters(value):
                raise ValidationError(_l("This field contains characters that are not allowed."))

    @property
    def typed(self) -> str:
        """What was sent, as one text: a refused submit puts it back in the field."""
        return "\n".join(self.value.data)


class FindingForm(BaseForm):
    """A finding's contents; :class:`NewFindingForm` adds the step it is recorded in."""

    kind = SelectField(_l("Kind"))
    level = SelectField(_l("Level"))
    text = TextAreaField(_l("Finding"), validators=[DataRequired(), Length(max=2000)])
    organisations = MultiCheckboxField(_l("Organisations concerned"), coerce=int)
    signal = BooleanField(_l("Signal for the policy group (beleidsgroep)"))
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations.choices = [SelectChoice(o.id, o.name) for o in organisations]
        self.kind.choices = FindingKind.choices()
        self.level.choices = FindingLevel.choices()

    @classmethod
    def editing(cls, finding: Finding, organisations, *, posted: bool) -> FindingForm:
        """The form that edits ``finding``, filled from the request when ``posted``, else from
        the finding. Its fields are named after the finding, so one per record fits on a page."""
        values = {
            "kind": finding.kind.value,
            "level": finding.level.value,
            "text": finding.text,
            "organisations": [o.id for o in finding.organisations],
            "signal": finding.signal,
        }
        shown = {} if posted else {"formdata": None, "data": values}
        return cls(prefix=f"edit-finding-{finding.id}", organisations=organisations, **shown)


class NewFindingForm(FindingForm):
    ref = HiddenField(validators=[DataRequired(), Length(max=120)])


class ActionForm(BaseForm):
    """An action's contents; :class:`NewActionForm` adds the step it is recorded in."""

    description = TextAreaField(_l("What"), validators=[DataRequired(), Length(max=1000)])
    #: A user or a contact without an account ("user:12", "contact:3").
    owner_id = RequiredSelectField(_l("Who"))
    due_on = DateField(_l("By when"), validators=[DataRequired(), plausible_date])
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    #: The action's version the screen showed (facilitator.versions).
    version = version_field()

    def __init__(self, *args, people=(), keep=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = person_choices(list(people), keep)

    @classmethod
    def editing(cls, action: ActionItem, people, *, posted: bool) -> ActionForm:
        """The form that edits ``action`` (see :meth:`FindingForm.editing`). Its owner stays a
        choice after leaving the group, so that saving another change keeps them."""
        values = {
            "description": action.description,
            "owner_id": person_key(action.owner),
            "due_on": action.due_on,
            "version": action.version,
        }
        shown = {} if posted else {"formdata": None, "data": values}
        return cls(prefix=f"edit-action-{action.id}", people=people, keep=action.owner, **shown)


class NewActionForm(ActionForm):
    ref = HiddenField(validators=[DataRequired(), Length(max=120)])
    version = None  # a new action: nothing to compare with


class ActionReviewForm(BaseForm):
    """An earlier action in the review: done, goes on (with a new due date) or dropped (with
    the reason), with the terugkoppeling."""

    ref = HiddenField(validators=[Optional(), Length(max=120)])
    status = RadioField(
        _l("What became of it?"),
        choices=[
            SelectChoice(ActionStatus.GEREED.value, _l("Done")),
            SelectChoice(ActionStatus.IN_UITVOERING.value, _l("Goes on: being carried out")),
            SelectChoice(ActionStatus.OPEN.value, _l("Goes on: not started yet")),
            SelectChoice(ActionStatus.VERVALLEN.value, _l("Dropped")),
        ],
        validators=[InputRequired(_l("Choose what became of the action."))],
    )
    due_on = DateField(
        _l("New due date"),
        validators=[Optional(), plausible_date],
        description=_l("When it goes on: by when it is done now."),
    )
    note = TextAreaField(
        _l("Terugkoppeling"),
        validators=[
            DataRequired(
                _l("Write a short note on how it stands; when it is dropped, the reason.")
            ),
            Length(max=1000),
        ],
        description=_l("What happened; when it is dropped, the reason."),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    #: The action's version the review showed (facilitator.versions).
    version = version_field()

    @classmethod
    def of(cls, action: ActionItem, **kwargs) -> ActionReviewForm:
        return ids_of_its_own(cls(**kwargs), f"review-{action.id}")


class CaseUpdateForm(BaseForm):
    """The regievoerder's update on how the client of an agenda case is doing."""

    ref = HiddenField(validators=[Optional(), Length(max=120)])
    text = TextAreaField(
        _l("How is the client doing?"),
        validators=[
            DataRequired(_l("Write in a few sentences how the client is doing.")),
            Length(max=2000),
        ],
        render_kw={"rows": 3},
        description=_l(
            "As the regievoerder tells it, in a few sentences: work, income and what changed "
            "since the last meeting. Only the pseudonym; no names or diagnoses."
        ),
    )
    #: The version the text was read at (0: none yet): a second writer sees the other text.
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), IntRange(min=0, max=MAX_INT)]
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    @classmethod
    def of(cls, item: AgendaItem, **kwargs) -> CaseUpdateForm:
        return ids_of_its_own(cls(**kwargs), f"case-update-{item.id}")


class RegievoerderForm(BaseForm):
    ref = HiddenField(validators=[DataRequired(), Length(max=120)])
    #: A user or a contact without an account ("user:12", "contact:3").
    person = RequiredSelectField(_l("Regievoerder"))

    def __init__(self, *args, people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person.choices = person_choices(list(people))


class BuildingBlocksForm(BaseForm):
    ref = HiddenField(validators=[Optional(), Length(max=120)])
    went_well = TextAreaField(_l("What worked well"), validators=[Optional(), Length(max=300)])
    could_be_better = TextAreaField(
        _l("What could be better"), validators=[Optional(), Length(max=300)]
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def scores(self) -> dict[str, int]:
        return {key: int(self[key].data) for key, _ in BUILDING_BLOCKS}


for _key, _label in BUILDING_BLOCKS:
    setattr(
        BuildingBlocksForm,
        _key,
        RequiredSelectField(_label, choices=SCORES, default="3"),
    )
