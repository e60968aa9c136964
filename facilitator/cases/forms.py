"""Forms for registering and editing cases."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from facilitator.cases.models import BenefitType, ClosureReason, PrivacyMode, YesNoUnknown
from facilitator.cases.regie import MAX_REASON
from facilitator.forms import BaseForm
from facilitator.groups.people import Person, person_choices, person_key, person_label
from facilitator.localtime import local_today
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.privacy.detector import is_valid_bsn
from facilitator.privacy.models import DuplicateDecision
from facilitator.widgets import MultiCheckboxField, RequiredSelectField

IDENTITY_FIELDS = ("full_name", "birth_date", "bsn", "client_number")
CONSENT_FIELDS = ("given_on", "valid_until", "organisations", "purposes", "evidence_reference")


def _bsn_elfproef(form, field) -> None:
    if field.data and not is_valid_bsn(field.data):
        raise ValidationError(_l("This is not a valid BSN (it fails the elfproef)."))


class CaseDetailsForm(BaseForm):
    description = TextAreaField(
        _l("Short description"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l(
            "The situation and the question for the group, without names, numbers, "
            "addresses or dates of birth."
        ),
    )
    benefit = RequiredSelectField(_l("Benefit"))
    ggz_treatment = RequiredSelectField(_l("In GGZ treatment"))
    criteria = MultiCheckboxField(_l("Selection criteria met"), coerce=int)
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def __init__(self, *args, criteria=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.benefit.choices = BenefitType.choices()
        self.ggz_treatment.choices = YesNoUnknown.choices()
        self.criteria.choices = [
            SelectChoice(c.id, f"{c.text}" + (f" ({_l('mandatory')})" if c.mandatory else ""))
            for c in criteria
        ]


class CaseRegistrationForm(CaseDetailsForm):
    mode = RadioField(
        _l("Kind of case"), validators=[InputRequired()], default=PrivacyMode.FICTIEF.value
    )
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    bsn = StringField(_l("BSN (optional)"), validators=[Optional(), Length(max=20), _bsn_elfproef])
    client_number = StringField(
        _l("Client number at your organisation (optional)"), validators=[Optional(), Length(max=40)]
    )
    given_on = DateField(_l("Consent given on"), validators=[Optional()])
    valid_until = DateField(
        _l("Valid until"),
        validators=[Optional()],
        description=_l("Empty: 12 months after the date given."),
    )
    organisations = MultiCheckboxField(_l("Organisations that may see the identity"), coerce=int)
    purposes = TextAreaField(_l("Purposes"), validators=[Optional(), Length(max=1000)])
    evidence_reference = StringField(
        _l("Where the signed form is kept"),
        validators=[Optional(), Length(max=300)],
        description=_l("E.g. the client file at your organisation; do not upload the form."),
    )
    duplicate_accepted = BooleanField(
        _l("I have checked the existing case and register this client as a new case anyway.")
    )

    def __init__(self, *args, organisations=(), own=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mode.choices = PrivacyMode.choices()
        self.organisations.choices = [SelectChoice(o.id, o.name) for o in organisations]
        # The bringing organisation must be in the consent's scope: start with it ticked.
        if own is not None and not self.is_submitted():
            self.organisations.data = [own.id]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.mode.data != PrivacyMode.TOESTEMMING.value:
            for name in IDENTITY_FIELDS + CONSENT_FIELDS:
                if self[name].data:
                    self[name].errors = [
                        *self[name].errors,
                        _l(
                            "Leave this empty: a fictitious or anonymous case takes no "
                            "identity data."
                        ),
                    ]
                    valid = False
            return valid
        for name in (
            "full_name",
            "birth_date",
            "given_on",
            "organisations",
            "purposes",
            "evidence_reference",
        ):
            if not self[name].data:
                self[name].errors = [*self[name].errors, _l("Required for a case with consent.")]
                valid = False
        return valid


class CloseCaseForm(BaseForm):
    closure_kind = RadioField(_l("Reason for closing"), validators=[InputRequired()])
    closure_reason = StringField(
        _l("Explanation"),
        validators=[Optional(), Length(max=300)],
        description=_l("Required for “other”; never the client's name or numbers."),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.closure_kind.choices = ClosureReason.choices()


class StatusForm(BaseForm):
    status = RequiredSelectField(_l("Status"))


class DuplicateDecisionForm(BaseForm):
    decision = RadioField(_l("Decision"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = [
            c for c in DuplicateDecision.choices() if c.value != DuplicateDecision.OPEN.value
        ]


class RegieForm(BaseForm):
    """Give the regie of a case to a user of the group or a contact without an account."""

    #: A user or a contact without an account ("user:12", "contact:3"); starts unchosen.
    person = RequiredSelectField(_l("Regievoerder"))
    since = DateField(_l("Since"), validators=[DataRequired()], default=local_today)
    achterwacht = SelectField(
        _l("Achterwacht (optional)"),
        validators=[Optional()],
        default="",
        description=_l("Takes over when the regievoerder is away."),
    )
    reason = TextAreaField(
        _l("Reason for the handover"),
        validators=[Optional(), Length(max=MAX_REASON)],
        description=_l(
            "Why the regie goes to someone else; never the client's name or numbers. "
            "Needed when someone holds the regie now."
        ),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def __init__(self, *args, people=(), current: Person | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = person_choices(list(people))
        self.achterwacht.choices = [SelectChoice("", _l("No achterwacht")), *choices]
        # A handover is to someone else: the one holding the regie now comes last, kept as a
        # choice for giving them another achterwacht.
        now = person_key(current)
        self.person.choices = [choice for choice in choices if choice.value != now]
        if current is not None:
            label = _("%(person)s: holds the regie now", person=person_label(current))
            self.person.choices.append(SelectChoice(now, label))
