"""The logbook page's choice: which groups of the region (none: all), from and to which day."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.fields import DateField
from wtforms.validators import DataRequired, ValidationError

from facilitator.exports.logbook import LogbookScope, last_full_quarter
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_today
from facilitator.regions.models import Region
from facilitator.widgets import MultiCheckboxField

#: A logbook covers at most about three years: longer makes an unreadable document.
MAX_SPAN = timedelta(days=3 * 366)


class LogbookForm(Form):
    """Read from the query string (the preview, the CSV links) or the download's POST (whose
    CSRF token the app checks for every POST)."""

    groepen = MultiCheckboxField(
        _l("Groups"), coerce=int, description=_l("Tick none for the whole region.")
    )
    van = DateField(_l("From"), validators=[DataRequired(_l("Fill in the first day."))])
    tot = DateField(_l("To"), validators=[DataRequired(_l("Fill in the last day."))])

    def __init__(self, formdata, *, groups: list[CaseGroup]) -> None:
        super().__init__(formdata or None)
        self.groups = groups
        self.groepen.choices = [(g.id, g.name) for g in groups]
        if not formdata:
            self.van.data, self.tot.data = last_full_quarter(local_today())

    def validate_tot(self, field) -> None:
        start, end = self.van.data, field.data
        if start is None or end is None:
            return
        if end < start:
            raise ValidationError(_l("The last day lies before the first day."))
        if end - start > MAX_SPAN:
            raise ValidationError(_l("Choose a period of at most three years."))
        if start < date(2000, 1, 1) or end > date(2100, 1, 1):
            raise ValidationError(_l("Choose a period in this century."))

    def scope(self, region: Region) -> LogbookScope:
        chosen = set(self.groepen.data or ())
        return LogbookScope(
            region=region,
            groups=tuple(g for g in self.groups if g.id in chosen),
            period_from=self.van.data,
            period_to=self.tot.data,
        )

    def query_args(self) -> dict:
        """The choice as the query string of the CSV links and the chart images."""
        return {
            "groepen": list(self.groepen.data or ()),
            "van": self.van.data.isoformat() if self.van.data else "",
            "tot": self.tot.data.isoformat() if self.tot.data else "",
        }
