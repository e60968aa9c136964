"""Story screens: a group's stories, writing and editing one, its page with the steps of its
approval, and deleting a draft."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitator.actions.queries import cases_to_choose
from facilitator.auth.access import roles
from facilitator.cases.models import Case
from facilitator.cases.policy import can_view_case
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.forms import ConfirmForm, show_service_error
from facilitator.groups.models import CaseGroup
from facilitator.loading import load_or_deny, note_reads
from facilitator.pagination import paginate
from facilitator.stories import policy, queries
from facilitator.stories import services as stories
from facilitator.stories.forms import NO_CASE, SendBackForm, StepForm, StoryForm
from facilitator.stories.models import Story
from facilitator.users.models import Role
from facilitator.versions import EditConflict, show_conflict

bp = Blueprint("stories", __name__)

#: The beheerder sees no client data and the beleidsgroeplid no pseudonym: neither comes here.
READERS = (Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER)


@bp.route("/groepen/<int:group_id>/verhalen")
@roles(*READERS)
def story_list(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_read_stories)
    page = paginate(queries.stories_of_group(group))
    note_reads(page.items, listed_by="can_read_stories")
    can_write = policy.can_write_stories(current_user, group)
    return render_template("stories/list.html", group=group, page=page, can_write=can_write)


@bp.route("/groepen/<int:group_id>/verhalen/nieuw", methods=["GET", "POST"])
@roles(*READERS)
def story_create(group_id: int):
    group = load_or_deny(CaseGroup, group_id, policy.can_write_stories)
    form = StoryForm.creating(cases_to_choose(group, open_only=False))
    if form.validate_on_submit():
        try:
            story = stories.write_story(group, actor=current_user, **_fields(form, group))
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Story saved as a draft. Submit it when it is ready."), "success")
            return redirect(url_for(".story_detail", story_id=story.id))
    return render_template("stories/form.html", form=form, group=group, story=None)


@bp.route("/verhalen/<int:story_id>")
@roles(*READERS)
def story_detail(story_id: int):
    story = load_or_deny(Story, story_id, policy.can_read_story)
    return _detail(story, SendBackForm(formdata=None, version=story.version))


def _detail(story: Story, send_back: SendBackForm, status: int = 200):
    """The story's page, with the buttons of the steps the current user may take."""
    html = render_template(
        "stories/detail.html",
        story=story,
        step=StepForm(formdata=None, version=story.version),
        send_back=send_back,
        can_edit=policy.can_edit_story(current_user, story),
        can_submit=policy.can_submit_story(current_user, story),
        can_delete=policy.can_delete_story(current_user, story),
        can_approve=policy.can_approve_story(current_user, story),
        can_open_case=story.case is not None and can_view_case(current_user, story.case),
    )
    return html, status


@bp.route("/verhalen/<int:story_id>/bewerken", methods=["GET", "POST"])
@roles(*READERS)
def story_edit(story_id: int):
    story = load_or_deny(Story, story_id, policy.can_edit_story)
    form = StoryForm.editing(story, cases_to_choose(story.group, open_only=False))
    if form.validate_on_submit():
        fields = _fields(form, story.group)
        try:
            stories.edit_story(story, actor=current_user, seen_version=form.version.data, **fields)
        except EditConflict as error:
            db.session.rollback()
            show_conflict(form, error, form.changes_since(story))
        except ServiceError as error:
            db.session.rollback()
            show_service_error(form, error)
        else:
            db.session.commit()
            flash(_("Story saved."), "success")
            return redirect(url_for(".story_detail", story_id=story.id))
    html = render_template("stories/form.html", form=form, group=story.group, story=story)
    return html, 409 if form.conflict else 200


@bp.route("/verhalen/<int:story_id>/indienen", methods=["POST"])
@roles(*READERS)
def story_submit(story_id: int):
    story = load_or_deny(Story, story_id, policy.can_submit_story)
    return _step(story, stories.submit_story, _("Story submitted for approval."))


@bp.route("/verhalen/<int:story_id>/goedkeuren", methods=["POST"])
@roles(*READERS)
def story_approve(story_id: int):
    story = load_or_deny(Story, story_id, policy.can_approve_story)
    return _step(story, stories.approve_story, _("Story approved."))


def _step(story: Story, step, done: str):
    """Take one step of the approval on the version the page showed."""
    form = StepForm()
    if not form.validate_on_submit():
        return _detail(story, SendBackForm(formdata=None, version=story.version), 422)
    try:
        step(story, actor=current_user, seen_version=form.version.data)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".story_detail", story_id=story.id))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".story_detail", story_id=story.id))


@bp.route("/verhalen/<int:story_id>/terugsturen", methods=["POST"])
@roles(*READERS)
def story_send_back(story_id: int):
    story = load_or_deny(Story, story_id, policy.can_approve_story)
    form = SendBackForm()
    if form.validate_on_submit():
        try:
            stories.send_back_story(
                story, reason=form.reason.data, actor=current_user, seen_version=form.version.data
            )
        except ServiceError as error:  # a conflict too: the reason stays in the form
            db.session.rollback()
            show_service_error(form, error)
            if isinstance(error, EditConflict):  # sending again is the leader's decision
                form.version.data = error.current.version
                form.version.raw_data = [str(error.current.version)]
        else:
            db.session.commit()
            flash(_("Story sent back to its author."), "success")
            return redirect(url_for(".story_detail", story_id=story.id))
    return _detail(story, form, 422)


@bp.route("/verhalen/<int:story_id>/verwijderen", methods=["GET", "POST"])
@roles(*READERS)
def story_delete(story_id: int):
    story = load_or_deny(Story, story_id, policy.can_delete_story)
    form = ConfirmForm()
    if form.validate_on_submit():
        group_id = story.group_id
        stories.delete_story(story, actor=current_user)
        db.session.commit()
        flash(_("The draft has been deleted."), "success")
        return redirect(url_for(".story_list", group_id=group_id))
    return render_template("stories/delete.html", story=story, form=form)


def _fields(form: StoryForm, group: CaseGroup) -> dict:
    """What the form holds, as the services take it: the case loaded by its rule."""
    case_id = form.case_id.data
    return {
        "kind": form.kind.data,
        "title": form.title.data,
        "text": form.text.data,
        "case": None
        if case_id == NO_CASE
        else load_or_deny(Case, case_id, can_view_case, within=(group, "group_id")),
        "confirmed": form.personal_data_confirmed.data,
    }
