"""Forms for regions and organisations."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from facilitator.forms import BaseForm
from facilitator.regions.models import Domain, OrganisationKind
from facilitator.widgets import RequiredSelectField

#: A work phone number as people write it: digits, blanks, + - . / and brackets.
PHONE = Regexp(
    r"^[0-9 +()./-]*$",
    message=_l("Give a phone number: digits, spaces, +, - and brackets only."),
)


class RegionForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=1000)])


class OrganisationForm(BaseForm):
    region_id = RequiredSelectField(_l("Region"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = RequiredSelectField(_l("Kind"))
    domain = RequiredSelectField(_l("Domain"))
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(
        _l("Contact person's e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    contact_phone = StringField(
        _l("Contact person's phone"), validators=[Optional(), Length(max=40), PHONE]
    )
    backup_name = StringField(_l("Backup"), validators=[Optional(), Length(max=120)])
    backup_email = EmailField(
        _l("Backup's e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    backup_phone = StringField(_l("Backup's phone"), validators=[Optional(), Length(max=40), PHONE])
    active = BooleanField(_l("Active: takes part in the collaboration"), default=True)

    def __init__(self, *args, regions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.region_id.choices = [SelectChoice(region.id, region.name) for region in regions]
        self.kind.choices = OrganisationKind.choices()
        self.domain.choices = Domain.choices()

    def details(self) -> dict:
        """Return the fields the organisation services take, without the region."""
        return {
            name: field.data or ("" if not isinstance(field, BooleanField) else False)
            for name, field in self._fields.items()
            if name not in ("region_id", "csrf_token")
        }


class ContactForm(BaseForm):
    """A professional without an account: name, work e-mail address, organisation."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Work e-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    organisation_id = RequiredSelectField(_l("Organisation"), coerce=int)

    def __init__(self, *args, organisations=(), with_region: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [
            SelectChoice(o.id, f"{o.region.name}: {o.name}" if with_region else o.name)
            for o in organisations
        ]
