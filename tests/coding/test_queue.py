"""The coding queue's order and moves (coding/queue.py)."""

from __future__ import annotations

import pandas as pd

from coding import queue as q


def incidents(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": [r[0] for r in rows],
            "date": pd.to_datetime([r[1] for r in rows]),
            "motivation": [r[2] for r in rows],
        }
    )


FIVE = incidents(
    ("A", "2024-01-01", "unknown"),
    ("B", "2024-03-01", "unknown"),
    ("C", "2024-02-01", "predation"),
    ("D", "2024-02-01", "unknown"),
    ("E", "2023-12-01", "unknown"),
)


def test_newest_first_then_by_id_and_only_unknown_waits():
    queue = q.build(FIVE)
    assert queue.ordered == ("B", "C", "D", "A", "E")
    assert queue.pending == {"A", "B", "D", "E"}
    assert q.left(queue) == 4
    assert q.waiting(queue, q.Position()) == ["B", "D", "A", "E"]


def test_an_empty_filter_is_an_empty_queue():
    queue = q.build(FIVE.iloc[:0])
    assert q.settle(queue, q.Position()).current is None
    assert q.left(queue) == 0


def test_settle_starts_at_the_first_waiting():
    assert q.settle(q.build(FIVE), q.Position()).current == "B"


def test_forward_moves_on_and_keeps_the_trail():
    queue = q.build(FIVE)
    position = q.forward(queue, q.settle(queue, q.Position()))
    assert position.current == "D" and position.trail == ("B",)
    position = q.forward(queue, position)
    assert position.current == "A" and position.trail == ("B", "D")


def test_coding_elsewhere_moves_the_position_on():
    position = q.Position(current="D")
    coded = FIVE.assign(motivation=["unknown", "unknown", "predation", "revenge", "unknown"])
    # D was coded by someone else: the next waiting after D's place is A, not B.
    assert q.settle(q.build(coded), position).current == "A"


def test_after_the_last_the_queue_wraps_round_to_what_still_waits():
    queue = q.build(FIVE)
    position = q.forward(queue, q.Position(current="E"))
    assert position.current == "B"


def test_skipped_ones_wait_until_nothing_else_does():
    queue = q.build(FIVE)
    position = q.skip(queue, q.settle(queue, q.Position()))
    assert position.current == "D" and position.skipped == {"B"}
    assert q.waiting(queue, position) == ["D", "A", "E"]
    assert q.left(queue) == 4  # skipped still counts as left
    for _ in range(3):
        position = q.skip(queue, position)
    assert position.current is None
    position = q.settle(queue, q.again(position))
    assert position.current == "B" and not position.skipped


def test_back_returns_to_a_coded_incident_and_keeps_it_shown():
    queue = q.build(FIVE)
    position = q.forward(queue, q.settle(queue, q.Position()))  # B saved, now D
    recoded = ["unknown", "revenge", "predation", "unknown", "unknown"]
    coded = q.build(FIVE.assign(motivation=recoded))
    position = q.back(coded, position)
    assert position.current == "B" and position.revisiting
    assert q.settle(coded, position).current == "B"  # coded, but revisited: it stays
    position = q.forward(coded, position)
    assert position.current == "D"  # the next waiting after B


def test_back_with_no_trail_stays():
    queue = q.build(FIVE)
    position = q.settle(queue, q.Position())
    assert q.back(queue, position) == position


def test_an_incident_out_of_the_filter_gives_way():
    narrowed = q.build(FIVE[FIVE["incident_id"].isin(["A", "E"])])
    assert q.settle(narrowed, q.Position(current="B")).current == "A"
    assert q.back(narrowed, q.Position(current="A", trail=("B",))).current == "A"


def test_first_ids_keeps_order_and_drops_repeats():
    assert q.first_ids(["B", "A", "B", 3]) == ["B", "A", "3"]
