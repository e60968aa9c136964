"""The procesbegeleider's screen during a meeting, and the projector view."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.auth.access import authenticated
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.groups.policy import person_of_region
from facilitator.loading import anyone, load_or_deny
from facilitator.meetings import queries, records, run
from facilitator.meetings.forms import (
    ActionForm,
    ActionStatusForm,
    BuildingBlocksForm,
    FieldSaveForm,
    FindingForm,
    RegievoerderForm,
    StepForm,
)
from facilitator.meetings.models import (
    BUILDING_BLOCKS,
    ActionItem,
    Finding,
    Meeting,
    MeetingStatus,
)
from facilitator.meetings.policy import action_of_group, can_follow_presentation, can_run_meeting
from facilitator.meetings.progress import StepState
from facilitator.privacy.forms import show_personal_data_error
from facilitator.privacy.guard import PersonalDataError
from facilitator.regions.models import Organisation
from facilitator.regions.services import organisations_of_region
from facilitator.users.models import User

bp = Blueprint("facilitate", __name__, url_prefix="/bijeenkomsten/<int:meeting_id>")


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _people(meeting: Meeting) -> list[User]:
    return sorted(
        (m.user for m in meeting.group.memberships if m.user.active), key=lambda u: u.name
    )


def _organisations(meeting: Meeting) -> list[Organisation]:
    return organisations_of_region(meeting.group.region_id)


def _to_step(meeting: Meeting, ref: str = ""):
    return redirect(url_for(".screen", meeting_id=meeting.id, stap=ref or meeting.current_step))


@bp.route("/leiden")
@authenticated
def screen(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    return _render_screen(meeting, request.args.get("stap", ""))


def _render_screen(
    meeting: Meeting,
    ref: str,
    *,
    typed: dict | None = None,
    field_error: dict | None = None,
    forms: dict | None = None,
    status: int = 200,
):
    """Render the step ``ref``; ``typed`` puts back what a refused submit held, unsaved."""
    steps = run.rail(meeting)
    if not steps:
        flash(_("This protocol has no steps for this agenda."), "error")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    forms = forms or {}
    ref = ref or meeting.current_step or steps[0].ref
    current = next((s for s in steps if s.ref == ref), steps[0])
    case = current.case
    blocks = queries.building_block_scores(meeting)
    html = render_template(
        "meetings/facilitate.html",
        meeting=meeting,
        steps=steps,
        progress=run.progress(meeting),
        step_states=list(StepState),
        current=current,
        values=run.field_values(meeting),
        started_at=run.step_started_at(meeting, current.ref),
        typed=typed or {},
        field_error=field_error or {},
        findings=queries.step_findings(meeting, current.ref),
        actions=queries.step_actions(meeting, current.ref),
        open_actions=run.open_actions_before(meeting),
        regievoerder=run.current_regievoerder(case) if case else None,
        blocks=blocks,
        step_form=StepForm(),
        field_form=FieldSaveForm,
        # Fresh, unbound forms unless a refused one comes back with what was typed in it.
        finding_form=forms.get("finding_form")
        or FindingForm(formdata=None, organisations=_organisations(meeting)),
        action_form=forms.get("action_form") or ActionForm(formdata=None, people=_people(meeting)),
        regie_form=RegievoerderForm(formdata=None, people=_people(meeting)),
        blocks_form=forms.get("blocks_form") or BuildingBlocksForm(formdata=None, obj=blocks),
        status_form=ActionStatusForm(),
        confirm=ConfirmForm(),
        consent_active=_consent_active(case),
        building_blocks=BUILDING_BLOCKS,
    )
    return html, status


def _consent_active(case) -> bool | None:
    from facilitator.cases.models import PrivacyMode
    from facilitator.privacy.services import active_consent

    if case is None or case.privacy_mode != PrivacyMode.TOESTEMMING:
        return None
    return active_consent(case) is not None


@bp.route("/stap", methods=["POST"])
@authenticated
def go(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = StepForm()
    if form.validate_on_submit() and meeting.status != MeetingStatus.LOPEND:
        return _to_step(meeting, form.ref.data)  # a held meeting is only read, step by step
    if form.validate_on_submit():
        try:
            run.go_to_step(meeting, form.ref.data, actor=current_user)
        except ServiceError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
    return _to_step(meeting)


@bp.route("/veld", methods=["POST"])
@authenticated
def save_field(meeting_id: int):
    """Save one field: JSON for the autosave script, a redirect for an ordinary submit."""
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = FieldSaveForm()
    if not form.validate_on_submit():
        reason = next(iter(form.value.errors), None) or _("The field could not be saved.")
        return _field_error(meeting, form, str(reason), 400)
    try:
        saved = run.save_field(
            meeting,
            form.ref.data,
            form.key.data,
            form.value.data,
            expected_version=form.version.data,
            actor=current_user,
            personal_data_confirmed=form.personal_data_confirmed.data,
            reason=form.reason.data or "",
        )
    except run.ConflictError as error:
        db.session.rollback()
        if _wants_json():
            return jsonify(
                status="conflict",
                message=str(error.message),
                value=error.current.value,
                version=error.current.version,
            ), 409
        theirs = error.current.value
        message = _(
            "Someone else saved this field in the meantime. Their text: "
            "“%(theirs)s”. Save again to replace it with yours.",
            theirs=theirs,
        )
        return _field_error(meeting, form, message, 409)
    except PersonalDataError as error:
        db.session.rollback()
        fragments = [f.fragment for f in error.findings]
        if _wants_json():
            return jsonify(
                status="personal_data",
                message=str(error.message),
                fragments=fragments,
                confirm=error.needs_confirmation,
            ), 422
        return _field_error(meeting, form, f"{error.message} ({', '.join(fragments)})", 422)
    except ServiceError as error:
        db.session.rollback()
        return _field_error(meeting, form, str(error.message), 422)
    db.session.commit()
    if _wants_json():
        state = run.progress(meeting).states[form.ref.data]
        return jsonify(status="saved", version=saved.version, step_state=state.value)
    flash(_("Saved."), "success")
    return _to_step(meeting, form.ref.data)


def _field_error(meeting: Meeting, form: FieldSaveForm, message: str, code: int):
    """Refuse a save: JSON for the script; without it, the step again with the text as typed
    and the reason beside the field (never in a flash message, which travels in the session
    cookie and would carry what was typed)."""
    if _wants_json():
        return jsonify(status="error", message=message), code
    key = (form.ref.data, form.key.data)
    return _render_screen(
        meeting,
        form.ref.data or "",
        typed={key: form.typed},
        field_error={key: message},
        status=code,
    )


def _record(meeting: Meeting, ref: str, action, *, form=None, form_name: str = ""):
    """Run a record-making service; on refusal show the step again with the form as typed."""
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        if form is None:
            flash(str(error.message), "error")  # no fragments: a flash travels in the cookie
            return _to_step(meeting, ref)
        if isinstance(error, PersonalDataError):
            show_personal_data_error(form, error)
        else:
            show_service_error(form, error)
        return _render_screen(meeting, ref, forms={form_name: form}, status=422)
    db.session.commit()
    flash(_("Saved."), "success")
    return _to_step(meeting, ref)


def _refused_form(meeting: Meeting, ref: str, form, form_name: str):
    """A form that did not validate comes back with its errors and what was typed."""
    return _render_screen(meeting, ref, forms={form_name: form}, status=422)


@bp.route("/bevindingen", methods=["POST"])
@authenticated
def finding_add(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    organisations = _organisations(meeting)
    form = FindingForm(organisations=organisations)
    if not form.validate_on_submit():
        return _refused_form(meeting, form.ref.data, form, "finding_form")
    chosen = [o for o in organisations if o.id in set(form.organisations.data or ())]
    return _record(
        meeting,
        form.ref.data,
        lambda: records.add_finding(
            meeting,
            form.ref.data,
            kind=form.kind.data,
            level=form.level.data,
            text=form.text.data,
            organisations=chosen,
            signal=form.signal.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
        form=form,
        form_name="finding_form",
    )


@bp.route("/bevindingen/<int:finding_id>/verwijderen", methods=["POST"])
@authenticated
def finding_remove(meeting_id: int, finding_id: int):
    return _remove(meeting_id, Finding, finding_id)


@bp.route("/acties", methods=["POST"])
@authenticated
def action_add(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = ActionForm(people=_people(meeting))
    if not form.validate_on_submit():
        return _refused_form(meeting, form.ref.data, form, "action_form")
    return _record(
        meeting,
        form.ref.data,
        lambda: records.add_action(
            meeting,
            form.ref.data,
            description=form.description.data,
            owner=load_or_deny(User, form.owner_id.data, person_of_region(meeting.group)),
            due_on=form.due_on.data,
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
        form=form,
        form_name="action_form",
    )


@bp.route("/acties/<int:action_id>/verwijderen", methods=["POST"])
@authenticated
def action_remove(meeting_id: int, action_id: int):
    return _remove(meeting_id, ActionItem, action_id)


def _remove(meeting_id: int, model: type[Finding] | type[ActionItem], item_id: int):
    """Remove a finding or action of this meeting; one of another meeting is a logged 403."""
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    item = load_or_deny(model, item_id, anyone, within=(meeting, "meeting_id"))
    if not ConfirmForm().validate_on_submit():
        return _to_step(meeting)
    return _record(
        meeting, item.step_ref, lambda: records.remove_record(meeting, item, actor=current_user)
    )


@bp.route("/acties/<int:action_id>/status", methods=["POST"])
@authenticated
def action_status(meeting_id: int, action_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    action = load_or_deny(ActionItem, action_id, action_of_group(meeting))
    form = ActionStatusForm()
    if not form.validate_on_submit():
        return _to_step(meeting)
    return _record(
        meeting,
        meeting.current_step,
        lambda: records.set_action_status(meeting, action, form.status.data, actor=current_user),
    )


@bp.route("/regievoerder", methods=["POST"])
@authenticated
def regievoerder(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = RegievoerderForm(people=_people(meeting))
    if not form.validate_on_submit():
        return _to_step(meeting, form.ref.data)
    try:
        case = run.find_step(meeting, form.ref.data).case
    except ServiceError:
        case = None
    if case is None:
        flash(_("A regievoerder is chosen in a case step."), "error")
        return _to_step(meeting, form.ref.data)
    return _record(
        meeting,
        form.ref.data,
        lambda: records.assign_regievoerder(
            meeting,
            case,
            load_or_deny(User, form.user_id.data, person_of_region(meeting.group)),
            actor=current_user,
        ),
    )


@bp.route("/bouwstenen", methods=["POST"])
@authenticated
def building_blocks(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    form = BuildingBlocksForm()
    ref = request.form.get("ref", "")[:120]
    if not form.validate_on_submit():
        return _refused_form(meeting, ref, form, "blocks_form")
    return _record(
        meeting,
        ref,
        lambda: records.save_building_blocks(
            meeting,
            form.scores(),
            went_well=form.went_well.data or "",
            could_be_better=form.could_be_better.data or "",
            actor=current_user,
            confirmed=form.personal_data_confirmed.data,
        ),
        form=form,
        form_name="blocks_form",
    )


@bp.route("/afsluiten", methods=["GET", "POST"])
@authenticated
def close(meeting_id: int):
    """Ask before closing: say what becomes read-only and what is still open; then close."""
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    if meeting.status != MeetingStatus.LOPEND:
        flash(_("Only a meeting in progress can be closed."), "error")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            run.close_meeting(meeting, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("Meeting completed. It is read-only now; corrections need a reason."), "success"
            )
            return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    missing = run.missing_required(meeting)
    return render_template("meetings/close.html", meeting=meeting, missing=missing, form=form)


@bp.route("/presentatie")
@authenticated
def presentation(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_follow_presentation)
    return render_template(
        "meetings/presentation.html", meeting=meeting, state=_presentation_state(meeting)
    )


@bp.route("/presentatie.json")
@authenticated
def presentation_state(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_follow_presentation)
    return jsonify(_presentation_state(meeting))


def _presentation_state(meeting: Meeting) -> dict:
    """What the projector shows: step, prompts, the case's pseudonym. Never identity."""
    steps = run.rail(meeting)
    current = next((s for s in steps if s.ref == meeting.current_step), None)
    if current is None:
        return {
            "step": "",
            "title": meeting.group.name,
            "prompts": [],
            "pseudonym": "",
            "number": 0,
            "total": len(steps),
            "minutes": 0,
            "meta": "",
        }
    meta = (
        _("Step %(n)d of %(total)d", n=current.number, total=len(steps))
        + " · "
        + _("%(n)d min", n=current.step.minutes)
    )
    return {
        "step": current.ref,
        "title": current.step.title,
        "number": current.number,
        "total": len(steps),
        "minutes": current.step.minutes,
        "meta": meta,
        "prompts": [p.text for p in current.step.prompts],
        "pseudonym": current.case.pseudonym if current.case else "",
    }
