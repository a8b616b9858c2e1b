"""Double coding through a session, on both stores: a seeded draw from a filter, codes kept
blind until an item has its two coders, the agreement equal to scikit-learn's, and a
disagreement resolved into the incident's coding and history; every role but analysts
refused, and the refusal audited."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from sklearn.metrics import cohen_kappa_score

from access.policy import Denied
from access.roles import ADMIN, ANALYST, FIELD_OFFICE, VIEWER, Caller
from access.session import BLIND_EVIDENCE, Session
from schema.filters import IncidentFilter
from store import StoreError, open_store
from tests.store import helpers

ALL = IncidentFilter()


@pytest.fixture(params=["geopackage", pytest.param("postgis", marks=pytest.mark.postgis)])
def store(request, tmp_path):
    location = (
        str(tmp_path / "pocmap.gpkg")
        if request.param == "geopackage"
        else request.getfixturevalue("postgis_url")
    )
    store = open_store(location)
    rows = helpers.incidents(30, "DC", seed=4)
    rows["motivation"] = ["predation", "revenge", "political"] * 10
    store.commit_batch(
        helpers.new_batch("incidents", rows, b"dc"),
        rows,
        report=helpers.REPORT,
        original=b"dc",
        id_column="incident_id",
    )
    return store


def _analyst(store, name: str) -> Session:
    return Session(store, Caller(name, ANALYST))


def test_the_draw_is_seeded_reproducible_and_keeps_to_the_filter(store):
    ana = _analyst(store, "ana")
    june = IncidentFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30))
    first = ana.draw_coding_sample(june, 8, name="first half", seed=42)
    again = ana.draw_coding_sample(june, 8, name="the same again", seed=42)
    other = ana.draw_coding_sample(june, 8, name="another seed", seed=43)
    items = store.coding_sample_items()
    drawn = {s: items.loc[items["sample_id"] == s, "incident_id"].tolist() for s in (1, 2, 3)}
    assert drawn[first] == drawn[again] != drawn[other]
    dates = store.layer("incidents").set_index("incident_id")["date"]
    assert all(dates[i] <= dt.datetime(2024, 6, 30) for i in drawn[first])
    samples = ana.coding_samples().set_index("sample_id")
    assert samples.loc[first, "seed"] == 42 and samples.loc[first, "method"] == "simple"
    assert '"end": "2024-06-30"' in samples.loc[first, "filter"]
    unseeded = ana.draw_coding_sample(ALL, 30, name="everything")
    assert ana.coding_samples().set_index("sample_id").loc[unseeded, "seed"] > 0
    with pytest.raises(StoreError, match="a sample of 31 incidents was asked for but the filter"):
        ana.draw_coding_sample(ALL, 31, name="too many")


def test_codes_stay_blind_until_an_item_has_its_two_coders(store):
    ana, ben, cara = (_analyst(store, n) for n in ("ana", "ben", "cara"))
    sample = ana.draw_coding_sample(ALL, 4, name="pilot", seed=1)
    queue = ana.coding_queue(sample)
    # The evidence, never the stored code, the source's word for it, or another's code.
    assert list(queue.columns) == list(BLIND_EVIDENCE)
    assert not {"motivation", "motivation_raw", "motivation_confidence"} & set(queue.columns)
    assert queue["narrative"].notna().all()  # analysts read the narratives
    item = queue["incident_id"].iloc[0]
    ana.code_blind(sample, item, motivation="predation", confidence="probable")
    assert item not in ana.coding_queue(sample)["incident_id"].tolist()
    assert item in ben.coding_queue(sample)["incident_id"].tolist()
    assert ben.my_blind_codes(sample).empty  # ben sees none of ana's codes
    assert ben.coding_pairs(sample).empty and ben.coding_agreement(sample) == []
    assert ben.coding_samples()["coded_by_me"].tolist() == [0]
    ben.code_blind(sample, item, motivation="revenge", confidence=None)
    # A pair: closed to a third coder, and shown to every analyst.
    assert item not in cara.coding_queue(sample)["incident_id"].tolist()
    with pytest.raises(StoreError, match="already has its two coders"):
        cara.code_blind(sample, item, motivation="revenge", confidence=None)
    (pair,) = cara.coding_pairs(sample).to_dict("records")
    assert (pair["first_coder"], pair["first_motivation"], pair["first_confidence"]) == (
        "ana", "predation", "probable",
    )  # fmt: skip
    assert (pair["second_coder"], pair["second_motivation"], pair["agree"]) == (
        "ben", "revenge", False,
    )  # fmt: skip
    progress = cara.coding_samples().iloc[0]
    assert (progress["items"], progress["to_code"], progress["pairs"]) == (4, 3, 1)
    assert progress["disagreements"] == 1 and progress["resolved"] == 0


def test_the_agreement_of_a_sample_is_sklearns_kappa(store):
    ana, ben = _analyst(store, "ana"), _analyst(store, "ben")
    sample = ana.draw_coding_sample(ALL, 20, name="pilot", seed=9)
    ids = ana.coding_queue(sample)["incident_id"].tolist()
    codes_a = ["predation", "revenge", "political", "punitive"] * 5
    changed = ["revenge", "predation", "unknown", "political", "political", "punitive"]
    codes_b = [*codes_a[:14], *changed]
    for incident, a, b in zip(ids, codes_a, codes_b, strict=True):
        ana.code_blind(sample, incident, motivation=a, confidence="possible")
        ben.code_blind(sample, incident, motivation=b, confidence="probable")
    overall, *per_motivation = ana.coding_agreement(sample)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert overall.kappa == pytest.approx(cohen_kappa_score(codes_a, codes_b), abs=1e-12)
        for row in per_motivation:
            expected = cohen_kappa_score(
                [c == row.code for c in codes_a], [c == row.code for c in codes_b]
            )
            assert row.kappa == pytest.approx(expected, abs=1e-12)
    assert overall.pairs == 20
    assert [r.code for r in per_motivation] == [
        "predation", "revenge", "political", "punitive", "unknown",
    ]  # fmt: skip


def test_a_disagreement_is_resolved_into_the_incidents_coding_and_history(store):
    ana, ben = _analyst(store, "ana"), _analyst(store, "ben")
    sample = ana.draw_coding_sample(ALL, 3, name="pilot", seed=2)
    a, b, _c = ana.coding_queue(sample)["incident_id"]
    for incident, first, second in ((a, "predation", "revenge"), (b, "political", "political")):
        ana.code_blind(sample, incident, motivation=first, confidence="probable")
        ben.code_blind(sample, incident, motivation=second, confidence="possible")
    assert ana.coding_disagreements(sample)["incident_id"].tolist() == [a]
    with pytest.raises(StoreError, match=f"incident {b} is not an unresolved disagreement"):
        ana.resolve_disagreement(sample, b, motivation="revenge", confidence=None, note="n")
    with pytest.raises(StoreError, match="note is empty"):
        ana.resolve_disagreement(sample, a, motivation="revenge", confidence=None, note=" ")
    reason = ben.resolve_disagreement(
        sample, a, motivation="extraction", confidence="confirmed", note="checkpoint tax"
    )
    assert reason == (
        "double coding, sample 1 (pilot): ana coded predation (probable), ben coded revenge "
        "(possible); resolved as extraction (confirmed): checkpoint tax"
    )
    history = ana.edits(a)
    assert set(history["column"]) == {"motivation", "motivation_confidence", "motivation_origin"}
    assert set(history["reason"]) == {reason} and set(history["edited_by"]) == {"ben"}
    stored = store.layer("incidents").set_index("incident_id").loc[a]
    assert (stored["motivation"], stored["motivation_origin"]) == ("extraction", "analyst")
    assert ana.coding_disagreements(sample).empty
    (pair,) = ana.coding_pairs(sample).query("incident_id == @a").to_dict("records")
    assert (pair["resolved_motivation"], pair["resolved_by"]) == ("extraction", "ben")
    assert ana.coding_samples()["resolved"].tolist() == [1]


@pytest.mark.parametrize(
    ("role", "office"), [(VIEWER, None), (FIELD_OFFICE, "Kalondo office"), (ADMIN, None)]
)
def test_no_other_role_may_double_code_or_see_the_codes(store, role, office):
    ana = _analyst(store, "ana")
    sample = ana.draw_coding_sample(ALL, 2, name="pilot", seed=3)
    item = ana.coding_queue(sample)["incident_id"].iloc[0]
    ana.code_blind(sample, item, motivation="revenge", confidence=None)
    other = Session(store, Caller(f"{role}.user", role, office))
    calls = [
        lambda: other.draw_coding_sample(ALL, 2, name="x", seed=1),
        other.coding_samples,
        lambda: other.coding_queue(sample),
        lambda: other.code_blind(sample, item, motivation="revenge", confidence=None),
        lambda: other.my_blind_codes(sample),
        lambda: other.coding_pairs(sample),
        lambda: other.coding_agreement(sample),
        lambda: other.coding_disagreements(sample),
        lambda: other.resolve_disagreement(
            sample, item, motivation="revenge", confidence=None, note="n"
        ),
    ]
    for call in calls:
        with pytest.raises(Denied, match="may not double-code samples of incidents"):
            call()
    log = store.audit_log()
    refused = log[log["actor"] == f"{role}.user"]
    assert refused["action"].tolist() == ["denied"] * len(calls)
    assert len(store.blind_codes()) == 1 and len(store.coding_samples()) == 1
