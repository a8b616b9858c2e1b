"""Links between reports of one event: kept, replaced as the machine finds them, decided
by analysts (decisions outlive the machine), every change audited; both backends."""

import json

import pandas as pd
import pytest

from store.base import StoreError
from store.links import CONFIRMED, LINKED, QUEUED, SPLIT


def _found(*rows: tuple[str, str, float, bool]) -> pd.DataFrame:
    return pd.DataFrame(
        [(a, b, s, c, f"{a} and {b}: 1 day and 3 km apart") for a, b, s, c in rows],
        columns=["a", "b", "score", "certain", "reason"],
    )


def test_found_links_are_stored_certain_as_linked_others_queued(store):
    counts = store.replace_found_links(
        _found(("A-1", "UCDP-1", 0.9, True), ("A-2", "UCDP-2", 0.6, False)), by="relink"
    )
    assert counts == {"added": 2, "changed": 0, "removed": 0, "linked": 1, "queued": 1}
    links = store.links()
    assert links[["a", "b", "status"]].values.tolist() == [
        ["A-1", "UCDP-1", LINKED],
        ["A-2", "UCDP-2", QUEUED],
    ]
    assert links["certain"].tolist() == [True, False]
    assert store.links(QUEUED)["a"].tolist() == ["A-2"]
    entry = store.audit_log().iloc[-1]
    assert entry["action"] == "link" and json.loads(entry["details"])["added"] == 2


def test_the_machine_replaces_its_own_links_but_never_an_analysts_decision(store):
    store.replace_found_links(
        _found(("A-1", "U-1", 0.9, True), ("A-2", "U-2", 0.6, False), ("A-3", "U-3", 0.6, False)),
        by="relink",
    )
    ids = dict(zip(store.links()["a"], store.links()["link_id"], strict=True))
    store.decide_link(ids["A-2"], SPLIT, by="ana", reason="two attacks, different villages")
    store.decide_link(ids["A-3"], CONFIRMED, by="ana", reason="same names in both notes")
    # Found again without A-1 (its batch withdrawn), A-2 and A-3 now certain.
    counts = store.replace_found_links(
        _found(("A-2", "U-2", 0.95, True), ("A-3", "U-3", 0.95, True)), by="relink"
    )
    assert counts["removed"] == 1 and counts["added"] == 0
    links = store.links().set_index("a")
    assert list(links.index) == ["A-2", "A-3"]
    assert links.loc["A-2", "status"] == SPLIT  # the analyst's split stands
    assert links.loc["A-3", "status"] == CONFIRMED
    assert links.loc["A-2", "decided_by"] == "ana"


def test_a_decision_is_reversible_and_audited(store):
    store.replace_found_links(_found(("A-1", "U-1", 0.6, False)), by="relink")
    (link_id,) = store.links()["link_id"]
    store.decide_link(link_id, CONFIRMED, by="ana", reason="same event")
    store.decide_link(link_id, SPLIT, by="bo", reason="different victims named")
    store.decide_link(link_id, QUEUED, by="bo", reason="ask the field office")
    link = store.links().iloc[0]
    assert link["status"] == QUEUED and link["decided_by"] is None
    decisions = store.audit_log().query("action == 'link-decision'")
    details = [json.loads(d) for d in decisions["details"]]
    assert [(d["before"], d["after"]) for d in details] == [
        (QUEUED, CONFIRMED),
        (CONFIRMED, SPLIT),
        (SPLIT, QUEUED),
    ]
    assert decisions["actor"].tolist() == ["ana", "bo", "bo"]


@pytest.mark.parametrize(
    ("link_id", "decision", "reason", "match"),
    [
        (99, CONFIRMED, "why", "there is no link 99"),
        (1, "merge", "why", "can be confirmed, split or queued"),
        (1, CONFIRMED, "  ", "must say why"),
    ],
)
def test_a_bad_decision_is_refused_and_changes_nothing(store, link_id, decision, reason, match):
    store.replace_found_links(_found(("A-1", "U-1", 0.6, False)), by="relink")
    before = store.links()
    with pytest.raises(StoreError, match=match):
        store.decide_link(link_id, decision, by="ana", reason=reason)
    pd.testing.assert_frame_equal(store.links(), before)


def test_nothing_found_again_writes_no_audit_entry(store):
    store.replace_found_links(_found(("A-1", "U-1", 0.9, True)), by="relink")
    entries = len(store.audit_log())
    store.replace_found_links(_found(("A-1", "U-1", 0.9, True)), by="relink")
    assert len(store.audit_log()) == entries


def test_only_reviewers_read_links_whose_reasons_name_perpetrators(store):
    from access.policy import Denied
    from access.roles import ANALYST, FIELD_OFFICE, VIEWER, Caller
    from access.session import Session

    store.replace_found_links(_found(("A-1", "U-1", 0.6, False)), by="relink")
    assert len(Session(store, Caller("ana", ANALYST)).links()) == 1
    for caller in (Caller("vi", VIEWER), Caller("fo", FIELD_OFFICE, "Bambari")):
        with pytest.raises(Denied):
            Session(store, caller).links()
        with pytest.raises(Denied):
            Session(store, caller).decide_link(1, CONFIRMED, reason="same")


def test_the_same_facts_found_in_another_language_rewrite_nothing(store):
    """A relink run by a French-speaking office finds the same pairs with the same scores,
    its reasons in French: the stored links (reason, time found) stay as they were."""
    store.replace_found_links(_found(("A-1", "U-1", 0.9, True)), by="relink")
    before = store.links()
    entries = len(store.audit_log())
    french = _found(("A-1", "U-1", 0.9, True)).assign(reason="à 1 jour et 3 km l'un de l'autre")
    counts = store.replace_found_links(french, by="relink")
    assert counts["changed"] == 0
    pd.testing.assert_frame_equal(store.links(), before)
    assert len(store.audit_log()) == entries
    # New facts (another score) do rewrite the link, reason included.
    store.replace_found_links(french.assign(score=0.95), by="relink")
    assert store.links()["reason"].tolist() == ["à 1 jour et 3 km l'un de l'autre"]
