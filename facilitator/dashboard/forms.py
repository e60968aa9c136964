"""The dashboard's period: from and to which day (by default the current year), read from the
query string so that a chosen period can be linked to."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.fields import DateField
from wtforms.validators import DataRequired

from facilitator.dashboard.queries import current_year
from facilitator.monitoring.forms import PeriodChecks


class PeriodForm(PeriodChecks, Form):
    van = DateField(_l("From"), validators=[DataRequired(_l("Fill in the first day."))])
    tot = DateField(_l("To"), validators=[DataRequired(_l("Fill in the last day."))])

    def __init__(self, formdata, *, as_of: date) -> None:
        super().__init__(formdata or None)
        if not formdata:
            self.van.data, self.tot.data = current_year(as_of)

    def period_bounds(self) -> dict[str, date]:
        """The period as ``dashboard_data`` takes it."""
        return {"period_from": self.van.data, "period_to": self.tot.data}
