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
from facilitator.cases.regie import current_regievoerder
from facilitator.exceptions import ServiceError
from facilitator.exports.minutes_forms import MinutesApprovalForm
from facilitator.exports.minutes_services import minutes_point
from facilitator.extensions import db
from facilitator.forms import ConfirmForm
from facilitator.loading import load_or_deny, poll_of_logged_page
from facilitator.meetings import queries, run
from facilitator.meetings.correction_forms import correction_forms
from facilitator.meetings.forms import (
    ActionForm,
    ActionReviewForm,
    BuildingBlocksForm,
    CaseUpdateForm,
    FieldSaveForm,
    FindingForm,
    NewActionForm,
    NewFindingForm,
    RegievoerderForm,
    StepForm,
)
from facilitator.meetings.models import BUILDING_BLOCKS, Meeting, MeetingStatus
from facilitator.meetings.policy import can_follow_presentation, can_run_meeting
from facilitator.meetings.progress import StepState
from facilitator.meetings.review import Review, meeting_review
from facilitator.preparation.queries import presented_preparation
from facilitator.privacy.guard import PersonalDataError
from facilitator.signals.queries import meeting_feedback

bp = Blueprint("facilitate", __name__, url_prefix="/bijeenkomsten/<int:meeting_id>")


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _to_step(meeting: Meeting, ref: str = ""):
    return redirect(url_for(".screen", meeting_id=meeting.id, stap=ref or meeting.current_step))


@bp.route("/leiden")
@authenticated
def screen(meeting_id: int):
    meeting = load_or_deny(Meeting, meeting_id, can_run_meeting)
    return render_screen(meeting, request.args.get("stap", ""))


def render_screen(
    meeting: Meeting,
    ref: str,
    *,
    typed: dict | None = None,
    field_error: dict | None = None,
    forms: dict | None = None,
    status: int = 200,
):
    """Render the step ``ref``; ``typed`` puts back what a refused submit held, unsaved, and
    ``forms`` a refused record form (by name, or by record for an edit) with its errors."""
    steps = run.rail(meeting)
    if not steps:
        flash(_("This protocol has no steps for this agenda."), "error")
        return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id))
    forms = forms or {}
    ref = ref or meeting.current_step or steps[0].ref
    current = next((s for s in steps if s.ref == ref), steps[0])
    case = current.case
    blocks = queries.building_block_scores(meeting)
    findings = queries.step_findings(meeting, current.ref)
    actions = queries.step_actions(meeting, current.ref)
    review = meeting_review(meeting) if current.step.reviews_actions else None
    review_forms = _review_forms(meeting, review, forms)
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
        findings=findings,
        actions=actions,
        edit_forms=_edit_forms(meeting, findings, actions, forms),
        corrections=_corrections(meeting, findings, review, blocks, forms),
        review=review,
        review_forms=review_forms,
        review_errors=_unshown_errors(review_forms, forms),
        regievoerder=current_regievoerder(case) if case else None,
        blocks=blocks,
        step_form=StepForm(),
        field_form=FieldSaveForm,
        # Fresh, unbound forms unless a refused one comes back with what was typed in it.
        finding_form=forms.get("finding_form")
        or NewFindingForm(formdata=None, organisations=queries.organisations(meeting)),
        action_form=forms.get("action_form")
        or NewActionForm(formdata=None, people=queries.people(meeting)),
        regie_form=RegievoerderForm(formdata=None, people=queries.people(meeting)),
        blocks_form=forms.get("blocks_form") or BuildingBlocksForm(formdata=None, obj=blocks),
        consent_active=_consent_active(case),
        building_blocks=BUILDING_BLOCKS,
        minutes=_minutes_point(meeting, current.ref == steps[0].ref, forms),
        signal_feedback=meeting_feedback(meeting)
        if current.ref == steps[0].ref and meeting.is_open_for_edits
        else None,
        preparation=presented_preparation(meeting, current.step, case),
    )
    return html, status


def _minutes_point(meeting: Meeting, opening: bool, refused: dict) -> dict | None:
    """In the opening: the previous held meeting's minutes, to approve (or as approved)."""
    point = minutes_point(meeting) if opening else None
    if point is None:
        return None
    form = refused.get("minutes_form") or MinutesApprovalForm(
        formdata=None, minutes_id=point.meeting.id
    )
    return {"point": point, "form": form, "hits": refused.get("minutes_hits", ())}


def _edit_forms(meeting: Meeting, findings, actions, refused: dict) -> dict:
    """A form per finding and action of the step to edit it in place; a refused one as typed."""
    if meeting.status != MeetingStatus.LOPEND:
        return {}
    organisations, people = queries.organisations(meeting), queries.people(meeting)
    forms: dict = {
        ("finding", f.id): FindingForm.editing(f, organisations, posted=False) for f in findings
    }
    forms |= {("action", a.id): ActionForm.editing(a, people, posted=False) for a in actions}
    return forms | {key: form for key, form in refused.items() if key in forms}


def _corrections(meeting: Meeting, findings, review, blocks, refused: dict) -> dict:
    """In a held meeting: a form per record of the step to correct it, with a reason."""
    if meeting.status != MeetingStatus.AFGEROND:
        return {}
    organisations = queries.organisations(meeting)
    return correction_forms(findings, organisations, review, blocks, refused)


def _review_forms(meeting: Meeting, review: Review | None, refused: dict) -> dict:
    """A form per action and per agenda case of the review; a refused one as typed."""
    if review is None or meeting.status != MeetingStatus.LOPEND:
        return {}
    forms: dict = {
        ("review", r.action.id): ActionReviewForm.of(
            r.action, formdata=None, version=r.action.version
        )
        for r in review.items
    }
    for item in review.agenda:
        stored = review.updates.get(item.case_id)
        forms[("case_update", item.id)] = CaseUpdateForm.of(
            item,
            formdata=None,
            text=stored.text if stored else "",
            version=stored.version if stored else 0,
        )
    return forms | {key: form for key, form in refused.items() if key in forms}


def _unshown_errors(review_forms: dict, refused: dict) -> list[str]:
    """Why a review form was refused when its action is no longer listed (done in the
    meantime by its owner, say): said at the top of the review instead."""
    return [
        str(error)
        for key, form in refused.items()
        if key[0] in ("review", "case_update") and key not in review_forms
        for errors in form.errors.values()
        for error in errors
    ]


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
    return render_screen(
        meeting,
        form.ref.data or "",
        typed={key: form.typed},
        field_error={key: message},
        status=code,
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
@poll_of_logged_page
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
            "preparation": [],
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
        "preparation": [
            {"question": question.question, "answer": answer.text}
            for question, answer in _answered(meeting, current)
        ],
    }


def _answered(meeting: Meeting, current) -> list:
    """The preparation answers the projector shows in a case's presentation step (none in
    other steps). None either while the candidate or the employer sits at the table for the
    case: the answers say what the inbrenger wrote about them and where the work gets stuck,
    for the professionals; the procesbegeleider's screen keeps showing them."""
    if current.case is not None and any(
        item.case_id == current.case.id and (item.candidate_present or item.employer_present)
        for item in meeting.agenda
    ):
        return []
    prepared = presented_preparation(meeting, current.step, current.case)
    return prepared.answered if prepared is not None else []
