"""Security headers on every response (SECURITY.md A8)."""

from flask import Response, current_app, request, session
from flask_login import current_user

from facilitator.auth.login_steps import PENDING
from facilitator.auth.requests import is_static_endpoint
from facilitator.config import is_production

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    # Static files hold nothing personal; asking who is logged in would cost a query each.
    # Between password and code (a new secret on the enrolment page) nothing is stored either.
    if not is_static_endpoint(request.endpoint) and (
        (current_user and current_user.is_authenticated) or PENDING in session
    ):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    if is_production(current_app):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response
