"""``python -m bench``: every case at every size, the tables, the targets, a JSON file.

Not part of the test suite: it measures, so it exits 0 whether or not the targets are
met, and says clearly which are missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import report
from bench.runner import DEFAULT_MEMORY_CAP_MB, ROOT, run_case
from bench.synthetic import CACHE_DIR, SEED

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
DEFAULT_OUT = Path("bench/results.json")
DEFAULT_CAPS_S = {
    "csv_load_validate": 90.0,
    "hot_spots": 60.0,
    "filter_rerun": 90.0,
    "map_payload": 75.0,
    "folium_markers": 30.0,
    "esda_raw_points": 30.0,
    "geopandas_read_file": 45.0,
    "numpy_pass": 30.0,
    "pyarrow_csv_read": 30.0,
}
"""Seconds each case may take, per size; chosen so 10k, 100k and 1M fit in 10 minutes."""
GENERATE_CAP_S = 120.0
_LIBRARIES = (
    "numpy",
    "pandas",
    "geopandas",
    "shapely",
    "pyogrio",
    "pyproj",
    "pyarrow",
    "scipy",
    "streamlit",
    "streamlit-folium",
    "folium",
    "esda",
    "libpysal",
    "pandera",
)


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"`--sizes` was {text!r} but is expected to be whole numbers such as 10000,100000"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"`--sizes` was {text!r}: give sizes of at least 1")
    return tuple(sorted(set(sizes)))


def _cases(text: str) -> tuple[str, ...]:
    cases = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [c for c in cases if c not in report.CASE_ORDER]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"`--cases` had {', '.join(unknown)} but is expected to be in {report.CASE_ORDER}"
        )
    return tuple(c for c in report.CASE_ORDER if c in cases)


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPUs, load, Python, library versions, commit."""
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "load_average": os.getloadavg(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": sys.version.split()[0],
        "versions": versions,
        "git": _git(),
    }


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.rstrip("\n")

    try:
        # Other work may be in progress in the tree: say which files differed from HEAD.
        return {
            "commit": git("rev-parse", "HEAD"),
            "changed": git("status", "--short").splitlines(),
        }
    except OSError:
        return {}


def _generate(size: int, seed: int, cache_dir: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.synthetic", str(size), "--seed", str(seed)]
    command += ["--cache-dir", str(cache_dir)]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=GENERATE_CAP_S, check=False
    )
    if done.returncode:
        raise SystemExit(f"generating {size:,} incidents failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; see ``bench/README.md``."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES, help="e.g. 10000,100000")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON file to write")
    parser.add_argument("--cap-s", type=float, help="seconds per case (default: per case)")
    parser.add_argument("--cases", type=_cases, default=report.CASE_ORDER, help="a subset")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--memory-cap-mb", type=float, default=DEFAULT_MEMORY_CAP_MB)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    info = machine()
    print(
        f"bench: sizes {', '.join(f'{n:,}' for n in args.sizes)} on {info['cpus_usable']} "
        f"CPU(s), load {', '.join(f'{v:.1f}' for v in info['load_average'])}",
        flush=True,
    )

    sets = {}
    for size in args.sizes:
        sets[size] = _generate(size, args.seed, args.cache_dir)
        made = "cached" if sets[size]["cached"] else f"made in {sets[size]['seconds']:.1f} s"
        print(f"  data {size:>9,}: {sets[size]['csv_bytes'] / 1e6:,.1f} MB CSV, {made}", flush=True)

    results: report.Results = {}
    for size in args.sizes:
        for name in args.cases:
            cap = args.cap_s or DEFAULT_CAPS_S[name]
            record = run_case(
                name,
                size,
                Path(sets[size]["folder"]),
                seed=args.seed,
                cap_s=cap,
                memory_cap_mb=args.memory_cap_mb,
            )
            record["cap_s_allowed"] = cap
            results[(name, size)] = record
            print(
                f"  {name:>20} {size:>9,}: {report.headline(record)} "
                f"[{record['runner_wall_s']:.1f} s wall]",
                flush=True,
            )

    cases = [c for c in report.CASE_ORDER if c in args.cases]
    wall_s = time.perf_counter() - started
    headline = report.table(results, args.sizes, cases=cases)
    memory = report.table(results, args.sizes, report.memory_cell, cases=cases)
    found = report.targets(results, args.sizes)
    checked = report.targets_table(found, max(args.sizes))
    missed = [t for t in found if t.met is False]
    unknown = [t for t in found if t.met is None]
    print("\n## Results\n\n" + headline)
    print("\n## Peak memory of each case's process\n\n" + memory)
    print("\n## Targets\n\n" + checked)
    print(
        f"\n{len(found) - len(missed) - len(unknown)} of {len(found)} targets met"
        + (f", {len(unknown)} not known (not run or not finished)" if unknown else "")
        + (": MISSED " + "; ".join(f"{t.target} ({t.measured})" for t in missed) if missed else ".")
    )
    print(f"Whole run: {wall_s:,.0f} s wall.")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "machine": info,
                "arguments": {
                    "sizes": args.sizes,
                    "cases": cases,
                    "seed": args.seed,
                    "cap_s": args.cap_s,
                    "caps_s": {c: args.cap_s or DEFAULT_CAPS_S[c] for c in cases},
                    "memory_cap_mb": args.memory_cap_mb,
                },
                "data": {str(n): meta for n, meta in sets.items()},
                "results": [results[(c, n)] for n in args.sizes for c in cases],
                "targets": report.as_json(found),
                "tables": {"results": headline, "peak_memory": memory, "targets": checked},
                "wall_s": round(wall_s, 1),
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
