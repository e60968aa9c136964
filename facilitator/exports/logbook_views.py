"""The logbook page of the projectleider: choose groups and a period, preview the logbook as it
will read, download it as Word (an edition is kept) or its findings and actions as CSV; the
earlier editions with their kept files."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import deny, roles
from facilitator.exports import logbook_queries
from facilitator.exports.charts import (
    building_blocks_alt_text,
    building_blocks_chart,
    empty_chart,
)
from facilitator.exports.editions import edition_filename, editions_of
from facilitator.exports.logbook import LogbookScope, logbook_data
from facilitator.exports.logbook_blocks import building_blocks
from facilitator.exports.logbook_export import (
    csv_filename,
    export_logbook,
    export_logbook_csv,
)
from facilitator.exports.logbook_forms import LogbookForm
from facilitator.exports.logbook_outline import outline, scope_line, title
from facilitator.exports.logbook_policy import can_chart_group
from facilitator.exports.screening import ExportRefused
from facilitator.exports.web import refusal_page, send_export
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.loading import load_or_deny
from facilitator.users.models import Role

bp = Blueprint("logbook", __name__)


@bp.route("/logboek")
@roles(Role.PROJECTLEIDER)
def logbook_page():
    form = _form(request.args)
    if not form.validate():
        return _page(form, None, 422)
    return _page(form, logbook_data(form.scope(_region())))


@bp.route("/logboek/download", methods=["POST"])
@roles(Role.PROJECTLEIDER)
def logbook_download():
    form = _form(request.form)
    if not form.validate():
        return _page(form, None, 422)
    try:
        edition = export_logbook(form.scope(_region()), actor=current_user)
    except ExportRefused as error:
        db.session.rollback()
        return _refused(error, form)
    db.session.commit()
    return send_export(edition.content, edition_filename(edition))


@bp.route("/logboek/<any(bevindingen, acties):kind>.csv")
@roles(Role.PROJECTLEIDER)
def logbook_csv(kind: str):
    form = _form(request.args)
    if not form.validate():
        return _page(form, None, 422)
    scope = form.scope(_region())
    try:
        content = export_logbook_csv(scope, kind, actor=current_user)
    except ExportRefused as error:
        db.session.rollback()
        return _refused(error, form)
    db.session.commit()
    return send_export(content, csv_filename(scope, kind), "text/csv; charset=utf-8")


@bp.route("/logboek/bouwstenen/<int:group_id>.png")
@roles(Role.PROJECTLEIDER)
def building_blocks_png(group_id: int):
    group = load_or_deny(CaseGroup, group_id, can_chart_group)
    form = _form(request.args)
    if not form.validate():
        return _("Choose a valid period."), 422
    scope = LogbookScope(group.region, (group,), form.van.data, form.tot.data)
    section = building_blocks(logbook_queries.building_block_rows(scope))
    png = (
        building_blocks_chart(section.groups[0]).png
        if section.groups
        else empty_chart(_("No building-block scores in this period."))
    )
    return send_export(png, "bouwstenen.png", "image/png")


def _region():
    return current_user.organisation.region


def _form(formdata) -> LogbookForm:
    """The choice, with the groups of the projectleider's region; a group of another region
    in the request is refused and logged, like any object that is not the user's."""
    region = _region()
    groups = logbook_queries.groups_of_region(region.id)
    known = {str(g.id) for g in groups}
    asked = formdata.getlist("groepen") if formdata else []
    # Another group's id is refused and logged; anything else is the form's to refuse.
    if foreign := [value for value in asked if value.isdigit() and value not in known]:
        deny("not_of_this_region", object_type="case_groups", object_id=foreign[0][:20])
    return LogbookForm(formdata, groups=groups)


def _page(form: LogbookForm, data, status: int = 200):
    region = _region()
    html = render_template(
        "exports/logbook.html",
        form=form,
        data=data,
        blocks=outline(data) if data is not None else [],
        title=title(data) if data is not None else "",
        scope_line=scope_line(data) if data is not None else "",
        query=form.query_args(),
        editions=editions_of(region.id),
        chart_alt=building_blocks_alt_text,
    )
    return html, status


def _refused(error: ExportRefused, form: LogbookForm):
    return refusal_page(
        error,
        back_url=url_for(".logbook_page", **form.query_args()),
        back_label=_("Back to the logbook"),
    )
