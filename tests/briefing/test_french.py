"""The briefing in French: every word the page itself says is French (the PDF's text read
back), numbers and dates as French writes them, and French's longer words still fit."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re

import pypdf
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from briefing.disclosure import Disclosure
from briefing.exports import about
from briefing.figures import DEFAULT_MARKING, key_figures
from briefing.render import (
    DEFAULT_TITLE,
    MARKING_COLOUR,
    BriefingOptions,
    make_briefing,
    page,
)
from briefing.selection import prepare
from languages import use
from schema.filters import IncidentFilter
from schema.mission import load_sample
from tests.briefing.clustered import clumped
from tests.briefing.test_long_text import _texts, hostile  # noqa: F401 (a fixture)
from tests.languages.english import english_left
from tests.layers.french import data_values, not_yet_translated

WHEN = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
NNBSP = "\u202f"  # French groups digits with a narrow no-break space


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def french(sample):
    with use("fr"):
        return make_briefing(sample, generated_at=WHEN)


@pytest.fixture(scope="module")
def english(sample):
    return make_briefing(sample, generated_at=WHEN)


@pytest.fixture(scope="module")
def french_points(sample):
    selection = IncidentFilter(motivations=frozenset({"revenge", "predation"}))
    options = BriefingOptions(disclosure=Disclosure("points"))
    with use("fr"):
        return make_briefing(sample, selection, options, generated_at=WHEN)


@pytest.mark.parametrize("made", ["french", "french_points"])
def test_no_english_is_left_in_the_french_pdf(made, sample, request):
    text = pdf_text(request.getfixturevalue(made).pdf)
    ignoring = [*data_values(sample), *not_yet_translated()]
    assert english_left(text, ignoring=ignoring) == set()
    # The check sees English: the same page in English is full of it.
    english = pdf_text(request.getfixturevalue("english").pdf)
    assert {"key", "figures", "drawn"} <= english_left(english, ignoring=ignoring)


def test_the_french_pdf_says_it_in_french(french):
    text = pdf_text(french.pdf)
    assert "Protection des civils et processus politiques" in text
    assert "du 1 janv. 2023 au 31 déc. 2025" in text
    assert "Tous les incidents (aucun filtre)" in text
    assert text.count("CONFIDENTIEL ONU") == 2
    assert "Chiffres clés" in text and "Accords menacés" in text and "0 sur 12" in text
    assert "Point chaud sur ces cellules" in text and "Limite admin1" in text
    assert "Produit par pocmap le 4 déc. 2026 à 09:30 UTC." in text
    # Numbers grouped as French writes them (4 943 incidents in the sample).
    assert f"4{NNBSP}943" in text
    assert "Présentation des incidents — partageable" in text
    assert "« moins de 5 »" in text.replace("\u00a0", " ")


def test_the_french_points_briefing(french_points):
    text = " ".join(pdf_text(french_points.pdf).split())
    assert "Motivation : " in text
    assert "Incidents déplacés dans des carrés de 1 km" in text
    assert "Tous les incidents sélectionnés (2" in text  # the accounting of points


def test_english_stays_the_default(english):
    text = pdf_text(english.pdf)
    assert DEFAULT_TITLE in text and text.count(DEFAULT_MARKING) == 2
    assert "Generated 4 Dec 2026 09:30 UTC by pocmap." in text
    assert "4,943" in text and "Key figures" in text


def test_a_typed_title_is_kept_as_typed(sample):
    options = BriefingOptions(title="Point hebdomadaire — Sud")
    with use("fr"):
        figure = page(prepare(sample), options, batches=None, generated_at=WHEN)
    assert "Point hebdomadaire — Sud" in [t.get_text() for t in figure.texts]


def test_small_totals_are_written_in_french():
    data = clumped([(1.25, -2.75, 3, "revenge")])
    with use("fr"):
        prepared = prepare(data)
        figures = {f.label: f for f in key_figures(prepared)}
        table = about(prepared, generated_at=WHEN).set_index("key")["value"]
    assert figures["Incidents"].value == "moins de 5"
    assert re.search(r" moins de 5 \(100\s?%\)$", figures["Motivations principales"].value)
    assert table["incidents"] == "moins de 5"
    assert table["selection"] == "Tous les incidents (aucun filtre)"
    assert table["level"].startswith("partageable\u00a0: cellules d'au moins 5 km")


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_french_legend_and_panel_texts_neither_overlap_nor_leave_the_page(sample, fmt):
    with use("fr"):
        for disclosure in (Disclosure(), Disclosure("points")):
            prepared = prepare(sample, None, disclosure)
            figure = page(prepared, BriefingOptions(), batches=None, generated_at=WHEN, fmt=fmt)
            drawn, w, _ = _texts(figure, fmt)
            panel = figure.axes[1]
            boxes = [(t.get_text(), b) for t, b in drawn if t.axes is panel]
            assert len(boxes) > 30
            for text, box in boxes:
                assert box.x1 <= w - 2 and box.y0 >= 0, (text, box.bounds, w)
            for (a, first), (b, second) in itertools.combinations(boxes, 2):
                assert not first.overlaps(second), (a, b)


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_hostile_lengths_in_french_stay_on_the_page(hostile, fmt):  # noqa: F811
    data, selection, options, batches = hostile
    with use("fr"):
        prepared = prepare(data, selection, options.disclosure, options.analysis)
        figure = page(prepared, options, batches=batches, generated_at=WHEN, fmt=fmt)
    figure.set_canvas(FigureCanvasAgg(figure))
    drawn, w, h = _texts(figure, fmt)
    markings = [b for t, b in drawn if t.get_color() == MARKING_COLOUR]
    assert len(markings) == 2
    for text, box in drawn:
        inside = box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= w + 0.5 and box.y1 <= h + 0.5
        assert inside, (text.get_text()[:80], box.bounds, (w, h))
        if text.get_color() != MARKING_COLOUR:
            assert not any(box.overlaps(m) for m in markings), text.get_text()[:80]
    lines = [t.get_text() for t, _ in drawn if t in figure.texts]
    assert any(line.startswith("Présentation des incidents") for line in lines)
    for start in ("Sources\u00a0: ", "Bureaux de terrain déclarants\u00a0: ", "Lots enregistrés"):
        (listed,) = [line for line in lines if line.startswith(start)][-1:]
        assert listed.endswith("autres)"), listed


def test_the_french_png_is_a_slide(french):
    image = Image.open(io.BytesIO(french.png))
    assert image.format == "PNG" and image.size == (1920, 1200)
