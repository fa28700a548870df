"""Forms of registration: the shape of input only; the services check the rules."""

from __future__ import annotations

from functools import cache

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from eventapp import countries
from eventapp.models import APPLICATION_CATEGORIES, NameOrder, RegistrationCategory
from eventapp.registration.people import PHOTO_MAX_BYTES, PersonData
from eventapp.web.forms import AppForm, DatabaseId, enum_choices, pair_choices
from eventapp.web.text import HasLetter
from eventapp.web.widgets import LongListSelect


@cache
def _country_codes() -> frozenset[str]:
    return countries.codes()


#: The country lists' two groups: states first, so that no other area reads as one of them.
STATES_GROUP = _l("States")
AREAS_GROUP = _l("Other territories and areas")


@cache
def _country_choices(language: str) -> tuple[SelectChoice, ...]:
    options = (
        SelectChoice(code, name, optgroup=STATES_GROUP if countries.is_state(code) else AREAS_GROUP)
        for code, name in countries.choices(language)
    )
    return (SelectChoice("", _l("Choose a country")), *options)


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


class CountryField(SelectField):
    """A country select: the ~250 options are built once per language, the answer checked against a set."""

    widget = LongListSelect()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.choices = list(_country_choices(_language()))

    def pre_validate(self, form: object) -> None:
        if self.data and self.data not in _country_codes():
            raise ValidationError(_("Choose a country from the list."))


class PersonFields(AppForm):
    """Details asked of everyone, delegates and applicants alike (the address is added by subclasses)."""

    honorific = StringField(
        _l("Honorific"), validators=[Optional(), Length(max=40)], description=_l("H.E., Dr, Ms, Mr...")
    )
    given_name = StringField(
        _l("Given name(s)"),
        validators=[DataRequired(), Length(max=100), HasLetter()],
        description=_l("In any script. If you have one name only, write it here."),
    )
    family_name = StringField(
        _l("Family name(s) (optional)"),
        validators=[Optional(), Length(max=100), HasLetter()],
        description=_l("Leave empty if you have one name only."),
    )
    name_order = SelectField(
        _l("Name order"),
        choices=[
            SelectChoice("", _l("Usual for my name and nationality")),
            *enum_choices(NameOrder),
        ],
        validators=[Optional()],
        description=_l(
            "Chinese, Japanese and Korean names, and names of nationalities that write the family name "
            "first (such as Viet Nam, Hungary, Cambodia or Mongolia), print family name first unless you choose."
        ),
    )
    badge_name = StringField(
        _l("Name as it should appear on the badge (optional)"),
        validators=[Optional(), Length(max=100), HasLetter()],
        description=_l("Leave empty to print your name as above."),
    )
    latin_name = StringField(
        _l("Your name in Latin letters"),
        validators=[Optional(), Length(max=200), HasLetter()],
        description=_l(
            "If your name is written in another script: as in your passport. "
            "The badge prints it if it cannot print your script."
        ),
    )
    position = StringField(_l("Position or title"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Ministry or organisation"), validators=[Optional(), Length(max=200), HasLetter()])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)], description=_l("With the country code."))
    nationality = CountryField(_l("Nationality"), validators=[Optional()])
    gender = StringField(_l("Gender (optional)"), validators=[Optional(), Length(max=40)])
    accessibility_needs = TextAreaField(
        _l("Accessibility needs"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Anything that helps you take part."),
    )
    dietary_needs = TextAreaField(_l("Dietary needs"), validators=[Optional(), Length(max=1000)])
    needs_visa_letter = BooleanField(_l("I need a visa invitation letter"))
    passport_number = StringField(_l("Passport number"), validators=[Optional(), Length(max=40)])
    passport_expiry = DateField(_l("Passport expiry date"), validators=[Optional()])
    passport_country = CountryField(_l("Passport issued by"), validators=[Optional()])
    photo = FileField(_l("Photo for the badge (optional)"), description=_l("JPEG or PNG, smaller than 2 MB."))


class DelegateForm(PersonFields):
    email = StringField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    make_head = BooleanField(_l("Head of delegation"))


class ApplicationForm(PersonFields):
    category = SelectField(
        _l("I apply as"),
        validators=[DataRequired()],
    )
    email = StringField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    country = CountryField(_l("Country you work in"), validators=[DataRequired()])
    motivation = TextAreaField(
        _l("Why you wish to take part"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("A few lines; at most 2000 characters."),
    )
    consent_data_processing = BooleanField(
        _l("I agree that the secretariat and hosts process these details to organise the meeting."),
        validators=[InputRequired(message=_l("We can only take your application with this agreement."))],
    )
    consent_participant_list = BooleanField(_l("My name and organisation may appear on the list of participants."))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Built per form so the category titles follow the reader's language.
        self.category.choices = [
            SelectChoice("", _("Choose one")),
            *(SelectChoice(c.value, c.label) for c in APPLICATION_CATEGORIES),
        ]
        self.organisation.validators = [DataRequired(), Length(max=200), HasLetter()]
        self.organisation.flags.required = True


class SelfEditForm(PersonFields):
    """The registrant's own form: everything but the address they registered with."""


class ResendLinkForm(AppForm):
    email = StringField(_l("Email you registered with"), validators=[DataRequired(), Email(), Length(max=254)])


class WithdrawForm(AppForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=1000)])


class ActionForm(AppForm):
    """A button that changes something: only the CSRF token."""


class DecisionForm(AppForm):
    #: The people ticked in the review queue (the template draws a checkbox beside each row).
    selected = SelectMultipleField(_l("People"), coerce=str, validate_choice=False, validators=[DatabaseId()])
    action = SelectField(_l("Decision"), choices=pair_choices([("approve", _l("Approve")), ("decline", _l("Decline"))]))
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Required to decline; the applicant reads it."),
    )


class QuotaForm(AppForm):
    quota = IntegerField(
        _l("Places"),
        validators=[Optional(), NumberRange(min=1, max=200)],
        description=_l("Empty for the meeting's default."),
    )


def capacity_form_class() -> type[AppForm]:
    """The capacity settings form: overall, and one optional field per category."""
    fields: dict[str, object] = {
        "capacity": IntegerField(
            _l("Overall capacity"),
            validators=[Optional(), NumberRange(min=1, max=100000)],
            description=_l("Empty for no limit."),
        )
    }
    for category in RegistrationCategory:
        fields[f"cap_{category.value}"] = IntegerField(
            category.label, validators=[Optional(), NumberRange(min=0, max=100000)]
        )
    return type("CapacityForm", (AppForm,), fields)


def _photo_bytes(field: FileField) -> bytes | None:
    upload = field.data
    if not isinstance(upload, FileStorage) or not upload.filename:
        return None
    # Read one byte past the limit so an oversized file is noticed without reading it all.
    return upload.stream.read(PHOTO_MAX_BYTES + 1) or None


def person_data(form: PersonFields) -> PersonData:
    """What the form holds, as the services want it."""
    return PersonData(
        given_name=form.given_name.data or "",
        family_name=form.family_name.data or "",
        badge_name=form.badge_name.data or "",
        latin_name=form.latin_name.data or "",
        name_order=form.name_order.data or None,
        email=getattr(form, "email", None).data if hasattr(form, "email") else "",  # type: ignore[union-attr]
        honorific=form.honorific.data or "",
        position=form.position.data or "",
        organisation=form.organisation.data or "",
        phone=form.phone.data or "",
        nationality=form.nationality.data or None,
        country=form.country.data if hasattr(form, "country") else None,  # type: ignore[attr-defined]
        gender=form.gender.data or "",
        accessibility_needs=form.accessibility_needs.data or "",
        dietary_needs=form.dietary_needs.data or "",
        needs_visa_letter=bool(form.needs_visa_letter.data),
        passport_number=form.passport_number.data or "",
        passport_expiry=form.passport_expiry.data,
        passport_country=form.passport_country.data or None,
        motivation=form.motivation.data if hasattr(form, "motivation") else "",  # type: ignore[attr-defined]
        photo=_photo_bytes(form.photo),
    )
