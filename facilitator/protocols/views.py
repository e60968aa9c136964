"""The protocols page: what can be used, and what is wrong with the files that cannot."""

from flask import Blueprint, abort, render_template

from facilitator.auth.access import authenticated
from facilitator.protocols.loader import protocols
from facilitator.protocols.review import protocol_to_run

bp = Blueprint("protocols", __name__, url_prefix="/protocollen")


@bp.route("/")
@authenticated
def protocol_list():
    registry = protocols()
    return render_template(
        "protocols/list.html", valid=registry.choices(), invalid=sorted(registry.invalid.items())
    )


@bp.route("/<protocol_id>")
@authenticated
def protocol_detail(protocol_id: str):
    loaded = protocols().get(protocol_id)
    if loaded is None:
        abort(404)
    # As a meeting runs it: with the review of open actions the application adds if need be.
    return render_template(
        "protocols/detail.html", loaded=loaded, protocol=protocol_to_run(loaded.text)
    )
