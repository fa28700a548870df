from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from eventapp.models import MeetingKind, MeetingStatus
from eventapp.web.forms import enum_choices, pair_choices

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class MeetingForm(FlaskForm):
    kind = SelectField("Kind of meeting", choices=enum_choices(MeetingKind), validators=[DataRequired()])
    number = IntegerField(
        "Number",
        validators=[Optional(), NumberRange(min=1, max=999)],
        description="5 for the 5th Capital-Level Meeting.",
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        "Web address name",
        validators=[Optional(), Length(max=80)],
        description="Letters, digits and hyphens; leave empty to derive it from the year and city.",
    )
    theme = TextAreaField("Theme", validators=[Optional(), Length(max=2000)])
    city = StringField("City", validators=[DataRequired(), Length(max=120)])
    country_iso3 = StringField("Host country (ISO alpha-3)", validators=[Optional(), Length(min=3, max=3)])
    venue = StringField("Venue", validators=[Optional(), Length(max=200)])
    timezone = SelectField("Time zone", validators=[DataRequired()])
    starts_on = DateField("First day", validators=[DataRequired()])
    ends_on = DateField("Last day", validators=[DataRequired()])
    secretariat = StringField("Secretariat", default="UN Women", validators=[Optional(), Length(max=200)])
    cochairs = SelectMultipleField("Co-chairs", validators=[Optional()])
    status = SelectField("Status", choices=enum_choices(MeetingStatus), default=MeetingStatus.DRAFT.value)
    registration_opens = DateTimeLocalField(
        "Registration opens", format=LOCAL_FORMAT, validators=[Optional()], description="In the meeting's time zone."
    )
    registration_closes = DateTimeLocalField(
        "Registration closes", format=LOCAL_FORMAT, validators=[Optional()], description="In the meeting's time zone."
    )
    edit_deadline = DateTimeLocalField(
        "Participants may edit their details until",
        format=LOCAL_FORMAT,
        validators=[Optional()],
        description="In the meeting's time zone.",
    )
    delegation_quota = IntegerField(
        "Places per delegation", default=4, validators=[DataRequired(), NumberRange(min=1, max=200)]
    )
    capacity = IntegerField(
        "Overall capacity", validators=[Optional(), NumberRange(min=1, max=100000)], description="Empty for no limit."
    )
    requires_host_approval = BooleanField("Delegation entries need a host's approval")
    host_ministry = StringField(
        "Host ministry or institution",
        validators=[Optional(), Length(max=200)],
        description="Letterhead of visa invitation letters.",
    )
    host_address = TextAreaField("Postal address", validators=[Optional(), Length(max=1000)])
    letter_signatory_name = StringField("Letters signed by", validators=[Optional(), Length(max=200)])
    letter_signatory_title = StringField("Signatory's title", validators=[Optional(), Length(max=200)])
    anonymise_after_days = IntegerField(
        "Anonymise personal data after (days)",
        default=90,
        validators=[DataRequired(), NumberRange(min=1, max=3650)],
        description="Days after the meeting ends; passport data is deleted as soon as it ends.",
    )

    def __init__(self, *args: object, member_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = pair_choices([(z, z) for z in sorted(available_timezones())])
        self.cochairs.choices = pair_choices(member_choices)
