"""``pocmap hotspots`` and ``pocmap analyse``: the joint analysis from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Only the choices at import time: the analysis packages load geopandas, so each command
# imports them when it runs (`pocmap --help` stays light: tests/cli/test_light_cli.py).
from cli.choices import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    INCIDENT_TYPES,
    INFERENCES,
    MOTIVATIONS,
    PERPETRATOR_TYPES,
    SHAPES,
    STEPS,
    VICTIM_GROUPS,
)

if TYPE_CHECKING:
    import geopandas as gpd

    from analysis.cells import Shape
    from analysis.joint import Options
    from schema.filters import IncidentFilter
    from schema.mission import MissionData

OK, NOTHING, USAGE = 0, 1, 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``hotspots`` and ``analyse`` on the ``pocmap`` parser."""
    spots = commands.add_parser(
        "hotspots",
        help="Gi* hot spots of the selected incidents, written as GeoJSON cells",
        description="Count the selected incidents in cells, run Getis-Ord Gi* with FDR "
        "correction, and write every cell (z-score, p-value, confidence bin, cluster) as "
        "GeoJSON in WGS84.",
    )
    add_filters(spots)
    _add_grid(spots)
    spots.add_argument("--out", required=True, help="the GeoJSON file to write")
    spots.set_defaults(run=run_hotspots)

    whole = commands.add_parser(
        "analyse",
        help="the whole joint analysis of the selected incidents",
        description="Hot spots, emerging hot spots, motivation profiles, protection gaps, "
        "agreement watch, escalation around milestones, state and allied forces among the "
        "perpetrators and field office linkage, as a summary or as JSON.",
    )
    add_filters(whole)
    _add_grid(whole)
    whole.add_argument("--step", default="Q", choices=STEPS, help="time slice")
    whole.add_argument("--gap-km", type=float, default=25.0, help="protection-gap distance")
    whole.add_argument("--window-days", type=int, default=60, help="escalation window")
    whole.add_argument("--json", action="store_true", help="print every table as JSON")
    whole.set_defaults(run=run_analyse)


def _codes(allowed: tuple[str, ...]):
    def parse(text: str) -> list[str]:
        values = [v.strip() for v in text.split(",") if v.strip()]
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise argparse.ArgumentTypeError(
                f"{', '.join(wrong)} is not one of {', '.join(allowed)}"
            )
        return values

    return parse


def _names(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def add_filters(command: argparse.ArgumentParser) -> None:
    """The data and filter options every analysing command takes (``--from``, ``--office``,
    ...); :func:`selection_of` reads them back."""
    where = command.add_argument_group("which data")
    where.add_argument("--data", help="a folder of layer files instead of the store")
    chosen = command.add_argument_group("filters (a comma-separated list keeps any of them)")
    chosen.add_argument("--from", dest="start", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    chosen.add_argument("--to", dest="end", type=dt.date.fromisoformat, metavar="YYYY-MM-DD")
    for flag, codes in (
        ("--motivation", MOTIVATIONS),
        ("--perpetrator", PERPETRATOR_TYPES),
        ("--incident-type", INCIDENT_TYPES),
        ("--victim-group", VICTIM_GROUPS),
    ):
        chosen.add_argument(flag, type=_codes(codes), default=[], help=", ".join(codes))
    for flag in ("--office", "--admin1", "--admin2"):
        chosen.add_argument(flag, type=_names, default=[], help="names, comma-separated")


def _add_grid(command: argparse.ArgumentParser) -> None:
    grid = command.add_argument_group("cells")
    grid.add_argument("--shape", default="hexagon", choices=SHAPES)
    grid.add_argument("--cell-km", type=float, help="cell width (default: from the data, see docs)")
    grid.add_argument("--weight", default="incidents", choices=("incidents", "fatalities"))
    grid.add_argument("--no-fdr", action="store_true", help="no false-discovery-rate correction")
    grid.add_argument(
        "--inference",
        default="analytic",
        choices=INFERENCES,
        help="Gi* p-values: analytic z-scores, or conditional permutations (small counts)",
    )
    grid.add_argument(
        "--permutations",
        type=int,
        default=DEFAULT_PERMUTATIONS,
        help="with --inference permutation (>= 99)",
    )
    grid.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help="the permutations' seed (same seed, same result)",
    )


def selection_of(args: argparse.Namespace) -> IncidentFilter:
    """The filter value the options of :func:`add_filters` ask for."""
    from schema.filters import IncidentFilter

    return IncidentFilter(
        start=args.start,
        end=args.end,
        motivations=frozenset(args.motivation),
        perpetrator_types=frozenset(args.perpetrator),
        incident_types=frozenset(args.incident_type),
        victim_groups=frozenset(args.victim_group),
        field_offices=frozenset(args.office),
        admin1=frozenset(args.admin1),
        admin2=frozenset(args.admin2),
    )


def _options(args: argparse.Namespace) -> Options:
    from analysis.joint import Options

    return Options(
        shape=args.shape,
        width_km=args.cell_km,
        weight=args.weight,
        fdr=not args.no_fdr,
        step=getattr(args, "step", "Q"),
        gap_km=getattr(args, "gap_km", 25.0),
        window_days=getattr(args, "window_days", 60),
        inference=args.inference,
        permutations=args.permutations,
        seed=args.seed,
    )


def _data(args: argparse.Namespace) -> MissionData | None:
    from schema.mission import SAMPLE_DIR, SAMPLE_LABEL, from_layers, load_folder

    if args.data:
        folder = Path(args.data).resolve()
        return load_folder(folder, SAMPLE_LABEL if folder == SAMPLE_DIR.resolve() else folder.name)
    from cli.session import cli_session

    store = cli_session()
    if store.is_empty():
        print(
            f"pocmap: the store {store.location} is empty; import data with `pocmap import` "
            "or load the sample with `pocmap load-sample`",
            file=sys.stderr,
        )
        return None
    return from_layers(store.layer, "Mission store")


def checked(args: argparse.Namespace, command: str) -> MissionData | int:
    """The data to analyse, or the exit code when there is none or the dates are crossed."""
    if args.start and args.end and args.end < args.start:
        print(f"pocmap {command}: --to {args.end} is before --from {args.start}", file=sys.stderr)
        return USAGE
    data = _data(args)
    return NOTHING if data is None else data


def run_hotspots(args: argparse.Namespace) -> int:
    from analysis.filters import filter_incidents
    from analysis.hotspots import hot_spots, hot_spots_of
    from analysis.metric import WGS84

    options = _options(args)
    width_m = None if options.width_km is None else options.width_km * 1000
    counted = None if args.data else _counted_in_sql(args, options.shape, width_m)
    if isinstance(counted, int):
        return counted
    if counted is not None:
        counts, n = counted
        spots = hot_spots_of(counts, **_inference(options))
    else:
        data = checked(args, "hotspots")
        if isinstance(data, int):
            return data
        chosen = filter_incidents(data.incidents, selection_of(args))
        n = len(chosen)
        spots = hot_spots(
            chosen,
            data.admin_boundaries if len(data.admin_boundaries) else None,
            shape=options.shape,
            width_m=width_m,
            **_inference(options),
        )
    cells = spots.cells.to_crs(WGS84)
    out = Path(args.out)
    out.write_text(cells.to_json(drop_id=True), encoding="utf-8")
    hot = int((cells["bin"] > 0).sum())
    print(
        f"{n:,} incidents; {len(cells):,} cells, {hot:,} hot in {spots.clusters:,} clusters, "
        f"{spots.near:,} near a hot spot (no incident of their own); wrote {out}"
    )
    for note in spots.notes:
        print(f"note: {note}")
    print(spots.caption)
    return OK


def _inference(options: Options) -> dict:
    """The hot-spot keywords of ``options`` (weight, FDR and inference)."""
    return {
        "weight": options.weight,
        "fdr": options.fdr,
        "inference": options.inference,
        "permutations": options.permutations,
        "seed": options.seed,
    }


def _counted_in_sql(args: argparse.Namespace, shape: Shape, width_m: float | None):
    """With a PostGIS store and a mission area: the cells tallied by the database (a few
    thousand totals instead of every incident), as ``(CellCounts, incidents)``; ``None``
    to count in memory instead; an exit code when there is nothing to count."""
    import geopandas as gpd
    from shapely import box

    from analysis.cells import count_totals
    from analysis.metric import WGS84, mission_crs

    if args.start and args.end and args.end < args.start:
        print(f"pocmap hotspots: --to {args.end} is before --from {args.start}", file=sys.stderr)
        return USAGE
    from cli.session import cli_session

    session = cli_session()
    if not session.counts_in_sql():
        return None
    area = session.layer("admin_boundaries")
    if not len(area):
        return None
    selection = selection_of(args)
    extent, n = session.incident_extent(selection)
    frames = [area] if extent is None else [area, gpd.GeoSeries([box(*extent)], crs=WGS84)]
    crs = mission_crs(*frames)
    width_m = width_m or _width(session, selection, area, crs, shape)
    counts = count_totals(
        session.cell_totals(selection, crs=crs, shape=shape, width_m=width_m),
        area,
        crs=crs,
        shape=shape,
        width_m=width_m,
    )
    return counts, n


FINE_M = 500.0
"""The database's places: the occupied cells of this width (the in-memory path snaps
coordinates to 10 m, but 500 m cells keep the tally small at a million incidents)."""


def _width(session, selection, area: gpd.GeoDataFrame, crs, shape: Shape) -> float:
    """The default width of :mod:`analysis.scale` with the database counting: the places
    are the occupied :data:`FINE_M` cells (their centres), tallied by PostGIS."""
    from analysis.cells import Grid
    from analysis.scale import choose_width

    bounds = tuple(area.to_crs(crs).total_bounds)
    fine = session.cell_totals(selection, crs=crs, shape=shape, width_m=FINE_M)
    x, y = Grid(shape, FINE_M, crs).centres(fine["q"].to_numpy(), fine["r"].to_numpy())
    return choose_width(x, y, bounds).width_m


def run_analyse(args: argparse.Namespace) -> int:
    from analysis.joint import analyse

    data = checked(args, "analyse")
    if isinstance(data, int):
        return data
    result = analyse(data, selection_of(args), _options(args))
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return OK
    print(f"{result.incidents:,} incidents, {result.start} to {result.end}")
    for note in result.notes:
        print(f"note: {note}")
    for name, (table, caption) in result.tables().items():
        print(f"\n## {name.replace('_', ' ')} ({len(table):,} rows)\n{caption}")
        if name == "hot_spot_cells":
            table = table[(table["bin"] != 0) | table["near"]].sort_values("z", ascending=False)
        if len(table):
            print(table.head(10).to_string(index=False, max_colwidth=40))
    return OK
