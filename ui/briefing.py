"""The "Briefing" action of the map and analysis pages: a slide picture in one click.

``show`` draws the button; once pressed, a panel makes the briefing (PNG and PDF) of the
current selection, previews it and offers the downloads, with the exports of the same
selection beside them. The panel is a fragment: changing its options redraws only it.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from access.session import Session
from analysis.joint import Options
from briefing import exports
from briefing.disclosure import (
    DEFAULT_LEVEL,
    LEVEL_LABELS,
    LEVELS,
    MIN_PRECISION_KM,
    SHAREABLE_MIN_CELL_KM,
    Disclosure,
)
from briefing.figures import default_marking
from briefing.render import DEFAULT_TITLE, Briefing, BriefingOptions, make_briefing
from languages import N_, _, current
from layers.joint_map import tile_server_from_env
from schema.filters import IncidentFilter
from schema.mission import MissionData
from ui import downloads
from ui.data import data_key, session, store_batches
from ui.text import md

_FILES = (
    ("png", N_("PNG for slides"), "image/png", ":material/image:"),
    ("pdf", N_("PDF (A4)"), "application/pdf", ":material/picture_as_pdf:"),
)
_EXPORT_LABELS = {
    "gpkg": (N_("GeoPackage (every layer)"), "application/geopackage+sqlite3"),
    "geojson": (N_("GeoJSON (incidents)"), "application/geo+json"),
    "csv": (N_("CSV (incidents)"), "text/csv"),
    "html": (N_("Interactive map (HTML)"), "text/html"),
}


def show(
    data: MissionData, selection: IncidentFilter, *, key: str, analysis: Options | None = None
) -> None:
    """The Briefing button; once pressed, the briefing panel for ``selection``.

    ``analysis`` is the page's analysis options, so the key figures match the page.
    """
    opened = f"{key}_briefing_open"
    if st.button(_("Briefing"), icon=":material/slideshow:", key=f"{key}_briefing"):
        st.session_state[opened] = not st.session_state.get(opened, False)
    if st.session_state.get(opened):
        # The panel's own keys, apart from the page's widgets.
        _panel(data, selection, f"{key}_brief", analysis or Options())


def _options(key: str, analysis: Options) -> BriefingOptions:
    left, middle, right = st.columns([2, 2, 3])
    # The default title in the person's language (a title typed in is kept as typed).
    default_title = _(DEFAULT_TITLE)
    title = left.text_input(_("Title"), default_title, key=f"{key}_title", max_chars=120)
    marking = middle.text_input(
        _("Classification marking"), default_marking(), key=f"{key}_marking", max_chars=60
    )
    level = right.selectbox(
        _("Incidents shown as"),
        LEVELS,
        index=LEVELS.index(DEFAULT_LEVEL),
        format_func=lambda level: _(LEVEL_LABELS[level]),
        key=f"{key}_level",
        help=_("Shareable is for anything that may leave the analysis cell."),
    )
    if level == "points":
        precision = st.number_input(
            _("Points moved to squares of (km)"),
            MIN_PRECISION_KM,
            50.0,
            1.0,
            key=f"{key}_prec",
        )
        disclosure = Disclosure(level, precision_km=precision)
    else:
        low = SHAREABLE_MIN_CELL_KM if level == "shareable" else MIN_PRECISION_KM
        automatic = st.toggle(_("Cell width from the data"), value=True, key=f"{key}_auto")
        width = (
            None
            if automatic
            else st.number_input(
                _("Cell width (km)"), low, 200.0, max(low, 10.0), key=f"{key}_cell"
            )
        )
        disclosure = Disclosure(level, cell_km=width)
    server = tile_server_from_env()
    tiles = None
    if server is not None and st.toggle(
        _("Tiles from the mission tile server"),
        key=f"{key}_tiles",
        help=_("Drawn when it answers."),
    ):
        tiles = server
    title = title.strip() or default_title
    return BriefingOptions(
        title=title, marking=marking, disclosure=disclosure, tiles=tiles, analysis=analysis
    )


@st.fragment
def _panel(data: MissionData, selection: IncidentFilter, key: str, analysis: Options) -> None:
    with st.container(border=True):
        st.subheader(_("Briefing"))
        options = _options(key, analysis)
        wanted = (data_key(data), selection, options, current())
        made: Briefing | None = st.session_state.get(f"{key}_made")
        if made is None or st.session_state.get(f"{key}_made_for") != wanted:
            with st.spinner(_("Drawing the briefing…")):
                made = make_briefing(data, selection, options, batches=store_batches())
            session().record_output("briefing", _what(made, "pdf and png"))
            st.session_state[f"{key}_made"] = made
            st.session_state[f"{key}_made_for"] = wanted
        stamp = f"{made.generated_at:%Y%m%d-%H%M}"
        for column, (fmt, label, mime, icon) in zip(st.columns([1, 1, 3]), _FILES, strict=False):
            downloads.button(
                column,
                _(label),
                partial(getattr, made, fmt),
                file_name=_("pocmap-briefing-{stamp}.{extension}", stamp=stamp, extension=fmt),
                mime=mime,
                key=f"{key}_{fmt}",
                icon=icon,
            )
        st.image(made.png, caption=md(made.options.disclosure.describe()), width="stretch")
        st.caption(
            _(
                "Exports of the same selection, at the same level ({level}):",
                level=md(_(LEVEL_LABELS[made.options.disclosure.level])),
            )
        )
        columns = st.columns(len(exports.FORMATS))
        for column, fmt in zip(columns, exports.FORMATS, strict=True):
            label, mime = _EXPORT_LABELS[fmt]
            downloads.button(
                column,
                _(label),
                _deferred(made, fmt, session()),
                file_name=_("pocmap-export-{stamp}.{extension}", stamp=stamp, extension=fmt),
                mime=mime,
                key=f"{key}_export_{fmt}",
            )


def _what(made: Briefing, fmt: str) -> dict[str, object]:
    """What the audit log keeps of a briefing or export: never the data itself."""
    return {
        "format": fmt,
        "level": made.options.disclosure.level,
        "title": made.options.title,
        "generated_at": f"{made.generated_at:%Y-%m-%dT%H:%M}",
    }


def _deferred(made: Briefing, fmt: str, session: Session):
    """The export, made (and audited) only when its button is clicked."""

    def build() -> bytes:
        session.record_output("export", _what(made, fmt))
        return exports.to_bytes(made.prepared, fmt)

    return build
