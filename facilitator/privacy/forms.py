"""Forms for consent, and showing the personal-data guard's findings on a form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from facilitator.forms import BaseForm, IntRange
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.privacy.models import Consent, ConsentStatus
from facilitator.versions import MAX_VERSION, EditConflict, show_conflict, version_field


class ConsentChangeForm(BaseForm):
    """A change of a consent: it names the consent and the version the page showed, so a
    change someone else made meanwhile is shown, not overwritten (facilitator.versions)."""

    consent_id = IntegerField(
        widget=HiddenInput(), validators=[Optional(), IntRange(min=1, max=MAX_VERSION)]
    )
    version = version_field()

    def showing(self, consent: Consent | None):
        """The form as first shown for ``consent``."""
        if consent is not None and not self.is_submitted():
            self.consent_id.data, self.version.data = consent.id, consent.version
        return self

    def seen(self) -> tuple[int, int] | None:
        """The consent and version the page showed; None from a post without them."""
        if self.consent_id.data is None or self.version.data is None:
            return None
        return self.consent_id.data, self.version.data

    def show_conflict(self, error: EditConflict) -> None:
        """Show what changed; the form now names the consent as it stands."""
        show_conflict(self, error, self.changes_since(error.current))
        self.consent_id.data = error.current.id
        self.consent_id.raw_data = [str(error.current.id)]

    def changes_since(self, consent: Consent) -> list[tuple]:
        latest = consent.events[-1] if consent.events else None
        return [
            (_l("Status"), consent.status.label, self.status_chosen().label),
            (_l("Ends on"), consent.valid_until, self.end_chosen()),
            (_l("Last changed by"), latest.actor.name if latest and latest.actor else "", ""),
        ]


class ExtendConsentForm(ConsentChangeForm):
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    valid_until = DateField(_l("New end date"), validators=[DataRequired()])
    note = StringField(
        _l("Note"),
        validators=[Optional(), Length(max=300)],
        description=_l("E.g. where the renewed form is kept."),
    )

    def status_chosen(self) -> ConsentStatus:
        return ConsentStatus.VERLENGD

    def end_chosen(self):
        return self.valid_until.data


class WithdrawConsentForm(ConsentChangeForm):
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=300)])

    def status_chosen(self) -> ConsentStatus:
        return ConsentStatus.INGETROKKEN

    def end_chosen(self):
        return None  # withdrawn: it ends now
