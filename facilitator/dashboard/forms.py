"""The dashboard's period: from and to which day (by default the current year), read from the
query string so that a chosen period can be linked to."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.fields import DateField
from wtforms.validators import DataRequired, ValidationError

from facilitator.dashboard.queries import current_year

# The figures page's limit: its "All figures" link carries this period, so never a longer one.
from facilitator.monitoring.forms import FIRST_DAY, LAST_DAY, MAX_SPAN


class PeriodForm(Form):
    van = DateField(_l("From"), validators=[DataRequired(_l("Fill in the first day."))])
    tot = DateField(_l("To"), validators=[DataRequired(_l("Fill in the last day."))])

    def __init__(self, formdata, *, as_of: date) -> None:
        super().__init__(formdata or None)
        if not formdata:
            self.van.data, self.tot.data = current_year(as_of)

    def validate_tot(self, field) -> None:
        start, end = self.van.data, field.data
        if start is None or end is None:
            return
        if end < start:
            raise ValidationError(_l("The last day lies before the first day."))
        if end - start > MAX_SPAN:
            raise ValidationError(_l("Choose a period of at most three years."))
        if start < FIRST_DAY or end > LAST_DAY:
            raise ValidationError(_l("Choose a period in this century."))

    def period_bounds(self) -> dict[str, date]:
        """The period as ``dashboard_data`` takes it."""
        return {"period_from": self.van.data, "period_to": self.tot.data}
