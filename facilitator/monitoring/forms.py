"""The figures page's filter, read from the query string: a group, a bringing organisation and a
benefit (each optional), the interval and the period. Defaults: this year, by quarter."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectField
from wtforms.fields import DateField
from wtforms.validators import DataRequired, ValidationError

from facilitator.cases.models import BenefitType
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_today
from facilitator.monitoring.figures import MonitoringScope
from facilitator.regions.models import Organisation, Region

#: At most about three years, as the logbook: longer makes unreadable tables.
MAX_SPAN = timedelta(days=3 * 366)
#: The first and last day a period may hold (the web form's and the command's check).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 1, 1)


def this_year(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), date(today.year, 12, 31)


class PeriodChecks:
    """The checks of a form's ``van`` and ``tot``, the same for the figures page and the
    dashboard (whose "All figures" link carries its period, so never a longer one)."""

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


class FiguresForm(PeriodChecks, Form):
    groep = SelectField(_l("Group"), default="", validate_choice=False)
    organisatie = SelectField(_l("Bringing organisation"), default="", validate_choice=False)
    uitkering = SelectField(_l("Benefit"), default="", validate_choice=False)
    interval = SelectField(
        _l("Per"),
        validate_choice=False,
        choices=[
            SelectChoice("month", _l("month")),
            SelectChoice("quarter", _l("quarter")),
            SelectChoice("year", _l("year")),
        ],
        default="quarter",
    )
    van = DateField(
        _l("From"),
        validators=[DataRequired(_l("Fill in the first day."))],
        default=lambda: this_year(local_today())[0],
    )
    tot = DateField(
        _l("To"),
        validators=[DataRequired(_l("Fill in the last day."))],
        default=lambda: this_year(local_today())[1],
    )

    def __init__(self, formdata, *, groups: list[CaseGroup], organisations: list[Organisation]):
        super().__init__(formdata or None)
        self.groups = {str(g.id): g for g in groups}
        self.organisations = {str(o.id): o for o in organisations}
        everything = [SelectChoice("", _l("All"))]
        self.groep.choices = everything + [SelectChoice(k, g.name) for k, g in self.groups.items()]
        self.organisatie.choices = everything + [
            SelectChoice(key, o.name) for key, o in self.organisations.items()
        ]
        self.uitkering.choices = everything + BenefitType.choices()

    def validate(self, extra_validators=None) -> bool:
        """The fields' checks, and each choice one of its options (an old link or a typed
        address may hold another), with one clear message."""
        valid = super().validate(extra_validators)
        for field in (self.groep, self.organisatie, self.uitkering, self.interval):
            if field.data not in {choice.value for choice in field.choices}:
                field.errors.append(_l("Choose one of the options."))
                valid = False
        return valid

    def scope(self, region: Region) -> MonitoringScope:
        group = self.groups.get(self.groep.data or "")
        organisation = self.organisations.get(self.organisatie.data or "")
        return MonitoringScope(
            region=region,
            groups=(group,) if group else (),
            period_from=self.van.data,
            period_to=self.tot.data,
            interval=self.interval.data,
            organisation_id=organisation.id if organisation else None,
            benefit=BenefitType(self.uitkering.data) if self.uitkering.data else None,
        )

    def query_args(self) -> dict:
        """The filter as the query string of the CSV link and the chart images."""
        return {
            "groep": self.groep.data or "",
            "organisatie": self.organisatie.data or "",
            "uitkering": self.uitkering.data or "",
            "interval": self.interval.data or "quarter",
            "van": self.van.data.isoformat() if self.van.data else "",
            "tot": self.tot.data.isoformat() if self.tot.data else "",
        }
