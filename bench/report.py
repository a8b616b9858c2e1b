"""The results in words: a markdown table of every case and size, and the targets.

Units are decimal: 1 MB = 10**6 bytes, 1 GB = 10**9 bytes (peak memory too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from bench.case import CAP_HIT, ERROR, MEMORY_CAP_HIT, OK

CASE_ORDER = (
    "csv_load_validate",
    "hot_spots",
    "filter_rerun",
    "map_payload",
    "folium_markers",
    "esda_raw_points",
    "geopandas_read_file",
    "numpy_pass",
    "pyarrow_csv_read",
)
PRODUCT_CASES = ("csv_load_validate", "hot_spots", "filter_rerun", "map_payload")

HOT_SPOTS_MAX_S = 1.0
HOT_SPOTS_MAX_VS_NUMPY = 20.0
CSV_MIN_ROWS_PER_S = 300_000.0
CSV_MAX_VS_PYARROW = 5.0
FILTER_RERUN_MAX_P50_S = 0.25
PAYLOAD_MAX_GZIP_BYTES = 2e6
PAYLOAD_MAX_GROWTH = 2.0
PEAK_MEMORY_MAX_MB = 2000.0

Results = dict[tuple[str, int], dict[str, Any]]
"""Records by (case, size)."""


def seconds(value: float | None) -> str:
    """``0.0123`` -> ``12.3 ms``, ``4.2`` -> ``4.20 s``."""
    if value is None:
        return "n/a"
    if value < 1:
        return f"{value * 1000:.3g} ms"
    return f"{value:,.2f} s"


def megabytes(value: float | None) -> str:
    return "n/a" if value is None else f"{value / 1e6:,.2f} MB"


def _figure(record: dict[str, Any]) -> str:
    name = record["case"]
    if name == "csv_load_validate":
        figure = f"{seconds(record['seconds'])} · {record['rows_per_s'] / 1000:,.0f}k rows/s"
        times = record.get("times") or []
        return figure + (f" (first run {seconds(times[0])})" if len(times) > 1 else "")
    if name == "filter_rerun":
        return (
            f"p50 {seconds(record['p50_s'])} · max {seconds(record['max_s'])} "
            f"(first load {seconds(record['first_load_s'])})"
        )
    if name == "map_payload":
        return (
            f"{megabytes(record['gzip_bytes'])} gz ({megabytes(record['raw_bytes'])} raw) "
            f"by {record['function']}" + (f" ({record['view']})" if record.get("view") else "")
        )
    if name == "folium_markers":
        return (
            f"{megabytes(record['gzip_bytes'])} gz ({megabytes(record['raw_bytes'])} raw) "
            f"in {seconds(record['seconds'])}"
        )
    return seconds(record.get("seconds"))


def headline(record: dict[str, Any] | None) -> str:
    """The one figure (with its unit) that sums up ``record``."""
    if record is None:
        return "not run"
    status = record.get("status")
    if status == ERROR:
        return "error: " + str(record.get("error") or f"exit {record.get('returncode')}")[:60]
    if status == MEMORY_CAP_HIT:
        return f"memory cap hit (> {record['memory_cap_mb'] / 1000:g} GB)" + _place(record)
    if status == CAP_HIT and "cap_s" in record:  # killed: only its last progress is known
        partial = record.get("partial") or {}
        text = f"cap hit ({record['cap_s']:g} s)"
        if record["case"] == "folium_markers" and partial.get("markers"):
            text += (
                f": ≥ {megabytes(partial['raw_bytes'])} raw, "
                f"≥ {megabytes(partial['gzip_bytes'])} gz at {partial['markers']:,} markers"
            )
        elif "weights_s" in partial:
            text += f", KNN weights took {seconds(partial['weights_s'])}"
        return text + _place(record)
    if status == CAP_HIT and record["case"] == "folium_markers":
        return (
            f"cap hit: ≥ {megabytes(record['raw_bytes'])} raw, ≥ {megabytes(record['gzip_bytes'])}"
            f" gz at {record['markers']:,} markers; {record['raw_bytes_per_marker']:,.0f} B each,"
            f" ~{megabytes(record['raw_bytes_all_estimate'])} raw for all"
        )
    text = _figure(record)
    return f"{text} [{record.get('note', 'cap hit')}]" if status == CAP_HIT else text


def _place(record: dict[str, Any]) -> str:
    """Where a killed case was in the product's code, when it was sampled there."""
    where = record.get("where") or {}
    return f", in {where['now']}" if where.get("now") else ""


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def table(
    results: Results,
    sizes: Sequence[int],
    cell: Callable[[dict[str, Any] | None], str] = headline,
    cases: Sequence[str] = CASE_ORDER,
) -> str:
    """A markdown table: one row per case, one column per size."""
    lines = [
        _row(["case", "kind", *(f"{n:,}" for n in sizes)]),
        _row(["---"] * (len(sizes) + 2)),
    ]
    for name in cases:
        records = [results.get((name, n)) for n in sizes]
        kind = next((r.get("kind") for r in records if r and r.get("kind")), "")
        lines.append(_row([name, kind, *(cell(r) for r in records)]))
    return "\n".join(lines)


def memory_cell(record: dict[str, Any] | None) -> str:
    """Peak resident memory of the case's process."""
    if record is None:
        return "not run"
    if record.get("status") == MEMORY_CAP_HIT:
        return f"> {record['memory_cap_mb'] / 1000:g} GB (killed)"
    peak = record.get("peak_rss_mb") or record.get("observed_peak_rss_mb")
    return "n/a" if not peak else f"{peak:,.0f} MB"


@dataclass(frozen=True)
class Target:
    """One target checked at the largest size: what was measured and whether it is met."""

    target: str
    measured: str
    against: str
    met: bool | None

    @property
    def verdict(self) -> str:
        return {True: "yes", False: "**no**", None: "unknown"}[self.met]


def _ok(record: dict[str, Any] | None, key: str) -> float | None:
    """``record[key]`` when the case measured it (a partial cap-hit run counts)."""
    if record is None or record.get(key) is None or record.get("status") not in (OK, CAP_HIT):
        return None
    return float(record[key])


def _check(
    label: str,
    record: dict[str, Any] | None,
    key: str,
    limit: float,
    *,
    fmt: Callable[[float], str] = seconds,
    at_least: bool = False,
    base: float | None = None,
    base_name: str = "",
    base_fmt: Callable[[float], str] = seconds,
) -> Target:
    """``record[key]`` against ``limit``, or its ratio to ``base`` when ``base_name`` is given.

    A product case that gave no figure (killed at a cap, crashed) misses its target: the
    caps are far above every target.
    """
    if record is None:
        return Target(label, "not run", "", None)
    value = _ok(record, key)
    if value is None:
        return Target(label, headline(record), "", False)
    if base_name:
        if not base:
            return Target(label, fmt(value), f"{base_name}: n/a", None)
        ratio = value / base
        return Target(
            label, fmt(value), f"{ratio:,.1f}x {base_name} ({base_fmt(base)})", ratio <= limit
        )
    return Target(label, fmt(value), "", value >= limit if at_least else value <= limit)


def targets(results: Results, sizes: Sequence[int]) -> list[Target]:
    """Every target of issue #6, checked at the largest of ``sizes``."""
    n, smallest = max(sizes), min(sizes)
    spots, load = results.get(("hot_spots", n)), results.get(("csv_load_validate", n))
    numpy_s = _ok(results.get(("numpy_pass", n)), "seconds")
    arrow_s = _ok(results.get(("pyarrow_csv_read", n)), "seconds")
    payload = results.get(("map_payload", n))
    function = f" ({payload['function']})" if payload and payload.get("function") else ""
    found = [
        _check(f"hot_spots ≤ {HOT_SPOTS_MAX_S:g} s", spots, "seconds", HOT_SPOTS_MAX_S),
        _check(
            f"hot_spots ≤ {HOT_SPOTS_MAX_VS_NUMPY:g}x numpy_pass",
            spots,
            "seconds",
            HOT_SPOTS_MAX_VS_NUMPY,
            base=numpy_s,
            base_name="numpy_pass",
        ),
        _check(
            f"csv_load_validate ≥ {CSV_MIN_ROWS_PER_S:,.0f} rows/s",
            load,
            "rows_per_s",
            CSV_MIN_ROWS_PER_S,
            fmt=lambda v: f"{v:,.0f} rows/s",
            at_least=True,
        ),
        _csv_vs_pyarrow(load, arrow_s),
        _check(
            f"filter_rerun p50 ≤ {FILTER_RERUN_MAX_P50_S * 1000:g} ms",
            results.get(("filter_rerun", n)),
            "p50_s",
            FILTER_RERUN_MAX_P50_S,
        ),
        _check(
            f"map_payload ≤ {PAYLOAD_MAX_GZIP_BYTES / 1e6:g} MB gzipped",
            payload,
            "gzip_bytes",
            PAYLOAD_MAX_GZIP_BYTES,
            fmt=lambda v: megabytes(v) + function,
        ),
        _check(
            f"map_payload flat in N (gz at {n:,} / gz at {smallest:,} ≤ {PAYLOAD_MAX_GROWTH:g})",
            payload,
            "gzip_bytes",
            PAYLOAD_MAX_GROWTH,
            fmt=megabytes,
            base=_ok(results.get(("map_payload", smallest)), "gzip_bytes"),
            base_name=f"gz at {smallest:,}",
            base_fmt=megabytes,
        ),
    ]
    found.extend(_memory(results.get((name, n)), name) for name in PRODUCT_CASES)
    return found


def _csv_vs_pyarrow(load: dict[str, Any] | None, arrow_s: float | None) -> Target:
    """The import against the bare pyarrow read timed alongside it (alternating, in its own
    process, so both meet the machine in the same state); the ratio to the
    ``pyarrow_csv_read`` case, run a minute apart, is shown beside it."""
    found = _check(
        f"csv_load_validate ≤ {CSV_MAX_VS_PYARROW:g}x pyarrow read alongside",
        load,
        "seconds",
        CSV_MAX_VS_PYARROW,
        base=_ok(load, "pyarrow_alongside_s"),
        base_name="pyarrow read alongside",
    )
    value = _ok(load, "seconds")
    if value is not None and arrow_s:
        case_ratio = f"{value / arrow_s:,.1f}x pyarrow_csv_read ({seconds(arrow_s)})"
        found = replace(found, against=f"{found.against}; {case_ratio}")
    return found


def _memory(record: dict[str, Any] | None, name: str) -> Target:
    label = f"{name} peak memory ≤ {PEAK_MEMORY_MAX_MB / 1000:g} GB"
    if record is None:
        return Target(label, "not run", "", None)
    status = record.get("status")
    if status == MEMORY_CAP_HIT:
        return Target(label, memory_cell(record), "", False)
    peak = record.get("peak_rss_mb")
    if peak is not None:
        return Target(label, f"{peak:,.0f} MB", "", peak <= PEAK_MEMORY_MAX_MB)
    # Killed at the time cap: only what the runner saw before the kill is known.
    seen = record.get("observed_peak_rss_mb") or 0.0
    over = seen > PEAK_MEMORY_MAX_MB
    return Target(label, f"≥ {seen:,.0f} MB when stopped ({status})", "", False if over else None)


def targets_table(found: Sequence[Target], size: int) -> str:
    lines = [
        _row([f"target (at {size:,})", "measured", "ratio / baseline", "met"]),
        _row(["---"] * 4),
    ]
    lines.extend(_row([t.target, t.measured, t.against, t.verdict]) for t in found)
    return "\n".join(lines)


def as_json(found: Sequence[Target]) -> list[dict[str, Any]]:
    return [asdict(t) for t in found]
