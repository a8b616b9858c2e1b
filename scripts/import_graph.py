"""Print the repository's import graph: package edges, cycles, private reach-ins, drawing libraries.

Reads every ``.py`` file with ``ast`` (nothing is imported), so it runs on any checkout:
``python scripts/import_graph.py [root]``. ``docs/architecture.md`` shows its output;
``tests/test_architecture.py`` enforces the rules.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

DRAWING = ("folium", "branca", "streamlit", "streamlit_folium", "matplotlib")
SKIPPED = {".venv", ".git", "static", "tests"}


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if SKIPPED.intersection(parts):
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path: Path, module: str) -> list[tuple[str, str | None, bool]]:
    """``(module, name, function_local)`` of every import in ``path``."""
    found: list[tuple[str, str | None, bool]] = []

    def walk(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # not imported when the code runs
            if isinstance(child, ast.Import):
                found.extend((alias.name, None, local) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = module.split(".")[: -child.level if path.stem != "__init__" else None]
                    base = ".".join([*package, base] if base else package)
                found.extend((base, alias.name, local) for alias in child.names)
            walk(child, inner)

    walk(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return out


def main(root: Path) -> None:
    modules = _modules(root)
    tops = {name.split(".")[0] for name in modules}
    packages: dict[str, set[str]] = defaultdict(set)
    top_level: dict[str, set[str]] = defaultdict(set)
    every: dict[str, set[str]] = defaultdict(set)
    private, drawing = [], defaultdict(set)
    for module, path in modules.items():
        owner = module.split(".")[0]
        for base, name, local in _imports(path, module):
            top = base.split(".")[0]
            if top in DRAWING:
                drawing[(owner, top)].add(module)
            if top not in tops:
                continue
            target = f"{base}.{name}" if name and f"{base}.{name}" in modules else base
            every[module].add(target)
            if not local:
                top_level[module].add(target)
            if top != owner:
                packages[owner].add(top)
                parts = [*target.split(".")[1:], name or ""]
                if any(p.startswith("_") and not p.startswith("__") for p in parts):
                    private.append(f"{module} -> {base} import {name}")
    print("== package edges ==")
    for owner in sorted(packages):
        print(f"  {owner:12} -> {', '.join(sorted(packages[owner]))}")
    print("== package cycles ==", *(" <-> ".join(c) for c in _cycles(packages)), sep="\n  ")
    print("== module cycles ==", *map(str, _cycles(top_level)), sep="\n  ")
    print("== with function-local imports ==", *map(str, _cycles(every)), sep="\n  ")
    print("== cross-package private imports ==", *sorted(private), sep="\n  ")
    print("== drawing libraries ==")
    for (owner, library), where in sorted(drawing.items()):
        print(f"  {owner:12} {library:16} {len(where)} module(s)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent))
