"""No restricted field reaches a person who may not read it, on any page, in any download.

Every page under ``ui/pages/`` (new pages are swept without being named here) is run for
every role (AppTest) on a store holding two offices' incidents whose restricted fields
(``access.session.RESTRICTED``: narrative, perpetrator name, motivation as written) and
rows as sent carry marked words. Everything the page draws (texts, tables, options, the
address it links to) and every download it offers (built as its button would build it, and
unzipped when it is a zip: xlsx, zipped shapefiles) is searched for the marks:

- a viewer and an admin find none;
- a field office finds none of the other office's (its own are its own);
- an analyst finds them (so the search can find what it looks for).

Pages that open one incident by the address (``?incident=``) are also run on an incident of
the other office.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

import ui.downloads
from access.users import load
from store import open_store
from store.base import UNDER_REVIEW
from tests.ingest import uploads
from tests.store import helpers

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.stem for p in (ROOT / "ui" / "pages").glob("*.py") if p.stem != "__init__")
PASSWORD = "a long enough password"
OWN, OTHER = "Kalondo office", "Oubandi office"
PEOPLE = {
    "lead": ("viewer", None),
    "kalondo": ("field_office", OWN),
    "ana": ("analyst", None),
    "it": ("admin", None),
}
MARK = re.compile(r"SECRET[A-Z]+(KAL|OUB)\d+")
"""A restricted value's mark: ``SECRETNARRKAL3`` is batch Kalondo's narrative number 3."""


def _marked(rows: pd.DataFrame, tag: str, *, unknown: bool = False) -> pd.DataFrame:
    rows = rows.copy()
    n = len(rows)
    rows["narrative"] = [f"Villagers said SECRETNARR{tag}{i} about it." for i in range(n)]
    rows["perpetrator_name"] = [f"SECRETPERP{tag}{i}" for i in range(n)]
    rows["motivation_raw"] = [f"SECRETRAW{tag}{i}" for i in range(n)]
    if unknown:  # in the coding queue
        rows["motivation"] = "unknown"
        rows["motivation_confidence"] = None
    rows["source_record"] = [
        json.dumps({"id": i, "note": f"SECRETREC{tag}{n}"}) for n, i in enumerate(rows.index)
    ]
    return rows


@pytest.fixture(scope="module")
def mission_file(tmp_path_factory) -> Path:
    path = uploads.store_with_boundaries(tmp_path_factory.mktemp("restricted") / "pocmap.gpkg")
    store = open_store(path)
    for office, tag, prefix, review, unknown in (
        (OWN, "KAL", "KAL", None, False),
        (OTHER, "OUB", "OUB", None, True),
        (OWN, "KAL", "KALW", UNDER_REVIEW, True),
        (OTHER, "OUB", "OUBW", UNDER_REVIEW, False),
    ):
        rows = _marked(helpers.incidents(4, prefix, seed=len(prefix)), tag, unknown=unknown)
        original = f"{prefix} SECRETFILE{tag}0".encode()
        batch = helpers.new_batch("incidents", rows, original, office=office)
        if review:
            batch = dataclasses.replace(batch, review=review)
        store.commit_batch(
            batch, rows, report=helpers.REPORT, original=original, id_column="incident_id"
        )
    return path


@pytest.fixture
def db(mission_file, tmp_path, monkeypatch) -> Iterator[Path]:
    path = tmp_path / "pocmap.gpkg"
    shutil.copyfile(mission_file, path)
    monkeypatch.setenv("POCMAP_DB", str(path))
    monkeypatch.setenv("POCMAP_USERS", str(tmp_path / "users.json"))
    for name in ("POCMAP_DATA_DIR", "POCMAP_DATA_LABEL", "POCMAP_LANG"):
        monkeypatch.delenv(name, raising=False)
    users = load(tmp_path / "users.json")
    for name, (role, office) in PEOPLE.items():
        users.add(name, role, office=office, password=PASSWORD, by="test")
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


@pytest.fixture
def downloads(monkeypatch) -> list[bytes]:
    """Every download a page offers, built as its button would build it when clicked."""
    built: list[bytes] = []
    offer = ui.downloads.button

    def button(where: Any, label: str, make: Callable[[], bytes], **options: Any) -> Any:
        built.append(make())
        return offer(where, label, make, **options)

    monkeypatch.setattr(ui.downloads, "button", button)
    return built


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _shown(at: AppTest) -> str:
    """Everything the page drew, as text: every string of every element (tables' cells
    included), the address's parameters."""
    found: list[str] = []
    for node in _nodes(at._tree):
        if getattr(node, "type", None) in ("arrow_data_frame", "dataframe") and hasattr(
            node, "value"
        ):
            found.append(node.value.to_csv())
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            found.extend(_strings(MessageToDict(proto)))
    found.extend(str(v) for v in at.query_params.values())
    return "\n".join(found)


def _unpacked(data: bytes) -> str:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return data.decode("utf-8", "replace")


def _marks(text: str) -> set[str]:
    return {m.group(1) for m in MARK.finditer(text)}


def _run(page: str, name: str, incident: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / f"{page}.py"), default_timeout=120)
    if incident is not None:
        at.query_params["incident"] = incident
    at.run()
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _seen(page: str, name: str, downloads: list[bytes], incident: str | None = None) -> set[str]:
    downloads.clear()
    at = _run(page, name, incident)
    return _marks(_shown(at)) | {m for data in downloads for m in _marks(_unpacked(data))}


MAY_SEE = {"lead": set(), "it": set(), "kalondo": {"KAL"}}


def _reads_the_address(page: str) -> bool:
    """Whether the page reads its address (``?incident=``)."""
    return "query_params" in (ROOT / "ui" / "pages" / f"{page}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", list(MAY_SEE))
def test_no_page_shows_what_the_role_may_not_read(db, downloads, page, name):
    assert _seen(page, name, downloads) <= MAY_SEE[name]
    # The other office's incident asked for by the address (accepted, and under review).
    for incident in ("OUB-1", "OUBW-1") if _reads_the_address(page) else ():
        assert _seen(page, name, downloads, incident) <= MAY_SEE[name]


def test_the_search_finds_what_an_analyst_reads(db, downloads):
    seen: set[str] = set()
    for page in PAGES:
        seen |= _seen(page, "ana", downloads, "OUB-1" if _reads_the_address(page) else None)
    assert seen == {"KAL", "OUB"}
