"""Running one case in its own process, with a time cap and a memory guard.

``subprocess.run(..., timeout=cap)`` would do for the time cap alone; the loop here also
watches the child's resident memory, because the machine is shared and an import that
grows past :data:`DEFAULT_MEMORY_CAP_MB` is already a finding, not something to let
swap the machine to a halt. Only the process started here (and its own group) is
ever killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from bench.case import CAP_HIT, ERROR, MEMORY_CAP_HIT

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MEMORY_CAP_MB = 6000.0
CHILD_ENV = {"POCMAP_MAX_UPLOAD_MB": "2048"}
_POLL_S = 0.1
_STDERR_LINES = 15


def run_case(
    name: str,
    size: int,
    folder: Path,
    *,
    seed: int,
    cap_s: float,
    memory_cap_mb: float = DEFAULT_MEMORY_CAP_MB,
) -> dict[str, Any]:
    """Run ``python -m bench.case name size`` and return its record.

    The record is the case's own result, or, when it could not give one: ``status`` "cap
    hit" (killed after ``cap_s``), "memory cap hit" (killed past ``memory_cap_mb`` of
    resident memory) or "error" (it crashed), with the last progress it reported
    (``partial``) and the last lines of its stderr.
    """
    command = [
        sys.executable,
        "-m",
        "bench.case",
        name,
        str(size),
        "--folder",
        str(folder),
        "--seed",
        str(seed),
        "--cap-s",
        str(cap_s),
        # The cap runs from here, interpreter start and imports included.
        "--started-at",
        repr(time.time()),
    ]
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **CHILD_ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    stderr: deque[str] = deque(maxlen=_STDERR_LINES)
    readers = [_drain(child.stdout, lines), _drain(child.stderr, stderr)]
    killed, observed_mb = None, 0.0
    while child.poll() is None:
        observed_mb = max(observed_mb, _rss_mb(child.pid))
        if time.perf_counter() - start > cap_s:
            killed = CAP_HIT
        elif observed_mb > memory_cap_mb:
            killed = MEMORY_CAP_HIT
        if killed:
            _kill(child)
            break
        time.sleep(_POLL_S)
    child.wait()
    for reader in readers:
        reader.join()
    wall_s = time.perf_counter() - start
    result, progress, where = _records(lines)
    if result is None:  # a result written just before a kill still counts
        result = {"case": name, "size": size, "status": killed or ERROR}
        if progress is not None:
            result["partial"] = progress
        if where is not None:
            result["where"] = where
        if killed == CAP_HIT:
            result["cap_s"] = cap_s
        elif killed == MEMORY_CAP_HIT:
            result["memory_cap_mb"] = memory_cap_mb
        else:
            result["returncode"] = child.returncode
    if result["status"] == ERROR:
        result["stderr_tail"] = list(stderr)
    result["runner_wall_s"] = round(wall_s, 3)
    result["observed_peak_rss_mb"] = round(observed_mb, 1)
    return result


def _drain(stream: IO[str] | None, into: list[str] | deque[str]) -> threading.Thread:
    def read() -> None:
        if stream is not None:
            for line in stream:
                into.append(line.rstrip("\n"))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def _records(lines: Iterable[str]) -> tuple[dict[str, Any] | None, ...]:
    """The child's final result, its last progress and its last ``where`` record."""
    result = progress = where = None
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            result = record.get("result", result)
            progress = record.get("progress", progress)
            where = record.get("where", where)
    return result, progress, where


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` now, in MB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except (OSError, ValueError):
        pass
    return 0.0


def _kill(child: subprocess.Popen) -> None:
    # The child leads its own session (start_new_session), so its group id is its pid.
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
