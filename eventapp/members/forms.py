from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from eventapp.i18n.translated import add_translation_fields
from eventapp.models import MemberKind
from eventapp.web.forms import AppForm, enum_choices
from eventapp.web.text import HasLetter


class MemberForm(AppForm):
    kind = SelectField(_l("Kind"), choices=enum_choices(MemberKind), validators=[DataRequired()])
    name = StringField(
        _l("Name as the communiqués write it"),
        validators=[DataRequired(), Length(max=200), HasLetter()],
        description=_l("For example: Côte d'Ivoire, the Democratic Republic of the Congo, the African Union."),
    )
    iso3 = StringField(
        _l("ISO 3166 alpha-3 code"),
        validators=[Optional(), Length(min=3, max=3)],
        description=_l("Member States only, for example ROU."),
    )
    code = StringField(
        _l("Short code"),
        validators=[Optional(), Length(max=16)],
        description=_l("Regional organisations: their acronym (ECOWAS). States: leave empty to use the ISO code."),
    )
    sort_name = StringField(
        _l("Sort name"),
        validators=[Optional(), Length(max=200), HasLetter()],
        description=_l("Leave empty to derive it from the name."),
    )
    joined_on = DateField(_l("Joined the network on"), validators=[Optional()])


add_translation_fields(MemberForm, "name")
