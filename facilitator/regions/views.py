"""The beheerder's screens for regions and organisations."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import roles
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, database_int, show_service_error
from facilitator.pagination import paginate
from facilitator.regions import services
from facilitator.regions.forms import OrganisationForm, RegionForm
from facilitator.regions.models import Organisation, Region
from facilitator.users.models import Role

bp = Blueprint("regions", __name__, url_prefix="/beheer")
admin_only = roles(Role.BEHEERDER)


@bp.route("/regios")
@admin_only
def region_list():
    rows = db.session.execute(services.regions_with_counts()).all()
    return render_template("regions/region_list.html", rows=rows)


@bp.route("/regios/nieuw", methods=["GET", "POST"])
@admin_only
def region_create():
    form = RegionForm()
    if form.validate_on_submit():
        try:
            region = services.create_region(
                name=form.name.data, description=form.description.data, actor=current_user
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Region %(name)s created.", name=region.name), "success")
            return redirect(url_for(".region_list"))
    return render_template("regions/region_form.html", form=form, region=None)


@bp.route("/regios/<int:region_id>/bewerken", methods=["GET", "POST"])
@admin_only
def region_edit(region_id: int):
    region = db.get_or_404(Region, region_id)
    form = RegionForm(obj=region)
    if form.validate_on_submit():
        try:
            services.update_region(
                region, name=form.name.data, description=form.description.data, actor=current_user
            )
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Region %(name)s saved.", name=region.name), "success")
            return redirect(url_for(".region_list"))
    return render_template("regions/region_form.html", form=form, region=region)


@bp.route("/regios/<int:region_id>/verwijderen", methods=["GET", "POST"])
@admin_only
def region_delete(region_id: int):
    region = db.get_or_404(Region, region_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.delete_region(region, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Region deleted."), "success")
        return redirect(url_for(".region_list"))
    return render_template(
        "regions/region_delete.html",
        form=form,
        region=region,
        refusal=services.region_delete_refusal(region),
    )


@bp.route("/organisaties")
@admin_only
def organisation_list():
    region_id = request.args.get("regio", type=database_int)
    page = paginate(services.organisations_in(region_id))
    regions = db.session.scalars(db.select(Region).order_by(Region.name)).all()
    return render_template(
        "regions/organisation_list.html", page=page, regions=regions, region_id=region_id
    )


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@admin_only
def organisation_create():
    regions = db.session.scalars(db.select(Region).order_by(Region.name)).all()
    form = OrganisationForm(regions=regions, region_id=request.args.get("regio", type=database_int))
    if form.validate_on_submit():
        region = db.get_or_404(Region, form.region_id.data)
        try:
            org = services.create_organisation(region, actor=current_user, **form.details())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Organisation %(name)s created.", name=org.name), "success")
            return redirect(url_for(".organisation_list", regio=region.id))
    return render_template("regions/organisation_form.html", form=form, organisation=None)


@bp.route("/organisaties/<int:organisation_id>/bewerken", methods=["GET", "POST"])
@admin_only
def organisation_edit(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    # An organisation's users, groups and cases belong to its region: it cannot move.
    form = OrganisationForm(obj=org, regions=[org.region])
    if form.validate_on_submit():
        try:
            services.update_organisation(org, actor=current_user, **form.details())
        except ServiceError as error:
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Organisation %(name)s saved.", name=org.name), "success")
            return redirect(url_for(".organisation_list", regio=org.region_id))
    return render_template("regions/organisation_form.html", form=form, organisation=org)


@bp.route("/organisaties/<int:organisation_id>/verwijderen", methods=["GET", "POST"])
@admin_only
def organisation_delete(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        region_id = org.region_id
        try:
            services.delete_organisation(org, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Organisation deleted."), "success")
        return redirect(url_for(".organisation_list", regio=region_id))
    return render_template(
        "regions/organisation_delete.html",
        form=form,
        organisation=org,
        refusal=services.organisation_delete_refusal(org),
    )
