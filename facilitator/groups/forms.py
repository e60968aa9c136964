"""Forms for casusgroepen, their members and selection criteria."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.forms import BaseForm
from facilitator.groups.models import GroupRole, LeaderTitle, Rhythm
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.protocols.loader import protocols
from facilitator.widgets import RequiredSelectField


def protocol_choices() -> list[SelectChoice]:
    """Offer the valid protocols by title; a group may also have none."""
    return [SelectChoice("", str(_l("(none yet)")))] + [
        SelectChoice(p.protocol.id, p.protocol.title) for p in protocols().choices()
    ]


class GroupForm(BaseForm):
    region_id = RequiredSelectField(_l("Region"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    theme = StringField(
        _l("Theme"),
        validators=[Optional(), Length(max=120)],
        description=_l("For a themed working group, e.g. privacy and data sharing."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=1000)])
    rhythm = RequiredSelectField(_l("Rhythm"))
    default_protocol = SelectField(_l("Default protocol"), validators=[Optional()])
    leader_title = SelectField(
        _l("Title of the group's leader"),
        default=LeaderTitle.PROCESBEGELEIDER.value,
        description=_l("What the region calls the one who leads the group's meetings."),
    )
    leader_independent = BooleanField(
        _l("The leader is independent of the organisations at the table"),
    )
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)

    def __init__(self, *args, regions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.region_id.choices = [SelectChoice(r.id, r.name) for r in regions]
        self.rhythm.choices = Rhythm.choices()
        self.default_protocol.choices = protocol_choices()
        self.leader_title.choices = LeaderTitle.choices()

    def group_fields(self) -> dict:
        return {
            **{
                name: self[name].data or ""
                for name in ("name", "theme", "description", "rhythm", "default_protocol")
            },
            "leader_title": self.leader_title.data or LeaderTitle.PROCESBEGELEIDER.value,
            "leader_independent": bool(self.leader_independent.data),
        }


class MemberForm(BaseForm):
    user_id = RequiredSelectField(_l("Person"), coerce=int)
    role = RequiredSelectField(_l("Role in the group"), default=GroupRole.LID.value)

    def __init__(self, *args, candidates=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user_id.choices = [
            SelectChoice(u.id, f"{u.name} ({u.organisation.name})") for u in candidates
        ]
        self.role.choices = GroupRole.choices()


class CriterionForm(BaseForm):
    text = StringField(
        _l("Criterion"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("E.g. the client receives a benefit and is in GGZ care."),
    )
    mandatory = BooleanField(_l("Mandatory: a case that does not meet it is refused"))
    personal_data_confirmed = BooleanField(CONFIRM_LABEL)
