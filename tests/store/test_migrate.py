"""``store.migrate``: a whole store copied into an empty one, exactly, on either backend.

The GeoPackage -> GeoPackage cases need no server and run everywhere; the PostGIS ones
use the ``postgis_url`` fixture (a fresh database each) and are marked ``postgis``.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from ingest.sample import load_sample_into
from schema.catalogue import LAYER_SPECS
from store import DuplicateUpload, open_store
from store.base import ACCEPTED, UNDER_REVIEW, WITHDRAWN, Actor
from store.migrate import MigrationError, migrate
from tests.store import helpers

ANA = Actor("ana", "analyst")
KALONDO = Actor("kal", "field_office", "Kalondo office")
ADMIN = Actor("it.admin", "admin")

PAIRS = [
    pytest.param(("geopackage", "geopackage"), id="gpkg-to-gpkg"),
    pytest.param(("geopackage", "postgis"), id="gpkg-to-postgis", marks=pytest.mark.postgis),
    pytest.param(("postgis", "geopackage"), id="postgis-to-gpkg", marks=pytest.mark.postgis),
]


def _commit(
    store,
    prefix: str,
    *,
    review: str = ACCEPTED,
    original: bytes | None = None,
    out_of_scope: int = 0,
):
    rows = helpers.incidents(3, prefix)
    original = original if original is not None else prefix.encode()
    batch = helpers.new_batch("incidents", rows, original)
    batch = dataclasses.replace(
        batch, review=review, out_of_scope=out_of_scope, rows_read=batch.rows_read + out_of_scope
    )
    return store.commit_batch(
        batch, rows, report=helpers.REPORT, original=original, id_column="incident_id", by=KALONDO
    )


def populate(store) -> None:
    """The sample, plus one of every kind of thing a store keeps.

    A withdrawn batch whose file and ids were imported again (the reason it was
    withdrawn), one withdrawn in review, one under review, one accepted by an analyst,
    an edit, a saved mapping and audit entries with roles and offices.
    """
    sample = load_sample_into(store)
    store.withdraw(sample[1].batch_id, by=ADMIN, reason="the basemap was the wrong mission's")
    first = _commit(store, "DUP", original=b"same file")
    store.withdraw(first.batch_id, by=ANA, reason="sent twice; the second is the right one")
    _commit(store, "DUP", original=b"same file")  # same file, same ids: now active
    pending = _commit(store, "PEND", review=UNDER_REVIEW)
    store.withdraw(pending.batch_id, by=ANA, reason="wrong office")
    _commit(store, "WAIT", review=UNDER_REVIEW, out_of_scope=2)  # out of scope: copied too
    store.accept(_commit(store, "OK", review=UNDER_REVIEW).batch_id, by=ANA)
    sample_incident = store.layer("incidents")["incident_id"].iloc[0]
    store.edit(
        "incidents",
        sample_incident,
        {"motivation": "predation", "motivation_confidence": "confirmed"},
        by=ANA,
        reason="cattle taken, two witnesses",
    )
    store.edit("incidents", "OK-1", {"motivation": "political"}, by=ANA, reason="election")
    store.save_mapping("kalondo", "incidents", {"date": "Date"}, office="Kalondo", by=KALONDO)
    store.save_mapping("bunia", "mission_presence", {"name": "Nom"}, office="Bunia", by=ADMIN)
    store.record("export", by=ANA, target="layers.gpkg", details={"format": "gpkg"})
    store.record("sign_in", by=KALONDO, details={"method": "password"})
    # Double coding (migration 5): a sample coded by two analysts, one pair resolved.
    sample = store.add_coding_sample(
        "pilot", ["OK-0", "OK-1", "OK-2"], seed=11, method="simple", filter_description="{}",
        by=ANA,
    )  # fmt: skip
    for coder, code in ((ANA, "predation"), (Actor("ben", "analyst"), "revenge")):
        store.add_blind_code(sample, "OK-0", motivation=code, confidence="probable", by=coder)
    store.add_blind_code(sample, "OK-1", motivation="political", confidence=None, by=ANA)
    store.resolve_coding(
        sample, "OK-0", motivation="revenge", confidence="confirmed", reason="both read", by=ANA
    )


def _raw_rows(store, layer: str) -> list[tuple]:
    """What :meth:`layer` does not show: each row's record as read, in stored order."""
    with store._reading() as conn:
        return conn.execute(
            f'SELECT batch_id, source_row, source_record FROM "{layer}" ORDER BY fid'
        ).fetchall()


def assert_same_content(source, target) -> None:
    """Everything a store holds is equal, but the target's one more audit entry."""
    assert target.batches() == source.batches()
    for layer in LAYER_SPECS:
        for withdrawn in (False, True):
            pd.testing.assert_frame_equal(
                target.layer(layer, include_withdrawn=withdrawn),
                source.layer(layer, include_withdrawn=withdrawn),
            )
        assert _raw_rows(target, layer) == _raw_rows(source, layer)
        assert target.mappings(layer) == source.mappings(layer)
    for batch in source.batches():
        assert target.original(batch.batch_id) == source.original(batch.batch_id)
        pd.testing.assert_frame_equal(target.report(batch.batch_id), source.report(batch.batch_id))
    pd.testing.assert_frame_equal(target.edits(), source.edits())
    for table in ("coding_samples", "coding_sample_items", "blind_codes", "coding_resolutions"):
        pd.testing.assert_frame_equal(getattr(target, table)(), getattr(source, table)())
    source_log, target_log = source.audit_log(), target.audit_log()
    pd.testing.assert_frame_equal(target_log.iloc[:-1], source_log)
    assert target.schema_version() == source.schema_version()


def _location(kind: str, request, tmp_path, name: str) -> str:
    if kind == "geopackage":
        return str(tmp_path / f"{name}.gpkg")
    return request.getfixturevalue("postgis_url")


@pytest.fixture(params=PAIRS)
def pair(request, tmp_path):
    """A populated source and an empty target, of the kinds the parameter names."""
    source_kind, target_kind = request.param
    source = open_store(_location(source_kind, request, tmp_path, "source"))
    populate(source)
    target = open_store(_location(target_kind, request, tmp_path, "target"))
    return source, target


def test_everything_is_copied_exactly(pair):
    source, target = pair
    before = source.audit_log()
    report = migrate(source, target, by=ADMIN)
    assert_same_content(source, target)
    pd.testing.assert_frame_equal(source.audit_log(), before)  # the source is left as it was
    batches = source.batches()
    assert report.batches == len(batches) == 12
    assert report.withdrawn == sum(b.status == WITHDRAWN for b in batches) == 3
    assert report.under_review == 2  # one waiting, one withdrawn while waiting
    for layer in LAYER_SPECS:
        assert report.rows[layer] == len(source.layer(layer, include_withdrawn=True))
    assert report.rows_per_batch == {
        b.batch_id: b.accepted + b.accepted_with_warning for b in batches
    }
    assert (report.files, report.mappings) == (12, 2)
    assert report.edits == len(source.edits()) >= 2
    assert report.report_lines == sum(len(source.report(b.batch_id)) for b in batches)
    assert report.audit_entries == len(before)
    assert report.coding == {
        "coding_samples": 1, "coding_sample_items": 3, "blind_codes": 3, "coding_resolutions": 1,
    }  # fmt: skip
    assert re.search(r"double coding +1 samples, 3 blind codes, 1 resolved", report.summary())
    last = target.audit_log().iloc[-1]
    assert (last["action"], last["actor"], last["role"]) == ("migrate", "it.admin", "admin")
    assert source.location in last["details"]


def test_withdrawn_batches_stay_withdrawn_with_who_when_why(pair):
    source, target = pair
    migrate(source, target, by=ADMIN)
    withdrawn = [b for b in target.batches() if b.status == WITHDRAWN]
    assert {(b.status_changed_by, b.status_reason) for b in withdrawn} == {
        ("it.admin", "the basemap was the wrong mission's"),
        ("ana", "sent twice; the second is the right one"),
        ("ana", "wrong office"),
    }
    # The withdrawn duplicate is still refused a restore: the same file is active.
    duplicate = next(b for b in withdrawn if b.status_reason.startswith("sent twice"))
    with pytest.raises(DuplicateUpload, match="cannot be restored"):
        target.restore(duplicate.batch_id, by=ANA)


def test_new_numbers_come_after_the_copied_ones(pair):
    source, target = pair
    migrate(source, target, by=ADMIN)
    last_batch = max(b.batch_id for b in source.batches())
    last_seq = int(target.audit_log()["seq"].max())
    last_edit = int(source.edits()["edit_id"].max())
    batch = _commit(target, "NEW")
    assert batch.batch_id == last_batch + 1
    target.edit("incidents", "NEW-0", {"motivation": "punitive"}, by=ANA, reason="new facts")
    assert int(target.edits()["edit_id"].max()) == last_edit + 1
    target.save_mapping("kalondo", "incidents", {"date": "Jour"}, office="Kalondo", by=ANA)
    log = target.audit_log()
    sample = target.add_coding_sample(
        "again", ["NEW-1"], seed=1, method="simple", filter_description="{}", by=ANA
    )
    assert sample == int(source.coding_samples()["sample_id"].max()) + 1
    code = target.add_blind_code(sample, "NEW-1", motivation="revenge", confidence=None, by=ANA)
    assert code == int(source.blind_codes()["code_id"].max()) + 1
    log = target.audit_log().iloc[:-2]
    assert log["seq"].tolist()[-3:] == [last_seq + 1, last_seq + 2, last_seq + 3]
    assert log["action"].tolist()[-3:] == ["upload", "edit", "save_mapping"]


@pytest.mark.parametrize("held", ["a batch", "an audit entry", "a mapping"])
def test_a_target_that_is_not_empty_is_refused_and_left_alone(tmp_path, held):
    source = open_store(tmp_path / "source.gpkg")
    load_sample_into(source)
    target = open_store(tmp_path / "target.gpkg")
    if held == "a batch":
        _commit(target, "OLD")
    elif held == "an audit entry":
        target.record("sign_in", by=ANA)
    else:
        target.save_mapping("m", "incidents", {"date": "D"}, office="Kalondo", by=ANA)
    before = helpers.snapshot(target.location)
    with pytest.raises(MigrationError, match=r"is not empty .*create a new database"):
        migrate(source, target, by=ADMIN)
    assert helpers.snapshot(target.location) == before


@pytest.mark.postgis
def test_a_postgis_target_that_is_not_empty_is_refused(tmp_path, postgis_url):
    source = open_store(tmp_path / "source.gpkg")
    load_sample_into(source)
    target = open_store(postgis_url)
    _commit(target, "OLD")
    with pytest.raises(MigrationError, match=r"is not empty \(batches: 1, audit entries: 1\)"):
        migrate(source, target, by=ADMIN)
    assert [b.source_name for b in target.batches()] == ["incidents-Kalondo_office.csv"]


def test_an_empty_source_or_the_same_store_is_refused(tmp_path):
    empty = open_store(tmp_path / "empty.gpkg")
    with pytest.raises(MigrationError, match="is empty: there is nothing to migrate"):
        migrate(empty, open_store(tmp_path / "target.gpkg"), by=ADMIN)
    load_sample_into(empty)
    with pytest.raises(MigrationError, match="are the same store"):
        migrate(empty, open_store(tmp_path / "empty.gpkg"), by=ADMIN)


def test_a_copy_that_does_not_add_up_commits_nothing(tmp_path, monkeypatch):
    source = open_store(tmp_path / "source.gpkg")
    load_sample_into(source)
    target = open_store(tmp_path / "target.gpkg")
    from store import migrate as module

    real = module.sql.insert_rows

    def lose_a_row(conn, layer, batch_id, names, records, mark="?"):
        real(conn, layer, batch_id, names, records[1:] if layer == "incidents" else records, mark)

    monkeypatch.setattr(module.sql, "insert_rows", lose_a_row)
    with pytest.raises(MigrationError, match=r"incidents of batch 7: 4943 rows, 4942 copied"):
        migrate(source, target, by=ADMIN)
    assert target.is_empty()
    assert target.audit_log().empty
    assert target.layer("incidents", include_withdrawn=True).empty
