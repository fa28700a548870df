"""The in-memory rate-limit storage: same counting as `limits`' memory storage, no timer threads."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from eventapp.config import load_config
from eventapp.extensions import limiter
from eventapp.web.limitstore import InlineSweptMemoryStorage
from tests.conftest import make_app


def _timers_started(storage: MemoryStorage, hits: int) -> int:
    strategy = FixedWindowRateLimiter(storage)
    item = parse("1000 per minute")
    with mock.patch.object(threading.Timer, "start", autospec=True) as start:
        for n in range(hits):
            strategy.hit(item, f"key-{n % 3}")
            time.sleep(0.002)  # longer than nothing, so the parent's 10 ms timers fire between hits
    return start.call_count


def test_counting_starts_no_thread() -> None:
    # The parent starts a new timer thread whenever its last one has fired; this storage never does.
    parent = MemoryStorage()
    assert _timers_started(parent, 30) > 0
    assert _timers_started(InlineSweptMemoryStorage(), 30) == 0


def test_it_is_the_default_without_redis(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    uri = load_config(str(tmp_path), {})["RATELIMIT_STORAGE_URI"]
    assert uri == "memory-inline://"
    assert isinstance(storage_from_string(uri), InlineSweptMemoryStorage)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert load_config(str(tmp_path), {})["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_the_app_counts_in_it(_schema: str) -> None:
    app = make_app(_schema, RATELIMIT_ENABLED=True)
    with app.app_context():
        assert isinstance(limiter.storage, InlineSweptMemoryStorage)


@pytest.mark.parametrize("strategy_class", [FixedWindowRateLimiter, MovingWindowRateLimiter])
def test_limits_hold_as_with_the_parent(strategy_class) -> None:
    ours, parent = strategy_class(InlineSweptMemoryStorage()), strategy_class(MemoryStorage())
    item = parse("3 per minute")
    answers = [(ours.hit(item, "a"), parent.hit(item, "a")) for _ in range(5)]
    assert answers == [(True, True)] * 3 + [(False, False)] * 2
    assert ours.hit(item, "b")  # another key has its own budget


def test_expired_counters_are_swept_by_a_later_hit() -> None:
    storage = InlineSweptMemoryStorage()
    storage.incr("short", expiry=0.01)
    storage.incr("long", expiry=60)
    time.sleep(0.03)
    assert "short" in storage.storage  # nothing freed it yet: no timer runs

    storage.incr("long", expiry=60)  # the sweep is not due yet
    assert "short" in storage.storage and storage.sweeps == 0

    storage.next_sweep = 0.0  # as if a second had passed
    storage.incr("long", expiry=60)
    assert storage.sweeps == 1
    assert "short" not in storage.storage and "short" not in storage.expirations
    assert storage.get("long") == 3
