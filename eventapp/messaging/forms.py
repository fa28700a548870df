"""The message form: the group, the default language and one version per language (shape only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventapp.i18n.locales import LANGUAGES
from eventapp.messaging.audience import NEEDS, PRESENCE
from eventapp.models import RegistrationCategory, RegistrationStatus
from eventapp.web.forms import AppForm, enum_choices, pair_choices


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MessageForm(AppForm):
    statuses = Checkboxes(
        _l("Status"),
        choices=enum_choices(RegistrationStatus),
        default=[RegistrationStatus.APPROVED.value],
        validate_choice=False,  # the service keeps known values only
    )
    categories = Checkboxes(
        _l("Category"),
        choices=enum_choices(RegistrationCategory),
        description=_l("Tick none to write to every category."),
        validate_choice=False,
    )
    member = SelectField(_l("Member"), choices=[], validate_choice=False)
    presence = SelectField(
        _l("Arrival"), choices=pair_choices([("", _l("Arrived or not")), *PRESENCE.items()]), validate_choice=False
    )
    need = SelectField(_l("Needs"), choices=pair_choices([("", _l("Any")), *NEEDS.items()]), validate_choice=False)
    default_locale = SelectField(
        _l("Default language"),
        choices=pair_choices(list(LANGUAGES.items())),
        default="en",
        description=_l("Everyone whose language has no version below gets this one."),
    )
    #: Who the preview showed (services.group_key); sending checks the group still holds them.
    expected = HiddenField()
    #: Given with the preview: sending it twice sends once.
    send_token = HiddenField()
    template_name = StringField(_l("Template name"), validators=[Optional()])


# One subject and one text per language, named subject_fr, body_fr...
for _code, _language in LANGUAGES.items():
    # Typed in that language: the browser spells, writes and shows it as such.
    _typed = {"lang": _code, "dir": "rtl" if _code == "ar" else "ltr"}
    setattr(
        MessageForm, f"subject_{_code}", StringField(_l("Subject (%(language)s)", language=_language), render_kw=_typed)
    )
    setattr(
        MessageForm,
        f"body_{_code}",
        TextAreaField(
            _l("Text (%(language)s)", language=_language),
            description=_l("You may write {name}, {meeting}, {dates}, {venue} and {link} (the person's own page)."),
            render_kw={"rows": 10, **_typed},
        ),
    )
