"""KoboToolbox/ODK exports and HXL-tagged sheets: where the coordinates and fields hide."""

from __future__ import annotations

import re

import pandas as pd

from ingest.profiles.matching import header_word
from ingest.values import is_missing
from languages import _

_KOBO_ID = ("meta/instanceid", "_uuid", "instanceid", "_id")
_GEOPOINT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)(?:\s+-?\d+(?:\.\d+)?){0,2}\s*$")
_PAIR = re.compile(r"^\s*\[?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]?\s*$")


def is_kobo(records: pd.DataFrame) -> bool:
    names = {str(c).strip().lower() for c in records.columns}
    lat_columns = any(n.startswith("_") and n.endswith("_latitude") for n in names)
    return lat_columns or len(names & {"_uuid", "_submission_time", "_geolocation"}) >= 1


def _split(values: pd.Series, pattern: re.Pattern) -> tuple[pd.Series, pd.Series]:
    """``"lat lon alt acc"`` or ``"[lat, lon]"`` strings into latitude and longitude.

    A value that does not match stays whole in latitude, so the checks report it.
    """
    lats, lons = [], []
    for value in values:
        match = None if is_missing(value) else pattern.match(str(value))
        lats.append(match[1] if match else (None if is_missing(value) else value))
        lons.append(match[2] if match else None)
    return pd.Series(lats, index=values.index), pd.Series(lons, index=values.index)


def kobo(
    records: pd.DataFrame, mapping: dict[str, str]
) -> tuple[dict[str, str], dict[str, pd.Series], list[str]]:
    """Kobo's own columns: ``(mapping additions, derived values, notes)``.

    ``mapping`` is what the headers already matched; Kobo's meta columns fill the id,
    date and location when the form had no question for them.
    """
    by_name = {str(c).strip().lower(): str(c) for c in records.columns}
    added: dict[str, str] = {}
    derived: dict[str, pd.Series] = {}
    notes = [_("KoboToolbox/ODK export")]
    lat_cols = [c for n, c in by_name.items() if n.startswith("_") and n.endswith("_latitude")]
    if "latitude" not in mapping and lat_cols:
        lat = lat_cols[0]
        lon = lat[: -len("latitude")] + "longitude"
        if lon in records.columns:
            added |= {"latitude": lat, "longitude": lon}
    elif "latitude" not in mapping and "_geolocation" in by_name:
        column = by_name["_geolocation"]
        derived["latitude"], derived["longitude"] = _split(records[column], _PAIR)
        added |= {"latitude": column, "longitude": column}
    if "latitude" not in mapping and "latitude" not in added:
        for column in records.columns:
            sample = records[column].dropna().astype(str).head(20)
            if len(sample) and sample.map(lambda v: bool(_GEOPOINT.match(v))).all():
                derived["latitude"], derived["longitude"] = _split(records[column], _GEOPOINT)
                added |= {"latitude": str(column), "longitude": str(column)}
                notes.append(
                    _("geopoint “{column}” split into latitude and longitude", column=column)
                )
                break
    if "latitude" in added and "location_precision" not in mapping:
        # A phone's GPS fix: the spot itself.
        derived["location_precision"] = pd.Series("exact", index=records.index)
        added["location_precision"] = _("{column} (GPS)", column=added["latitude"])
    if "incident_id" not in mapping:
        for name in _KOBO_ID:
            if name in by_name:
                added["incident_id"] = by_name[name]
                break
    if "date" not in mapping:
        for name in ("today", "_submission_time"):
            if name in by_name:
                column = by_name[name]
                derived["date"] = records[column].map(lambda v: v[:10] if isinstance(v, str) else v)
                added["date"] = column
                notes.append(
                    _(
                        "no incident date question: the form's “{column}” date is used",
                        column=column,
                    )
                )
                break
    return added, derived, notes


def _tag(text: str) -> tuple[str, frozenset[str]]:
    """``"#geo +LAT"`` -> ``("geo", {"lat"})``."""
    parts = re.sub(r"\s+", "", text.lower()).lstrip("#").split("+")
    return parts[0], frozenset(p for p in parts[1:] if p)


_HXL_RULES: list[tuple[str, str, frozenset[str]]] = [
    # (field, hashtag, attributes it must carry), most specific first
    ("latitude", "geo", frozenset({"lat"})),
    ("longitude", "geo", frozenset({"lon"})),
    ("incident_id", "event", frozenset({"id"})),
    ("incident_id", "incident", frozenset({"id"})),
    ("incident_id", "id", frozenset()),
    ("date", "date", frozenset({"occurred"})),
    ("date", "date", frozenset()),
    ("admin1", "adm1", frozenset({"name"})),
    ("admin2", "adm2", frozenset({"name"})),
    ("admin1", "adm1", frozenset()),
    ("admin2", "adm2", frozenset()),
    ("fatalities", "affected", frozenset({"killed"})),
    ("fatalities", "affected", frozenset({"dead"})),
    ("fatalities", "killed", frozenset()),
    ("injured", "affected", frozenset({"injured"})),
    ("abducted", "affected", frozenset({"abducted"})),
    ("abducted", "affected", frozenset({"kidnapped"})),
    ("victim_groups", "affected", frozenset({"type"})),
    ("victim_groups", "population", frozenset({"type"})),
    ("incident_type", "event", frozenset({"type"})),
    ("incident_type", "event", frozenset({"category"})),
    ("incident_type", "incident", frozenset({"type"})),
    ("motivation", "event", frozenset({"motivation"})),
    ("motivation", "indicator", frozenset({"motivation"})),
    ("motivation", "meta", frozenset({"motivation"})),
    ("perpetrator_type", "actor", frozenset({"type"})),
    ("perpetrator_name", "actor", frozenset({"perpetrator"})),
    ("perpetrator_name", "org", frozenset({"perpetrator"})),
    ("perpetrator_name", "actor", frozenset()),
    ("field_office", "org", frozenset({"office"})),
    ("source", "meta", frozenset({"source"})),
    ("source", "source", frozenset()),
    ("narrative", "description", frozenset()),
    ("narrative", "meta", frozenset({"desc"})),
    ("narrative", "event", frozenset({"description"})),
]


def hxl(tags: dict[str, str], fields: list[str]) -> dict[str, str]:
    """``{field: column}`` from an HXL row; a tag naming a field (``#status``) maps too."""
    parsed = {column: _tag(tag) for column, tag in tags.items() if tag.strip().startswith("#")}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for field, hashtag, attributes in _HXL_RULES:
        if field not in fields or field in mapping:
            continue
        for column, (name, attrs) in parsed.items():
            if column not in taken and name == hashtag and attributes <= attrs:
                mapping[field] = column
                taken.add(column)
                break
    for column, (name, _attributes) in parsed.items():
        field = header_word(name).replace(" ", "_")
        if field in fields and field not in mapping and column not in taken:
            mapping[field] = column
            taken.add(column)
    return mapping
