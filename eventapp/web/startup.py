"""What a serving process does once the app is built, before its first request.

A gunicorn worker imports the whole app (Flask, SQLAlchemy's mappers, Babel, the PDF and QR
libraries): about 190,000 objects that live as long as the process. Python's cyclic garbage
collector walks all of them in every full collection, which under traffic came every few
thousand requests and held the worker up to a quarter of a second (on the benchmark host),
long enough to push a door scan far past its usual few milliseconds. Frozen, they are left out of every collection;
a full collection then walks only what requests created and takes about a millisecond.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> int:
    """Collect what start-up left behind, then move every surviving object out of the collector's
    reach; the number of objects frozen so far."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
