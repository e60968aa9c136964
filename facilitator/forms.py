"""The base form: every text field refuses control characters (SECURITY.md R5)."""

from __future__ import annotations

import unicodedata
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField
from wtforms.validators import NumberRange, ValidationError
from wtforms.widgets import HiddenInput

from facilitator.privacy.normalise import BIDI_CONTROLS

_ALLOWED_CONTROL = {"\t", "\n", "\r"}
F = TypeVar("F", bound=FlaskForm)


def has_forbidden_characters(value: str) -> bool:
    """Tell whether text holds control characters (NUL, escape, ...), lone surrogates, or
    characters that reorder the text on screen (a page would show something else than is
    stored)."""
    return any(
        (unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROL)
        or unicodedata.category(char) == "Cs"
        or char in BIDI_CONTROLS
        for char in value
    )


def clean_query_text(value: str | None, max_length: int = 100) -> str:
    """Make a free-text query parameter safe to search with: no control characters, bounded."""
    if not value:
        return ""
    kept = "".join(char for char in value if not has_forbidden_characters(char))
    return kept.strip()[:max_length]


#: The range of the database's INTEGER columns (PostgreSQL's is 32 bits).
DATABASE_INT = range(-(2**31), 2**31)


def database_int(value: str) -> int:
    """Read a query parameter as a number a database column can hold, for
    ``request.args.get(name, type=database_int)``: anything else (``?regio=99999999999999999999``)
    is a ValueError, so the parameter counts as absent instead of failing in the database."""
    number = int(value)
    if number not in DATABASE_INT:
        raise ValueError(value)
    return number


class IntRange(NumberRange):
    """WTForms' NumberRange for an IntegerField: its NaN check converts the number to a float,
    which fails (OverflowError, HTTP 500) for one past a float's range (a 400-digit hidden
    "version"); such a number is simply out of range here."""

    def __call__(self, form, field) -> None:
        if isinstance(field.data, int) and abs(field.data) >= 2**1023:
            message = self.message or field.gettext("Number must be between %(min)s and %(max)s.")
            raise ValidationError(message % {"min": self.min, "max": self.max})
        super().__call__(form, field)


def strip_filter(value):
    """Trim text; a field missing from the request becomes empty text, not None."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


class HiddenInputsWithoutIds:
    """A form's Meta: hidden inputs render without an id. A hidden input has no label, so an
    id serves nothing; without one, the many forms of a page (each with its CSRF token) and
    the repeated rows of a form keep every id on the page unique."""

    def render_field(self, field, render_kw):
        if isinstance(field.widget, HiddenInput):
            render_kw = {"id": False, **render_kw}
        return super().render_field(field, render_kw)


class BaseForm(FlaskForm):
    """A FlaskForm (with CSRF) that screens every text field before its own validators run."""

    #: After an edit conflict, what is saved now next to what was entered (facilitator.versions).
    conflict: tuple = ()

    class Meta(HiddenInputsWithoutIds):
        def bind_field(self, form, unbound_field, options):
            # Surrounding blanks are never meant, except in a password.
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                filters = (strip_filter, *unbound_field.kwargs.get("filters", ()))
                return unbound_field.bind(form=form, filters=filters, **options)
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        extra = dict(extra_validators or {})
        for name, field in self._fields.items():
            if isinstance(field, StringField):
                extra.setdefault(name, []).append(_no_control_characters)
        return super().validate(extra_validators=extra)


def _no_control_characters(form: BaseForm, field: Field) -> None:
    if isinstance(field.data, str) and has_forbidden_characters(field.data):
        raise ValidationError(_l("This field contains characters that are not allowed."))


def ids_of_its_own(form: F, prefix: str) -> F:
    """Give the fields ids of their own (``<prefix>-<name>``) where a page holds a form per
    record. The names stay the same in each, so every one is the same form to whoever fills
    it, and a post reads alike whichever of them it came from."""
    for field in form:
        field.id = f"{prefix}-{field.name}"
        field.label.field_id = field.id
    return form


def show_service_error(form: FlaskForm, error) -> None:
    """Put a service's refusal on the form field it concerns, or on the whole form.

    A refusal by the personal-data guard also points at each fragment the user typed, and
    shows the confirmation box when one is allowed. The fragments go back only to the person
    who typed them, in this response; they are never logged or flashed (a flash would travel
    in the session cookie).
    """
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
    findings = getattr(error, "findings", ())
    if field is not None:
        from facilitator.privacy.guard import KIND_LABELS

        field.errors = [
            *field.errors,
            *(
                _l(
                    "Found: “%(fragment)s” (%(kind)s)",
                    fragment=finding.fragment,
                    kind=KIND_LABELS[finding.kind],
                )
                for finding in findings
            ),
        ]
    if getattr(error, "needs_confirmation", False) and "personal_data_confirmed" in form._fields:
        form.personal_data_confirmed.render_confirm = True


class ConfirmForm(BaseForm):
    """An empty form: a confirmation button that carries a CSRF token."""
