"""``pocmap briefing`` and ``pocmap export``: the selection as files that may leave the
analysis cell.

What a file shows of the incidents is set by ``--level`` (see
:mod:`briefing.disclosure`); the default, ``shareable``, is the one for anything that
travels.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.analysis import OK, USAGE, add_filters, checked, selection_of

# Only the choices at import time: briefing loads matplotlib and geopandas, so each
# command imports it when it runs (tests/cli/test_light_cli.py).
from cli.choices import (
    BRIEFING_FORMATS,
    DEFAULT_LEVEL,
    DEFAULT_TITLE,
    LEVELS,
    MIN_PRECISION_KM,
    SHAPES,
)
from cli.choices import EXPORT_FORMATS as FORMATS

if TYPE_CHECKING:
    from briefing.disclosure import Disclosure
    from briefing.selection import Prepared

_FLAGS = {
    "`level`": "--level",
    "`cell_km`": "--cell-km",
    "`precision_km`": "--precision-km",
    "`shape`": "--shape",
}
_FORMAT_NAMES = {
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON",
    "csv": "CSV",
    "html": "HTML map",
    "png": "briefing PNG",
    "pdf": "briefing PDF",
}


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``briefing`` and ``export`` on the ``pocmap`` parser."""
    brief = commands.add_parser(
        "briefing",
        help="a one-page briefing of the selection, as PNG (slides) or A4 PDF",
        description="Draw the selection on one page, offline: the map with its legend, "
        "scale bar and north arrow, the period and filters, key figures, sources and the "
        "classification marking at top and bottom. The file's extension (.png or .pdf) "
        "chooses the format.",
    )
    brief.add_argument("--out", required=True, help="brief.png or brief.pdf")
    brief.add_argument("--title", default=DEFAULT_TITLE, help="the page's title")
    brief.add_argument(
        "--marking",
        help="classification marking (default: POCMAP_MARKING, else UN CONFIDENTIAL)",
    )
    brief.add_argument(
        "--tiles",
        action="store_true",
        help="draw tiles from POCMAP_TILE_URL under the map if the server answers",
    )
    add_filters(brief)
    add_disclosure_arguments(brief)
    brief.set_defaults(run=run_briefing)

    command = commands.add_parser(
        "export",
        help="write the selected incidents and the political layers to a file",
        description="Write the selection as a GeoPackage (every layer and an 'about' table), "
        "GeoJSON or CSV (the incidents), or one standalone HTML map that opens with no "
        "network. Incidents appear only as --level allows; narratives, names, ids and "
        "batch or row numbers never do.",
    )
    command.add_argument("--format", required=True, choices=FORMATS, help="the file's format")
    command.add_argument("--out", required=True, help="the file to write (replaced if it exists)")
    add_filters(command)
    add_disclosure_arguments(command)
    command.set_defaults(run=run_export)


def add_disclosure_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--level``, ``--cell-km``, ``--precision-km`` and ``--shape`` to ``parser``."""
    shown = parser.add_argument_group("what the incidents may show")
    shown.add_argument(
        "--level",
        choices=LEVELS,
        default=DEFAULT_LEVEL,
        help="points: moved to a grid (internal); cells: counts per cell (internal); "
        f"shareable: cells of 5 km or more, none under 5 incidents (default: {DEFAULT_LEVEL})",
    )
    shown.add_argument(
        "--cell-km", type=float, help="cell width (default: the analysis' own, 5 km or more)"
    )
    shown.add_argument(
        "--precision-km",
        type=float,
        default=MIN_PRECISION_KM,
        help=f"points: side of the square each is moved into (at least {MIN_PRECISION_KM:g})",
    )
    shown.add_argument("--shape", default="hexagon", choices=SHAPES, help="cell shape")


def disclosure_from(args: argparse.Namespace) -> Disclosure:
    """The :class:`Disclosure` that :func:`add_disclosure_arguments`' flags ask for.

    Raises
    ------
    ValueError
        naming the flag and the value that cannot be used, and what would be accepted.
    """
    from briefing.disclosure import Disclosure

    try:
        return Disclosure(
            level=args.level,
            cell_km=args.cell_km,
            precision_km=args.precision_km,
            shape=args.shape,
        )
    except ValueError as error:
        message = str(error)
        for name, flag in _FLAGS.items():
            message = message.replace(name, flag)
        raise ValueError(message) from None


def run_briefing(args: argparse.Namespace) -> int:
    """``pocmap briefing``: 0 once the file is written, 2 on a usage error."""
    from briefing.figures import default_marking
    from briefing.render import BriefingOptions, render
    from briefing.selection import prepare
    from layers.joint_map import tile_server_from_env

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in BRIEFING_FORMATS:
        print(
            f"pocmap briefing: --out {args.out!r} ends in {out.suffix or 'nothing'!r}; "
            "write brief.png or brief.pdf",
            file=sys.stderr,
        )
        return USAGE
    try:
        disclosure = disclosure_from(args)
        tiles = tile_server_from_env() if args.tiles else None
    except ValueError as error:
        print(f"pocmap briefing: {error}", file=sys.stderr)
        return USAGE
    if args.tiles and tiles is None:
        print(
            "pocmap briefing: --tiles: POCMAP_TILE_URL is not set; drawing the offline basemap",
            file=sys.stderr,
        )
    if not _folder_exists(out, "briefing"):
        return USAGE
    data = checked(args, "briefing")
    if isinstance(data, int):
        return data
    options = BriefingOptions(
        title=args.title,
        marking=args.marking or default_marking(),
        disclosure=disclosure,
        tiles=tiles,
    )
    prepared = prepare(data, selection_of(args), disclosure)
    out.write_bytes(
        render(
            prepared,
            options,
            fmt,
            batches=None if args.data else _store_batches(),
            generated_at=dt.datetime.now(dt.UTC),
        )
    )
    _record(args, "briefing", fmt, out, disclosure.level)
    print(summary(prepared, fmt, out))
    return OK


def _store_batches() -> list:
    from cli.session import cli_session

    return cli_session().batches()


def _record(args: argparse.Namespace, kind: str, fmt: str, out: Path, level: str) -> None:
    """Audit a briefing or export made from the store (a folder of files has no log)."""
    if args.data:
        return
    from cli.session import cli_session

    details = {"format": fmt, "level": level, "file": out.name}
    cli_session().record_output(kind, details)


def run_export(args: argparse.Namespace) -> int:
    """``pocmap export``: 0 once the file is written, 2 on a usage error."""
    from briefing.exports import export
    from briefing.selection import prepare

    try:
        disclosure = disclosure_from(args)
    except ValueError as error:
        print(f"pocmap export: {error}", file=sys.stderr)
        return USAGE
    out = Path(args.out)
    if not _folder_exists(out, "export"):
        return USAGE
    data = checked(args, "export")
    if isinstance(data, int):
        return data
    prepared = prepare(data, selection_of(args), disclosure)
    export(prepared, args.format, out)
    _record(args, "export", args.format, out, disclosure.level)
    print(summary(prepared, args.format, out))
    return OK


def _folder_exists(out: Path, command: str) -> bool:
    """Whether ``--out``'s folder exists (else say so: nothing is created unasked)."""
    if out.parent.is_dir():
        return True
    print(f"pocmap {command}: --out {str(out)!r}: {out.parent} is not a folder", file=sys.stderr)
    return False


def summary(prepared: Prepared, fmt: str, out: Path) -> str:
    """One line: what was written, and how many incidents were shown and suppressed."""
    disclosure, cells = prepared.disclosure, prepared.cells
    head = f"wrote {out} ({_FORMAT_NAMES[fmt]}, level {disclosure.level}): "
    head += f"{prepared.incident_count:,} incidents"
    if cells is None:
        return f"{head} as points moved to {disclosure.precision_km:g} km squares"
    shown = f"{cells.shown_incidents:,} in {len(cells.cells):,} cells of "
    shown += f"{cells.width_m / 1000:g} km"
    if disclosure.min_count == 1:
        return f"{head}; {shown}, none suppressed"
    return (
        f"{head}; {shown} shown, {cells.suppressed_incidents:,} suppressed "
        f"(in {cells.suppressed_cells:,} cells under {disclosure.min_count} incidents)"
    )
