"""What the beleidsgroeplid reads of the figures: a fixed publication, one calendar year by
quarter for the whole region, and nothing else.

Why: suppression (``suppression.py``) hides a small count within one view, but two views that
overlap give it away by **differencing**: 1 Jan-30 Jun (13) minus 11 Jan-30 Jun (12) is the one
client registered in those ten days; a benefit for the region (9) minus that benefit in group A
(5) is group B's "<5" (4); months against quarters of the same year likewise. Disjoint calendar
years of the whole region never overlap, so subtracting one from another gives nothing away.
The page still shows its per-group, per-organisation and per-benefit tables, whose cells are
suppressed together in that one view. A parameter the role may not use (a period, an interval,
a group, an organisation, a benefit) is refused with a 422, never silently ignored. The
projectleider, who reads the cases under pseudonym anyway, keeps the free filter
(``forms.FiguresForm``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import Form, SelectChoice, SelectField

from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_date
from facilitator.monitoring.figures import MonitoringScope
from facilitator.regions.models import Region
from facilitator.users.models import Role, User

#: The one parameter of the publication.
YEAR = "jaar"


def reads_publication(user: User) -> bool:
    """Whether the user reads the figures as the fixed publication only."""
    return user.role == Role.BELEIDSGROEPLID


def publication_years(region_id: int, today: date) -> list[int]:
    """The years from the region's first case up to the current year, newest first (one
    query)."""
    first = db.session.scalar(
        select(func.min(Case.created_at)).where(
            Case.group_id.in_(select(CaseGroup.id).where(CaseGroup.region_id == region_id))
        )
    )
    first_year = min(local_date(first).year, today.year) if first else today.year
    return list(range(today.year, first_year - 1, -1))


class PublicationForm(Form):
    """The year select, read from the query string; any other parameter makes it invalid."""

    jaar = SelectField(_l("Year"), validate_choice=False)

    def __init__(self, args, *, years: list[int], today: date) -> None:
        super().__init__(args or None)
        self.args = args
        self.jaar.choices = [SelectChoice(str(year), str(year)) for year in years]
        if args is None or YEAR not in args:
            self.jaar.data = str(today.year)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.jaar.data not in {choice.value for choice in self.jaar.choices}:
            self.jaar.errors.append(_l("Choose one of the options."))
            valid = False
        if self.args is not None and (set(self.args) - {YEAR} or len(self.args.getlist(YEAR)) > 1):
            self.form_errors.append(
                _l(
                    "These figures are a fixed publication: one calendar year by quarter for the "
                    "whole region. Choose only a year."
                )
            )
            valid = False
        return valid

    def period(self) -> tuple[date, date]:
        year = int(self.jaar.data)
        return date(year, 1, 1), date(year, 12, 31)

    def period_bounds(self) -> dict[str, date]:
        """The period as ``dashboard_data`` takes it."""
        start, end = self.period()
        return {"period_from": start, "period_to": end}

    def scope(self, region: Region) -> MonitoringScope:
        return MonitoringScope(region, (), *self.period(), "quarter")

    def query_args(self) -> dict:
        """The publication as the query string of the CSV link, the charts and 'All figures'."""
        return {YEAR: self.jaar.data or ""}
