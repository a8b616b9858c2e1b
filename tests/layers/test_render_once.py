"""Text on the map is rendered once: never read as a Jinja template a second time.

branca wraps every rendered element in a new template and renders that again, so a
name written ``{{ ... }}`` by whoever filled a form would run on the server
(``layers.render_once``). These tests hold that off, and hold the page otherwise the same.
"""

from __future__ import annotations

import itertools

import branca.element
import pytest
from folium.template import Template

from layers import render_once
from layers.escaping import script_json
from layers.joint_map import build_joint_map
from tests.tiny_mission import tiny_mission

RUNS = "{{ lipsum.__name__ }}"
"""Rendered as a template it becomes ``generate_lorem_ipsum`` (Jinja's own global)."""
BREAKS = "{% if %}"
"""Read as a template it does not even compile."""


def _page(data) -> str:
    return build_joint_map(data, data.incidents, show_density=True).get_root().render()


def test_names_and_narratives_are_never_run_as_templates() -> None:
    data = tiny_mission(f" {RUNS} {BREAKS}")
    data.incidents["narrative"] = f"seen {RUNS}"
    page = _page(data)
    assert "generate_lorem_ipsum" not in page
    # Each free text is on the page as written (escaped for HTML, braces and all): in the
    # process, agreement and presence popups and tooltips, the basemap and the incidents.
    assert page.count(RUNS) >= 8
    assert BREAKS in page


def test_the_page_is_otherwise_what_folium_writes(monkeypatch) -> None:
    """With folium's own renders put back, the same map (same element ids) gives the
    same page, byte for byte."""
    data = tiny_mission()
    pages = []
    for restore in (False, True):
        counter = itertools.count()
        monkeypatch.setattr(
            branca.element.Element,
            "_generate_id",
            classmethod(lambda cls, ids=counter: f"{next(ids):032x}"),
        )
        if restore:
            for (cls, name), method in render_once.FOLIUM_RENDERS.items():
                monkeypatch.setattr(cls, name, method)
        pages.append(_page(data))
    assert pages[0] == pages[1]
    assert len(pages[0]) > 10_000


def test_folium_own_renders_would_run_the_text() -> None:
    """The reason for it all: with folium's renders, the same text runs or breaks."""
    data = tiny_mission(f" {RUNS}")
    render_once.install_render_once()  # first, so the map built below does not install it
    with pytest.MonkeyPatch.context() as patch:
        for (cls, name), method in render_once.FOLIUM_RENDERS.items():
            patch.setattr(cls, name, method)
        assert "generate_lorem_ipsum" in _page(data)


def test_data_written_once_is_what_tojson_writes() -> None:
    """The big lists a layer is drawn from are turned to JSON once (``script_json``),
    exactly as the templates' ``|tojson`` would at each render."""
    value = [
        [1.5, -0.000012, "</script><script>alert(1)</script>", "l'été & <b>"],
        {"b": 1, "a": f"{RUNS} ${{x}} `"},
        None,
        True,
    ]
    written = script_json(value)
    assert written == Template("{{ value|tojson }}").render(value=value)
    assert "</script>" not in written and "<b>" not in written
