"""Each layer builder rendered into a folium map: layer names, colours, no narratives, and
hostile text in every field comes out inert (HTML and JavaScript template literals)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import ClassVar

import folium
import pytest
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from layers import (
    admin_boundaries,
    basemap,
    incidents,
    local_agreements,
    mission_presence,
    political_processes,
)
from layers.assets import VENDOR_DIR, use_local_assets
from layers.joint_map import (
    BASEMAP_LABELS,
    TileServer,
    build_joint_map,
    tile_server_from_env,
)
from schema.incidents import MOTIVATION_LABELS, MOTIVATIONS
from schema.mission import MissionData
from tests.tiny_mission import XSS, tiny_mission

TEMPLATE = "${alert(document.domain)}`"
"""Harmless in HTML and in a JSON string, runs as code inside a JS template literal."""
HOSTILE = XSS + TEMPLATE
NARRATIVE = "SENSITIVE-NARRATIVE-7f3a: the survivor lives behind the school"

# --- helpers -------------------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def template_literals(page: str) -> list[str]:
    """The bodies of the JavaScript template literals (`...`) in the page's inline scripts.

    Walks each script once, skipping '...' and "..." strings and comments, so a backtick
    inside a JSON string does not count; an unterminated literal runs to the script's end.
    """
    bodies = []
    for script in _INLINE_SCRIPT.findall(page):
        i, n = 0, len(script)
        while i < n:
            c = script[i]
            if c in "\"'":
                i += 1
                while i < n and script[i] != c:
                    i += 2 if script[i] == "\\" else 1
                i += 1
            elif script.startswith("//", i) and (i == 0 or script[i - 1] != ":"):
                end = script.find("\n", i)
                i = n if end < 0 else end
            elif script.startswith("/*", i):
                end = script.find("*/", i)
                i = n if end < 0 else end + 2
            elif c == "`":
                j = i + 1
                while j < n and script[j] != "`":
                    j += 2 if script[j] == "\\" else 1
                bodies.append(script[i + 1 : j])
                i = j + 1
            else:
                i += 1
    return bodies


def assert_inert(page: str) -> None:
    """No hostile markup or template-literal expression of HOSTILE survives in ``page``."""
    assert "<script>alert" not in page
    assert "<img src=x onerror" not in page
    live = [body for body in template_literals(page) if "${alert" in body]
    assert live == []


def layer_control(page: str) -> tuple[list[str], list[str]]:
    """The (base layer, overlay) names in the page's layer control, in order."""

    def names(section: str) -> list[str]:
        match = re.search(section + r"\s*:\s*\{(.*?)\n\s*\}", page, re.S)
        assert match, f"no {section} in the layer control"
        return [json.loads(n) for n in re.findall(r'^\s*("(?:[^"\\]|\\.)*")\s*:', match[1], re.M)]

    return names("base_layers"), names("overlays")


def render(*layers) -> str:
    m = folium.Map(tiles=None)
    for layer in layers:
        layer.add_to(m)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


@pytest.fixture(scope="module")
def tiny() -> MissionData:
    return tiny_mission()


@pytest.fixture(scope="module")
def hostile() -> MissionData:
    data = tiny_mission(HOSTILE)
    data.incidents["narrative"] = NARRATIVE
    return data


# --- the helper itself ---------------------------------------------------------------------


def test_template_literal_helper_skips_strings_and_finds_literals():
    page = (
        "<script src='x.js'></script><script>var a = \"x`${alert(1)}`\"; // it's `fine`\n"
        "var b = 'it`s'; var c = `ok ${v}`; /* `no` */ var d = `open ${alert(2)}"
        "</script>"
    )
    assert template_literals(page) == ["ok ${v}", "open ${alert(2)}"]


def test_template_literal_helper_catches_folium_own_tooltip():
    """folium.Tooltip pastes its text into a template literal: the check must see it."""
    m = folium.Map(tiles=None)
    folium.Marker((0, 0), tooltip=TEMPLATE).add_to(m)
    bodies = template_literals(m.get_root().render())
    assert any("${alert(document.domain)}" in body for body in bodies)


# --- each builder --------------------------------------------------------------------------

BUILDERS: dict[str, tuple[Callable[[MissionData], object], list[str], list[str]]] = {
    "incidents": (lambda d: incidents.build(d.incidents), [], ["Incidents"]),
    "density": (lambda d: incidents.build_density(d.incidents), [], ["Incident density"]),
    "local_processes": (
        lambda d: political_processes.build_local_processes(d.local_processes),
        [],
        ["Local political processes"],
    ),
    "national_process": (
        lambda d: political_processes.build_national_process(d.national_milestones, (-2.5, 2.0)),
        [],
        ["National political process"],
    ),
    "local_agreements": (
        lambda d: local_agreements.build(d.local_agreements),
        [],
        ["Local agreements"],
    ),
    "mission_presence": (
        lambda d: mission_presence.build(d.mission_presence),
        [],
        ["Mission presence"],
    ),
    "admin_boundaries": (
        lambda d: admin_boundaries.build(d.admin_boundaries),
        [],
        ["Administrative boundaries"],
    ),
    "basemap": (
        lambda d: basemap.build(d.basemap),
        ["Offline basemap (no internet needed)"],
        [],
    ),
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_builder_layer_names(name, tiny):
    build, base_layers, overlays = BUILDERS[name]
    assert layer_control(render(build(tiny))) == (base_layers, overlays)


# How many times the hostile text reaches each layer's output (escaped): it is shown, not
# dropped, so the inertness checks below are not vacuous.
SHOWN = {
    "incidents": 40,  # 8 incidents x id, admin1, admin2, field office, source
    "density": 0,
    "local_processes": 4,  # name (tooltip, popup title), field office, parties
    "national_process": 2,  # two milestone titles
    "local_agreements": 10,  # 3 x (tooltip, title, field office) + parties of A1
    "mission_presence": 11,
    "admin_boundaries": 6,
    "basemap": 2,  # capital and town labels
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_builder_output_is_inert(name, hostile):
    build, _, _ = BUILDERS[name]
    page = render(build(hostile))
    assert_inert(page)
    assert page.count("alert(document.domain)") == SHOWN[name]
    assert NARRATIVE not in page
    assert "SENSITIVE-NARRATIVE" not in page


def test_incident_colours_follow_the_motivation_order(tiny):
    page = render(incidents.build(tiny.incidents))
    colours = json.loads(re.search(r"var colours = (\[.*?\]);", page)[1])
    assert colours == [
        "#E69F00",
        "#8C510A",
        "#D55E00",
        "#CC79A7",
        "#0072B2",
        "#009E73",
        "#8C8C8C",
    ]
    assert colours == [incidents.MOTIVATION_COLOURS[m] for m in MOTIVATIONS]


def test_incident_rows_in_the_page_are_marker_rows(tiny):
    page = render(incidents.build(tiny.incidents))
    rows = json.loads(re.search(r"var rows = (\[.*?\]);\n", page)[1])
    assert rows == incidents.marker_rows(tiny.incidents)


def test_density_points(tiny):
    layer = incidents.build_density(tiny.incidents)
    assert layer.data[0] == [-2.8, 1.2]
    assert len(layer.data) == 8


def test_local_process_popup(tiny):
    page = render(political_processes.build_local_processes(tiny.local_processes))
    assert "Intercommunal dialogue" in page
    assert "Tied to national process\\u003c/th\\u003e\\u003ctd\\u003eyes" in page
    assert "2023-11-01" in page


def test_national_process_timeline_is_in_date_order(tiny):
    page = render(political_processes.build_national_process(tiny.national_milestones, (0, 0)))
    assert page.index("Negotiation round: Round one") < page.index("Signature: Signature")


def test_agreement_popup_lists_its_poc_provisions(tiny):
    page = render(local_agreements.build(tiny.local_agreements))
    assert "POC language, Freedom of movement" in page  # A1
    assert "Freedom of movement\\u003c/td" in page  # A3


def test_agreement_colours_by_status(tiny):
    page = render(local_agreements.build(tiny.local_agreements))
    for status in ("violated", "signed", "negotiating"):
        assert local_agreements.STATUS_COLOURS[status] in page


# --- marker_rows ---------------------------------------------------------------------------


def test_marker_rows_on_the_tiny_mission(tiny):
    rows = incidents.marker_rows(tiny.incidents)
    assert len(rows) == 8
    assert all(len(row) == 3 + 14 for row in rows)
    assert [row[2] for row in rows] == [2, 2, 0, 1, 3, 4, 5, 6]
    assert [MOTIVATIONS[row[2]] for row in rows] == tiny.incidents["motivation"].tolist()
    assert rows[0] == [
        -2.8,
        1.2,
        2,
        "T-1",
        "2024-01-05",
        0,  # killing
        2,  # revenge
        1,  # probable
        2,  # community_militia
        2,
        1,
        0,
        "Women",
        0,  # exact
        "Area , West ",
        "FO W",
        "Test source ",
    ]
    assert rows[2][12] == "Children, Displaced people"
    assert rows[7] == [
        -2.5,
        1.5,
        6,
        "T-8",
        "2024-05-30",
        5,  # forced_displacement
        6,  # unknown
        None,  # no confidence
        6,  # unidentified
        0,
        1,
        0,
        "Displaced people",
        0,
        "Area , West ",
        "FO W",
        "Test source ",
    ]
    assert rows[1][12] == ""


def test_marker_rows_escape_every_text(hostile):
    rows = incidents.marker_rows(hostile.incidents)
    escaped = html.escape(HOSTILE, quote=True)
    assert rows[0][3] == "T-1" + escaped
    assert rows[0][14] == f"Area {escaped}, West {escaped}"
    assert rows[0][15] == "FO W" + escaped
    assert rows[0][16] == "Test source " + escaped
    texts = [v for row in rows for v in row if isinstance(v, str)]
    assert not [t for t in texts if "<" in t or ">" in t or '"' in t]
    assert not [t for t in texts if "SENSITIVE" in t or "Narrative" in t]


# --- the joint map -------------------------------------------------------------------------


def test_joint_map_layers(tiny):
    page = build_joint_map(tiny, tiny.incidents).get_root().render()
    assert layer_control(page) == (
        ["Offline basemap (no internet needed)", "OpenStreetMap (needs internet)"],
        [
            "Administrative boundaries",
            "Mission presence",
            "Local agreements",
            "Local political processes",
            "National political process",
            "Incident density",
            "Incidents",
        ],
    )
    for colour in incidents.MOTIVATION_COLOURS.values():
        assert colour in page
    for label in MOTIVATION_LABELS.values():
        assert label in page


def test_joint_map_is_inert(hostile, monkeypatch):
    monkeypatch.setenv("POCMAP_TILE_URL", "https://tiles.mission.un/{z}/{x}/{y}.png")
    monkeypatch.setenv("POCMAP_TILE_ATTRIBUTION", HOSTILE)
    m = build_joint_map(
        hostile, hostile.incidents, base="custom", tile_server=tile_server_from_env()
    )
    page = m.get_root().render()
    assert_inert(page)
    assert NARRATIVE not in page
    assert "SENSITIVE-NARRATIVE" not in page
    # every layer's text plus the legend's data label and the tile attribution
    assert page.count("alert(document.domain)") == sum(SHOWN.values()) + 2


def test_joint_map_custom_base_needs_a_tile_server(tiny):
    with pytest.raises(ValueError, match="no tile server is set") as info:
        build_joint_map(tiny, tiny.incidents, base="custom")
    assert "POCMAP_TILE_URL" in str(info.value)


def test_joint_map_unknown_base(tiny):
    with pytest.raises(ValueError, match="'satellite'"):
        build_joint_map(tiny, tiny.incidents, base="satellite")


def test_joint_map_custom_tile_server(tiny):
    server = TileServer("https://tiles.mission.un/{z}/{x}/{y}.png", "Mission GIS")
    page = build_joint_map(tiny, tiny.incidents, base="custom", tile_server=server)
    page = page.get_root().render()
    assert layer_control(page)[0] == [
        BASEMAP_LABELS["offline"],
        BASEMAP_LABELS["openstreetmap"],
        "Mission tile server",
    ]
    assert '"https://tiles.mission.un/{z}/{x}/{y}.png"' in page
    assert '"attribution": "Mission GIS"' in page


def test_joint_map_with_an_empty_selection(tiny):
    page = build_joint_map(tiny, tiny.incidents.iloc[0:0]).get_root().render()
    overlays = layer_control(page)[1]
    assert "Incidents" not in overlays
    assert "Incident density" not in overlays
    assert overlays == [
        "Administrative boundaries",
        "Mission presence",
        "Local agreements",
        "Local political processes",
        "National political process",
    ]
    assert "markerClusterGroup(" not in page
    assert "heatLayer(" not in page


# --- local assets --------------------------------------------------------------------------

_ASSET_LINKS = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=[\"']([^\"']+)[\"']", re.I)


def test_joint_map_uses_only_local_assets(tiny):
    page = build_joint_map(tiny, tiny.incidents, show_density=True).get_root().render()
    links = _ASSET_LINKS.findall(page)
    assert links, "the page links no script or style at all"
    assert [u for u in links if not u.startswith("/app/static/vendor/")] == []
    assert not re.search(r"<(?:script|link)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", page)
    for url in links:
        assert (VENDOR_DIR / url.removeprefix("/app/static/vendor/")).is_file(), url
    for name in ("leaflet.js", "leaflet.css", "leaflet.markercluster.js", "leaflet-heat.js"):
        assert any(url.endswith(name) for url in links), name


def test_asset_url_is_used(tiny):
    page = build_joint_map(tiny, tiny.incidents, asset_url="/pocmap/vendor").get_root().render()
    links = _ASSET_LINKS.findall(page)
    assert links
    assert all(u.startswith("/pocmap/vendor/") for u in links)


def test_use_local_assets_on_a_plain_map():
    m = use_local_assets(folium.Map(tiles=None))
    links = _ASSET_LINKS.findall(m.get_root().render())
    assert sorted(links) == [
        "/app/static/vendor/leaflet/leaflet.css",
        "/app/static/vendor/leaflet/leaflet.js",
    ]
    # the classes are left alone: another map still asks for its own assets
    assert any("http" in url for _, url in folium.Map.default_js)


class _Mystery(JSCSSMixin, MacroElement):
    default_js: ClassVar = [("mystery_js", "https://cdn.example.org/mystery.js")]
    _template = Template("")


def test_unknown_asset_raises_naming_it():
    m = folium.Map(tiles=None)
    m.add_child(_Mystery())
    with pytest.raises(ValueError, match="mystery_js") as info:
        use_local_assets(m)
    assert "https://cdn.example.org/mystery.js" in str(info.value)


# --- tile server from the environment ------------------------------------------------------


def test_no_tile_server_when_unset(monkeypatch):
    monkeypatch.delenv("POCMAP_TILE_URL", raising=False)
    assert tile_server_from_env() is None
    monkeypatch.setenv("POCMAP_TILE_URL", "   ")
    assert tile_server_from_env() is None


def test_tile_server_from_an_xyz_template(monkeypatch):
    monkeypatch.setenv("POCMAP_TILE_URL", " https://tiles.mission.un/{z}/{x}/{y}.png ")
    monkeypatch.delenv("POCMAP_TILE_ATTRIBUTION", raising=False)
    assert tile_server_from_env() == TileServer(
        "https://tiles.mission.un/{z}/{x}/{y}.png", "Mission tile server"
    )
    monkeypatch.setenv("POCMAP_TILE_ATTRIBUTION", "UNMISS GIS")
    assert tile_server_from_env().attribution == "UNMISS GIS"


@pytest.mark.parametrize(
    "url",
    ["https://tiles.mission.un/tiles.png", "https://tiles.mission.un/{z}/{x}.png"],
)
def test_tile_server_without_xyz_is_rejected(monkeypatch, url):
    monkeypatch.setenv("POCMAP_TILE_URL", url)
    with pytest.raises(ValueError) as info:
        tile_server_from_env()
    message = str(info.value)
    assert "POCMAP_TILE_URL" in message
    assert repr(url) in message
    assert "{z}, {x} and {y}" in message
