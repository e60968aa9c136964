"""Errors that services raise for the user to read."""

from __future__ import annotations


class ServiceError(Exception):
    """A request the domain refuses, with a translated message and, if known, the field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
