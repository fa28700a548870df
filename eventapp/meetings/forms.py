from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from eventapp.i18n.translated import add_translation_fields
from eventapp.models import MeetingKind, MeetingStatus
from eventapp.registration.forms import CountryField
from eventapp.web.datetime_fields import TYPED_DATE, TYPED_TIME, DayFirstDateField, DayFirstDateTimeField
from eventapp.web.datetimes import zone_choices
from eventapp.web.forms import AppForm, enum_choices, pair_choices
from eventapp.web.text import HasLetter

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class MeetingForm(AppForm):
    kind = SelectField(_l("Kind of meeting"), choices=enum_choices(MeetingKind), validators=[DataRequired()])
    number = IntegerField(
        _l("Number"),
        validators=[Optional(), NumberRange(min=1, max=999)],
        description=_l("5 for the 5th Capital-Level Meeting."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address name"),
        validators=[Optional(), Length(max=80)],
        description=_l("Letters, digits and hyphens; leave empty to derive it from the year and city."),
    )
    theme = TextAreaField(_l("Theme"), validators=[Optional(), Length(max=2000)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=120), HasLetter()])
    country_iso3 = CountryField(_l("Host country"), validators=[Optional()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    timezone = SelectField(_l("Time zone"), validators=[DataRequired()])
    starts_on = DayFirstDateField(_l("First day"), validators=[DataRequired()], description=TYPED_DATE)
    ends_on = DayFirstDateField(_l("Last day"), validators=[DataRequired()], description=TYPED_DATE)
    secretariat = StringField(
        _l("Secretariat"), default="UN Women", validators=[Optional(), Length(max=200), HasLetter()]
    )
    cochairs = SelectMultipleField(_l("Co-chairs"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=enum_choices(MeetingStatus), default=MeetingStatus.DRAFT.value)
    registration_opens = DayFirstDateTimeField(
        _l("Registration opens"), validators=[Optional()], description=TYPED_TIME
    )
    registration_closes = DayFirstDateTimeField(
        _l("Registration closes"), validators=[Optional()], description=TYPED_TIME
    )
    edit_deadline = DayFirstDateTimeField(
        _l("Participants may edit their details until"), validators=[Optional()], description=TYPED_TIME
    )
    delegation_quota = IntegerField(
        _l("Places per delegation"), default=4, validators=[DataRequired(), NumberRange(min=1, max=200)]
    )
    capacity = IntegerField(
        _l("Overall capacity"),
        validators=[Optional(), NumberRange(min=1, max=100000)],
        description=_l("Empty for no limit."),
    )
    requires_host_approval = BooleanField(_l("Delegation entries need a host's approval"))
    host_ministry = StringField(
        _l("Host ministry or institution"),
        validators=[Optional(), Length(max=200), HasLetter()],
        description=_l("Letterhead of visa invitation letters."),
    )
    host_address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=1000)])
    letter_signatory_name = StringField(_l("Letters signed by"), validators=[Optional(), Length(max=200), HasLetter()])
    letter_signatory_title = StringField(_l("Signatory's title"), validators=[Optional(), Length(max=200)])
    anonymise_after_days = IntegerField(
        _l("Anonymise personal data after (days)"),
        default=90,
        validators=[DataRequired(), NumberRange(min=1, max=3650)],
        description=_l("Days after the meeting ends; passport data is deleted as soon as it ends."),
    )

    def __init__(self, *args: object, member_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = pair_choices(zone_choices())
        self.cochairs.choices = pair_choices(member_choices)


add_translation_fields(MeetingForm, "title")
add_translation_fields(MeetingForm, "theme", multiline=True, max_length=2000)
