"""ACLED and UCDP GED exports, read as incidents.

Neither dataset codes motivation, so every event comes in as ``unknown`` for analysts
to code. Events that are not violence against civilians are *out of scope*: the profile
marks them with their event type in the reserved column ``_out_of_scope``, and the checks
count them by type in one report line (never asked to be fixed), so for every import
rows read = accepted + accepted with a warning + out of scope + rejected. The sources'
date and location precision are kept (``date_precision``, ``location_precision``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from ingest.findings import OUT_OF_SCOPE_COLUMN
from ingest.values import DAY_FIRST, is_missing, parse_date, parse_number
from languages import N_, _

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
"""geo_precision: 1 the town itself; 2 near a town or a part of a region, placed at a town;
3 only a larger region, placed at a natural feature or the provincial capital (kept as
admin2, as before: ACLED does not say which level the region is)."""
_ACLED_DATE_PRECISION = {"1": "day", "2": "week", "3": "month"}
"""time_precision: 1 the day is known; 2 only the week (placed mid-week); 3 only the month
(placed mid-month)."""
_UCDP_PRECISION = {
    "1": "exact", "2": "approximate", "3": "admin2", "4": "admin1",
    # 5: a part of the country larger than an admin1, or a linear feature (a river, a
    # road, a border): an area, not a spot, and not the whole country either.
    "5": "admin1",
    # 6: only the country; 7: international waters or air space. Neither is a place on
    # the map: counted, never drawn (schema.incidents.LOCATION_PRECISIONS).
    "6": "country", "7": "country",
}  # fmt: skip
_UCDP_DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
"""date_prec (UCDP GED codebook): 1 the exact day; 2 within a 2-6 day range; 3 only the
week; 4 within an 8-30 day range or only the month; 5 a range longer than a month, within
a calendar year. date_start is the range's first day."""
_UCDP_TYPES = {"1": N_("state-based"), "2": N_("non-state"), "3": N_("one-sided")}
_UCDP_VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
"""type_of_violence in UCDP's own words (GED codebook), kept as the event type as written:
data, like ACLED's event types, so not translated."""
_ACLED_HARM = {
    "sexual violence": "sexual_violence",
    "abduction/forced disappearance": "abduction",
    "looting/property destruction": "looting_destruction",
}
_ACLED_TARGETED = ("explosions/remote violence", "remote violence", "battles")
"""Event types in the incidents' scope only when civilians were the target: in a battle or a
shelling without civilian targeting, civilians harmed as collateral cannot be told from
the row (ACLED counts all of an event's fatalities together)."""


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
        return _("ACLED export (current: has disorder_type and civilian_targeting)")
    if "gwno" in names or "ally_actor_1" in names:
        return _("ACLED export (legacy, 2018 or earlier: has gwno and ally_actor_1)")
    if "data_id" in names or "event_id_no_cnty" in names:
        return _("ACLED export (2019-2022: has data_id and event_id_no_cnty)")
    return _("ACLED export")


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


def _acled_scope(event: str, sub: str, targeting: str, civilians_opposite: bool) -> bool:
    """Whether an ACLED event is violence against civilians (the incidents' scope).

    Violence against civilians is; battles and explosions/remote violence are when
    ``civilian_targeting`` says "Civilian targeting" (exports without that column: when
    civilians are the other actor, inter2 7); looting/property destruction (a strategic
    development) is harm to civilians' property. Protests, riots, other strategic
    developments, and battles without civilian targeting are out of scope.
    """
    e, s = event.lower(), sub.lower()
    if e == "violence against civilians" or s == "looting/property destruction":
        return True
    if e in _ACLED_TARGETED or e.startswith("battle"):
        targeted = targeting.lower() == "civilian targeting"
        return targeted or (civilians_opposite and not e.startswith("battle"))
    return False


def _acled_type(event: str, sub: str, fatalities: float) -> str:
    """The incident type of an ACLED event in scope (:func:`_acled_scope`).

    Sexual violence, abduction/forced disappearance and looting/property destruction are
    those types; any other event in scope (an attack, a civilian-targeting shelling, air
    strike, clash or explosion, a violence-against-civilians event without a sub-event
    type) is a killing when fatalities are reported, else ``attack`` (no death reported:
    ACLED does not record injuries, so it is never called an injury).
    """
    harm = _ACLED_HARM.get(sub.lower())
    if harm is not None:
        return harm
    return "killing" if fatalities > 0 else "attack"


def _civilians_opposite(inter2: Any, interaction: Any) -> bool:
    """Whether civilians are the event's second actor (inter2 7, or an interaction such as
    17 or State forces-Civilians): how exports without civilian_targeting show a target."""
    second = _text(inter2).lower().removesuffix(".0")
    both = _text(interaction).lower().removesuffix(".0")
    return (
        second in ("7", "civilians")
        or both.endswith("civilians")
        or (both.isdigit() and len(both) == 2 and both.endswith("7"))
    )


def _absent_dropped(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """The fields whose column the export lacks, dropped rather than sent empty: the
    checks then say once that the column is missing (a required one), or fill it."""
    absent = [name for name, column in mapping.items() if not column and name in frame]
    return frame.drop(columns=absent)


def acled(records: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame, list[str]]:
    """ACLED's columns as incidents: ``(mapping shown, values, notes)``.

    Rows outside the incidents' scope (:func:`_acled_scope`) carry their event type in
    ``_out_of_scope`` (``ingest.findings.OUT_OF_SCOPE_COLUMN``): counted by type, not
    imported, so rows read = accepted + accepted with a warning + out of scope + rejected.
    ``time_precision`` becomes ``date_precision``, ``geo_precision`` ``location_precision``.
    """
    col = columns_by_name(records)
    names = set(col)
    get = _getter(records, col)

    fatalities = get("fatalities")
    targeting = get("civilian_targeting").map(_text)
    events, subs = get("event_type").map(_text), get("sub_event_type").map(_text)
    # civilian_targeting decides where the export has it; older ones show the target as
    # the second actor (inter2 7).
    opposite = (
        [False] * len(records)
        if "civilian_targeting" in names
        else [
            _civilians_opposite(a, b)
            for a, b in zip(get("inter2"), get("interaction"), strict=True)
        ]
    )
    in_scope = [
        _acled_scope(e, s, t, o) for e, s, t, o in zip(events, subs, targeting, opposite,
                                                        strict=True)
    ]  # fmt: skip
    frame = pd.DataFrame(index=records.index)
    frame["incident_id"] = get("event_id_cnty")
    frame["date"] = get("event_date").map(_acled_date)
    frame["date_precision"] = get("time_precision").map(
        lambda v: _code_of(v, _ACLED_DATE_PRECISION)
    )
    frame["incident_type"] = [
        _acled_type(e, s, _number(f)) if scoped and e else None
        for e, s, f, scoped in zip(events, subs, fatalities, in_scope, strict=True)
    ]
    frame["motivation"] = None  # not coded at source: comes in as unknown
    frame["perpetrator_type"] = get("inter1").map(lambda v: _code_of(v, _ACLED_ACTORS))
    frame["perpetrator_name"] = get("actor1")
    frame["fatalities"] = fatalities
    frame["location_precision"] = get("geo_precision").map(lambda v: _code_of(v, _ACLED_PRECISION))
    frame["admin1"] = get("admin1")
    frame["admin2"] = get("admin2")
    frame["source"] = get("source").map(lambda v: f"ACLED: {_text(v)}".rstrip(": "))
    # The source's own words for what happened, as written ("Violence against civilians:
    # Looting/property destruction"): evidence for coding a motivation (coding.rules).
    frame["event_type_raw"] = [
        ": ".join(part for part in (e, s) if part) or None
        for e, s in zip(events, subs, strict=True)
    ]
    frame["narrative"] = get("notes")
    frame["latitude"] = get("latitude")
    frame["longitude"] = get("longitude")
    # An event whose type is not given is not out of scope: it is rejected, type missing.
    frame[OUT_OF_SCOPE_COLUMN] = [
        None if scoped or not e else e for e, scoped in zip(events, in_scope, strict=True)
    ]
    mapping = {
        "incident_id": col.get("event_id_cnty", ""),
        "date": col.get("event_date", ""),
        "date_precision": col.get("time_precision", ""),
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
        "event_type_raw": " + ".join(
            col[c] for c in ("event_type", "sub_event_type") if c in col
        ),
        "narrative": col.get("notes", ""),
        "latitude": col.get("latitude", ""),
        "longitude": col.get("longitude", ""),
    }
    targeted = (
        "civilian_targeting"
        if "civilian_targeting" in names
        else _("civilians as the other actor (inter2 7: this export has no civilian_targeting)")
    )
    notes = [
        acled_generation(names),
        _("ACLED codes no motivation: every event comes in as unknown, to code."),
        _(
            "In scope: violence against civilians, looting/property destruction, and battles "
            "and explosions/remote violence with {targeted}. Protests, riots, other strategic "
            "developments and battles without civilian targeting are counted as out of scope: "
            "civilians harmed as collateral in a battle cannot be told from the row.",
            targeted=targeted,
        ),
        _("An attack with no death reported comes in as attack (ACLED records no injuries)."),
        _(
            "time_precision is kept as date_precision (1 day, 2 week, 3 month); geo_precision "
            "as location_precision (1 exact, 2 approximate, 3 admin2)."
        ),
    ]
    frame = _absent_dropped(frame, mapping)
    return {k: v for k, v in mapping.items() if v}, frame, notes


def _ucdp_perpetrator(side_a: Any) -> str:
    return (
        "state_forces"
        if _text(side_a).lower().startswith("government of")
        else ("non_state_armed_group")
    )


def _ucdp_kind(value: Any) -> str:
    return _text(value).removesuffix(".0")


def ucdp(records: pd.DataFrame) -> tuple[dict[str, str], pd.DataFrame, list[str]]:
    """UCDP GED events as incidents: ``(mapping shown, values, notes)``.

    One-sided violence (type 3) is violence against civilians: its fatalities are ``best``,
    with ``low`` and ``high`` as published. State-based and non-state events (types 1 and
    2) come in only when civilians died, with their civilian deaths (``deaths_civilians``)
    as fatalities and no low/high: UCDP's low and high bound all of the event's deaths
    (fighters too), not the civilians'. Other type 1 and 2 events carry their type in
    ``_out_of_scope`` (``ingest.findings.OUT_OF_SCOPE_COLUMN``): counted, not imported, so
    rows read = accepted + accepted with a warning + out of scope + rejected. ``date_prec``
    becomes ``date_precision`` and ``where_prec`` ``location_precision`` (6 and 7: country).
    """
    col = columns_by_name(records)
    get = _getter(records, col)

    violence = get("type_of_violence").map(_ucdp_kind)
    civilians = get("deaths_civilians").map(_number)
    one_sided = (violence == "3").to_numpy()
    civilian_deaths = (violence.isin(["1", "2"]) & (civilians > 0)).to_numpy()
    fatalities = [
        best if kind == "3" else dead
        for kind, best, dead in zip(violence, get("best"), get("deaths_civilians"), strict=True)
    ]
    frame = pd.DataFrame(index=records.index)
    frame["incident_id"] = get("id").map(lambda v: None if is_missing(v) else f"UCDP-{_text(v)}")
    frame["date"] = get("date_start")
    frame["date_precision"] = get("date_prec").map(lambda v: _code_of(v, _UCDP_DATE_PRECISION))
    frame["incident_type"] = [
        ("killing" if _number(dead) > 0 else "attack") if kind in _UCDP_TYPES
        else (f"UCDP type_of_violence {kind}" if kind else None)
        for kind, dead in zip(violence, fatalities, strict=True)
    ]  # fmt: skip
    frame["motivation"] = None  # not coded at source: comes in as unknown
    # One-sided violence: side_a did it. Civilians killed in fighting between two sides
    # (types 1 and 2): UCDP does not say which side killed them, so neither is named the
    # perpetrator; both are kept in the name.
    fighting = violence.isin(["1", "2"]).to_numpy()
    both_sides = [
        f"{_text(a)} / {_text(b)}".strip(" /")
        for a, b in zip(get("side_a"), get("side_b"), strict=True)
    ]
    frame["perpetrator_name"] = get("side_a").where(
        ~fighting, pd.Series(both_sides, index=records.index)
    )
    frame["perpetrator_type"] = (
        get("side_a").map(_ucdp_perpetrator).where(~fighting, "unidentified")
    )
    frame["fatalities"] = fatalities
    frame["fatalities_low"] = get("low").where(one_sided, None)
    frame["fatalities_high"] = get("high").where(one_sided, None)
    frame["location_precision"] = get("where_prec").map(lambda v: _code_of(v, _UCDP_PRECISION))
    frame["admin1"] = get("adm_1")
    frame["admin2"] = get("adm_2")
    frame["source"] = get("source_office").map(lambda v: f"UCDP GED: {_text(v)}".rstrip(": "))
    frame["event_type_raw"] = violence.map(lambda kind: _UCDP_VIOLENCE.get(kind))
    frame["narrative"] = get("source_headline")
    frame["latitude"] = get("latitude")
    frame["longitude"] = get("longitude")
    scope = {
        kind: _(
            "UCDP type {kind} ({name}) without civilian deaths",
            kind=kind,
            name=_(_UCDP_TYPES[kind]),
        )
        for kind in ("1", "2")
    }
    frame[OUT_OF_SCOPE_COLUMN] = [
        scope[kind] if kind in ("1", "2") and not counted else None
        for kind, counted in zip(violence, civilian_deaths, strict=True)
    ]
    mapping = {
        "incident_id": col.get("id", ""),
        "date": col.get("date_start", ""),
        "date_precision": col.get("date_prec", ""),
        "incident_type": col.get("type_of_violence", ""),
        "perpetrator_name": col.get("side_a", ""),
        "perpetrator_type": col.get("side_a", ""),
        "fatalities": _(
            "{best} (type 3) / deaths_civilians (types 1, 2)", best=col.get("best", "best")
        ),
        "fatalities_low": _("{column} (type 3)", column=col["low"]) if "low" in col else "",
        "fatalities_high": _("{column} (type 3)", column=col["high"]) if "high" in col else "",
        "location_precision": col.get("where_prec", ""),
        "admin1": col.get("adm_1", ""),
        "admin2": col.get("adm_2", ""),
        "source": col.get("source_office", ""),
        "event_type_raw": col.get("type_of_violence", ""),
        "latitude": col.get("latitude", ""),
        "longitude": col.get("longitude", ""),
    }
    notes = [
        _(
            "UCDP GED: one-sided violence (type 3), and state-based or non-state events (types "
            "1, 2) with civilian deaths, counted by those deaths; other type 1 and 2 events "
            "are counted as out of scope."
        ),
        _("UCDP codes no motivation: every event comes in as unknown, to code."),
        _(
            "low and high are kept for one-sided violence only (for types 1 and 2 they bound "
            "all the event's deaths, not the civilians'); date_prec is kept as date_precision "
            "(1 day, 2-3 week, 4 month, 5 year) and where_prec as location_precision (1 "
            "exact, 2 approximate, 3 admin2, 4-5 admin1, 6-7 country: counted, not drawn)."
        ),
    ]
    frame = _absent_dropped(frame, {**mapping, "fatalities": col.get("best", "")})
    return {k: v for k, v in mapping.items() if v}, frame, notes
