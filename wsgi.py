"""Entry point for WSGI servers: `gunicorn wsgi:app`."""

from eventapp import create_app
from eventapp.web.startup import freeze_startup_objects

app = create_app()
# Each gunicorn worker imports this module: what the app holds for its lifetime stays out of
# the garbage collector's full collections (see eventapp/web/startup.py).
freeze_startup_objects()
