"""Forms for stories: write or edit one, the steps of its approval, and sending it back."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from facilitator.forms import BaseForm
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.stories.models import MAX_TEXT, MAX_TITLE, Story, StoryKind
from facilitator.stories.services import MAX_REASON
from facilitator.versions import version_field

#: "No case": a story about the group's work rather than one case.
NO_CASE = 0


class StoryForm(BaseForm):
    """The kind, a title, the story, and the case it is about, if any."""

    kind = RadioField(
        _l("Kind of story"), validators=[DataRequired()], default=StoryKind.KLANTVERHAAL.value
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    text = TextAreaField(
        _l("Story"),
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        description=_l(
            "Tell it without anything that identifies the client: no name, no date of birth, "
            "no pseudonym, no place a reader could recognise."
        ),
    )
    case_id = SelectField(
        _l("Case"),
        coerce=int,
        description=_l("Only the group sees which case it is about; readers outside it do not."),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    #: The story's version the form showed (facilitator.versions); removed for a new one.
    version = version_field()

    def __init__(self, *args, cases=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = StoryKind.choices()
        self.case_id.choices = [
            SelectChoice(NO_CASE, str(_l("(no case)"))),
            *(SelectChoice(c.id, c.pseudonym) for c in cases),
        ]

    @classmethod
    def creating(cls, cases) -> StoryForm:
        form = cls(cases=cases)
        del form.version
        return form

    @classmethod
    def editing(cls, story: Story, cases) -> StoryForm:
        """The form for ``story``: its case stays a choice even when no longer offered."""
        if story.case is not None and story.case not in cases:
            cases = [*cases, story.case]
        values = {
            "kind": story.kind.value,
            "title": story.title,
            "text": story.text,
            "case_id": story.case_id or NO_CASE,
            "version": story.version,
        }
        return cls(cases=cases, data=values)

    def changes_since(self, story: Story) -> list[tuple]:
        """What is saved now and what was entered, field by field (facilitator.versions)."""
        cases = {choice.value: choice.label for choice in self.case_id.choices}
        kinds = {choice.value: choice.label for choice in self.kind.choices}
        return [
            (self.kind.label.text, story.kind.label, kinds.get(self.kind.data, "")),
            (self.title.label.text, story.title, self.title.data),
            (self.text.label.text, story.text, self.text.data),
            (
                self.case_id.label.text,
                story.case.pseudonym if story.case else cases.get(NO_CASE),
                cases.get(self.case_id.data, ""),
            ),
        ]


class StepForm(BaseForm):
    """One step of the approval (submit, approve): a button with the version it was shown on."""

    version = version_field()


class SendBackForm(BaseForm):
    """Why the story goes back to its author."""

    reason = TextAreaField(
        _l("Why it goes back"), validators=[DataRequired(), Length(max=MAX_REASON)]
    )
    version = version_field()
