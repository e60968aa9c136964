"""The forms that correct a completed meeting's records, each with the reason for it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.actions.models import ActionUpdate
from facilitator.cases.models import CaseUpdate
from facilitator.forms import BaseForm, ids_of_its_own
from facilitator.meetings.forms import FindingForm
from facilitator.meetings.models import BuildingBlockScore, Finding
from facilitator.privacy.confirm import CONFIRM_LABEL


def _reason() -> StringField:
    return StringField(
        _l("Reason for the correction"),
        validators=[DataRequired(_l("Give a reason for the correction.")), Length(max=300)],
    )


class FindingCorrectionForm(FindingForm):
    reason = _reason()

    @classmethod
    def correcting(cls, finding: Finding, organisations, *, posted: bool) -> FindingCorrectionForm:
        """The form that corrects ``finding``, filled from the request when ``posted``."""
        values = {
            "kind": finding.kind.value,
            "level": finding.level.value,
            "text": finding.text,
            "organisations": [o.id for o in finding.organisations],
            "signal": finding.signal,
        }
        shown = {} if posted else {"formdata": None, "data": values}
        # Ids of its own, names alike: the page's plain CSRF field serves every form on it.
        form = cls(organisations=organisations, **shown)
        return ids_of_its_own(form, f"correct-finding-{finding.id}")


class CaseUpdateCorrectionForm(BaseForm):
    ref = HiddenField(validators=[Optional(), Length(max=120)])
    text = TextAreaField(
        _l("How is the client doing?"),
        validators=[DataRequired(_l("This text cannot be empty.")), Length(max=2000)],
        render_kw={"rows": 3},
    )
    reason = _reason()
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    @classmethod
    def of(cls, update: CaseUpdate, **kwargs) -> CaseUpdateCorrectionForm:
        return ids_of_its_own(cls(**kwargs), f"correct-case-update-{update.id}")


class ReviewNoteCorrectionForm(BaseForm):
    ref = HiddenField(validators=[Optional(), Length(max=120)])
    note = TextAreaField(
        _l("Terugkoppeling"),
        validators=[DataRequired(_l("This text cannot be empty.")), Length(max=1000)],
    )
    reason = _reason()
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    @classmethod
    def of(cls, update: ActionUpdate, **kwargs) -> ReviewNoteCorrectionForm:
        return ids_of_its_own(cls(**kwargs), f"correct-note-{update.id}")


class BlocksCorrectionForm(BaseForm):
    ref = HiddenField(validators=[Optional(), Length(max=120)])
    went_well = TextAreaField(_l("What worked well"), validators=[Optional(), Length(max=300)])
    could_be_better = TextAreaField(
        _l("What could be better"), validators=[Optional(), Length(max=300)]
    )
    reason = _reason()
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    @classmethod
    def of(cls, row: BuildingBlockScore, **kwargs) -> BlocksCorrectionForm:
        return ids_of_its_own(cls(**kwargs), "correct-blocks")


def correction_forms(findings, organisations, review, blocks, refused: dict) -> dict:
    """A form per record of the step that a held meeting can correct; a refused one as typed."""
    forms: dict = {
        ("correct_finding", f.id): FindingCorrectionForm.correcting(f, organisations, posted=False)
        for f in findings
    }
    if review is not None:
        for item in review.items:
            if item.outcome is not None:
                forms[("correct_note", item.outcome.id)] = ReviewNoteCorrectionForm.of(
                    item.outcome, formdata=None, note=item.outcome.note
                )
        for update in review.updates.values():
            forms[("correct_case_update", update.id)] = CaseUpdateCorrectionForm.of(
                update, formdata=None, text=update.text
            )
    if blocks is not None:
        forms["correct_blocks"] = BlocksCorrectionForm.of(blocks, formdata=None, obj=blocks)
    return forms | {key: form for key, form in refused.items() if key in forms}


class GuestCorrectionForm(BaseForm):
    guest_name = StringField(_l("Guest's name"), validators=[DataRequired(), Length(max=120)])
    guest_role = StringField(_l("Role"), validators=[Optional(), Length(max=120)])
    reason = _reason()
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)


class PlaceCorrectionForm(BaseForm):
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    reason = _reason()
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
