"""The projectleider's signal pages: the region's list, and one signal with its follow-up form
and timeline. No pseudonym is shown on them: the follow-up is about policy, not the case."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import roles
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import show_service_error
from facilitator.loading import load_or_deny
from facilitator.localtime import local_today
from facilitator.meetings.models import Finding
from facilitator.regions.models import Region
from facilitator.signals import queries
from facilitator.signals.forms import FollowUpForm, SignalFilterForm
from facilitator.signals.policy import can_follow_up, can_list_signals
from facilitator.signals.services import record_follow_up
from facilitator.users.models import Role
from facilitator.versions import EditConflict, show_conflict

bp = Blueprint("signals", __name__)


@bp.route("/regios/<int:region_id>/signalen")
@roles(Role.PROJECTLEIDER)
def region_list(region_id: int):
    region = load_or_deny(Region, region_id, can_list_signals)
    lines = queries.region_signals(region.id)
    groups = sorted({(line.group_id, line.group) for line in lines}, key=lambda g: g[1])
    filters = SignalFilterForm(request.args, groups=[_Group(*g) for g in groups])
    shown = filters.chosen(lines)
    return render_template(
        "signals/region_list.html",
        region=region,
        signals=shown,
        filters=filters,
        counts=queries.status_counts(lines),
        total=len(lines),
    )


@bp.route("/signalen/<int:finding_id>", methods=["GET", "POST"])
@roles(Role.PROJECTLEIDER)
def signal_detail(finding_id: int):
    finding = load_or_deny(Finding, finding_id, can_follow_up)
    line = queries.signal_line(finding) or abort(404)  # no signal (any more): no follow-up
    form = (
        FollowUpForm() if request.method == "POST" else FollowUpForm.for_signal(line, local_today())
    )
    if form.validate_on_submit():
        try:
            record_follow_up(
                finding,
                status=form.status.data,
                decision=form.decision.data,
                decided_on=form.decided_on.data,
                expected_version=form.version.data,
                actor=current_user,
                confirmed=form.personal_data_confirmed.data,
            )
        except EditConflict as error:
            db.session.rollback()
            show_conflict(form, error, form.changes_since(queries.signal_line(finding)))
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Follow-up saved."), "success")
            return redirect(url_for(".signal_detail", finding_id=finding.id))
    status = 409 if form.conflict else 422 if form.is_submitted() else 200
    html = render_template(
        "signals/signal_detail.html",
        line=queries.signal_line(finding),
        timeline=queries.timeline(finding),
        form=form,
    )
    return html, status


class _Group:
    """A group as the filter offers it: taken from the signals listed, no query of its own."""

    def __init__(self, group_id: int, name: str) -> None:
        self.id, self.name = group_id, name


@bp.app_template_filter("signal_counts")
def signal_counts(lines):
    """How many signals stand at each status, for the dashboard's partial."""
    return queries.status_counts(tuple(lines))
