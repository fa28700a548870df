from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from eventapp.web.forms import AppForm


class DeviceForm(AppForm):
    name = StringField(
        _l("Device name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("Where it scans or who holds it, for example “Main door tablet” or “Room B phone”."),
    )
