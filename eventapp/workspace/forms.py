"""Workspace forms: the shape of input only; the registration services check the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from eventapp.i18n.locales import LANGUAGES
from eventapp.models import RegistrationCategory
from eventapp.registration.forms import CountryField, PersonFields
from eventapp.web.forms import AppForm, pair_choices

#: Categories staff add by hand; delegates join through their member's delegation page.
STAFF_CATEGORIES = tuple(c for c in RegistrationCategory if c != RegistrationCategory.DELEGATE)


class StaffPersonForm(PersonFields):
    """Everything a person gave, as the hosts correct it (the address too)."""

    email = StringField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    country = CountryField(_l("Country you work in"), validators=[Optional()])
    motivation = TextAreaField(_l("Why you wish to take part"), validators=[Optional(), Length(max=2000)])


class AddPersonForm(StaffPersonForm):
    """A person the hosts register themselves: a walk-in, a VIP, host staff."""

    category = SelectField(_l("Category"), validators=[DataRequired()])
    locale = SelectField(_l("Language of their emails"), choices=pair_choices(list(LANGUAGES.items())))
    approve = BooleanField(_l("Approve at once (or put on the waiting list when the meeting is full)"), default=True)
    consent_data_processing = BooleanField(
        _l("The person agrees that the secretariat and hosts process these details to organise the meeting."),
        validators=[InputRequired(message=_l("We can only register the person with this agreement."))],
    )
    consent_participant_list = BooleanField(_l("Their name and organisation may appear on the list of participants."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Built per form so the category titles follow the reader's language.
        self.category.choices = [
            SelectChoice("", str(_l("Choose one"))),
            *(SelectChoice(c.value, c.label) for c in STAFF_CATEGORIES),
        ]


class NoteForm(AppForm):
    body = TextAreaField(
        _l("Note for the hosts and the secretariat"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Only hosts and the secretariat read these notes; the person never sees them."),
    )


class StatusForm(AppForm):
    """Approve, decline, waitlist or withdraw one person."""

    action = SelectField(
        _l("Decision"),
        choices=pair_choices(
            [
                ("approve", _l("Approve")),
                ("waitlist", _l("Put on the waiting list")),
                ("decline", _l("Decline")),
                ("withdraw", _l("Withdraw")),
            ]
        ),
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Required to decline; the person reads it."),
    )


class MoveForm(AppForm):
    """Check a person in or out by hand; `next` brings the desk back to the list it came from."""

    next = HiddenField()
