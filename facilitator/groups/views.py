"""Casusgroep screens: list, page, settings, members, criteria."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import authenticated, roles
from facilitator.cases.services import cases_of_group
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.groups import policy, services
from facilitator.groups.forms import CriterionForm, GroupForm, MemberForm
from facilitator.groups.models import CaseGroup, GroupMembership, SelectionCriterion
from facilitator.loading import anyone, load_or_deny
from facilitator.meetings.planning import meetings_of_group
from facilitator.meetings.policy import can_plan_meetings
from facilitator.pagination import paginate
from facilitator.privacy.services import consents_to_extend
from facilitator.regions.models import Region
from facilitator.series import policy as series_policy
from facilitator.series.queries import series_of_group
from facilitator.signals.policy import can_hear_back
from facilitator.signals.queries import group_signals
from facilitator.users.models import Role, User

bp = Blueprint("groups", __name__, url_prefix="/groepen")
MEETINGS_ON_GROUP_PAGE = 20


def _regions_for(user: User) -> list[Region]:
    return services.regions_for_new_groups(user)


@bp.route("/")
@authenticated
def group_list():
    page = paginate(policy.visible_groups(current_user))
    return render_template(
        "groups/group_list.html", page=page, can_create=policy.can_create_groups(current_user)
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@roles(Role.BEHEERDER, Role.PROJECTLEIDER)
def group_create():
    regions = _regions_for(current_user)
    form = GroupForm(regions=regions)
    if form.validate_on_submit():
        region = next(r for r in regions if r.id == form.region_id.data)
        try:
            group = services.create_group(
                region,
                actor=current_user,
                personal_data_confirmed=form.personal_data_confirmed.data,
                **form.group_fields(),
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Group %(name)s created. Now add its process supervisor and members.",
                    name=group.name,
                ),
                "success",
            )
            return redirect(url_for(".group_members", group_id=group.id))
    return render_template("groups/group_form.html", form=form, group=None)


@bp.route("/<int:group_id>")
@authenticated
def group_detail(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_view_group)
    show_cases = policy.can_see_cases(current_user, group)
    cases = paginate(cases_of_group(group)) if show_cases else None
    meetings = db.session.scalars(
        meetings_of_group(group, planned_in_series=False).limit(MEETINGS_ON_GROUP_PAGE)
    ).all()
    expiring = consents_to_extend(group, current_user)
    return render_template(
        "groups/group_detail.html",
        group=group,
        cases=cases,
        expiring=expiring,
        can_manage=policy.can_manage_group(current_user, group),
        can_manage_members=policy.can_manage_members(current_user, group),
        can_register=policy.can_register_case(current_user, group),
        meetings=meetings,
        can_plan=can_plan_meetings(current_user, group),
        show_cases=show_cases,
        series=series_of_group(group),
        can_plan_series=series_policy.can_plan_series(current_user, group),
        can_read_series=series_policy.can_read_series_of(current_user, group),
        group_signals=group_signals(group) if can_hear_back(current_user, group) else None,
    )


@bp.route("/<int:group_id>/bewerken", methods=["GET", "POST"])
@roles(Role.BEHEERDER, Role.PROJECTLEIDER)
def group_edit(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_manage_group)
    form = GroupForm(obj=group, regions=[group.region])
    if form.validate_on_submit():
        try:
            services.update_group(
                group,
                actor=current_user,
                personal_data_confirmed=form.personal_data_confirmed.data,
                **form.group_fields(),
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Group %(name)s saved.", name=group.name), "success")
            return redirect(url_for(".group_detail", group_id=group.id))
    return render_template("groups/group_form.html", form=form, group=group)


@bp.route("/<int:group_id>/archiveren", methods=["GET", "POST"])
@roles(Role.BEHEERDER, Role.PROJECTLEIDER)
def group_archive(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_manage_group)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.set_group_active(group, False, actor=current_user)
        db.session.commit()
        flash(_("Group %(name)s archived.", name=group.name), "success")
        return redirect(url_for(".group_detail", group_id=group.id))
    return render_template("groups/group_archive.html", form=form, group=group)


@bp.route("/<int:group_id>/heropenen", methods=["POST"])
@roles(Role.BEHEERDER, Role.PROJECTLEIDER)
def group_reopen(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_manage_group)
    if ConfirmForm().validate_on_submit():
        services.set_group_active(group, True, actor=current_user)
        db.session.commit()
        flash(_("Group %(name)s is active again.", name=group.name), "success")
    return redirect(url_for(".group_detail", group_id=group.id))


def _candidates(group) -> list[User]:
    return services.member_candidates(group)


@bp.route("/<int:group_id>/leden", methods=["GET", "POST"])
@authenticated
def group_members(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_manage_members)
    form = MemberForm(candidates=_candidates(group))
    if form.validate_on_submit():
        try:
            services.add_member(
                group,
                load_or_deny(User, form.user_id.data, policy.person_of_region(group)),
                form.role.data,
                actor=current_user,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Member added."), "success")
            return redirect(url_for(".group_members", group_id=group.id))
    return render_template("groups/group_members.html", group=group, form=form)


@bp.route("/<int:group_id>/leden/<int:membership_id>/verwijderen", methods=["POST"])
@authenticated
def group_member_remove(group_id: int, membership_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_manage_members)
    membership = load_or_deny(GroupMembership, membership_id, anyone, within=(group, "group_id"))
    if ConfirmForm().validate_on_submit():
        try:
            services.remove_member(group, membership, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Member removed from the group."), "success")
    return redirect(url_for(".group_members", group_id=group.id))


@bp.route("/<int:group_id>/criteria", methods=["GET", "POST"])
@roles(Role.BEHEERDER, Role.PROJECTLEIDER)
def group_criteria(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_manage_group)
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            services.add_criterion(
                group,
                form.text.data,
                form.mandatory.data,
                actor=current_user,
                personal_data_confirmed=form.personal_data_confirmed.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Criterion added."), "success")
            return redirect(url_for(".group_criteria", group_id=group.id))
    return render_template("groups/group_criteria.html", group=group, form=form)


@bp.route("/<int:group_id>/criteria/<int:criterion_id>/intrekken", methods=["POST"])
@roles(Role.BEHEERDER, Role.PROJECTLEIDER)
def group_criterion_retire(group_id: int, criterion_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_manage_group)
    criterion = load_or_deny(SelectionCriterion, criterion_id, anyone, within=(group, "group_id"))
    if ConfirmForm().validate_on_submit():
        services.retire_criterion(group, criterion, actor=current_user)
        db.session.commit()
        flash(_("Criterion retired; cases that met it keep that on record."), "success")
    return redirect(url_for(".group_criteria", group_id=group.id))
