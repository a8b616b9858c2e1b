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
    CONFIDENCES,
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    INCIDENT_TYPES,
    INFERENCES,
    MOTIVATION_ORIGINS,
    MOTIVATIONS,
    PERPETRATOR_TYPES,
    SHAPES,
    STEPS,
    VICTIM_GROUPS,
)
from languages import N_, _, format_number, ngettext

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
        help=_("Gi* hot spots of the selected incidents, written as GeoJSON cells"),
        description=_(
            "Count the selected incidents in cells, run Getis-Ord Gi* with FDR "
            "correction, and write every cell (z-score, p-value, confidence bin, cluster) as "
            "GeoJSON in WGS84."
        ),
    )
    add_filters(spots)
    _add_grid(spots)
    spots.add_argument(
        "--out", required=True, metavar=_("FILE"), help=_("the GeoJSON file to write")
    )
    spots.set_defaults(run=run_hotspots)

    whole = commands.add_parser(
        "analyse",
        help=_("the whole joint analysis of the selected incidents"),
        description=_(
            "Hot spots, emerging hot spots, motivation profiles, protection gaps, "
            "agreement watch, escalation around milestones, state and allied forces among the "
            "perpetrators and field office linkage, as a summary or as JSON."
        ),
    )
    add_filters(whole)
    _add_grid(whole)
    whole.add_argument(
        "--step",
        default="Q",
        choices=STEPS,
        help=_("time slice: M month, Q quarter, Y year"),
    )
    whole.add_argument(
        "--gap-km", type=float, default=25.0, metavar="KM", help=_("protection-gap distance")
    )
    whole.add_argument(
        "--window-days",
        type=int,
        default=60,
        metavar=_("DAYS"),
        help=_("escalation window, in days"),
    )
    whole.add_argument("--json", action="store_true", help=_("print every table as JSON"))
    whole.set_defaults(run=run_analyse)


def _codes(allowed: tuple[str, ...]):
    def parse(text: str) -> list[str]:
        values = [v.strip() for v in text.split(",") if v.strip()]
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise argparse.ArgumentTypeError(
                _(
                    "{values} is not one of {allowed}",
                    values=", ".join(wrong),
                    allowed=", ".join(allowed),
                )
            )
        return values

    return parse


def _names(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def add_filters(command: argparse.ArgumentParser) -> None:
    """The data and filter options every analysing command takes (``--from``, ``--office``,
    ...); :func:`selection_of` reads them back."""
    where = command.add_argument_group(_("which data"))
    where.add_argument(
        "--data", metavar=_("FOLDER"), help=_("a folder of layer files instead of the store")
    )
    chosen = command.add_argument_group(_("filters (a comma-separated list keeps any of them)"))
    chosen.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        metavar=_("YYYY-MM-DD"),
        help=_("the first day of the period"),
    )
    chosen.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        metavar=_("YYYY-MM-DD"),
        help=_("the last day of the period"),
    )
    for flag, codes in (
        ("--motivation", MOTIVATIONS),
        ("--perpetrator", PERPETRATOR_TYPES),
        ("--incident-type", INCIDENT_TYPES),
        ("--victim-group", VICTIM_GROUPS),
    ):
        chosen.add_argument(
            flag, type=_codes(codes), default=[], metavar=_("CODES"), help=", ".join(codes)
        )
    # How firm the coding is and who coded it: `--confidence confirmed,probable` keeps the
    # codes someone vouched for (an incident with no confidence recorded is left out).
    chosen.add_argument(
        "--confidence",
        type=_codes(CONFIDENCES),
        default=[],
        metavar=_("CODES"),
        help=_(
            "{codes}; an incident with no confidence recorded (not yet assessed) is left out",
            codes=", ".join(CONFIDENCES),
        ),
    )
    chosen.add_argument(
        "--coded-by",
        dest="coded_by",
        type=_codes(MOTIVATION_ORIGINS),
        default=[],
        metavar=_("CODES"),
        help=_(
            "who coded the motivation: {codes} (source: as the file sent it; suggestion: an "
            "analyst accepted pocmap's suggestion)",
            codes=", ".join(MOTIVATION_ORIGINS),
        ),
    )
    for flag in ("--office", "--admin1", "--admin2"):
        chosen.add_argument(
            flag,
            type=_names,
            default=[],
            metavar=_("NAMES"),
            help=_("names, comma-separated"),
        )


def _iso_date(text: str) -> dt.date:
    """``--from``/``--to``: a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a date written YYYY-MM-DD (e.g. 2025-10-03)", value=repr(text))
        ) from None


def _add_grid(command: argparse.ArgumentParser) -> None:
    grid = command.add_argument_group(_("cells"))
    grid.add_argument("--shape", default="hexagon", choices=SHAPES, help=_("cell shape"))
    grid.add_argument(
        "--cell-km",
        type=float,
        metavar="KM",
        help=_("cell width (default: from the data, see docs)"),
    )
    grid.add_argument(
        "--weight",
        default="incidents",
        choices=("incidents", "fatalities"),
        help=_("what each incident weighs: one, or its fatalities"),
    )
    grid.add_argument("--no-fdr", action="store_true", help=_("no false-discovery-rate correction"))
    grid.add_argument(
        "--inference",
        default="analytic",
        choices=INFERENCES,
        help=_("Gi* p-values: analytic z-scores, or conditional permutations (small counts)"),
    )
    grid.add_argument(
        "--permutations",
        type=int,
        default=DEFAULT_PERMUTATIONS,
        metavar="N",
        help=_("with --inference permutation (>= 99)"),
    )
    grid.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help=_("the permutations' seed (same seed, same result)"),
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
        confidences=frozenset(getattr(args, "confidence", ())),
        motivation_origins=frozenset(getattr(args, "coded_by", ())),
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
            _(
                "pocmap: the store {location} is empty; import data with `pocmap import` "
                "or load the sample with `pocmap load-sample`",
                location=store.location,
            ),
            file=sys.stderr,
        )
        return None
    return from_layers(store.layer, _("Mission store"))


def checked(args: argparse.Namespace, command: str) -> MissionData | int:
    """The data to analyse, or the exit code when there is none or the dates are crossed."""
    if args.start and args.end and args.end < args.start:
        print(_crossed(command, args), file=sys.stderr)
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
        _(
            "{incidents}; {cells}, {hot} hot in {clusters}, {near} near a hot spot (no incident "
            "of their own); wrote {file}",
            incidents=ngettext("{n} incident", "{n} incidents", n),
            cells=ngettext("{n} cell", "{n} cells", len(cells)),
            hot=format_number(hot),
            clusters=ngettext("{n} cluster", "{n} clusters", spots.clusters),
            near=format_number(spots.near),
            file=out,
        )
    )
    for note in spots.notes:
        print(_("note: {note}", note=note))
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
        print(_crossed("hotspots", args), file=sys.stderr)
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


def _crossed(command: str, args: argparse.Namespace) -> str:
    return _(
        "pocmap {command}: --to {end} is before --from {start}",
        command=command,
        end=args.end,
        start=args.start,
    )


TABLES = {
    "hot_spot_cells": N_("hot spot cells"),
    "hot_spots_by_cell_width": N_("hot spots by cell width"),
    "emerging_hot_spots": N_("emerging hot spots"),
    "drivers_by_hot_spot": N_("drivers by hot spot"),
    "drivers_by_admin1": N_("drivers by admin1 area"),
    "protection_gaps": N_("protection gaps"),
    "political_work_without_protection_picture": N_("political work without a protection picture"),
    "agreement_watch": N_("agreement watch"),
    "possible_violations": N_("possible violations"),
    "escalation_around_milestones": N_("escalation around milestones"),
    "state_forces_friction": N_("state forces friction"),
    "field_office_linkage": N_("field office linkage"),
}
"""The analysis' tables as headings people read (``--json`` keeps the names)."""


def _written_number(value: float) -> str:
    """A table's number as the language writes it (``0,82`` in French); a very small one
    (a p-value) in scientific notation with the language's decimal mark."""
    if value != 0 and abs(value) < 1e-3:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{format_number(float(mantissa), digits=2)}e{exponent}"
    return format_number(value)  # up to 3 decimals, none for a whole number


def run_analyse(args: argparse.Namespace) -> int:
    from analysis.columns import shown
    from analysis.joint import analyse

    data = checked(args, "analyse")
    if isinstance(data, int):
        return data
    result = analyse(data, selection_of(args), _options(args))
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return OK
    print(
        ngettext(
            "{n} incident, {start} to {end}",
            "{n} incidents, {start} to {end}",
            result.incidents,
            start=result.start,
            end=result.end,
        )
    )
    for note in result.notes:
        print(_("note: {note}", note=note))
    for name, (table, caption) in result.tables().items():
        title = _(TABLES[name]) if name in TABLES else name.replace("_", " ")
        rows = ngettext("{n} row", "{n} rows", len(table))
        print(f"\n## {title} ({rows})\n{caption}")
        if name == "hot_spot_cells":
            table = table[(table["bin"] != 0) | table["near"]].sort_values("z", ascending=False)
        if len(table):
            # Rows picked on the ids above; shown with labels and headers in the language.
            frame = shown(table.head(10))
            for column in frame.select_dtypes(include="bool").columns:
                frame[column] = frame[column].map({True: _("yes"), False: _("no")})
            print(
                frame.to_string(
                    index=False, max_colwidth=40, float_format=_written_number, na_rep=""
                )
            )
    return OK
