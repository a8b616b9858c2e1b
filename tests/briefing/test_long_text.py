"""Hostile lengths in every text field of a briefing: nothing runs over the markings or
off the page, and the accounting stays on it.

Before issue 18 a 20,000-character source pushed the footer over the bottom marking and
the accounting off the page. Here the title, the marking, sources, offices, batches, the
filters in words, the data's label, agreement and town names are all far too long; every
text the page draws is measured with matplotlib's renderer (``get_window_extent``) on the
PNG's page and on the PDF's, and the files themselves are read back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pandas as pd
import pypdf
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from briefing.fit import fit_list, shorten, width, wrap
from briefing.render import MARKING_COLOUR, PNG_DPI, BriefingOptions, make_briefing, page
from briefing.selection import prepare
from schema.filters import IncidentFilter
from schema.mission import load_sample
from store.base import Batch

WHEN = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
LONG_SOURCE = "Réseau de veille " + "communautaire très long " * 830  # 20,000 characters
MARKING = "UN CONFIDENTIAL " + "RESTRICTED " * 2000
OFFICES = [f"Field office of {'Very Long Name ' * (1 + i % 5)}{i}" for i in range(150)]


@pytest.fixture(scope="module")
def hostile():
    data = load_sample()
    incidents = data.incidents.copy()
    n = len(incidents)
    incidents["source"] = [
        LONG_SOURCE if i % 7 == 0 else f"Partner organisation number {i % 400}" for i in range(n)
    ]
    incidents["field_office"] = [OFFICES[i % len(OFFICES)] for i in range(n)]
    incidents["batch_id"] = [1 + i % 60 for i in range(n)]
    agreements = data.local_agreements.copy()
    agreements["name"] = [f"Agreement {i} " + "W" * 20_000 for i in range(len(agreements))]
    # All at risk (a recent rise: issue 21), so that their names are listed in key figures:
    # each agreement covers the whole country and is in force, and a quarter of the
    # incidents are moved into the last 60 days of the data.
    agreements["status"] = "signed"
    agreements["date_signed"] = pd.Timestamp("2023-01-01")
    agreements["date_ended"] = pd.NaT
    agreements["geometry"] = data.admin_boundaries.geometry.union_all().envelope
    last = incidents["date"].max()
    moved = [i for i in range(n) if i % 4 == 0]
    incidents.iloc[moved, incidents.columns.get_loc("date")] = [
        last - pd.Timedelta(days=i % 60) for i in moved
    ]
    base = data.basemap.copy()
    base.loc[base["kind"].isin(["town", "capital"]), "name"] = "Town " + "M" * 20_000
    data = dataclasses.replace(
        data,
        incidents=incidents,
        local_agreements=agreements,
        basemap=base,
        label="Data " + "L" * 20_000,
    )
    batches = [
        Batch(
            layer="incidents",
            office="Office " + "O" * 2_000,
            uploader="u",
            source_name="f",
            source_sha256="0" * 64,
            source_format="csv",
            profile="native",
            mapping={},
            rows_read=1,
            accepted=1,
            accepted_with_warning=0,
            rejected=0,
            notes=[],
            batch_id=b,
            imported_at="2026-11-20T09:00:00Z",
            status="active",
            status_changed_at=None,
            status_changed_by=None,
            status_reason=None,
        )
        for b in range(1, 61)
    ]
    admin2 = {f"District {'X' * 30} {i}" for i in range(300)} | set(incidents["admin2"].dropna())
    selection = IncidentFilter(field_offices=frozenset(OFFICES), admin2=frozenset(admin2))
    options = BriefingOptions(title="Weekly " + "T" * 20_000, marking=MARKING)
    return data, selection, options, batches


def _texts(figure, fmt: str) -> tuple[list[tuple[Text, Bbox]], float, float]:
    """Every text drawn, with its box as drawn (clipped to its axes when it is clipped).

    Measured at the PNG's resolution for the PNG, and for the PDF at one fine enough for
    the font's own widths, which the PDF's text keeps (small hinted glyphs differ).
    """
    figure.set_dpi(PNG_DPI if fmt == "png" else 720)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    drawn = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None:
            box = Bbox.intersection(box, clip)
            if box is None:
                continue  # wholly outside its axes: not drawn
        drawn.append((text, box))
    return drawn, figure.bbox.width, figure.bbox.height


@pytest.mark.parametrize(("fmt", "filtered"), [("png", True), ("pdf", True), ("png", False)])
def test_no_text_overlaps_the_markings_or_leaves_the_page(hostile, fmt, filtered):
    data, selection, options, batches = hostile
    # Unfiltered, every agreement is at risk: their names are listed in the key figures.
    selection = selection if filtered else None
    prepared = prepare(data, selection, options.disclosure, options.analysis)
    figure = page(prepared, options, batches=batches, generated_at=WHEN, fmt=fmt)
    drawn, w, h = _texts(figure, fmt)
    markings = [(t, b) for t, b in drawn if t.get_color() == MARKING_COLOUR]
    assert len(markings) == 2
    for text, box in drawn:
        inside = box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= w + 0.5 and box.y1 <= h + 0.5
        assert inside, (text.get_text()[:80], box.bounds, (w, h))
        if text.get_color() == MARKING_COLOUR:
            continue
        for _, marking in markings:
            assert not box.overlaps(marking), (text.get_text()[:80], box.bounds, marking.bounds)
    # The header stays above the map, the footer below it: the page's parts do not touch.
    map_top, map_bottom = 0.88 * h, 0.15 * h
    own = [(t, b) for t, b in drawn if t in figure.texts and t.get_color() != MARKING_COLOUR]
    header = [b for t, b in own if b.y0 > map_top - 1]
    footer = [b for t, b in own if b.y1 < map_bottom + 1]
    assert len(header) == 2 and len(header) + len(footer) == len(own)
    lines = [t.get_text() for t, _ in own]
    assert any(line.startswith("Incidents shown as") for line in lines)  # the accounting
    assert any("incidents drawn in" in line for line in lines)
    assert lines[-1].startswith("Basemap drawn from") and "Generated 4 Dec 2026" in lines[-1]
    for start in ("Sources: ", "Reporting field offices: ", "Store batches: "):
        (listed,) = [line for line in lines if line.startswith(start)][-1:]
        assert listed.endswith("more)"), listed
    assert "more)" in lines[1] if filtered else lines[1].endswith("All incidents (no filter)")
    if not filtered:
        at_risk = [t.get_text() for t, _ in drawn if "WWWW" in t.get_text()]
        assert at_risk, [t.get_text()[:60] for t, _ in drawn]
        assert at_risk[0].endswith("…") and len(at_risk[0]) < 200, at_risk
    marking_text = markings[0][0].get_text()
    assert marking_text.startswith("UN CONFIDENTIAL RESTRICTED") and marking_text.endswith("…")


def test_the_files_carry_the_cut_text_and_the_accounting(hostile, tmp_path):
    data, selection, options, batches = hostile
    made = make_briefing(data, selection, options, batches=batches, generated_at=WHEN)
    reader = pypdf.PdfReader(io.BytesIO(made.pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert text.count("UN CONFIDENTIAL RESTRICTED") == 2
    assert "Incidents shown as" in text and "Generated 4 Dec 2026 09:30 UTC" in text
    assert "more)" in text and "T" * 20_000 not in text and LONG_SOURCE not in text
    image = Image.open(io.BytesIO(made.png))
    assert image.size == (1920, 1200)
    (tmp_path / "hostile.png").write_bytes(made.png)  # to look at, when a test fails


def test_measured_text_fits_its_room():
    size = 8.5
    for room in (120.0, 600.0):
        one = shorten("x" * 20_000, room, size)
        assert one.endswith("…") and width(one, size) <= room
        lines = wrap("word " * 400 + "W" * 20_000, room, size, 3)
        assert len(lines) == 3 and lines[-1].endswith("…")
        assert all(width(line, size) <= room for line in lines)
        listed = fit_list("Sources: ", [("S" * 5_000, " (3)"), "b", "c"] * 50, room, size, 2)
        assert len(listed) <= 2 and listed[-1].endswith("more)")
        assert "… (3)" in listed[0] and all(width(line, size) <= room for line in listed)
    assert shorten("Weekly  $x$", 600, size) == "Weekly  $x$"  # fits: kept as written
    assert fit_list("Sources: ", ["a", "b"], 600, size, 1) == ["Sources: a; b"]
