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
from languages import N_, Labels, _, format_number, ngettext

if TYPE_CHECKING:
    from briefing.disclosure import Disclosure
    from briefing.selection import Prepared

_FLAGS = {
    "`level`": "--level",
    "`cell_km`": "--cell-km",
    "`precision_km`": "--precision-km",
    "`shape`": "--shape",
}
_FORMAT_NAMES = Labels(
    {
        "gpkg": N_("GeoPackage"),
        "geojson": N_("GeoJSON"),
        "csv": N_("CSV"),
        "html": N_("HTML map"),
        "png": N_("briefing PNG"),
        "pdf": N_("briefing PDF"),
    }
)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``briefing`` and ``export`` on the ``pocmap`` parser."""
    brief = commands.add_parser(
        "briefing",
        help=_("a one-page briefing of the selection, as PNG (slides) or A4 PDF"),
        description=_(
            "Draw the selection on one page, offline: the map with its legend, "
            "scale bar and north arrow, the period and filters, key figures, sources and the "
            "classification marking at top and bottom. The file's extension (.png or .pdf) "
            "chooses the format."
        ),
    )
    brief.add_argument("--out", required=True, metavar=_("FILE"), help=_("brief.png or brief.pdf"))
    brief.add_argument(
        "--title",
        metavar=_("TITLE"),
        help=_("the page's title (default: {title})", title=_(DEFAULT_TITLE)),
    )
    brief.add_argument(
        "--marking",
        metavar=_("MARKING"),
        help=_("classification marking (default: POCMAP_MARKING, else UN CONFIDENTIAL)"),
    )
    brief.add_argument(
        "--tiles",
        action="store_true",
        help=_("draw tiles from POCMAP_TILE_URL under the map if the server answers"),
    )
    add_filters(brief)
    add_disclosure_arguments(brief)
    brief.set_defaults(run=run_briefing)

    command = commands.add_parser(
        "export",
        help=_("write the selected incidents and the political layers to a file"),
        description=_(
            "Write the selection as a GeoPackage (every layer and an 'about' table), "
            "GeoJSON or CSV (the incidents), or one standalone HTML map that opens with no "
            "network. Incidents appear only as --level allows; narratives, names, ids and "
            "batch or row numbers never do."
        ),
    )
    command.add_argument("--format", required=True, choices=FORMATS, help=_("the file's format"))
    command.add_argument(
        "--out",
        required=True,
        metavar=_("FILE"),
        help=_("the file to write (replaced if it exists)"),
    )
    add_filters(command)
    add_disclosure_arguments(command)
    command.set_defaults(run=run_export)


def add_disclosure_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--level``, ``--cell-km``, ``--precision-km`` and ``--shape`` to ``parser``."""
    shown = parser.add_argument_group(_("what the incidents may show"))
    shown.add_argument(
        "--level",
        choices=LEVELS,
        default=DEFAULT_LEVEL,
        help=_(
            "points: moved to a grid (internal); cells: counts per cell (internal); "
            "shareable: cells of 5 km or more, none under 5 incidents (default: {level})",
            level=DEFAULT_LEVEL,
        ),
    )
    shown.add_argument(
        "--cell-km",
        type=float,
        metavar="KM",
        help=_("cell width (default: the analysis' own, 5 km or more)"),
    )
    shown.add_argument(
        "--precision-km",
        type=float,
        default=MIN_PRECISION_KM,
        metavar="KM",
        help=_(
            "points: side of the square each is moved into (at least {km})",
            km=format_number(MIN_PRECISION_KM),
        ),
    )
    shown.add_argument("--shape", default="hexagon", choices=SHAPES, help=_("cell shape"))


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
            _(
                "pocmap briefing: --out {file} ends in {suffix}; write brief.png or brief.pdf",
                file=repr(args.out),
                suffix=repr(out.suffix) if out.suffix else _("nothing"),
            ),
            file=sys.stderr,
        )
        return USAGE
    try:
        disclosure = disclosure_from(args)
        tiles = tile_server_from_env() if args.tiles else None
    except ValueError as error:
        print(_("pocmap briefing: {error}", error=error), file=sys.stderr)
        return USAGE
    if args.tiles and tiles is None:
        print(
            _("pocmap briefing: --tiles: POCMAP_TILE_URL is not set; drawing the offline basemap"),
            file=sys.stderr,
        )
    if not _folder_exists(out, "briefing"):
        return USAGE
    data = checked(args, "briefing")
    if isinstance(data, int):
        return data
    options = BriefingOptions(
        title=args.title or _(DEFAULT_TITLE),
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
        print(_("pocmap export: {error}", error=error), file=sys.stderr)
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
    print(
        _(
            "pocmap {command}: --out {file}: {folder} is not a folder",
            command=command,
            file=repr(str(out)),
            folder=out.parent,
        ),
        file=sys.stderr,
    )
    return False


def summary(prepared: Prepared, fmt: str, out: Path) -> str:
    """One line: what was written, and how many incidents were shown and suppressed."""
    disclosure, cells = prepared.disclosure, prepared.cells
    head = _(
        "wrote {file} ({format}, level {level}): {incidents}",
        file=out,
        format=_FORMAT_NAMES[fmt],
        level=disclosure.level,
        incidents=ngettext("{n} incident", "{n} incidents", prepared.incident_count),
    )
    if cells is None:
        return _(
            "{head} as points moved to {km} km squares",
            head=head,
            km=format_number(disclosure.precision_km),
        )
    shown = _(
        "{shown} in {cells} of {km} km",
        shown=format_number(cells.shown_incidents),
        cells=ngettext("{n} cell", "{n} cells", len(cells.cells)),
        km=format_number(cells.width_m / 1000),
    )
    if disclosure.min_count == 1:
        return _("{head}; {shown}, none suppressed", head=head, shown=shown)
    return _(
        "{head}; {shown} shown, {suppressed} suppressed (in {cells} under {minimum})",
        head=head,
        shown=shown,
        suppressed=format_number(cells.suppressed_incidents),
        cells=ngettext("{n} cell", "{n} cells", cells.suppressed_cells),
        minimum=ngettext("{n} incident", "{n} incidents", disclosure.min_count),
    )
