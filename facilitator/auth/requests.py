"""What kind of request this is, for the hooks that treat some requests differently."""

from flask import request


def is_static_endpoint(endpoint: str | None) -> bool:
    """Tell whether an endpoint serves static files (the app's or a blueprint's)."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def is_script_request() -> bool:
    """A request made by our own script (autosave), which cannot follow a login redirect."""
    return request.headers.get("X-Requested-With") == "fetch"
