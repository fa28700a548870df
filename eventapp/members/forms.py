from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from eventapp.models import MemberKind
from eventapp.web.forms import enum_choices


class MemberForm(FlaskForm):
    kind = SelectField("Kind", choices=enum_choices(MemberKind), validators=[DataRequired()])
    name = StringField(
        "Name as the communiqués write it",
        validators=[DataRequired(), Length(max=200)],
        description="For example: Côte d'Ivoire, the Democratic Republic of the Congo, the African Union.",
    )
    iso3 = StringField(
        "ISO 3166 alpha-3 code",
        validators=[Optional(), Length(min=3, max=3)],
        description="Member States only, for example ROU.",
    )
    code = StringField(
        "Short code",
        validators=[Optional(), Length(max=16)],
        description="Regional organisations: their acronym (ECOWAS). States: leave empty to use the ISO code.",
    )
    sort_name = StringField(
        "Sort name", validators=[Optional(), Length(max=200)], description="Leave empty to derive it from the name."
    )
    joined_on = DateField("Joined the network on", validators=[Optional()])
