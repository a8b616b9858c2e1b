"""The bench's own measuring must not change what it measures."""

from __future__ import annotations

import io
import time
import weakref

from bench import case


class _Big:
    """Stands for a large temporary (a weak reference tells when it is freed)."""


def _work(seconds: float) -> weakref.ref:
    temporary = _Big()
    time.sleep(seconds)  # the sampler looks at this frame meanwhile
    return weakref.ref(temporary)


def test_the_sampler_keeps_no_local_alive_after_its_function_returns(monkeypatch):
    monkeypatch.setattr(case, "SAMPLE_EVERY_S", 0.05)
    sampler = case._Sampler(io.StringIO())
    sampler.start()
    try:
        freed = [_work(0.12)() is None for _ in range(5)]
    finally:
        sampler.stopped.set()
        sampler.join()
    assert all(freed), f"a local outlived its function in {freed.count(False)} of 5 calls"
