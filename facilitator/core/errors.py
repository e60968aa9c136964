"""Generic error pages (SECURITY.md A9): they name the status, never the cause."""

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from facilitator.extensions import db

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be processed. Go back, reload the page and try again."),
    ),
    403: (_l("No access"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist (any more).")),
    405: (_l("Not allowed"), _l("This action is not possible here.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred. It has been logged; please try again later."),
    ),
}


def _render(code: int):
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message), code


def handle_http_exception(error: HTTPException):
    code = error.code or 500
    return _render(code if code in MESSAGES else 500 if code >= 500 else 400)


def handle_csrf_error(error: CSRFError):
    return _render(400)


def handle_unexpected(error: Exception):
    # The session may hold a half-done change; nothing of it may be committed later.
    db.session.rollback()
    return _render(500)


def refuse_unmeasured_oversize() -> None:
    """Refuse whole a body sent without a length (chunked) that reaches the size limit.

    Werkzeug reads such a body up to MAX_CONTENT_LENGTH and then stops without an error when
    it parses a form, so the form would hold a silently truncated value (SECURITY.md R5).
    The body read here is kept, and the form is parsed from it.
    """
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit is None or request.content_length is not None:
        return
    if "wsgi.input_terminated" in request.environ and len(request.get_data(cache=True)) >= limit:
        raise RequestEntityTooLarge()


def register_error_handlers(app: Flask) -> None:
    # First of all hooks: the CSRF check would otherwise read the truncated form before it.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unmeasured_oversize)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_unexpected)
