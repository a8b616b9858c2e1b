"""Tiles under the briefing map: drawn when a tile server answers, never needed."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import socket
import threading
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image

from briefing.render import BriefingOptions, make_briefing
from layers.joint_map import TileServer
from tests.briefing.test_render import pdf_text
from tests.tiny_mission import tiny_mission

pytest.importorskip("contextily", reason="tiles need the 'tiles' extra (contextily)")

TILE_COLOUR = (64, 192, 64)
WHEN = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)


def _tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), TILE_COLOUR).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def tile_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP tile server on loopback answering every /z/x/y.png with one colour."""
    tile, asked = _tile(), []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png", asked
    server.shutdown()


def _sea_pixels(png: bytes) -> np.ndarray:
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    h, w, _ = pixels.shape
    # Just inside the map's top-left corner: sea around the tiny mission's land.
    return pixels[int(0.16 * h) : int(0.2 * h), int(0.03 * w) : int(0.08 * w)]


def test_tiles_are_drawn_when_the_server_answers(tile_server):
    url, asked = tile_server
    options = BriefingOptions(tiles=TileServer(url, "Mission tiles (test)"))
    made = make_briefing(tiny_mission(), options=options, generated_at=WHEN)
    assert asked, "the tile server was never asked"
    sea = _sea_pixels(made.png)
    assert np.abs(sea.astype(int) - TILE_COLOUR).max(axis=-1).mean() < 12
    text = pdf_text(made.pdf)
    assert "Tiles: Mission tiles (test)" in text
    assert "127.0.0.1" not in text  # the server's address (it may hold a key) is not printed


def test_an_unreachable_tile_server_leaves_the_offline_basemap():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    closed = TileServer(f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", "X")
    options = BriefingOptions(tiles=closed)
    made = make_briefing(tiny_mission(), options=options, generated_at=WHEN)
    sea = _sea_pixels(made.png)
    assert np.abs(sea.astype(int) - TILE_COLOUR).max(axis=-1).mean() > 40
    assert "The tile server did not answer" in pdf_text(made.pdf)
