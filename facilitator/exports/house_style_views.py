"""The beheerder's page for a region's house style: upload, sample document, removal."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from facilitator.auth.access import roles
from facilitator.exceptions import ServiceError
from facilitator.exports import house_style as services
from facilitator.exports.house_style_forms import HouseStyleForm
from facilitator.exports.reference_check import MAX_BYTES
from facilitator.exports.sample import sample_document
from facilitator.exports.web import send_export
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.loading import load_or_deny
from facilitator.regions.models import Region
from facilitator.regions.policy import can_keep_house_style
from facilitator.users.models import Role

bp = Blueprint("house_style", __name__, url_prefix="/beheer/regios/<int:region_id>/huisstijl")
admin_only = roles(Role.BEHEERDER)


def upload_limit() -> int:
    """The largest file that gets through: the checker's limit or the request's, the lower."""
    request_limit = current_app.config.get("MAX_CONTENT_LENGTH") or MAX_BYTES
    return min(MAX_BYTES, request_limit)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """A file over the request limit never reaches the form: say so on the page itself."""
    flash(
        _(
            "The file is too large: a house style may be at most %(mb)s MB. Remove large "
            "images from it and try again.",
            mb=_megabytes(upload_limit()),
        ),
        "error",
    )
    return redirect(url_for(".edit", region_id=request.view_args["region_id"]), code=303)


@bp.route("", methods=["GET", "POST"])
@admin_only
def edit(region_id: int):
    region = load_or_deny(Region, region_id, can_keep_house_style)
    form = HouseStyleForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            services.set_house_style(
                region, filename=upload.filename, content=upload.read(), actor=current_user
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("The house style of %(name)s has been saved.", name=region.name), "success")
            return redirect(url_for(".edit", region_id=region.id))
    return render_template(
        "exports/house_style.html",
        region=region,
        form=form,
        current=services.house_style_summary(region.id),
        limit_mb=_megabytes(upload_limit()),
    )


@bp.route("/voorbeeld.docx")
@admin_only
def sample(region_id: int):
    region = load_or_deny(Region, region_id, can_keep_house_style)
    return send_export(sample_document(region), "voorbeeld-huisstijl.docx")


@bp.route("/verwijderen", methods=["GET", "POST"])
@admin_only
def remove(region_id: int):
    region = load_or_deny(Region, region_id, can_keep_house_style)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.remove_house_style(region, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The house style has been removed."), "success")
        return redirect(url_for(".edit", region_id=region.id))
    return render_template(
        "exports/house_style_remove.html",
        region=region,
        form=form,
        current=services.house_style_summary(region.id),
    )
