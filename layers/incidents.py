"""Incidents: POC threats and violence against civilians, each coded by motivation.

Their style and folium builders; the fields, codes and labels are ``schema.incidents``.
An incident known only to the country (``location_precision`` country) is no place: it is
not drawn, and the layer's name says how many were left off.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from folium.plugins import HeatMap

from analysis.precision import placed
from languages import N_, Labels, _, ngettext
from layers._points import PointCluster
from layers.escaping import escape
from schema.fields import split_codes
from schema.incidents import (
    CONFIDENCES,
    INCIDENT_TYPE_LABELS,
    INCIDENT_TYPES,
    LOCATION_PRECISIONS,
    MOTIVATION_LABELS,
    MOTIVATIONS,
    PERPETRATOR_LABELS,
    PERPETRATOR_TYPES,
    VICTIM_GROUP_LABELS,
)

# Colour-blind-safe (Okabe-Ito based); grey is kept for "not yet assessed".
MOTIVATION_COLOURS = {
    "predation": "#E69F00",
    "extraction": "#8C510A",
    "revenge": "#D55E00",
    "collateral": "#CC79A7",
    "political": "#0072B2",
    "punitive": "#009E73",
    "unknown": "#8C8C8C",
}


# Written as the codes in English, so English popups read as before.
CONFIDENCE_LABELS = Labels(
    {"confirmed": N_("confirmed"), "probable": N_("probable"), "possible": N_("possible")}
)
"""How sure the motivation is, as the popups name it."""
LOCATION_PRECISION_LABELS = Labels(
    {
        "exact": N_("exact"),
        "approximate": N_("approximate"),
        "admin2": N_("admin2"),
        "admin1": N_("admin1"),
        "country": N_("country"),
    }
)
"""How exactly an incident's place is known, as the popups name it."""


def _lookup(codes: tuple[str, ...], labels: Mapping[str, str]) -> list[str]:
    return [escape(labels.get(code, code)) for code in codes]


def _index(series: pd.Series, codes: tuple[str, ...]) -> list:
    positions = pd.Categorical(series, categories=list(codes)).codes
    out = positions.astype(object)
    out[positions < 0] = None
    return out.tolist()


def _per_value(series: pd.Series, convert: Callable[[Any], Any]) -> list:
    """``convert`` of each value, computed once per distinct value (``None`` for missing):
    a column of a few hundred values over 20,000 markers costs a few hundred calls."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    done = np.empty(len(uniques) + 1, dtype=object)
    done[:-1] = [convert(u) for u in uniques]
    done[-1] = convert(None)
    return done[codes].tolist()


def _text(series: pd.Series) -> list[str]:
    return _per_value(series, escape)


def _count(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _victims(series: pd.Series) -> list[str]:
    return _per_value(
        series,
        lambda v: escape(", ".join(VICTIM_GROUP_LABELS.get(g, g) for g in split_codes(v))),
    )


def _areas(admin2: pd.Series, admin1: pd.Series) -> list[str]:
    """``admin2, admin1`` of each incident (either left out when missing)."""
    pairs = admin2.fillna("").astype(str) + _PAIR + admin1.fillna("").astype(str)
    return _per_value(
        pairs, lambda v: escape(", ".join(part for part in (v or "").split(_PAIR) if part))
    )


_PAIR = "\x1f"  # a unit separator: never in a place name


_POPUP_FIELDS = (
    N_("Incident"),
    N_("Date"),
    N_("Type"),
    N_("Motivation"),
    N_("Confidence"),
    N_("Perpetrator"),
    N_("Fatalities"),
    N_("Injured"),
    N_("Abducted"),
    N_("Victims"),
    N_("Location precision"),
    N_("Area"),
    N_("Field office"),
    N_("Source"),
)
"""The popup's labels, in English (shown in the current language)."""
_TOOLTIP_FIELDS = [1, 2, 3]


def marker_rows(incidents: gpd.GeoDataFrame) -> list[list]:
    """One compact, escaped row per incident for :class:`layers._points.PointCluster`.

    The narrative is never included: it is sensitive and not needed to read the map.
    """
    lat = np.round(incidents.geometry.y.to_numpy(), 5).tolist()
    lon = np.round(incidents.geometry.x.to_numpy(), 5).tolist()
    motivation = _index(incidents["motivation"], MOTIVATIONS)
    columns = [
        _text(incidents["incident_id"]),
        _per_value(incidents["date"], escape),
        _index(incidents["incident_type"], INCIDENT_TYPES),
        motivation,
        _index(incidents["motivation_confidence"], CONFIDENCES),
        _index(incidents["perpetrator_type"], PERPETRATOR_TYPES),
        _per_value(incidents["fatalities"], _count),
        _per_value(incidents["injured"], _count),
        _per_value(incidents["abducted"], _count),
        _victims(incidents["victim_groups"]),
        _index(incidents["location_precision"], LOCATION_PRECISIONS),
        _areas(incidents["admin2"], incidents["admin1"]),
        _text(incidents["field_office"]),
        _text(incidents["source"]),
    ]
    colour = [len(MOTIVATIONS) - 1 if m is None else m for m in motivation]
    return [list(row) for row in zip(lat, lon, colour, *columns, strict=True)]


def build(
    incidents: gpd.GeoDataFrame, *, name: str | None = None, show: bool = True
) -> PointCluster:
    """Incidents as clustered circle markers coloured by motivation, with popups.

    ``incidents`` must be validated (see :func:`validate`). Every text value is
    HTML-escaped; narratives are left out. Incidents known only to the country are left
    off, and counted in the layer's name (the map's layer control shows it). ``name``
    defaults to "Incidents" in the current language; labels and names are escaped (the
    popups and the layer control read them as HTML).
    """
    incidents, name = _places_only(incidents, name or _("Incidents"))
    lookups = {
        "Type": _lookup(INCIDENT_TYPES, INCIDENT_TYPE_LABELS),
        "Motivation": _lookup(MOTIVATIONS, MOTIVATION_LABELS),
        "Confidence": _lookup(CONFIDENCES, CONFIDENCE_LABELS),
        "Perpetrator": _lookup(PERPETRATOR_TYPES, PERPETRATOR_LABELS),
        "Location precision": _lookup(LOCATION_PRECISIONS, LOCATION_PRECISION_LABELS),
    }
    fields = [(escape(_(label)), lookups.get(label)) for label in _POPUP_FIELDS]
    return PointCluster(
        marker_rows(incidents),
        [MOTIVATION_COLOURS[m] for m in MOTIVATIONS],
        fields,
        _TOOLTIP_FIELDS,
        name=escape(name),
        show=show,
    )


def build_density(
    incidents: gpd.GeoDataFrame, *, name: str | None = None, show: bool = False
) -> HeatMap:
    """A heat map of incident density: each incident counts once, or a point counts its
    ``weight`` (a cell's incidents) relative to the heaviest. Incidents known only to the
    country are left off (counted in the layer's name, escaped: the control reads HTML)."""
    incidents, name = _places_only(incidents, name or _("Incident density"))
    columns = [incidents.geometry.y, incidents.geometry.x]
    if "weight" in incidents:
        weight = incidents["weight"].to_numpy(dtype=float)
        columns.append(weight / max(weight.max(), 1.0))
    points = np.column_stack(columns).round(5).tolist()
    return HeatMap(points, name=escape(name), show=show, radius=14, blur=18, min_opacity=0.25)


def _places_only(incidents: gpd.GeoDataFrame, name: str) -> tuple[gpd.GeoDataFrame, str]:
    """The incidents that are places, and the layer's name saying how many are not."""
    is_place, left_off = placed(incidents)
    if not left_off:
        return incidents, name
    return incidents[is_place], ngettext(
        "{name} ({n} known only to the country, not drawn)",
        "{name} ({n} known only to the country, not drawn)",
        left_off,
        name=name,
    )


def legend_entries() -> list[tuple[str, str]]:
    """``(colour, label)`` for the map legend, one per motivation."""
    return [(MOTIVATION_COLOURS[m], MOTIVATION_LABELS[m]) for m in MOTIVATIONS]
