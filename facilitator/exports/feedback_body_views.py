"""The list of a region's feedback bodies: kept by the beheerder in every region and by the
projectleider in their own (they take the logbook to those bodies and record what they said)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import roles
from facilitator.exceptions import ServiceError
from facilitator.exports import feedback_bodies
from facilitator.exports.feedback_forms import FeedbackBodyForm
from facilitator.exports.logbook_policy import can_keep_feedback_bodies
from facilitator.exports.models import FeedbackBody
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.loading import anyone, load_or_deny
from facilitator.regions.models import Region
from facilitator.users.models import Role

bp = Blueprint("feedback_bodies", __name__, url_prefix="/regios/<int:region_id>/feedbackorganen")
keepers = roles(Role.BEHEERDER, Role.PROJECTLEIDER)


def _load(region_id: int, body_id: int | None = None) -> tuple[Region, FeedbackBody | None]:
    region = load_or_deny(Region, region_id, can_keep_feedback_bodies)
    if body_id is None:
        return region, None
    return region, load_or_deny(FeedbackBody, body_id, anyone, within=(region, "region_id"))


@bp.route("", methods=["GET", "POST"])
@keepers
def body_list(region_id: int):
    region, _none = _load(region_id)
    form = FeedbackBodyForm()
    if form.validate_on_submit():
        try:
            body = feedback_bodies.add_body(region, name=form.name.data, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s added.", name=body.name), "success")
            return redirect(url_for(".body_list", region_id=region.id))
    return render_template(
        "exports/feedback_bodies.html",
        region=region,
        bodies=feedback_bodies.bodies_of(region.id),
        counts=feedback_bodies.feedback_counts(region.id),
        form=form,
        switch_form=ConfirmForm(),
    )


@bp.route("/<int:body_id>/bewerken", methods=["GET", "POST"])
@keepers
def body_edit(region_id: int, body_id: int):
    region, body = _load(region_id, body_id)
    form = FeedbackBodyForm(obj=body)
    if form.validate_on_submit():
        try:
            feedback_bodies.rename_body(body, name=form.name.data, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s saved.", name=body.name), "success")
            return redirect(url_for(".body_list", region_id=region.id))
    return render_template("exports/feedback_body_form.html", region=region, body=body, form=form)


@bp.route("/<int:body_id>/uitzetten", methods=["GET", "POST"])
@keepers
def body_deactivate(region_id: int, body_id: int):
    region, body = _load(region_id, body_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        return _switch(region, body, active=False)
    return render_template(
        "exports/feedback_body_deactivate.html", region=region, body=body, form=form
    )


@bp.route("/<int:body_id>/aanzetten", methods=["POST"])
@keepers
def body_activate(region_id: int, body_id: int):
    region, body = _load(region_id, body_id)
    if ConfirmForm().validate_on_submit():
        return _switch(region, body, active=True)
    return redirect(url_for(".body_list", region_id=region.id))


def _switch(region: Region, body: FeedbackBody, *, active: bool):
    try:
        feedback_bodies.set_body_active(body, active, actor=current_user)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s saved.", name=body.name), "success")
    return redirect(url_for(".body_list", region_id=region.id))
