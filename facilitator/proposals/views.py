"""Call-for-cases screens: open or close a call, propose a case, withdraw, accept, decline."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from facilitator import mail
from facilitator.auth.access import authenticated
from facilitator.cases.models import Case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, database_int, show_service_error
from facilitator.loading import anyone, load_or_deny
from facilitator.localtime import local_today
from facilitator.meetings.models import Meeting
from facilitator.proposals import letters, queries, services
from facilitator.proposals.forms import CallForm, DeclineForm, ProposalForm
from facilitator.proposals.models import CaseProposal
from facilitator.proposals.policy import can_lead_call, can_propose, is_proposer
from facilitator.proposals.reminders import members_to_call

bp = Blueprint("proposals", __name__)


def _meeting_page(meeting: Meeting):
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id, _anchor="oproep"))


@bp.route("/bijeenkomsten/<int:meeting_id>/oproep", methods=["GET", "POST"])
@authenticated
def call_open(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_lead_call)
    form = CallForm.for_meeting(meeting)
    if form.validate_on_submit():
        try:
            call = services.open_call(
                meeting,
                deadline=form.deadline.data,
                message=form.message.data,
                actor=current_user,
                confirmed=form.personal_data_confirmed.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            _announce(call)
            return _meeting_page(meeting)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("proposals/call_open.html", form=form, meeting=meeting), status


def _announce(call) -> None:
    """Mail the call to the members at once, after the commit (mail claims want no write)."""
    try:
        sent = letters.announce_call(call, members_to_call(call), actor=current_user)
    except mail.MailServerError:
        flash(_("Call for cases opened, but the mail server could not be reached."), "error")
        return
    flash(
        ngettext(
            "Call opened; %(num)d member mailed.", "Call opened; %(num)d members mailed.", sent
        ),
        "success",
    )


@bp.route("/bijeenkomsten/<int:meeting_id>/oproep/sluiten", methods=["POST"])
@authenticated
def call_close(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_lead_call)
    call = services.call_of(meeting)
    if ConfirmForm().validate_on_submit() and call is not None:
        try:
            services.close_call(call, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Call for cases closed."), "success")
    return _meeting_page(meeting)


@bp.route("/bijeenkomsten/<int:meeting_id>/voorstellen", methods=["GET", "POST"])
@authenticated
def propose(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_propose)
    form = ProposalForm(cases=queries.candidates(meeting), criteria=meeting.group.active_criteria)
    if not form.is_submitted():
        form.case_id.data = request.args.get("casus", type=database_int)
    if form.validate_on_submit():
        case = load_or_deny(Case, form.case_id.data, anyone, within=(meeting.group, "group_id"))
        try:
            services.propose_case(
                meeting,
                case,
                actor=current_user,
                criteria_ids=set(form.criteria.data or ()),
                note=form.note.data,
                confirmed=form.personal_data_confirmed.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Case %(pseudonym)s proposed.", pseudonym=case.pseudonym), "success")
            return redirect(url_for(".propose", meeting_id=meeting.id))
    page = queries.proposal_page(meeting, current_user, local_today())
    status = 422 if form.errors or form.form_errors else 200
    return render_template("proposals/propose.html", form=form, page=page), status


@bp.route("/bijeenkomsten/<int:meeting_id>/voorstellen/intrekken", methods=["POST"])
@authenticated
def withdraw(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_propose)
    proposal = _chosen(meeting, is_proposer)
    try:
        services.withdraw_proposal(proposal, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Proposal withdrawn."), "success")
    return redirect(url_for(".propose", meeting_id=meeting.id))


@bp.route("/bijeenkomsten/<int:meeting_id>/voorstellen/accepteren", methods=["POST"])
@authenticated
def accept(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_lead_call)
    proposal = _chosen(meeting, anyone)
    try:
        services.accept_proposal(proposal, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _("Case %(pseudonym)s is on the agenda.", pseudonym=proposal.case.pseudonym), "success"
        )
    return _meeting_page(meeting)


def _chosen(meeting: Meeting, rule) -> CaseProposal:
    """The proposal a button names (a hidden field), of this meeting, after the CSRF check."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    proposal_id = request.form.get("proposal_id", type=database_int)
    return load_or_deny(CaseProposal, proposal_id, rule, within=(meeting, "meeting_id"))


@bp.route("/bijeenkomsten/<int:meeting_id>/voorstellen/afwijzen", methods=["GET", "POST"])
@authenticated
def decline(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_lead_call)
    proposal_id = request.args.get("voorstel", type=database_int)
    if proposal_id is None:
        return _meeting_page(meeting)
    proposal = load_or_deny(CaseProposal, proposal_id, anyone, within=(meeting, "meeting_id"))
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline_proposal(
                proposal,
                reason=form.reason.data,
                actor=current_user,
                confirmed=form.personal_data_confirmed.data,
            )
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            _tell_declined(proposal)
            return _meeting_page(meeting)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("proposals/decline.html", form=form, proposal=proposal), status


def _tell_declined(proposal: CaseProposal) -> None:
    try:
        told = letters.tell_declined(proposal, actor=current_user)
    except mail.MailServerError:
        flash(_("Proposal declined, but the mail server could not be reached."), "error")
        return
    if told:
        flash(_("Proposal declined; the proposer has been told why."), "success")
    else:
        flash(_("Proposal declined; the proposer is no longer a member of the group."), "success")
