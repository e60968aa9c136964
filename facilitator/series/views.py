"""Series screens: plan a series (rhythm, then a preview of its dates), its page, extend, end."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from facilitator.auth.access import authenticated
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.groups.models import CaseGroup
from facilitator.loading import load_or_deny
from facilitator.protocols.loader import protocols
from facilitator.series import dates, policy, queries, services
from facilitator.series.forms import (
    ExtendForm,
    SeriesPlanForm,
    SeriesRowsForm,
    SeriesSettingsForm,
)
from facilitator.series.models import MeetingSeries, SeriesRhythm

bp = Blueprint("series", __name__)
#: Dates an extension shows unless asked for another number.
EXTEND_BY = 4


@bp.route("/groepen/<int:group_id>/reeksen/nieuw", methods=["GET", "POST"])
@authenticated
def plan(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_plan_series)
    if request.method == "GET":
        return _preview(group) if request.args else _rhythm_step(group, _first_step(group))
    form = SeriesPlanForm(protocols=protocols().choices())
    form.offer(group)
    if not form.validate_on_submit() or form.refresh.data:
        return _dates_step(group, form, status=200 if form.refresh.data else 422)
    rows, indexes = form.kept()
    try:
        series = services.plan_series(
            group,
            form.settings(),
            rows,
            actor=current_user,
            until=form.until.data,
            personal_data_confirmed=form.personal_data_confirmed.data,
        )
    except ServiceError as error:
        db.session.rollback()
        _show_refusal(form, error, indexes)
        return _dates_step(group, form, status=422)
    db.session.commit()
    flash(_planned(len(rows)), "success")
    return redirect(url_for(".detail", series_id=series.id))


def _first_step(group: CaseGroup) -> SeriesSettingsForm:
    """The rhythm form as it opens: the group's rhythm and protocol, two in the afternoon."""
    return SeriesSettingsForm(
        formdata=None,
        protocols=protocols().choices(),
        rhythm=SeriesRhythm.of_group(group.rhythm).value,
        protocol_id=group.default_protocol or None,
    )


def _preview(group: CaseGroup):
    """Step 2 from step 1's answers (a GET: nothing is stored)."""
    step_one = SeriesSettingsForm(request.args, protocols=protocols().choices())
    if not step_one.validate():
        return _rhythm_step(group, step_one, status=422)
    form = SeriesPlanForm(request.args, protocols=protocols().choices())
    form.show(
        services.preview_rows(
            group, step_one.settings(), count=step_one.count.data, until=step_one.until.data
        )
    )
    form.offer(group)
    return _dates_step(group, form)


def _rhythm_step(group: CaseGroup, form: SeriesSettingsForm, status: int = 200):
    return render_template("series/plan.html", group=group, form=form), status


def _dates_step(group: CaseGroup, form: SeriesPlanForm, status: int = 200):
    return render_template(
        "series/preview.html", group=group, form=form, is_holiday=dates.is_holiday
    ), status


def _show_refusal(form: SeriesRowsForm, error: ServiceError, indexes: list[int]) -> None:
    """Put each row's problems on its date; anything else on the form."""
    for kept_index, messages in getattr(error, "problems", {}).items():
        row = form.rows[indexes[kept_index]]
        row.day.errors = [*row.day.errors, *messages]
    show_service_error(form, error)


def _planned(count: int) -> str:
    return ngettext("%(num)d meeting planned.", "%(num)d meetings planned.", count)


@bp.route("/reeksen/<int:series_id>")
@authenticated
def detail(series_id: int):
    series = load_or_deny(MeetingSeries, series_id, policy.can_view_series)
    return render_template(
        "series/detail.html",
        series=queries.load_series_meetings(series),
        loaded=protocols().get(series.protocol_id),
        can_change=policy.can_change_series(current_user, series),
    )


@bp.route("/reeksen/<int:series_id>/verlengen", methods=["GET", "POST"])
@authenticated
def extend(series_id: int):
    series = load_or_deny(MeetingSeries, series_id, policy.can_change_series)
    count_form = ExtendForm(request.args)
    if request.method == "GET":
        form = SeriesRowsForm(formdata=None)
        count = count_form.count.data if count_form.validate() else None
        if not series.has_ended:
            form.show(services.extension_rows(series, count or EXTEND_BY))
    else:
        form = SeriesRowsForm()
    form.offer(series.group)
    if request.method == "POST" and form.validate_on_submit() and not form.refresh.data:
        rows, indexes = form.kept()
        try:
            services.extend_series(series, rows, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            _show_refusal(form, error, indexes)
        else:
            db.session.commit()
            flash(_planned(len(rows)), "success")
            return redirect(url_for(".detail", series_id=series.id))
    status = 422 if request.method == "POST" and not form.refresh.data else 200
    return render_template(
        "series/extend.html",
        series=series,
        form=form,
        count_form=count_form,
        is_holiday=dates.is_holiday,
    ), status


@bp.route("/reeksen/<int:series_id>/beeindigen", methods=["GET", "POST"])
@authenticated
def end(series_id: int):
    series = load_or_deny(MeetingSeries, series_id, policy.can_change_series)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            cancelled = services.end_series(series, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_cancelled(len(cancelled)), "success")
        return redirect(url_for(".detail", series_id=series.id))
    to_cancel = services.meetings_to_cancel(series)
    return render_template("series/end.html", series=series, form=form, to_cancel=to_cancel)


def _cancelled(count: int) -> str:
    return ngettext(
        "Series ended; %(num)d planned meeting cancelled.",
        "Series ended; %(num)d planned meetings cancelled.",
        count,
    )
