"""One benchmark case per call, in its own process: ``python -m bench.case NAME SIZE``.

The runner (``python -m bench``) starts this once per case and size. It prints progress
records (``{"progress": {...}}``) while it works, so a case killed at its cap still says
how far it got, and one final record (``{"result": {...}}``) with the case's figures, its
status and the process' own peak memory. Anything else the libraries print goes to
stderr, so stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from schema.mission import FILES

PRODUCT = "product"
BASELINE = "baseline"
PHYSICAL_LIMIT = "physical limit"

OK = "ok"
CAP_HIT = "cap hit"
MEMORY_CAP_HIT = "memory cap hit"
ERROR = "error"

_BUDGET_SHARE = 0.85
"""A case that can stop itself does so at this share of its cap, to report in time."""
SAMPLE_EVERY_S = 0.25
_ROOT = Path(__file__).resolve().parent.parent
_NOT_PRODUCT = (_ROOT / "bench", _ROOT / ".venv")


@dataclass
class Context:
    """What a case gets: its data and how long it may take.

    Attributes
    ----------
    size : the number of incidents.
    folder : the generated folder, laid out like ``sample_data/``.
    seed : the seed of the set (cases that draw at random use it too).
    cap_s : the runner kills the case after this many seconds.
    tmp : a scratch folder, deleted after the case.
    """

    size: int
    folder: Path
    seed: int
    cap_s: float
    tmp: Path
    out: TextIO = field(default=sys.stdout, repr=False)
    started_at: float = field(default_factory=time.time)
    """When the runner started the process (``time.time()``): the cap counts from then."""
    started: float = field(default_factory=time.perf_counter)

    def __post_init__(self) -> None:
        # perf_counter is the clock for timing; shift its origin back to the runner's start.
        self.started -= max(0.0, time.time() - self.started_at)

    @property
    def csv(self) -> Path:
        return self.folder / FILES["incidents"]

    @property
    def deadline(self) -> float:
        """``time.perf_counter()`` value by which a case that can stop itself should stop."""
        return self.started + self.cap_s * _BUDGET_SHARE

    def left_s(self) -> float:
        return self.deadline - time.perf_counter()

    def progress(self, **figures: Any) -> None:
        """Say how far the case got (the runner keeps the last one if the case is killed)."""
        _emit(self.out, {"progress": figures})


Case = Callable[[Context], dict[str, Any]]


@dataclass(frozen=True)
class CaseSpec:
    """A registered case: what it is and the function measuring it."""

    name: str
    kind: str
    run: Case
    summary: str


CASES: dict[str, CaseSpec] = {}


def case(name: str, kind: str, summary: str) -> Callable[[Case], Case]:
    """Register ``run`` as the case ``name`` (``kind``: product, baseline or physical limit)."""

    def register(run: Case) -> Case:
        CASES[name] = CaseSpec(name, kind, run, summary)
        return run

    return register


def best_of(run: Callable[[], Any], context: Context, repeats: int = 3) -> tuple[list[float], Any]:
    """Time ``run`` up to ``repeats`` times (fewer when the next would pass the deadline).

    Returns every time (seconds) and the last result; the first time is the cold one
    (memory not yet asked of the system), reported beside the best.
    """
    times: list[float] = []
    result = None
    for _ in range(repeats):
        result = None  # let the last result go first: peak memory is one run's
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        context.progress(times=times)
        if time.perf_counter() + times[-1] > context.deadline:
            break
    return times, result


def peak_rss_mb() -> float:
    """This process' peak resident memory so far, in MB (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


class _Sampler(threading.Thread):
    """Where the case's main thread is, in the product's own code, sampled while it runs.

    Every :data:`SAMPLE_EVERY_S` it notes the innermost frame of a product module (not
    ``bench/``, not a library) and reports the shares so far as a ``where`` record, so a
    case killed at its cap still says which function it was in.
    """

    def __init__(self, out: TextIO) -> None:
        super().__init__(daemon=True)
        self.out = out
        self.main = threading.main_thread().ident
        self.counts: Counter[str] = Counter()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SAMPLE_EVERY_S):
            # No reference to the frame outlives this line: a frame held while its
            # function returns keeps that function's locals (and its callers') alive,
            # and the case's peak memory would count them.
            place = _product_frame(sys._current_frames().get(self.main))
            if place is None:
                continue
            self.counts[place] += 1
            _emit(self.out, {"where": self.summary(now=place)})

    def summary(self, now: str | None = None) -> dict[str, Any]:
        total = sum(self.counts.values())
        top = [[place, round(n / total, 3)] for place, n in self.counts.most_common(6)]
        return {"now": now, "top": top, "samples": total, "every_s": SAMPLE_EVERY_S}


def _product_frame(frame: Any) -> str | None:
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(_ROOT) and not any(path.is_relative_to(p) for p in _NOT_PRODUCT):
            return f"{path.relative_to(_ROOT)}:{frame.f_code.co_name}"
        frame = frame.f_back
    return None


_EMITTING = threading.Lock()


def _emit(out: TextIO, record: dict[str, Any]) -> None:
    line = json.dumps(record, default=_plain) + "\n"
    with _EMITTING:  # the sampler writes too: one whole line at a time
        out.write(line)
        out.flush()


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _load_cases() -> None:
    # Imported for their registrations; each imports its heavy libraries itself.
    from bench import baseline_cases, product_cases  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m bench.case NAME SIZE --folder F [--seed N] [--cap-s S]``."""
    _load_cases()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(CASES))
    parser.add_argument("size", type=int)
    parser.add_argument("--folder", type=Path, required=True, help="the generated folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cap-s", type=float, default=60.0, help="the runner's cap")
    parser.add_argument("--started-at", type=float, help="when the runner started it (epoch)")
    args = parser.parse_args(argv)

    # Keep stdout for our records: whatever a library prints (even from C) goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    spec = CASES[args.name]
    record: dict[str, Any] = {"case": spec.name, "kind": spec.kind, "size": args.size}
    sampler = _Sampler(out)
    with tempfile.TemporaryDirectory(prefix=f"bench-{spec.name}-") as tmp:
        context = Context(
            args.size,
            args.folder,
            args.seed,
            args.cap_s,
            Path(tmp),
            out,
            args.started_at or time.time(),
        )
        sampler.start()
        try:
            figures = spec.run(context)
            record["status"] = figures.pop("status", OK)
            record.update(figures)
        except Exception as err:
            traceback.print_exc()
            record["status"] = ERROR
            record["error"] = f"{type(err).__name__}: {err}"[:2000]
        sampler.stopped.set()
        sampler.join()
    if sampler.counts:
        record["where"] = sampler.summary()
    record["wall_s"] = round(time.perf_counter() - context.started, 3)
    record["peak_rss_mb"] = round(peak_rss_mb(), 1)
    _emit(out, {"result": record})
    out.close()
    return 0


if __name__ == "__main__":
    # Run as bench.case, not __main__, so the cases register where main() looks.
    from bench.case import main as _main

    sys.exit(_main())
