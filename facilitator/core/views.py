"""Home page, health check and the language switch."""

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from facilitator.actions.forms import UpdateForm
from facilitator.actions.queries import open_owned_by
from facilitator.auth.access import every_role, public
from facilitator.auth.redirects import is_safe_next
from facilitator.extensions import db
from facilitator.groups.policy import visible_groups
from facilitator.localtime import local_today
from facilitator.proposals.queries import open_calls_for
from facilitator.regions.models import Organisation, Region
from facilitator.users import services as user_services
from facilitator.users.forms import LanguageForm
from facilitator.users.models import Role, User

bp = Blueprint("core", __name__)
GROUPS_ON_HOME = 10
ACTIONS_ON_HOME = 5


@bp.route("/")
@every_role
def index():
    if current_user.role == Role.BELEIDSGROEPLID:  # read-only: their region's dashboard
        return redirect(url_for("dashboard.page", region_id=current_user.organisation.region_id))
    counts = None
    if current_user.role == Role.BEHEERDER:
        counts = {
            "regions": db.session.scalar(select(func.count(Region.id))),
            "organisations": db.session.scalar(select(func.count(Organisation.id))),
            "users": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
        }
    groups = db.session.scalars(visible_groups(current_user).limit(GROUPS_ON_HOME + 1)).all()
    actions, more_actions = open_owned_by(current_user, ACTIONS_ON_HOME)
    return render_template(
        "core/index.html",
        counts=counts,
        groups=groups[:GROUPS_ON_HOME],
        more_groups=len(groups) > GROUPS_ON_HOME,
        actions=actions,
        more_actions=more_actions,
        action_forms={a.id: UpdateForm.for_action(a, "start") for a in actions},
        today=local_today(),
        open_calls=open_calls_for(current_user, local_today()),
    )


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


@bp.route("/taal", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            user_services.set_language(current_user, form.language.data)
            db.session.commit()
    target = request.form.get("next", "")
    return redirect(target if is_safe_next(target) else url_for("core.index"))
