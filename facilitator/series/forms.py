"""The series forms: the rhythm (step 1, a GET form that changes nothing), the preview of its
dates (step 2, one submit plans them all), the length of an extension."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.i18n import translations
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional, ValidationError

from facilitator.forms import BaseForm, HiddenInputsWithoutIds, IntRange
from facilitator.meetings.forms import plausible_date
from facilitator.meetings.hosting import host_choices, notulist_choices
from facilitator.privacy.confirm import CONFIRM_LABEL
from facilitator.series.dates import MAX_DATES
from facilitator.series.models import SeriesRhythm
from facilitator.series.services import SeriesRow, SeriesSettings
from facilitator.widgets import RequiredSelectField

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


class SeriesSettingsForm(BaseForm):
    """Step 1: what every meeting of the series shares. Sent with GET: it only shows dates."""

    class Meta:
        csrf = False

    rhythm = RequiredSelectField(_l("Rhythm"))
    interval_weeks = IntegerField(
        _l("Every how many weeks"),
        validators=[Optional(), IntRange(min=1, max=52)],
        description=_l("Only for the rhythm “every N weeks”."),
    )
    weekday = RequiredSelectField(_l("Weekday"), coerce=int)
    first_date = DateField(
        _l("First meeting from"),
        validators=[DataRequired(), plausible_date],
        description=_l(
            "The first meeting is on the chosen weekday on or after this date; monthly and "
            "quarterly meetings keep its place in the month (e.g. the second Tuesday)."
        ),
    )
    start_time = TimeField(_l("Start time"), validators=[DataRequired()])
    duration_minutes = IntegerField(
        _l("Length in minutes"),
        validators=[Optional(), IntRange(min=15, max=480)],
        description=_l("Empty: the protocol's length."),
    )
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    online_link = StringField(
        _l("Online link"), validators=[Optional(), URL(require_tld=False), Length(max=500)]
    )
    protocol_id = RequiredSelectField(_l("Protocol"))
    count = IntegerField(
        _l("Number of meetings"),
        validators=[Optional(), IntRange(min=1, max=MAX_DATES)],
        description=_l("Empty: a year of meetings, or up to the date below."),
    )
    until = DateField(_l("Up to and including"), validators=[Optional(), plausible_date])

    def __init__(self, *args, protocols=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rhythm.choices = SeriesRhythm.choices()
        self.weekday.choices = [SelectChoice(n, str(name)) for n, name in enumerate(WEEKDAYS)]
        self.protocol_id.choices = [
            SelectChoice(p.protocol.id, f"{p.protocol.title} (v{p.protocol.version})")
            for p in protocols
        ]

    def validate_interval_weeks(self, field) -> None:
        if self.rhythm.data == SeriesRhythm.ELKE_N_WEKEN.value and not field.data:
            raise ValidationError(_l("Give the number of weeks between the meetings."))

    def validate_until(self, field) -> None:
        if field.data and self.first_date.data and field.data < self.first_date.data:
            raise ValidationError(_l("Give a date after the first meeting."))

    def settings(self) -> SeriesSettings:
        return SeriesSettings(
            rhythm=SeriesRhythm(self.rhythm.data),
            interval_weeks=self.interval_weeks.data,
            weekday=self.weekday.data,
            start_time=self.start_time.data,
            first_date=self.first_date.data,
            protocol_id=self.protocol_id.data,
            duration_minutes=self.duration_minutes.data,
            location=self.location.data or "",
            online_link=self.online_link.data or "",
        )


class SeriesRowForm(Form):
    """One date of the preview: dropped, moved, another host or notulist."""

    class Meta(HiddenInputsWithoutIds):
        def get_translations(self, form):
            # A row has no CSRF token of its own (the form has one), but speaks Dutch as it does.
            return translations

    drop = BooleanField(_l("Drop"))
    # InputRequired: a date that is no date says so, rather than "required".
    day = DateField(_l("Date"), validators=[InputRequired(), plausible_date])
    start = TimeField(_l("Start time"), validators=[InputRequired()])
    host_organisation_id = SelectField(_l("Host"), coerce=int)
    notulist_id = SelectField(_l("Notulist"), coerce=int)


class SeriesRowsForm(BaseForm):
    """Step 2: the dates, each kept or dropped; "update preview" shows them again as changed."""

    rows = FieldList(FormField(SeriesRowForm), max_entries=MAX_DATES)
    refresh = SubmitField(_l("Update preview"))

    def offer(self, group) -> None:
        """Give every row the group's hosts and notulists to choose from."""
        hosts, notulists = host_choices(group), notulist_choices(group)
        for row in self.rows:
            row.host_organisation_id.choices = hosts
            row.notulist_id.choices = notulists

    def show(self, rows: list[SeriesRow]) -> None:
        """Put proposed rows on the form (no rows of its own yet)."""
        for row in rows:
            self.rows.append_entry(
                {
                    "drop": False,
                    "day": row.day,
                    "start": row.start,
                    "host_organisation_id": row.host_organisation_id or 0,
                    "notulist_id": row.notulist_id or 0,
                }
            )

    def kept(self) -> tuple[list[SeriesRow], list[int]]:
        """The rows not dropped, and the index of each on the form (to mark its problems)."""
        kept = [(index, row) for index, row in enumerate(self.rows) if not row.drop.data]
        return (
            [
                SeriesRow(
                    day=row.day.data,
                    start=row.start.data,
                    host_organisation_id=row.host_organisation_id.data or None,
                    notulist_id=row.notulist_id.data or None,
                )
                for _index, row in kept
            ],
            [index for index, _row in kept],
        )


class SeriesPlanForm(SeriesSettingsForm, SeriesRowsForm):
    """Step 2 of a new series: the settings travel along, place and link can still change."""

    class Meta:
        csrf = True

    personal_data_confirmed = BooleanField(CONFIRM_LABEL)


class ExtendForm(BaseForm):
    """How many more dates (GET: it only shows them)."""

    class Meta:
        csrf = False

    count = IntegerField(
        _l("Number of meetings"),
        validators=[Optional(), IntRange(min=1, max=MAX_DATES)],
        default=4,
    )
