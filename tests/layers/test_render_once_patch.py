"""The render-once patch (``layers/render_once.py``) is still needed by the installed folium."""

import subprocess
import sys

# Without the patch installed, folium renders a page from plain folium and branca.
_PLAIN_FOLIUM = """
import folium
m = folium.Map(tiles=None)
folium.Marker([0, 0], tooltip="{{ 6 * 7 }} tooltip").add_to(m)
html = m.get_root().render()
print("re-read" if "42 tooltip" in html else "literal")
"""


def test_plain_folium_still_reads_rendered_text_as_a_template():
    done = subprocess.run(
        [sys.executable, "-c", _PLAIN_FOLIUM], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "re-read", (
        "folium no longer renders an element's text a second time as a Jinja template: "
        "remove the patch (layers/render_once.py) and the pins on folium and branca in "
        "pyproject.toml"
    )


def test_with_the_patch_the_text_stays_literal():
    import folium

    from layers.render_once import install_render_once

    install_render_once()

    m = folium.Map(tiles=None)
    folium.Marker([0, 0], tooltip="{{ 6 * 7 }} tooltip").add_to(m)
    assert "42 tooltip" not in m.get_root().render()
