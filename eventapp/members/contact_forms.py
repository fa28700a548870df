from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, StringField
from wtforms.validators import DataRequired, Length, Optional

from eventapp.web.forms import AppForm


class ContactForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Title or function"), validators=[Optional(), Length(max=200)])
    office = StringField(_l("Ministry or office"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=64)],
        description=_l("With the country code, for example +40 21 319 2108."),
    )
    since = DateField(_l("Focal point since"), validators=[Optional()])
    until = DateField(
        _l("Focal point until"),
        validators=[Optional()],
        description=_l("Leave empty while they are the focal point; a date keeps them as a former focal point."),
    )
