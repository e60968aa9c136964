"""The figures page of a region: a filter, every table with a chart beside the charted ones, and
the same figures as CSV. For the projectleider and the beleidsgroep of the region only; every
figure comes from :func:`facilitator.monitoring.figures.monitoring_figures`, suppressed."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import deny, roles
from facilitator.exports import logbook_queries
from facilitator.exports.web import send_export
from facilitator.extensions import db
from facilitator.loading import load_or_deny
from facilitator.localtime import local_today
from facilitator.monitoring import charts
from facilitator.monitoring.csv_export import export_monitoring_csv
from facilitator.monitoring.figures import monitoring_figures
from facilitator.monitoring.forms import FiguresForm
from facilitator.monitoring.outline import figure_tables, legend
from facilitator.monitoring.policy import READERS, can_read_region_figures
from facilitator.monitoring.publication import (
    PublicationForm,
    publication_years,
    reads_publication,
)
from facilitator.regions.models import Region
from facilitator.regions.services import organisations_of_region

bp = Blueprint("monitoring", __name__)


@bp.route("/regios/<int:region_id>/cijfers")
@roles(*READERS)
def figures_page(region_id: int):
    region, form = _filter(region_id)
    if not form.validate():
        return _page(region, form, None, 422)
    return _page(region, form, monitoring_figures(form.scope(region)))


@bp.route("/regios/<int:region_id>/cijfers.csv")
@roles(*READERS)
def figures_csv(region_id: int):
    region, form = _filter(region_id)
    if not form.validate():
        return _page(region, form, None, 422)
    content, filename = export_monitoring_csv(form.scope(region), actor=current_user)
    db.session.commit()
    return send_export(content, filename, "text/csv; charset=utf-8")


@bp.route("/regios/<int:region_id>/cijfers/<any(stroom, uitstroom, bijeenkomsten):chart>.png")
@roles(*READERS)
def figures_chart(region_id: int, chart: str):
    region, form = _filter(region_id)
    if not form.validate():
        return _("Choose a valid filter."), 422
    image = charts.chart(monitoring_figures(form.scope(region)), chart)
    return send_export(image.png, f"{chart}.png", "image/png")


def _filter(region_id: int) -> tuple[Region, FiguresForm | PublicationForm]:
    """The region (refused and logged when not the user's) and the filter of its groups and
    organisations; another region's group or organisation is refused and logged too, like any
    object that is not the user's (anything else that is no choice: the form's 422). The
    beleidsgroeplid gets the fixed publication, a year and nothing else (``publication.py``)."""
    region = load_or_deny(Region, region_id, can_read_region_figures)
    if reads_publication(current_user):
        today = local_today()
        years = publication_years(region.id, today)
        return region, PublicationForm(request.args, years=years, today=today)
    form = FiguresForm(
        request.args,
        groups=logbook_queries.groups_of_region(region.id),
        organisations=organisations_of_region(region.id),
    )
    for field, table, known in (
        (form.groep, "case_groups", form.groups),
        (form.organisatie, "organisations", form.organisations),
    ):
        if field.data and field.data.isdigit() and field.data not in known:
            deny("not_of_this_region", object_type=table, object_id=field.data[:20])
    return region, form


def _page(region: Region, form: FiguresForm | PublicationForm, figures, status: int = 200):
    html = render_template(
        "monitoring/figures.html",
        region=region,
        form=form,
        figures=figures,
        tables=figure_tables(figures) if figures else [],
        charts=charts.CHARTS,
        alt_text=charts.alt_text,
        legend=legend(),
        query=form.query_args(),
    )
    return html, status
