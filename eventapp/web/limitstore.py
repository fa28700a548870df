"""Rate-limit counters in the worker's memory (no Redis) without a thread per sweep.

`limits`' memory storage drops expired counters from a timer thread, and starts a new one
whenever the last has fired: about every 10 ms under steady traffic, in every worker. Starting
a thread waits until the OS has scheduled it, which on a busy machine holds the request for
a time slice. Expired counters are already ignored when read, so the sweep only frees memory:
here it runs in the request that finds it due, at most once a second.

Selected with the `memory-inline://` storage URI (the default without `REDIS_URL`). The storage
keeps everything else of `limits`' memory storage (fixed, moving and sliding windows).
"""

from __future__ import annotations

import time

from limits.storage import MemoryStorage

#: Seconds between two sweeps of expired counters.
SWEEP_INTERVAL = 1.0
SCHEME = "memory-inline"


class InlineSweptMemoryStorage(MemoryStorage):
    """`limits.storage.MemoryStorage`, sweeping expired counters inline instead of on timers."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        # The parent starts one timer as it is made; this storage never needs it.
        self.timer.cancel()
        self.next_sweep = time.monotonic() + SWEEP_INTERVAL
        self.sweeps = 0

    def __setstate__(self, state: dict[str, object]) -> None:
        super().__setstate__(state)
        self.timer.cancel()

    # Called by the parent before every change of a counter (the name is the parent's private one).
    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802
        now = time.monotonic()
        if now < self.next_sweep:
            return
        self.next_sweep = now + SWEEP_INTERVAL
        self.sweeps += 1
        self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
