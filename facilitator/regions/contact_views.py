"""Screens for contacts (professionals without an account): the beheerder's in every region, a
procesbegeleider's in their own."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import roles
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, database_int, show_service_error
from facilitator.loading import load_or_deny
from facilitator.pagination import paginate
from facilitator.regions import contacts
from facilitator.regions.forms import ContactForm
from facilitator.regions.models import Contact, Organisation
from facilitator.regions.policy import can_manage_contact, can_manage_contacts_in
from facilitator.regions.services import all_regions, organisations_in, organisations_of_region
from facilitator.users.models import Role

bp = Blueprint("contacts", __name__, url_prefix="/contactpersonen")
managers = roles(Role.BEHEERDER, Role.PROCESBEGELEIDER)


def _is_beheerder() -> bool:
    return current_user.role == Role.BEHEERDER


def _region_shown() -> int | None:
    """The beheerder filters by region (or sees all); a procesbegeleider sees their own."""
    if _is_beheerder():
        return request.args.get("regio", type=database_int)
    return current_user.organisation.region_id


def _organisations(region_id: int | None) -> list[Organisation]:
    if region_id is None:
        return [o for o in db.session.scalars(organisations_in()) if o.active]
    return organisations_of_region(region_id, active_only=True)


@bp.route("/")
@managers
def contact_list():
    region_id = _region_shown()
    page = paginate(contacts.contacts_in(region_id))
    regions = all_regions() if _is_beheerder() else []
    return render_template(
        "regions/contact_list.html",
        page=page,
        regions=regions,
        region_id=region_id,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@managers
def contact_create():
    region_id = None if _is_beheerder() else current_user.organisation.region_id
    form = ContactForm(organisations=_organisations(region_id), with_region=region_id is None)
    if form.validate_on_submit():
        organisation = load_or_deny(Organisation, form.organisation_id.data, can_manage_contacts_in)
        try:
            contact = contacts.create_contact(
                organisation, name=form.name.data, email=form.email.data, actor=current_user
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Contact %(name)s added.", name=contact.name), "success")
            return redirect(url_for(".contact_list", regio=organisation.region_id))
    return render_template("regions/contact_form.html", form=form, contact=None)


@bp.route("/<int:contact_id>/bewerken", methods=["GET", "POST"])
@managers
def contact_edit(contact_id: int):
    contact = load_or_deny(Contact, contact_id, can_manage_contact)
    organisations = organisations_of_region(contact.organisation.region_id)
    form = ContactForm(obj=contact, organisations=organisations)
    if form.validate_on_submit():
        organisation = load_or_deny(Organisation, form.organisation_id.data, can_manage_contacts_in)
        try:
            contacts.update_contact(
                contact,
                name=form.name.data,
                email=form.email.data,
                organisation=organisation,
                actor=current_user,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Contact %(name)s saved.", name=contact.name), "success")
            return redirect(url_for(".contact_list", regio=contact.organisation.region_id))
    return render_template("regions/contact_form.html", form=form, contact=contact)


@bp.route("/<int:contact_id>/deactiveren", methods=["POST"])
@managers
def contact_deactivate(contact_id: int):
    return _set_active(contact_id, False)


@bp.route("/<int:contact_id>/activeren", methods=["POST"])
@managers
def contact_activate(contact_id: int):
    return _set_active(contact_id, True)


def _set_active(contact_id: int, active: bool):
    contact = load_or_deny(Contact, contact_id, can_manage_contact)
    if ConfirmForm().validate_on_submit():
        contacts.set_contact_active(contact, active, actor=current_user)
        db.session.commit()
        if active:
            flash(_("%(name)s is active again.", name=contact.name), "success")
        else:
            flash(_("%(name)s is deactivated.", name=contact.name), "success")
    return redirect(url_for(".contact_list", regio=contact.organisation.region_id))
