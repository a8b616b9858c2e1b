"""The browser code pocmap serves itself (``static/vendor/``) is exactly what its manifest says."""

import hashlib
import json
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
MANIFEST = VENDOR / "manifest.json"


def _manifest() -> dict:
    return json.loads(MANIFEST.read_text())


def test_every_vendored_file_is_listed_with_its_hash():
    listed = {
        f"{package}/{name}": digest
        for package, meta in _manifest().items()
        for name, digest in meta["files"].items()
    }
    on_disk = {
        str(path.relative_to(VENDOR)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(VENDOR.rglob("*"))
        if path.is_file() and path != MANIFEST
    }
    assert sorted(on_disk) == sorted(listed), "static/vendor/ and its manifest list other files"
    changed = [name for name, digest in on_disk.items() if listed[name] != digest]
    assert not changed, f"changed since the manifest was written: {changed}"


def test_the_manifest_versions_are_the_ones_in_the_files():
    headers = {
        "leaflet": ("leaflet.js", "Leaflet {version}"),
        "leaflet.markercluster": ("leaflet.markercluster.js", None),
        "leaflet.heat": ("leaflet-heat.js", None),
    }
    manifest = _manifest()
    assert set(manifest) == set(headers)
    for package, (script, banner) in headers.items():
        meta = manifest[package]
        assert meta["npm"] and meta["version"] and meta["licence"]
        assert script in meta["files"]
        if banner:
            head = (VENDOR / package / script).read_text()[:400]
            assert banner.format(version=meta["version"]) in head
