"""A serving process freezes what the app holds for its lifetime out of the garbage collector."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import weakref
from pathlib import Path

from eventapp.web.startup import freeze_startup_objects

ROOT = Path(__file__).resolve().parents[2]

# Import the WSGI entry point as gunicorn's worker does, then report what the collector still walks.
PROBE = """
import gc, json
import wsgi
gc.collect()
print(json.dumps({"frozen": gc.get_freeze_count(), "walked": len(gc.get_objects())}))
"""


def test_importing_the_wsgi_entry_point_freezes_the_app(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}",
        "SECRET_KEY": "startup-test-key",
        "DATA_ENCRYPTION_KEY": "x3DCdEbvXqAmbNCLUBI1R3y6i9k7Lv7TaTNT_0l7x0k=",
        "APP_ENV": "production",
    }
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    # The app's modules, mappers and caches: far more than any full collection should walk.
    assert found["frozen"] > 50_000
    assert found["walked"] < found["frozen"] / 10


def test_freezing_collects_garbage_first() -> None:
    class Cycle:
        def __init__(self) -> None:
            self.me = self

    gc.disable()  # nothing but the function under test may collect the cycle
    try:
        cycle = Cycle()
        gone = weakref.ref(cycle)
        del cycle  # unreachable now, but only the collector frees a cycle
        assert gone() is not None
        assert freeze_startup_objects() == gc.get_freeze_count() > 0
        assert gone() is None  # collected, not frozen for the process's lifetime
    finally:
        gc.unfreeze()
        gc.enable()
