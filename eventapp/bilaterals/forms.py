"""Forms of bilaterals. Shapes only; the services check the rules (times, clashes, who may act)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.bilaterals.services import DURATIONS
from eventapp.web.datetime_fields import TYPED_TIME, DayFirstDateTimeField
from eventapp.web.forms import AppForm, DatabaseId, pair_choices


def length_choices() -> list[SelectChoice]:
    return pair_choices([(str(m), _l("%(num)s minutes", num=m)) for m in DURATIONS])  # type: ignore[misc]


def _time(label: object, required: bool = False) -> DayFirstDateTimeField:
    validators = [DataRequired()] if required else [Optional()]
    return DayFirstDateTimeField(label, validators=validators, description=TYPED_TIME)


def _message() -> TextAreaField:
    return TextAreaField(
        _l("Message to the other delegation"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Optional. It goes with the email the other delegation's focal points receive."),
    )


class ProposedTimes:
    """Up to three times, the first required."""

    time_1 = _time(_l("First proposed time"), required=True)
    time_2 = _time(_l("Second proposed time (optional)"))
    time_3 = _time(_l("Third proposed time (optional)"))

    def times(self) -> list[object]:
        return [self.time_1.data, self.time_2.data, self.time_3.data]  # type: ignore[attr-defined]


class RequestForm(ProposedTimes, AppForm):
    counterpart_id = SelectField(_l("Delegation you ask"), validators=[DataRequired(), DatabaseId()], coerce=str)
    subject = StringField(
        _l("Subject"),
        validators=[Optional(), Length(max=200)],
        description=_l("Optional: what you would like to discuss."),
    )
    duration_minutes = SelectField(
        _l("Length"),
        choices=length_choices(),
        default="30",
    )
    message = _message()


class AcceptForm(AppForm):
    proposal_id = RadioField(_l("Time you accept"), validators=[DataRequired(message=_l("Choose one of the times."))])
    message = _message()


class ProposeForm(ProposedTimes, AppForm):
    message = _message()


class MessageForm(AppForm):
    """Decline, withdraw or cancel, with an optional message."""

    message = _message()


class RoomForm(AppForm):
    room_id = SelectField(_l("Bilateral room"), validators=[DataRequired(), DatabaseId()], coerce=str)


class MoveForm(AppForm):
    starts_local = DayFirstDateTimeField(_l("Starts"), validators=[DataRequired()], description=TYPED_TIME)
    duration_minutes = SelectField(_l("Length"), choices=length_choices())
    room_id = SelectField(_l("Bilateral room"), validators=[Optional(), DatabaseId()], coerce=str)


class SettingsForm(AppForm):
    room_ids = SelectMultipleField(
        _l("Rooms for bilaterals"),
        validators=[Optional(), DatabaseId()],
        coerce=str,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=_l("Rooms are added under Agenda, Rooms."),
    )
    delegations_book_rooms = BooleanField(_l("Delegations may book a bilateral room themselves"))
