"""What an action's forms on the facilitation screen show after an edit conflict
(facilitator.versions): per field, what is saved now next to what was entered, as the
action's own pages show it (facilitator.actions.forms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from facilitator.actions.models import ActionItem, ActionStatus
from facilitator.groups.people import person_label
from facilitator.meetings.forms import ActionForm, ActionReviewForm


def action_changes(form: ActionForm, action: ActionItem) -> list[tuple]:
    """An action of this meeting edited in place: what, who, by when."""
    chosen = _labels(form.owner_id)
    return [
        (form.description.label.text, action.description, form.description.data),
        (form.owner_id.label.text, person_label(action.owner), chosen.get(form.owner_id.data, "")),
        (form.due_on.label.text, action.due_on, form.due_on.data),
    ]


def review_changes(form: ActionReviewForm, action: ActionItem) -> list[tuple]:
    """An earlier action in the review: its status, due date and latest terugkoppeling."""
    chosen = _labels(form.status)
    latest = action.updates[-1] if action.updates else None
    # A new due date only counts for an action that goes on (review.review_action).
    goes_on = form.status.data in {s.value for s in ActionStatus if s.is_open}
    return [
        (form.status.label.text, action.status.label, chosen.get(form.status.data, "")),
        (
            form.due_on.label.text,
            action.due_on,
            form.due_on.data if goes_on and form.due_on.data else action.due_on,
        ),
        (_l("Latest terugkoppeling"), latest.note if latest else "", form.note.data),
    ]


def _labels(field) -> dict:
    return {choice.value: choice.label for choice in field.choices}
