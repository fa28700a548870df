"""What a serving process does once the app is built, before its first request.

A worker imports the whole app (Flask, SQLAlchemy's mappers, Babel, the PDF and QR libraries):
objects that live as long as the process. Frozen, they are left out of the garbage collector's
full collections, which then walk only what requests created instead of pausing the worker.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> int:
    """Collect what start-up left behind, then move every surviving object out of the collector's
    reach; the number of objects frozen so far."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
