"""What the store refuses, said in French when French is chosen (a GeoPackage store: the
messages are the same code on PostGIS), and in English by default."""

from __future__ import annotations

import re

import pytest

from languages import use
from schema.catalogue import LAYER_SPECS
from store import open_store
from store.audit_chain import ANCHOR, Anchor
from store.base import DuplicateIds, DuplicateUpload, StoreError, UnknownBatch
from store.migrate import MigrationError, migrate
from tests.languages.english import english_left
from tests.store import helpers

CODES = r"\b[a-z]+(?:_[a-z0-9]+)+\b|`[^`]*`|\b[0-9a-f]{8,}\b|\b[a-z_]+\.[a-z_]+\b"
"""What a person types or reads as written: snake_case codes, commands, hashes,
``layer.column`` names."""


def _english(text: str, *data: str) -> set[str]:
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return english_left(re.sub(CODES, " ", text))


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path / "data" / "pocmap.gpkg")


def _commit(store, frame, original: bytes, *, office: str = "Kalondo office"):
    return store.commit_batch(
        helpers.new_batch("incidents", frame, original, office=office),
        frame,
        report=helpers.REPORT,
        original=original,
        id_column="incident_id",
    )


def test_batch_refusals_are_french(store) -> None:
    first = _commit(store, helpers.incidents(3, "KAL"), b"one")
    data = [first.source_name, "Kalondo office", first.imported_at[:10], "KAL-0", "KAL-1", "KAL-2"]
    data += ["j.analyst"]
    with use("fr"), pytest.raises(DuplicateUpload) as same:
        _commit(store, helpers.incidents(3, "OTHER"), b"one")
    assert str(same.value) == (
        f"{first.source_name} a déjà été importé comme lot 1 (incidents) de Kalondo office le "
        f"{first.imported_at[:10]} ; retirez d'abord le lot 1 pour l'importer de nouveau"
    )
    with use("fr"), pytest.raises(DuplicateIds) as ids:
        _commit(store, helpers.incidents(5, "KAL"), b"two", office="Oubandi office")
    assert str(ids.value).startswith(
        "3 valeurs de incident_id de la couche incidents sont déjà dans la base : "
        "KAL-0, KAL-1, KAL-2 (dans lot 1 (incidents, fichier "
    )
    with use("fr"), pytest.raises(UnknownBatch) as unknown:
        store.batch(42)
    assert str(unknown.value) == "il n'y a pas de lot 42 dans la base ; voyez la liste des lots"
    store.withdraw(1, by="j.analyst", reason="dates fausses")
    with use("fr"), pytest.raises(StoreError) as twice:
        store.withdraw(1, by="x", reason="encore")
    assert str(twice.value).startswith("le lot 1 a déjà été retiré par j.analyst le ")
    with use("fr"), pytest.raises(StoreError) as withdrawn:
        store.accept(1, by="x")
    with use("fr"), pytest.raises(ValueError) as why:
        store.withdraw(1, by="x", reason=" ")
    for error in (same, ids, unknown, twice, withdrawn, why):
        assert _english(str(error.value), *data, "dates fausses") == set(), str(error.value)
    # English by default, as before.
    with pytest.raises(UnknownBatch, match="there is no batch 42 in the store"):
        store.batch(42)


def test_edits_and_links_are_refused_in_french(store) -> None:
    _commit(store, helpers.incidents(2, "KAL"), b"one")
    refusals = []
    by = {"by": "a", "reason": "r"}
    with use("fr"):
        for call in (
            lambda: store.edit("incidents", "KAL-0", {"narrative": "x"}, **by),
            lambda: store.edit("incidents", "KAL-0", {"motivation": "greed"}, **by),
            lambda: store.edit(
                "incidents", "NOPE-9", {"motivation": "revenge"}, by="a", reason="r"
            ),
            lambda: store.decide_link(7, "confirmed", by="a", reason="mêmes victimes"),
            lambda: store.decide_link(7, "maybe", by="a", reason="x"),
        ):
            with pytest.raises((StoreError, ValueError, KeyError)) as caught:
                call()
            refusals.append(str(caught.value.args[0]))
    assert refusals[0].startswith("incidents.narrative ne peut pas être modifié")
    assert refusals[1].startswith("motivation 'greed' n'est pas l'un de ")
    assert refusals[2] == "aucune ligne de incidents d'un lot actif n'a incident_id 'NOPE-9'"
    assert refusals[3] == "il n'y a pas de lien 7 ; `pocmap links` les liste"
    assert refusals[4].startswith("la décision est 'maybe' alors qu'un lien peut être confirmé")
    codes = ["predation", "extraction", "revenge", "collateral", "political", "punitive", "unknown"]
    for text in refusals:
        assert _english(text, "greed", "NOPE-9", "maybe", *codes) == set(), text


def test_the_audit_chain_and_migration_speak_french(store, tmp_path) -> None:
    _commit(store, helpers.incidents(2, "KAL"), b"one")
    entries = len(store.audit_log())
    with use("fr"):
        intact = store.verify_audit().summary()
        broken = store.verify_audit(Anchor(99, "0" * 64))
        said_broken = broken.summary()
        with pytest.raises(ValueError) as anchor:
            Anchor.parse("pas une ancre")
        with pytest.raises(MigrationError) as same:
            migrate(store, store, by="x")
        empty = open_store(tmp_path / "vide.gpkg")
        with pytest.raises(MigrationError) as nothing:
            migrate(empty, open_store(tmp_path / "autre.gpkg"), by="x")
        report = migrate(store, open_store(tmp_path / "copie.gpkg"), by="x").summary()
    assert intact.startswith(f"journal d'audit intact : {entries} entrées, ")
    assert said_broken == (
        f"journal d'audit ROMPU : 1 rupture(s) sur {entries} entrées ; la première à seq 99 : "
        "ancre introuvable"
    )
    assert broken.breaks[-1].kind == ANCHOR  # the kind stays an identifier
    assert "l'entrée de l'ancre, seq 99, n'est pas dans le journal" in broken.breaks[-1].message
    # The labels stay in one column, however long the language writes them.
    assert "\n  lots                      1 (0 retirés, 0 en relecture)\n" in report
    assert "\n  fichiers tels qu'envoyés  1 (3 octets)\n" in report
    texts = [intact, said_broken, *(b.message for b in broken.breaks), str(anchor.value),
             str(same.value), str(nothing.value), report]  # fmt: skip
    places = [str(tmp_path), store.location, "pas une ancre", *LAYER_SPECS]  # layers: codes
    for text in texts:
        assert _english(text, *places) == set(), text
