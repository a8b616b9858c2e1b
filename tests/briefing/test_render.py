"""The briefing page: a PNG for slides and an A4 PDF, with no narrative on either."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import pypdf
import pytest
from PIL import Image

from briefing.disclosure import Disclosure
from briefing.figures import DEFAULT_MARKING
from briefing.render import BriefingOptions, make_briefing
from schema.filters import IncidentFilter
from schema.incidents import MOTIVATION_LABELS
from schema.local_agreements import STATUS_LABELS
from schema.mission import load_sample
from tests.briefing.clustered import NARRATIVE, clumped

WHEN = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
A4_POINTS = (841.9, 595.3)


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def shared(sample):
    return make_briefing(sample, generated_at=WHEN)


def test_png_is_slide_sized_and_drawn(shared):
    image = Image.open(io.BytesIO(shared.png))
    assert image.format == "PNG"
    assert image.width >= 1600 and image.height >= 1000
    pixels = np.asarray(image.convert("RGB"))
    # The map (left two thirds, between the header and the footer) is a picture, not a blank.
    h, w, _ = pixels.shape
    map_area = pixels[int(0.15 * h) : int(0.85 * h), int(0.03 * w) : int(0.62 * w)]
    colours = np.unique(map_area.reshape(-1, 3), axis=0)
    assert len(colours) > 500
    assert map_area.std() > 20
    # The marking's red is at the top and at the bottom of the page.
    red = np.all(np.abs(pixels.astype(int) - (0xB2, 0x18, 0x2B)) < 30, axis=-1)
    assert red[: int(0.04 * h)].any() and red[int(0.96 * h) :].any()


def test_pdf_is_a4_landscape_and_carries_the_briefing(shared, sample):
    box = pypdf.PdfReader(io.BytesIO(shared.pdf)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=1)
    text = pdf_text(shared.pdf)
    assert "Protection of civilians and political processes" in text
    assert "1 Jan 2023 to 31 Dec 2025" in text
    assert "All incidents (no filter)" in text
    assert text.count(DEFAULT_MARKING) == 2
    for label in MOTIVATION_LABELS.values():
        assert label in text
    for label in STATUS_LABELS.values():
        assert f"Agreement {label.lower()}" in text
    entries = ("Hot spot on these cells (Gi*, 95 %+)", "Field office", "Admin1 boundary")
    for entry in (*entries, "75 km", "N"):
        assert entry in text
    for figure in ("Incidents", "Fatalities", "Top motivations", "Hot spots", "Escalation flags"):
        assert figure in text
    # At risk means a recent rise (issue 21): none of the sample's agreements, in force at
    # the end, has one; the three recorded as violated ended long ago and are not listed.
    assert "Agreements at risk" in text and "0 of 12" in text
    assert "Generated 4 Dec 2026 09:30 UTC" in text
    assert "Human Rights Division (synthetic)" in text  # a source, by name
    assert "not drawn" in text  # the suppressed cells are accounted for


def test_no_narrative_name_or_id_reaches_the_pdf(sample):
    for level in ("points", "cells", "shareable"):
        made = make_briefing(
            sample, options=BriefingOptions(disclosure=Disclosure(level)), generated_at=WHEN
        )
        text = pdf_text(made.pdf)
        assert "SYNTHETIC]" not in text  # every sample narrative starts "[SYNTHETIC]"
        assert not re.search(r"INC-\d", text)
        for name in sample.incidents["perpetrator_name"].dropna().unique():
            assert name not in text, (level, name)


def test_filters_marking_and_hostile_text(monkeypatch):
    hostile = " $x$ <b>&amp; {{7*7}} \\n =cmd"
    data = clumped([(1.25, -2.75, 7, "revenge"), (2.3, -2.8, 6, "political")], text=hostile)
    monkeypatch.setenv("POCMAP_MARKING", "UN RESTRICTED")
    selection = IncidentFilter(
        start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 31), motivations=frozenset({"revenge"})
    )
    made = make_briefing(
        data, selection, BriefingOptions(title=f"Weekly {hostile}"), generated_at=WHEN
    )
    text = pdf_text(made.pdf)
    assert text.count("UN RESTRICTED") == 2
    assert "Motivation: Revenge" in text
    assert "5 Jan 2024 to 5 Jan 2024" in text  # the dates the data holds, within the filter
    assert f"Weekly {hostile}".strip() in text  # shown literally: no maths, no markup
    assert NARRATIVE not in text and "Secret-Name" not in text
    assert "Incidents 7" in text  # 5 or more: printed as it is
