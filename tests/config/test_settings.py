"""config.settings is the one list of ``POCMAP_*`` settings: complete, current, and the
source of docs/configuration.md."""

from __future__ import annotations

import ast
import os
import re
from fnmatch import fnmatch
from pathlib import Path

from config import settings
from config.settings import ALL, BY_NAME, markdown

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"POCMAP_[A-Z0-9_]+")
SKIP = {".venv", ".git", "node_modules", "static", "data", "__pycache__"}
LIST = ROOT / "config" / "settings.py"
DOC = ROOT / "docs" / "configuration.md"


def _files(*patterns: str) -> list[Path]:
    """The repository's files matching ``patterns``, never looking inside :data:`SKIP`."""
    found = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in SKIP]
        found += [Path(folder, n) for n in names if any(fnmatch(n, p) for p in patterns)]
    return sorted(set(found) - {LIST, DOC})


def _named_in_python(path: Path) -> set[str]:
    """``POCMAP_*`` in the file's strings: a Python name that starts so (a test's
    constant) is not a setting."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        for name in NAME.findall(node.value)
    }


def _named_everywhere() -> dict[str, set[str]]:
    """Every ``POCMAP_*`` the code, scripts, deployment and docs name, with where."""
    where: dict[str, set[str]] = {}
    for path in _files("*.py"):
        for name in _named_in_python(path):
            where.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    for path in _files("*.sh", "*.yaml", "*.yml", "*.toml", "*.md", "*.env", "Dockerfile"):
        for name in NAME.findall(path.read_text(encoding="utf-8", errors="replace")):
            where.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return where


def test_docs_configuration_md_is_generated_from_the_list() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/configuration.md differs from config/settings.py: run "
        "`python -m config.settings --markdown > docs/configuration.md`"
    )


def test_every_setting_the_code_names_is_listed() -> None:
    named = _named_everywhere()
    missing = {name: sorted(files) for name, files in named.items() if name not in BY_NAME}
    assert not missing, f"add these to config/settings.py: {missing}"


def test_every_listed_setting_is_read_somewhere() -> None:
    named = _named_everywhere()
    stale = [s.name for s in ALL if s.name not in named]
    assert not stale, f"listed in config/settings.py but named nowhere else: {stale}"


def test_names_are_unique_and_every_setting_is_described() -> None:
    assert len(BY_NAME) == len(ALL)
    for s in ALL:
        assert NAME.fullmatch(s.name), s.name
        assert s.default and s.meaning.endswith(".") and s.used_by, s.name
        assert not s.see or (ROOT / s.see).is_file(), f"{s.name}: {s.see} does not exist"


def test_the_listed_defaults_are_the_codes_defaults(tmp_path, monkeypatch) -> None:
    """Each default this list states is the one the code falls back to."""
    from access.users import users_path
    from briefing.figures import default_marking
    from layers.joint_map import tile_server_from_env
    from schema.upload import MB, Limits
    from store import DEFAULT_LOCATION
    from ui.downloads import lifetime

    for s in ALL:
        monkeypatch.delenv(s.name, raising=False)
    limits = Limits.from_env()
    assert settings.MAX_UPLOAD_MB.default == f"{limits.max_bytes // MB}"
    assert settings.READ_SECONDS.default == f"{limits.read_seconds:g}"
    assert settings.READ_MEMORY_MB.default == f"{limits.read_memory_bytes // MB}"
    assert settings.DOWNLOAD_MINUTES.default == f"{lifetime() / 60:g}"
    assert f"`{default_marking()}`" == settings.MARKING.default
    assert f"`{users_path()}`" in settings.USERS.default
    assert f"`{DEFAULT_LOCATION}`" in settings.DB.default
    monkeypatch.setenv(settings.TILE_URL.name, "https://tiles.example.org/{z}/{x}/{y}.png")
    server = tile_server_from_env()
    assert server is not None and f"`{server.attribution}`" == settings.TILE_ATTRIBUTION.default


def test_value_reads_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("POCMAP_MARKING", "  UN RESTRICTED ")
    assert settings.MARKING.value() == "UN RESTRICTED"
    monkeypatch.delenv("POCMAP_MARKING")
    assert settings.MARKING.value() == ""


def test_the_module_imports_nothing_of_pocmap_or_any_library() -> None:
    """A ground floor: the standard library only, so anything (``pocmap --help``) may
    import it."""
    tree = ast.parse(LIST.read_text(encoding="utf-8"))
    imported = {
        (alias.name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"__future__", "argparse", "collections", "dataclasses", "os", "sys"}
