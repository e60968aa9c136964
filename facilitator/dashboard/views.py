"""The dashboard page of a region: for its projectleider and its beleidsgroepleden."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from facilitator.auth.access import roles
from facilitator.dashboard.forms import PeriodForm
from facilitator.dashboard.policy import can_read_region_dashboard
from facilitator.dashboard.queries import dashboard_data
from facilitator.loading import load_or_deny
from facilitator.localtime import local_today
from facilitator.regions.models import Region
from facilitator.users.models import Role

bp = Blueprint("dashboard", __name__)


@bp.route("/regios/<int:region_id>/dashboard")
@roles(Role.PROJECTLEIDER, Role.BELEIDSGROEPLID)
def page(region_id: int):
    region = load_or_deny(Region, region_id, can_read_region_dashboard)
    today = local_today()
    form = PeriodForm(request.args, as_of=today)
    if not form.validate():
        data = dashboard_data(region, today)
        return render_template("dashboard/page.html", data=data, form=form), 422
    data = dashboard_data(region, today, period_from=form.van.data, period_to=form.tot.data)
    return render_template("dashboard/page.html", data=data, form=form)
