"""The leadership briefing: one page with the map, its legend, key figures and sources.

Rendered on the server with matplotlib (folium cannot make an image, and field
connectivity is poor): a PNG for slides (1920 x 1200 px) and an A4-landscape PDF whose
text stays text. No narrative, name, id or exact victim location is drawn; what the
incidents show is the :class:`~briefing.disclosure.Disclosure`'s choice.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import matplotlib
from matplotlib.figure import Figure

from analysis.joint import Options
from briefing import fit
from briefing.cartography import LegendEntry, draw_map
from briefing.disclosure import Disclosure
from briefing.figures import (
    DEFAULT_MARKING,
    day,
    default_marking,
    filter_items,
    key_figures,
    no_filter_text,
    period_text,
    semicolon,
    source_lists,
)
from briefing.selection import Prepared, prepare
from languages import N_, _, format_number, ngettext
from layers.joint_map import TileServer
from schema.filters import IncidentFilter
from schema.mission import MissionData

DEFAULT_TITLE = N_("Protection of civilians and political processes")
"""The title when none is given, in English: drawn in the language of the page."""
MARKING_COLOUR = "#B2182B"

PNG_SIZE_IN = (16.0, 10.0)
PNG_DPI = 120
A4_LANDSCAPE_IN = (11.69, 8.27)
FORMATS = ("png", "pdf")


@dataclass(frozen=True)
class BriefingOptions:
    """What the person asking for the briefing chose."""

    title: str = DEFAULT_TITLE
    marking: str = field(default_factory=default_marking)
    disclosure: Disclosure = field(default_factory=Disclosure)
    tiles: TileServer | None = None
    """A tile server to draw under the map when it answers; never required."""
    analysis: Options = field(default_factory=Options)
    """The joint analysis' options the key figures come from (the page's)."""


@dataclass(frozen=True)
class Briefing:
    """A rendered briefing: both files, and what they were made from."""

    png: bytes
    pdf: bytes
    prepared: Prepared
    options: BriefingOptions
    generated_at: dt.datetime


def make_briefing(
    data: MissionData,
    selection: IncidentFilter | None = None,
    options: BriefingOptions | None = None,
    *,
    batches: Iterable | None = None,
    generated_at: dt.datetime | None = None,
) -> Briefing:
    """The PNG and the PDF of the briefing on ``selection`` of ``data``.

    Parameters
    ----------
    batches : the store's batches, to name those the incidents came from.
    generated_at : the time printed on the page (default: now, UTC).
    """
    options = options or BriefingOptions()
    when = generated_at or dt.datetime.now(dt.UTC)
    prepared = prepare(data, selection, options.disclosure, options.analysis)
    batches = list(batches) if batches is not None else None
    files = {
        fmt: render(prepared, options, fmt, batches=batches, generated_at=when) for fmt in FORMATS
    }
    return Briefing(files["png"], files["pdf"], prepared, options, when)


def render(
    prepared: Prepared,
    options: BriefingOptions,
    fmt: str,
    *,
    batches: list | None = None,
    generated_at: dt.datetime,
) -> bytes:
    """One briefing file, ``png`` or ``pdf``, of an already prepared selection."""
    figure = page(prepared, options, batches=batches, generated_at=generated_at, fmt=fmt)
    buffer = io.BytesIO()
    # TrueType fonts in the PDF: its text can be searched, copied and read by tools.
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        figure.savefig(
            buffer, format=fmt, dpi=PNG_DPI if fmt == "png" else 200, metadata=_metadata(fmt)
        )
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, str | None]:
    # No producer, creator or dates of the machine: only what the page itself says.
    if fmt == "pdf":
        return {"Creator": "pocmap", "Producer": None, "CreationDate": None}
    return {"Software": "pocmap"}


def page(
    prepared: Prepared,
    options: BriefingOptions,
    *,
    batches: list | None,
    generated_at: dt.datetime,
    fmt: str = "png",
) -> Figure:
    """The briefing page as a matplotlib figure (16 x 10 in for PNG, A4 for PDF)."""
    if fmt not in FORMATS:
        raise ValueError(
            _(
                "`fmt` was {value} but is expected to be in {allowed}",
                value=repr(fmt),
                allowed=repr(FORMATS),
            )
        )
    size = PNG_SIZE_IN if fmt == "png" else A4_LANDSCAPE_IN
    scale = size[0] / PNG_SIZE_IN[0]
    # A Figure without pyplot: no global state, safe in a server's threads, no screen.
    figure = Figure(figsize=size, facecolor="white")
    text = _Text(figure, scale)

    # The default marking is drawn in the page's language; one the deployment or a person
    # wrote, as written.
    marking = _(DEFAULT_MARKING) if options.marking == DEFAULT_MARKING else options.marking
    text.marking(marking, 0.982)
    # The default title is drawn in the page's language; a title someone typed, as typed.
    title = _(DEFAULT_TITLE) if options.title == DEFAULT_TITLE else options.title
    text.title(title, 0.02, 0.935)
    subtitle = f"{period_text(prepared)}  ·  "
    filters = filter_items(prepared.selection) or [(no_filter_text(), "")]
    (line,) = fit.fit_list(subtitle, filters, text.room(0.96), 12 * scale, 1, sep="")
    text.put(0.02, 0.902, line, 12)

    ax = figure.add_axes((0.02, 0.15, 0.62, 0.73))
    legend, basemap_note = draw_map(ax, prepared, options.tiles)
    panel = figure.add_axes((0.655, 0.15, 0.33, 0.73))
    panel.set_axis_off()
    bottom = _legend(panel, legend, scale)
    _key_figures(panel, prepared, scale, top=bottom - 0.03)

    y = FOOTER_TOP
    for line in _footer(prepared, batches, basemap_note, generated_at, text):
        text.put(0.02, y, line, FOOTER_SIZE, colour="#333333", va="top")
        y -= FOOTER_STEP
    text.marking(marking, 0.016)
    return figure


FOOTER_TOP = 0.128
FOOTER_STEP = 0.0165
FOOTER_SIZE = 8.5


def _footer(
    prepared: Prepared,
    batches: list | None,
    basemap_note: str,
    generated_at: dt.datetime,
    text: _Text,
) -> list[str]:
    """The footer's lines, as many as fit between the map and the bottom marking.

    The accounting (where every selected incident is) and the line saying when the page
    was made always come whole; the lists of sources, offices and batches share the
    lines left, each at least one, and say how many of their items do not fit.
    """
    size, room = FOOTER_SIZE * text.scale, text.room(0.96)
    when = generated_at.astimezone(dt.UTC)
    shown_as = _(
        "Incidents shown as {level}. {accounting}",
        level=prepared.disclosure.describe(),
        accounting=_accounting(prepared),
    )
    made = _(
        "{basemap} Generated {date} {time} UTC by pocmap.",
        basemap=basemap_note,
        date=day(when),
        time=when.strftime("%H:%M"),
    )
    fixed = [fit.wrap(shown_as, room, size, 2), fit.wrap(made, room, size, 2)]
    # Lines whose bottom stays above the bottom marking's box (and a gap).
    line_height = fit.height(size) / text.page_points[1]
    lowest = text.marking_top(0.016) + 0.004
    budget = int((FOOTER_TOP - line_height - lowest) / FOOTER_STEP) + 1
    lists = source_lists(prepared, batches)
    left = budget - sum(len(lines) for lines in fixed)
    lines: list[str] = []
    for i, (prefix, items) in enumerate(lists):
        if left < 1:
            break  # the last lists (batches, the data's name) give way to the first
        # Each list after this one keeps a line while there are lines for them.
        most = max(1, left - (len(lists) - i - 1))
        shown = fit.fit_list(prefix, items, room, size, most, sep=semicolon())
        lines += shown
        left -= len(shown)
    return [*lines, *fixed[0], *fixed[1]]


def _accounting(prepared: Prepared) -> str:
    """Where every selected incident is: drawn, or in a suppressed cell."""
    count = prepared.disclosure.count
    n = prepared.incident_count
    if prepared.cells is None:
        return _("All {count} selected incidents are drawn.", count=count(n))
    cells = prepared.cells
    values = {
        "shown": count(cells.shown_incidents),
        "total": count(n),
        "width": format_number(cells.width_m / 1000),
    }
    if not cells.suppressed_cells:
        return ngettext(
            "{shown} of {total} incidents drawn in {n} cell of {width} km.",
            "{shown} of {total} incidents drawn in {n} cells of {width} km.",
            len(cells.cells),
            **values,
        )
    return ngettext(
        "{shown} of {total} incidents drawn in {n} cell of {width} km; {hidden} in "
        "{hidden_cells} cells with fewer than {least} incidents are not drawn.",
        "{shown} of {total} incidents drawn in {n} cells of {width} km; {hidden} in "
        "{hidden_cells} cells with fewer than {least} incidents are not drawn.",
        len(cells.cells),
        hidden=count(cells.suppressed_incidents),
        hidden_cells=format_number(cells.suppressed_cells),
        least=format_number(prepared.disclosure.min_count),
        **values,
    )


class _Text:
    """Text placed in figure fractions, sized for the page, measured so it fits."""

    def __init__(self, figure: Figure, scale: float) -> None:
        self.figure = figure
        self.scale = scale
        width, height = figure.get_size_inches()
        self.page_points = (width * 72.0, height * 72.0)

    def room(self, share: float) -> float:
        """``share`` of the page's width, in points."""
        return share * self.page_points[0]

    def title(self, title: str, x: float, y: float) -> None:
        """The title on one line: smaller (down to 15 pt on the slide) when long, then cut."""
        room = self.room(1 - 2 * x)
        size = fit.fit_size(title, room, 21 * self.scale, 15 * self.scale, "bold")
        line = fit.shorten(title, room, size, "bold")
        self.put(x, y, line, size / self.scale, weight="bold")

    def marking_top(self, y: float) -> float:
        """Where the top of a marking centred on ``y`` is (figure fraction)."""
        return y + fit.height(MARKING_SIZE * self.scale) / 2 / self.page_points[1]

    def put(self, x, y, s, size, *, weight="normal", colour="#111111", **kwargs) -> None:
        # parse_math=False: a "$" in a place or agreement name stays a dollar sign.
        self.figure.text(
            x, y, s, fontsize=size * self.scale, fontweight=weight, color=colour,
            parse_math=False, **kwargs,
        )  # fmt: skip

    def marking(self, marking: str, y: float) -> None:
        size = MARKING_SIZE * self.scale
        line = fit.shorten(marking, self.room(0.96), size, "bold")
        self.figure.text(
            0.5, y, line, ha="center", va="center", fontsize=size,
            fontweight="bold", color=MARKING_COLOUR, parse_math=False,
        )  # fmt: skip


MARKING_SIZE = 13


LEGEND_STEP = 0.023
"""A legend row of one line, in panel heights..."""
LEGEND_LINE = 0.019
"""...and each further line of a label too long for one (French runs a fifth longer)."""


def _legend(panel, legend: dict[str, list[LegendEntry]], scale: float) -> float:
    """Draw the legend from the panel's top in two columns; return where it ends.

    A label wider than its column is wrapped on two lines (cut after them), and its row
    grows to hold them, so no label runs into the next column or off the page."""
    panel_points = panel.get_position().width * panel.figure.get_size_inches()[0] * 72.0
    size = 8.5 * scale
    room = (0.5 - 0.06 - 0.01) * panel_points
    y = 1.0
    for title, entries in legend.items():
        heading = fit.shorten(title, panel_points, 10.5 * scale, "bold")
        _panel_text(panel, 0, y, heading, 10.5 * scale, weight="bold")
        y -= LEGEND_STEP
        rows = (len(entries) + 1) // 2
        labels = [fit.wrap(entry.label, room, size, 2) or [""] for entry in entries]
        lines = [
            max(len(labels[i]) for i in (row, row + rows) if i < len(entries))
            for row in range(rows)
        ]
        tops = [y - row * LEGEND_STEP - sum(lines[:row]) * LEGEND_LINE + row * LEGEND_LINE
                for row in range(rows)]  # fmt: skip
        for i, entry in enumerate(entries):
            column, row = divmod(i, rows)
            x, ey = 0.5 * column, tops[row]
            _symbol(panel, entry.handle, x, ey)
            _panel_text(panel, x + 0.06, ey, "\n".join(labels[i]), size)
        y -= rows * LEGEND_STEP + (sum(lines) - rows) * LEGEND_LINE + 0.008
    return y


def _panel_text(panel, x, y, s, size, *, weight="normal", colour="#111111") -> None:
    panel.text(
        x, y, s, fontsize=size, fontweight=weight, color=colour, va="top",
        transform=panel.transAxes, parse_math=False,
    )  # fmt: skip


def _symbol(panel, handle, x: float, y: float) -> None:
    """A legend symbol drawn at (x, y) in panel coordinates."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    if isinstance(handle, Line2D):
        if handle.get_marker() not in (None, "None", ""):
            panel.plot(
                [x + 0.022], [y - 0.009], marker=handle.get_marker(), ls="",
                ms=handle.get_markersize(), mfc=handle.get_markerfacecolor(),
                mec=handle.get_markeredgecolor(), mew=handle.get_markeredgewidth(),
                transform=panel.transAxes, clip_on=False,
            )  # fmt: skip
        else:
            panel.plot(
                [x, x + 0.045], [y - 0.009, y - 0.009], color=handle.get_color(),
                lw=handle.get_linewidth(), ls=handle.get_linestyle(),
                transform=panel.transAxes, clip_on=False,
            )  # fmt: skip
        return
    if handle.get_alpha() == 0:
        return
    panel.add_patch(
        Rectangle(
            (x + 0.004, y - 0.018), 0.036, 0.016, transform=panel.transAxes, clip_on=False,
            fc=handle.get_facecolor(), ec=handle.get_edgecolor(), lw=handle.get_linewidth(),
            ls=handle.get_linestyle(),
        )
    )  # fmt: skip


def _key_figures(panel, prepared: Prepared, scale: float, *, top: float) -> None:
    _panel_text(panel, 0, top, _("Key figures"), 12 * scale, weight="bold")
    y = top - 0.032
    # The panel's width in points: labels take its first 36 %, values and details the rest.
    panel_points = panel.get_position().width * panel.figure.get_size_inches()[0] * 72.0
    label_room, room = 0.34 * panel_points, 0.64 * panel_points
    for figure in key_figures(prepared):
        label = fit.shorten(figure.label, label_room, 9.5 * scale)
        _panel_text(panel, 0, y, label, 9.5 * scale, colour="#444444")
        value = fit.wrap(figure.value, room, 10 * scale, 2, "bold") or [""]
        _panel_text(panel, 0.36, y, "\n".join(value), 10 * scale, weight="bold")
        y -= 0.024 * len(value)
        if figure.detail:
            detail = fit.wrap(figure.detail, room, 8 * scale, 2)
            _panel_text(panel, 0.36, y, "\n".join(detail), 8 * scale, colour="#555555")
            y -= 0.019 * len(detail)
        y -= 0.006
