"""The import rules of ``docs/architecture.md``, checked on every module of the product.

Each package lives on a floor and imports only from the floors below it (plus the few
sideways imports listed); streamlit is for the faces, folium and branca for the map,
matplotlib for the printed page; no package reaches into another's private names.
``bench/`` and ``tests/`` measure and exercise everything: they are outside the floors.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = (
    ("languages",),  # the catalogues and the current language: imports no other package
    ("schema",),  # the vocabulary: imports only the languages
    ("store", "ingest", "analysis", "coding", "sample_data"),  # the core
    ("access",),  # who may do what, over the store
    ("layers", "briefing"),  # rendering: the interactive map, the printed page
    ("cli", "ui"),  # the faces
    ("app", "asgi"),  # the Streamlit entry points
)
SIDEWAYS = {("ingest", "store"), ("briefing", "layers"), ("cli", "ui")}
FLOOR = {package: n for n, floor in enumerate(FLOORS) for package in floor}
ONLY_IN = {
    "streamlit": {"ui", "app", "asgi"},
    "streamlit_folium": {"ui"},
    "folium": {"layers"},
    "branca": {"layers"},
    "matplotlib": {"briefing"},
}


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """``(module, name)`` of every import in ``path``, function-local ones included."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def _broken_rules(root: Path) -> list[str]:
    broken = []
    for path in sorted(root.rglob("*.py")):
        owner = path.relative_to(root).parts[0].removesuffix(".py")
        if owner not in FLOOR:
            continue
        for module, name in _imports(path):
            top, *rest = module.split(".")
            where = f"{path.relative_to(root)} imports {module}" + (f".{name}" if name else "")
            if owner not in ONLY_IN.get(top, {owner}):
                broken.append(f"{where}: {top} belongs in {sorted(ONLY_IN[top])} only")
            if top not in FLOOR or top == owner:
                continue
            if FLOOR[top] > FLOOR[owner] or (
                FLOOR[top] == FLOOR[owner] and (owner, top) not in SIDEWAYS
            ):
                broken.append(f"{where}: {owner} may not import {top} (docs/architecture.md)")
            # ``_`` is gettext's translate function (languages), not a private name.
            if any(
                p.startswith("_") and not p.startswith("__") and p != "_"
                for p in [*rest, name or ""]
            ):
                broken.append(f"{where}: a private name of another package")
    return broken


def test_every_import_keeps_the_rules_of_the_floors() -> None:
    broken = _broken_rules(ROOT)
    assert not broken, "\n".join(broken)


def test_the_core_loads_no_map_page_or_plotting_library() -> None:
    """Every module below the rendering floor imported, and ``layers`` itself: none of
    streamlit, folium, branca or matplotlib is loaded (the render-once patch neither)."""
    code = (
        "import importlib, pkgutil, sys, layers\n"
        "for top in ('schema', 'store', 'ingest', 'analysis', 'access', 'sample_data'):\n"
        "    package = importlib.import_module(top)\n"
        "    for found in pkgutil.walk_packages(package.__path__, top + '.'):\n"
        "        importlib.import_module(found.name)\n"
        "print(*sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert [m for m in done.stdout.split() if m.split(".")[0] in ONLY_IN] == []
