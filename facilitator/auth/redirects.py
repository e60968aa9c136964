"""Safe redirects after login: only paths on this site."""

from urllib.parse import urlsplit


def is_safe_next(target: str | None) -> bool:
    """Accept a local absolute path; refuse other hosts, schemes and browser-normalised tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(char) < 32 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
