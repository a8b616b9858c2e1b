"""The map in French: layer names, legend, popups and tooltips read in French (the page
parsed back), hostile text stays inert and French apostrophes break no script."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from briefing.exports import to_html
from briefing.selection import prepare
from languages import _, use
from layers import admin_boundaries, hotspot_cells, incident_cells, incidents
from layers.joint_map import build_joint_map, legend_html
from schema.mission import load_sample
from tests.languages.english import english_left
from tests.layers.french import data_values, not_yet_translated
from tests.layers.test_builders import (  # noqa: F401 (hostile: a fixture)
    BUILDERS,
    SHOWN,
    assert_inert,
    hostile,
    layer_control,
    render,
)

_DECODER = json.JSONDecoder()
_TAG = re.compile(r"<[^>]+>")
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def _strings_after(page: str, call: str) -> list[str]:
    """The JSON string argument of every ``call(`` in the page (popups, tooltips...)."""
    found = []
    for match in re.finditer(re.escape(call) + r"\(\s*", page):
        if page[match.end()] == '"':
            found.append(_DECODER.raw_decode(page, match.end())[0])
    return found


def _json_after(page: str, name: str) -> object:
    """The JSON value assigned to ``var name =`` in the page."""
    match = re.search(r"(?:var |, )" + re.escape(name) + r"\s*=\s*", page)
    assert match, name
    return _DECODER.raw_decode(page, match.end())[0]


def _legend(page: str) -> str:
    """The HTML the map's legend control is filled with."""
    match = re.search(r'div\.innerHTML\s*=\s*(?=")', page)
    assert match, "no legend in the page"
    return _DECODER.raw_decode(page, match.end())[0]


def _text(markup: str) -> str:
    """What a person reads of some HTML: tags out, entities read."""
    return html.unescape(_TAG.sub(" ", markup))


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def ignoring(sample):
    return [*data_values(sample), *not_yet_translated()]


@pytest.fixture(scope="module")
def french_page(sample):
    with use("fr"):
        m = build_joint_map(sample, sample.incidents.head(400))
    return m.get_root().render()


def test_the_layer_control_names_the_layers_in_french(french_page):
    bases, overlays = layer_control(french_page)
    assert [html.unescape(n) for n in bases] == [
        "Fond de carte hors ligne (sans internet)",
        "OpenStreetMap (internet nécessaire)",
    ]
    assert [html.unescape(n) for n in overlays] == [
        "Limites administratives",
        "Présence de la mission",
        "Accords locaux",
        "Processus politiques locaux",
        "Processus politique national",
        "Densité des incidents",
        "Incidents",
    ]


def test_the_legend_is_french(french_page, ignoring):
    legend = _text(_legend(french_page))
    for words in ("Légende", "Incidents par motivation", "Travail politique", "Limites"):
        assert words in legend
    assert "Zone du bureau de terrain" in legend and "Limite admin1" in legend
    assert english_left(legend, ignoring=ignoring) == set()


def test_the_popups_and_tooltips_are_french(french_page, ignoring):
    fields = _json_after(french_page, "fields")
    labels = [html.unescape(label) for label, _ in fields]
    assert labels == [
        "Incident",
        "Date",
        "Type",
        "Motivation",
        "Niveau de certitude",
        "Auteur",
        "Morts",
        "Blessés",
        "Enlevés",
        "Victimes",
        "Précision du lieu",
        "Zone",
        "Bureau de terrain",
        "Source",
    ]
    lookups = dict(zip(labels, [lookup for _, lookup in fields], strict=True))
    assert lookups["Niveau de certitude"] == ["confirmé", "probable", "possible"]
    assert lookups["Précision du lieu"][:2] == ["exacte", "approximative"]
    popups = _strings_after(french_page, "bindPopup")
    tooltips = _strings_after(french_page, "bindTooltip")
    assert len(popups) > 20 and tooltips
    shown = " ".join(_text(text) for text in [*popups, *tooltips, *labels])
    for words in ("Statut", "Rôle de la mission", "Jalons du processus national", "Ouvert le"):
        assert words in shown
    assert english_left(shown, ignoring=ignoring) == set()
    # The check sees English: the English map's popups are full of it.
    english = build_joint_map(load_sample(), load_sample().incidents.head(5)).get_root().render()
    english_popups = " ".join(_text(t) for t in _strings_after(english, "bindPopup"))
    assert {"milestones", "provisions", "protected"} <= english_left(english_popups, ignoring)


def test_incident_cells_say_it_in_french(sample):
    cells = prepare(sample).cells.cells
    with use("fr"):
        page = (
            build_joint_map(sample, sample.incidents.iloc[:0], incident_cells_frame=cells)
            .get_root()
            .render()
        )
        section = incident_cells.legend_section()
    assert "Incidents par cellule" in [html.unescape(n) for n in layer_control(page)[1]]
    words = _json_after(page, "words")
    assert words == ["\u2063 incident", "\u2063 incidents", "point chaud (Gi*)"]
    assert _json_after(page, "language") == "fr"
    assert section[0] == "Cellules d'incidents, par motivation principale"
    assert section[1][-1][1] == "Point chaud (Gi*)"


def test_hot_spot_cells_say_it_in_french(sample):
    cells = prepare(sample).analysis.hot_spots.cells
    with use("fr"):
        page = render(hotspot_cells.build(cells))
        entries = hotspot_cells.legend_entries()
    assert [html.unescape(n) for n in layer_control(page)[1]] == ["Points chauds (Gi*)"]
    assert '"Morts"' in page and '"Score z de Gi*"' in page and "point chaud 1" in page
    assert entries[-1][1] == "Près d'un point chaud (aucun incident propre\u00a0; non compté)"


@pytest.mark.parametrize("name", list(BUILDERS))
def test_hostile_text_stays_inert_in_french(name, hostile):  # noqa: F811
    build, _, _ = BUILDERS[name]
    with use("fr"):
        page = render(build(hostile))
    assert_inert(page)
    assert page.count("alert(document.domain)") == SHOWN[name]


def test_a_name_with_an_apostrophe_reaches_the_control_escaped(sample):
    name = "Limites d'auteur « <b>x</b> »"
    with use("fr"):
        page = render(
            admin_boundaries.build(sample.admin_boundaries, name=name),
            incidents.build(sample.incidents.head(5), name="L'incident"),
        )
    assert layer_control(page)[1] == [
        "Limites d&#x27;auteur « &lt;b&gt;x&lt;/b&gt; »",
        "L&#x27;incident",
    ]
    assert html.unescape(layer_control(page)[1][0]) == name
    assert "<b>x</b>" not in page


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to parse the scripts")
def test_every_script_of_the_french_map_and_export_parses(french_page, sample, tmp_path):
    with use("fr"):
        exported = to_html(prepare(sample))
        legend = legend_html(sample.label, extra=(incident_cells.legend_section(),))
    assert "Légende" in _text(_legend(exported)) and "Cellules d&#x27;incidents" in legend
    scripts = [s for page in (french_page, exported) for s in _INLINE_SCRIPT.findall(page)]
    assert any("d\\u0027" in s for s in scripts)  # French apostrophes, inside the scripts
    for i, script in enumerate(scripts):
        path = Path(tmp_path) / f"script{i}.js"
        path.write_text(script, encoding="utf-8")
        checked = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr[-2000:]


def test_the_french_export_is_titled_and_labelled_in_french(sample, ignoring):
    with use("fr"):
        page = to_html(prepare(sample))
        label = _(sample.label)  # the sample's label is pocmap's own text: French too
    title = html.unescape(re.search(r"<title>(.*?)</title>", page)[1])
    assert label.startswith("Carana : données")
    assert title == f"{label}\u00a0: du 1 janv. 2023 au 31 déc. 2025"
    bases, overlays = layer_control(page)
    assert "Incidents par cellule" in [html.unescape(n) for n in overlays]
    legend = _text(_legend(page))
    assert "Cellules d'incidents, par motivation principale" in legend
    assert english_left(legend + " " + " ".join(bases + overlays), ignoring=ignoring) == set()
