"""Freed memory goes back to the system after a large import (glibc's heap, Arrow's pool)."""

from __future__ import annotations

import os

import pytest

from ingest.memory import _malloc_trim, release_free_memory

pytestmark = pytest.mark.skipif(
    _malloc_trim() is None, reason="malloc_trim is glibc's; elsewhere only Arrow's pool is released"
)


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def test_memory_freed_in_the_middle_of_the_heap_goes_back_to_the_system():
    # 64 KB blocks come from the heap (below the mmap threshold); keeping every 50th
    # alive leaves the heap's top in use, so free() alone cannot shrink it.
    blocks = [bytes(64 * 1024) for _ in range(6_000)]
    kept = blocks[49::50] + blocks[-1:]
    del blocks
    held = _resident_mb()

    assert release_free_memory() is True

    assert held - _resident_mb() > 150, "about 380 MB freed; less than 150 MB came back"
    assert len(kept) == 121  # still alive: only the freed blocks may go
