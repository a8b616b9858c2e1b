"""ACLED and UCDP GED exports, read as incidents.

Neither dataset codes motivation, so every event comes in as ``unknown`` for analysts
to code. Events that are not violence against civilians keep their own event type as
the incident type, so the row checks reject them with that type named in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from ingest.values import DAY_FIRST, is_missing, parse_date, parse_number

ACLED_CORE = {"event_id_cnty", "event_date", "event_type", "actor1", "latitude", "longitude"}
UCDP_CORE = {"type_of_violence", "best", "date_start", "side_a", "latitude", "longitude"}

# ACLED's inter1 actor codes, as numbers (older exports) and words (newer ones).
_ACLED_ACTORS = {
    "1": "state_forces", "state forces": "state_forces",
    "2": "non_state_armed_group", "rebel group": "non_state_armed_group",
    "rebel groups": "non_state_armed_group",
    "3": "non_state_armed_group", "political militia": "non_state_armed_group",
    "political militias": "non_state_armed_group",
    "4": "community_militia", "identity militia": "community_militia",
    "identity militias": "community_militia", "communal militia": "community_militia",
    "ethnic militia": "community_militia",
    # Rioters, protesters, civilians, external/other forces (foreign or private forces,
    # not the host state): no pocmap type fits; the actor's name is kept.
    "5": "unidentified", "rioters": "unidentified",
    "6": "unidentified", "protesters": "unidentified",
    "7": "unidentified", "civilians": "unidentified",
    "8": "unidentified", "external other forces": "unidentified",
    "external/other forces": "unidentified",
    "0": "unidentified",
}  # fmt: skip
_ACLED_PRECISION = {"1": "exact", "2": "approximate", "3": "admin2"}
_UCDP_PRECISION = {"1": "exact", "2": "approximate", "3": "admin2", "4": "admin1"}
_ATTACKS = {
    "attack", "violence against civilians", "remote explosive/landmine/ied", "air/drone strike",
    "shelling/artillery/missile attack", "grenade", "suicide bomb", "remote violence",
}  # fmt: skip


def columns_by_name(records: pd.DataFrame) -> dict[str, str]:
    """Lower-case name -> the column as written (legacy ACLED headers are upper case)."""
    return {str(c).strip().lower(): str(c) for c in records.columns}


def _getter(records: pd.DataFrame, col: dict[str, str]) -> Callable[[str], pd.Series]:
    """A column by its lower-case name; an empty column when the export lacks it."""

    def get(name: str) -> pd.Series:
        return records[col[name]] if name in col else pd.Series(None, index=records.index)

    return get


def acled_generation(names: set[str]) -> str:
    if {"disorder_type", "civilian_targeting"} <= names:
        return "ACLED export (current: has disorder_type and civilian_targeting)"
    if "gwno" in names or "ally_actor_1" in names:
        return "ACLED export (legacy, 2018 or earlier: has gwno and ally_actor_1)"
    if "data_id" in names or "event_id_no_cnty" in names:
        return "ACLED export (2019-2022: has data_id and event_id_no_cnty)"
    return "ACLED export"


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


def _number(value: Any) -> float:
    number, _ = parse_number(value)
    return number or 0.0


def _code_of(value: Any, table: dict[str, str]) -> Any:
    text = _text(value)
    if text.endswith(".0"):
        text = text[:-2]
    return table.get(text.lower(), value)


_SLASHED = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def _acled_date(value: Any) -> Any:
    """ACLED writes numeric dates day first (04/03/2017 is 4 March): read them so."""
    if isinstance(value, str) and _SLASHED.match(value.strip()):
        date, _ = parse_date(value, order=DAY_FIRST)
        return date.isoformat() if date else value
    return value


def _acled_type(event: str, sub: str, targeting: str, fatalities: float) -> str:
    e, s = event.lower(), sub.lower()
    if s == "sexual violence":
        return "sexual_violence"
    if s == "abduction/forced disappearance":
        return "abduction"
    if s == "looting/property destruction":
        return "looting_destruction"
    on_civilians = e == "violence against civilians" or bool(targeting)
    if on_civilians and (s in _ATTACKS or not s or e == "violence against civilians"):
        return "killing" if fatalities > 0 else "injury"
    if on_civilians and e in ("explosions/remote violence", "battles", "remote violence"):
        return "killing" if fatalities > 0 else "injury"
    return f"{event} / {sub}" if sub else event


def acled(records: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame, list[str]]:
    """ACLED's columns as incidents: ``(mapping shown, values, notes)``."""
    col = columns_by_name(records)
    names = set(col)
    get = _getter(records, col)

    fatalities = get("fatalities")
    targeting = get("civilian_targeting").map(_text)
    frame = pd.DataFrame(index=records.index)
    frame["incident_id"] = get("event_id_cnty")
    frame["date"] = get("event_date").map(_acled_date)
    frame["incident_type"] = [
        _acled_type(_text(e), _text(s), t, _number(f))
        for e, s, t, f in zip(get("event_type"), get("sub_event_type"), targeting, fatalities,
                              strict=True)
    ]  # fmt: skip
    frame["motivation"] = None  # not coded at source: comes in as unknown
    frame["perpetrator_type"] = get("inter1").map(lambda v: _code_of(v, _ACLED_ACTORS))
    frame["perpetrator_name"] = get("actor1")
    frame["fatalities"] = fatalities
    frame["location_precision"] = get("geo_precision").map(lambda v: _code_of(v, _ACLED_PRECISION))
    frame["admin1"] = get("admin1")
    frame["admin2"] = get("admin2")
    frame["source"] = get("source").map(lambda v: f"ACLED: {_text(v)}".rstrip(": "))
    frame["narrative"] = get("notes")
    frame["latitude"] = get("latitude")
    frame["longitude"] = get("longitude")
    mapping = {
        "incident_id": col.get("event_id_cnty", ""),
        "date": col.get("event_date", ""),
        "incident_type": " + ".join(
            col[c] for c in ("event_type", "sub_event_type", "civilian_targeting") if c in col
        ),
        "perpetrator_type": col.get("inter1", ""),
        "perpetrator_name": col.get("actor1", ""),
        "fatalities": col.get("fatalities", ""),
        "location_precision": col.get("geo_precision", ""),
        "admin1": col.get("admin1", ""),
        "admin2": col.get("admin2", ""),
        "source": col.get("source", ""),
        "narrative": col.get("notes", ""),
        "latitude": col.get("latitude", ""),
        "longitude": col.get("longitude", ""),
    }
    notes = [
        acled_generation(names),
        "ACLED codes no motivation: every event comes in as 'unknown', to code.",
        "geo_precision and time_precision are kept with each row's source record.",
    ]
    return {k: v for k, v in mapping.items() if v}, frame, notes


def _ucdp_perpetrator(side_a: Any) -> str:
    return (
        "state_forces"
        if _text(side_a).lower().startswith("government of")
        else ("non_state_armed_group")
    )


def ucdp(records: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame, list[str]]:
    """UCDP GED events as incidents: ``(mapping shown, values, notes)``.

    One-sided violence (type 3) is violence against civilians; state-based and non-state
    events (types 1 and 2) come in only when civilians died, with their civilian deaths.
    """
    col = columns_by_name(records)
    get = _getter(records, col)

    violence = get("type_of_violence").map(lambda v: _text(v).removesuffix(".0"))
    civilians = get("deaths_civilians").map(_number)
    frame = pd.DataFrame(index=records.index)
    frame["incident_id"] = get("id").map(lambda v: None if is_missing(v) else f"UCDP-{_text(v)}")
    frame["date"] = get("date_start")
    frame["incident_type"] = [
        "killing" if kind == "3" or (kind in ("1", "2") and dead > 0)
        else f"UCDP type_of_violence {kind} without civilian deaths"
        for kind, dead in zip(violence, civilians, strict=True)
    ]  # fmt: skip
    frame["motivation"] = None  # not coded at source: comes in as unknown
    frame["perpetrator_name"] = get("side_a")
    frame["perpetrator_type"] = get("side_a").map(_ucdp_perpetrator)
    frame["fatalities"] = [
        best if kind == "3" else dead
        for kind, best, dead in zip(violence, get("best"), get("deaths_civilians"), strict=True)
    ]
    frame["location_precision"] = get("where_prec").map(
        lambda v: _code_of(v, _UCDP_PRECISION | {str(n): f"UCDP where_prec {n}" for n in (5, 6, 7)})
    )
    frame["admin1"] = get("adm_1")
    frame["admin2"] = get("adm_2")
    frame["source"] = get("source_office").map(lambda v: f"UCDP GED: {_text(v)}".rstrip(": "))
    frame["narrative"] = get("source_headline")
    frame["latitude"] = get("latitude")
    frame["longitude"] = get("longitude")
    mapping = {
        "incident_id": col.get("id", ""),
        "date": col.get("date_start", ""),
        "incident_type": col.get("type_of_violence", ""),
        "perpetrator_name": col.get("side_a", ""),
        "perpetrator_type": col.get("side_a", ""),
        "fatalities": f"{col.get('best', 'best')} (type 3) / deaths_civilians (types 1, 2)",
        "location_precision": col.get("where_prec", ""),
        "admin1": col.get("adm_1", ""),
        "admin2": col.get("adm_2", ""),
        "source": col.get("source_office", ""),
        "latitude": col.get("latitude", ""),
        "longitude": col.get("longitude", ""),
    }
    notes = [
        "UCDP GED: one-sided violence (type 3) and other events with civilian deaths.",
        "UCDP codes no motivation: every event comes in as 'unknown', to code.",
        "low/high estimates, date_prec and where_prec are kept with each source record.",
    ]
    return {k: v for k, v in mapping.items() if v}, frame, notes
