"""The audit page's filter, read from the query string (a GET form: no CSRF token)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.fields import DateField
from wtforms.validators import Length, ValidationError

from facilitator.audit.queries import AuditFilter
from facilitator.audit.words import describe_event
from facilitator.cases.pseudonyms import is_pseudonym
from facilitator.forms import clean_query_text

#: Dates outside these are typing errors, and would overflow the conversion to UTC.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 1, 1)


class _DayField(DateField):
    """A calendar day as ``yyyy-mm-dd`` (what a date input sends), with a message in words."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a date as year-month-day, e.g. 2026-03-31.")) from None


def _upper(value: str | None) -> str:
    return clean_query_text(value, 32).upper()


class AuditFilterForm(Form):
    pseudoniem = StringField(_l("Case (pseudonym)"), filters=[_upper], validators=[Length(max=32)])
    gebruiker = SelectField(_l("User"), default="")
    organisatie = SelectField(_l("Organisation"), default="")
    van = _DayField(_l("From"))
    tot = _DayField(_l("To"))
    soort = SelectField(_l("Event"), default="")

    def __init__(self, formdata, *, users, organisations, event_types) -> None:
        super().__init__(formdata)
        everyone = ("", _l("All"))
        self.gebruiker.choices = [everyone, *((str(i), name) for i, name in users)]
        self.organisatie.choices = [everyone, *((str(i), name) for i, name in organisations)]
        self.soort.choices = [
            everyone,
            *sorted(((t, describe_event(t)) for t in event_types), key=lambda c: c[1]),
        ]

    def validate_pseudoniem(self, field) -> None:
        if field.data and not is_pseudonym(field.data):
            raise ValidationError(_l("Enter a case pseudonym, e.g. K7-QF3."))

    def validate_van(self, field) -> None:
        if field.data is not None and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(_l("Choose a period in this century."))

    def validate_tot(self, field) -> None:
        if field.data is None:
            return
        if not EARLIEST <= field.data <= LATEST:
            raise ValidationError(_l("Choose a period in this century."))
        if self.van.data is not None and field.data < self.van.data:
            raise ValidationError(_l("The last day lies before the first day."))

    def audit_filter(self) -> AuditFilter:
        """The validated choice as a filter."""
        return AuditFilter(
            pseudonym=self.pseudoniem.data or "",
            user_id=int(self.gebruiker.data) if self.gebruiker.data else None,
            organisation_id=int(self.organisatie.data) if self.organisatie.data else None,
            date_from=self.van.data,
            date_to=self.tot.data,
            event_type=self.soort.data or "",
        )
