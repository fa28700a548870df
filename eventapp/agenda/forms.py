"""Forms of the agenda editor and the personal agenda. Shapes only; the services check the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from eventapp.i18n.translated import add_translation_fields
from eventapp.models import SessionAccess, SessionStatus, SessionType, SpeakerRole
from eventapp.web.datetime_fields import TYPED_TIME, DayFirstDateTimeField
from eventapp.web.forms import AppForm, DatabaseId, SubForm, enum_choices, pair_choices
from eventapp.web.text import HasLetter

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
SPEAKER_ROWS = 6


class SpeakerEntryForm(SubForm):
    """One speaker row: a registrant picked from the list, or a name typed in."""

    registration_id = SelectField(_l("Registrant"), validators=[Optional()], coerce=str)
    name = StringField(_l("Or name"), validators=[Optional(), Length(max=200), HasLetter()])
    affiliation = StringField(_l("Affiliation"), validators=[Optional(), Length(max=200), HasLetter()])
    role = SelectField(_l("Role"), choices=enum_choices(SpeakerRole), default=SpeakerRole.SPEAKER.value)


class SessionForm(AppForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    type = SelectField(_l("Type"), choices=enum_choices(SessionType), default=SessionType.PLENARY.value)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    starts_local = DayFirstDateTimeField(_l("Starts"), validators=[DataRequired()], description=TYPED_TIME)
    ends_local = DayFirstDateTimeField(_l("Ends"), validators=[DataRequired()], description=TYPED_TIME)
    room_id = SelectField(_l("Room"), validators=[Optional()], coerce=str)
    capacity = IntegerField(
        _l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100000)], description=_l("Empty for no limit.")
    )
    access = SelectField(_l("Who may attend"), choices=enum_choices(SessionAccess), default=SessionAccess.OPEN.value)
    status = SelectField(_l("Status"), choices=enum_choices(SessionStatus), default=SessionStatus.CONFIRMED.value)
    track = StringField(_l("Theme or track"), validators=[Optional(), Length(max=200)])
    is_published = BooleanField(_l("Show on the published agenda"), default=True)
    speakers = FieldList(FormField(SpeakerEntryForm), min_entries=SPEAKER_ROWS, max_entries=20)

    def __init__(
        self,
        *args: object,
        room_choices: list[tuple[str, str]],
        registrant_choices: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.room_id.choices = pair_choices([("", _l("No room")), *room_choices])
        for entry in self.speakers:
            entry.form.registration_id.choices = pair_choices([("", _l("Typed in")), *registrant_choices])


class RoomForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(
        _l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100000)], description=_l("Empty for no limit.")
    )
    venue = StringField(
        _l("Venue or building"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty when it is the meeting's venue."),
    )
    floor = StringField(_l("Floor"), validators=[Optional(), Length(max=40)])


class RescheduleForm(AppForm):
    starts_local = DayFirstDateTimeField(_l("Starts"), validators=[DataRequired()], render_kw={"size": 16})
    ends_local = DayFirstDateTimeField(_l("Ends"), validators=[DataRequired()], render_kw={"size": 16})


class ConfirmForm(AppForm):
    """A button that changes something: only the CSRF token."""


class PublishForm(AppForm):
    published = HiddenField()


class PickForm(AppForm):
    session_id = HiddenField(validators=[DataRequired(), DatabaseId()])


class InviteesForm(AppForm):
    invitees = SelectMultipleField(
        _l("Invited registrants"),
        coerce=int,
        validators=[Optional()],
        description=_l("They find the session on their personal agenda and in their calendar feed."),
    )

    def __init__(self, *args: object, registrant_choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.invitees.choices = [SelectChoice(value, label) for value, label in registrant_choices]


add_translation_fields(SessionForm, "title", max_length=300)
