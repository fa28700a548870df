"""Forms of speakers' lists. Shapes only; the services check the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, NumberRange

from eventapp.models import RepresentationLevel
from eventapp.web.datetime_fields import DayFirstDateTimeField
from eventapp.web.forms import AppForm, DatabaseId, enum_choices


class ListSettingsForm(AppForm):
    inscriptions_close_local = DayFirstDateTimeField(
        _l("Inscriptions close"),
        validators=[DataRequired()],
        description=_l(
            "Day/month/year and a 24-hour time, in the meeting's time zone: 21/10/2030 14:00. "
            "Hosts can still add a delegation after that."
        ),
    )
    minutes = IntegerField(
        _l("Minutes per speaker"), validators=[InputRequired(), NumberRange(min=0, max=60)], default=3
    )
    seconds = IntegerField(_l("and seconds"), validators=[InputRequired(), NumberRange(min=0, max=59)], default=0)
    chairs_first = BooleanField(
        _l("The co-chairs and the host country speak first"),
        default=True,
        description=_l("Changing this sorts the delegations still waiting again by the rules."),
    )
    is_published = BooleanField(
        _l("Publish the list"),
        description=_l("Everyone who may see the session then sees the list, the room display and who spoke."),
    )


class InscriptionForm(AppForm):
    registration_id = SelectField(_l("Speaker"), validators=[DataRequired(), DatabaseId()], coerce=str)
    level = SelectField(
        _l("Level of representation"),
        choices=[SelectChoice("", _l("Choose the level")), *enum_choices(RepresentationLevel)],
        validators=[DataRequired(), AnyOf([level.value for level in RepresentationLevel])],
    )


class MoveForm(AppForm):
    inscription_id = HiddenField(validators=[DataRequired(), DatabaseId()])
    direction = StringField(validators=[AnyOf(("up", "down"))])


class ConfirmForm(AppForm):
    """A button that changes something: the CSRF token only."""
