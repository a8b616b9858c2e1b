"""The source's own event type, kept as written on import (``event_type_raw``): ACLED's
"event type: sub-event type", UCDP's type of violence in words, an office's column of
event types; the evidence motivation suggestions read (``coding.rules``)."""

from __future__ import annotations

import pandas as pd

from ingest.profiles import apply, suggest_mapping
from ingest.profiles.events import acled, ucdp
from schema.upload import RawTable
from tests.real_data import CAR_ACLED, CAR_UCDP


def _table(columns: dict[str, list], name: str = "t.csv") -> RawTable:
    records = pd.DataFrame(columns, dtype=object)
    records.index = pd.RangeIndex(2, 2 + len(records))
    return RawTable(name, "csv", records)


def test_acled_rows_keep_event_and_sub_event_type_as_written() -> None:
    records = pd.read_csv(CAR_ACLED, dtype=str, keep_default_na=False)
    mapping, frame, _notes = acled(records)
    expected = records["event_type"] + ": " + records["sub_event_type"]
    assert frame["event_type_raw"].tolist() == expected.tolist()
    assert "Violence against civilians: Attack" in set(frame["event_type_raw"])
    assert "Strategic developments: Looting/property destruction" in set(frame["event_type_raw"])
    assert mapping["event_type_raw"] == "event_type + sub_event_type"


def test_legacy_acled_headers_and_a_missing_sub_event_type() -> None:
    records = pd.DataFrame(
        {
            "EVENT_ID_CNTY": ["X1", "X2"],
            "EVENT_DATE": ["01/02/2017", "02/02/2017"],
            "EVENT_TYPE": ["Violence against civilians", ""],
            "ACTOR1": ["a", "b"],
            "LATITUDE": [1, 1],
            "LONGITUDE": [2, 2],
        }
    )
    mapping, frame, _notes = acled(records)
    first, second = frame["event_type_raw"].tolist()
    assert first == "Violence against civilians" and pd.isna(second)
    assert mapping["event_type_raw"] == "EVENT_TYPE"


def test_ucdp_rows_say_their_type_of_violence_in_words() -> None:
    records = pd.read_csv(CAR_UCDP, dtype=str, keep_default_na=False)
    mapping, frame, _notes = ucdp(records)
    words = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
    assert frame["event_type_raw"].tolist() == records["type_of_violence"].map(words).tolist()
    assert mapping["event_type_raw"] == "type_of_violence"


def test_the_import_mapping_shown_names_the_columns() -> None:
    records = pd.read_csv(CAR_UCDP, dtype=str, keep_default_na=False).head(5)
    mapped = apply(RawTable("ged.csv", "csv", records), "incidents")
    assert mapped.mapping["event_type_raw"] == "type_of_violence"
    assert mapped.frame["event_type_raw"].notna().all()


def test_an_offices_event_type_column_maps_to_it_beside_the_incident_type() -> None:
    french = _table(
        {
            "Date": ["2025-01-01"],
            "Type d'incident": ["meurtre"],
            "Type d'événement": ["Pillage de bétail"],
            "Lat": [1],
            "Long": [2],
        }
    )
    found = suggest_mapping(french, "incidents")
    assert found["incident_type"] == "Type d'incident"
    assert found["event_type_raw"] == "Type d'événement"
    english = _table({"Date": ["2025-01-01"], "Incident type": ["killing"],
                      "Sub-event type": ["Looting/property destruction"], "Lat": [1],
                      "Long": [2]})  # fmt: skip
    assert suggest_mapping(english, "incidents")["event_type_raw"] == "Sub-event type"
    # "Event type" alone is still the incident type, as before
    alone = _table({"Date": ["2025-01-01"], "Event type": ["killing"], "Lat": [1], "Long": [2]})
    found = suggest_mapping(alone, "incidents")
    assert found["incident_type"] == "Event type" and "event_type_raw" not in found
