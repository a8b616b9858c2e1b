"""``pocmap briefing``: a PNG or a PDF from the command line, from a folder or the store."""

from __future__ import annotations

import io

from PIL import Image

from cli import main
from ingest.sample import load_sample_into
from schema.mission import SAMPLE_DIR
from store import open_store
from tests.briefing.test_render import pdf_text

SAMPLE = str(SAMPLE_DIR)


def test_png_and_pdf_from_the_extension(tmp_path, capsys):
    png = tmp_path / "brief.png"
    assert main(["briefing", "--data", SAMPLE, "--out", str(png)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {png} (briefing PNG, level shareable)")
    assert Image.open(io.BytesIO(png.read_bytes())).size == (1920, 1200)

    pdf = tmp_path / "brief.PDF"
    argv = ["briefing", "--data", SAMPLE, "--out", str(pdf), "--from", "2024-01-01"]
    argv += ["--to", "2024-06-30", "--office", "Field Office South", "--level", "cells"]
    assert main([*argv, "--title", "South, first half", "--marking", "UN RESTRICTED"]) == 0
    assert "(briefing PDF, level cells)" in capsys.readouterr().out
    text = pdf_text(pdf.read_bytes())
    assert "South, first half" in text
    assert "1 Jan 2024 to 30 Jun 2024" in text
    assert "Field office: Field Office South" in text
    assert text.count("UN RESTRICTED") == 2
    assert "Carana: synthetic sample data" in text  # the folder is named as the data


def test_refusals_are_clear(tmp_path, capsys):
    assert main(["briefing", "--data", SAMPLE, "--out", str(tmp_path / "b.jpg")]) == 2
    assert "write brief.png or brief.pdf" in capsys.readouterr().err
    argv = ["briefing", "--data", SAMPLE, "--out", str(tmp_path / "b.pdf")]
    assert main([*argv, "--cell-km", "2"]) == 2
    assert "--cell-km was 2 but the shareable level needs cells of at least 5 km" in (
        capsys.readouterr().err
    )
    assert main(["briefing", "--data", SAMPLE, "--out", str(tmp_path / "no" / "b.pdf")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_from_the_store_it_names_the_batches(tmp_path, monkeypatch, capsys):
    db = tmp_path / "store.gpkg"
    monkeypatch.setenv("POCMAP_DB", str(db))
    monkeypatch.delenv("POCMAP_TILE_URL", raising=False)
    store = open_store()
    batches = {b.layer: b for b in load_sample_into(store)}
    out = tmp_path / "brief.pdf"
    assert main(["briefing", "--out", str(out), "--tiles"]) == 0
    assert "POCMAP_TILE_URL is not set" in capsys.readouterr().err
    text = pdf_text(out.read_bytes())
    incidents = batches["incidents"]
    assert f"Store batches: {incidents.batch_id} ({incidents.office}, " in text
    assert incidents.source_name not in text  # file names can name people: left out
    assert "Basemap drawn from the mission's own data (offline)" in text  # no tile server set
