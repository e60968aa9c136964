"""The dashboard page of a region: for its projectleider and its beleidsgroepleden."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from facilitator.auth.access import roles
from facilitator.dashboard.forms import PeriodForm
from facilitator.dashboard.policy import can_read_region_dashboard
from facilitator.dashboard.queries import dashboard_data
from facilitator.loading import load_or_deny
from facilitator.localtime import local_today
from facilitator.monitoring.publication import (
    YEAR,
    PublicationForm,
    publication_years,
    reads_publication,
)
from facilitator.regions.models import Region
from facilitator.users.models import Role

bp = Blueprint("dashboard", __name__)


@bp.route("/regios/<int:region_id>/dashboard")
@roles(Role.PROJECTLEIDER, Role.BELEIDSGROEPLID)
def page(region_id: int):
    """The beleidsgroeplid chooses a calendar year (the figures' fixed publication, see
    ``monitoring/publication.py``), the projectleider any period the figures page takes."""
    region = load_or_deny(Region, region_id, can_read_region_dashboard)
    today = local_today()
    publication = reads_publication(current_user)
    if publication:
        years = publication_years(region.id, today)
        form = PublicationForm(request.args, years=years, today=today)
    else:
        form = PeriodForm(request.args, as_of=today)
    valid = form.validate()
    data = dashboard_data(region, today, **(form.period_bounds() if valid else {}))
    # "All figures" opens the figures page with the dashboard's own period, for either role.
    query = {YEAR: str(data.period_from.year)} if publication else None
    html = render_template("dashboard/page.html", data=data, form=form, figures_query=query)
    return html, 200 if valid else 422
