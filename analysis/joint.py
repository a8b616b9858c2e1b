"""The joint analysis in one call: what the page shows and ``pocmap analyse`` prints.

:func:`analyse` runs every analysis on one selection of incidents (the map's filters) and
the political layers of the chosen field offices, and returns each result with a caption
saying how it was computed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis.agreement_watch import AgreementWatch, agreement_watch
from analysis.cells import Shape
from analysis.coding_notes import coding_notes
from analysis.drivers import (
    ADMIN1_AREA,
    HOT_SPOT,
    drivers_caption,
    motivation_profile,
    profile_by_admin,
)
from analysis.emerging import EmergingHotSpots, emerging_hot_spots
from analysis.escalation import Escalation, escalation
from analysis.filters import filter_by_office, filter_incidents
from analysis.friction import Friction, state_forces_friction
from analysis.gaps import DEFAULT_WITHIN_KM, Gaps, protection_gaps
from analysis.hotspots import (
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    HotSpots,
    Inference,
    Weight,
    cluster_of_incident,
    hot_spots,
)
from analysis.presence import CAPTION as LINKAGE_CAPTION
from analysis.presence import field_office_linkage
from analysis.scale import sensitivity
from analysis.windows import coverage
from analysis.words import count
from languages import _
from schema.filters import IncidentFilter
from schema.mission import MissionData


@dataclass(frozen=True)
class Options:
    """The analyst's choices; every default is what the page starts with."""

    shape: Shape = "hexagon"
    width_km: float | None = None
    """None: chosen from the data (:mod:`analysis.scale`: 6 times the median distance between
    neighbouring places with incidents, rounded, within bounds set by the mission area)."""
    weight: Weight = "incidents"
    fdr: bool = True
    step: str = "Q"
    gap_km: float = DEFAULT_WITHIN_KM
    line_buffer_km: float = 5.0
    point_radius_km: float = 5.0
    window_days: int = 60
    friction_period: str | None = "Q"
    inference: Inference = "analytic"
    """Gi*'s p-values: "analytic" (normal approximation) or "permutation" (conditional
    randomisation as esda's, for small counts)."""
    permutations: int = DEFAULT_PERMUTATIONS
    seed: int = DEFAULT_SEED
    """The permutations' seed: the same seed gives the same result (and esda's)."""


@dataclass(frozen=True)
class JointAnalysis:
    """Every result of :func:`analyse`.

    Its words (notes, table cells such as effects, cautions and verdicts, most captions)
    are in the language of the run that computed it; the captions of the hot spots, the
    emerging hot spots, the protection gaps, the drivers and the field offices are worded
    when read. A cache of results must therefore be keyed by the language too.
    """

    selection: IncidentFilter
    options: Options
    incidents: int
    """Events selected, each counted once however many sources reported it."""
    fatalities: int
    """Their deaths: the counted report's figure for each event."""
    fatalities_range: tuple[int, int]
    """Lowest and highest total the reports allow (each event's lowest and highest figure
    among its linked reports and the source's own low/high estimates)."""
    start: dt.date | None
    end: dt.date | None
    hot_spots: HotSpots
    emerging: EmergingHotSpots
    drivers_by_hot_spot: pd.DataFrame
    drivers_by_admin1: pd.DataFrame
    gaps: Gaps
    agreements: AgreementWatch
    escalation: Escalation
    friction: Friction
    linkage: pd.DataFrame
    cell_sizes: tuple[pd.DataFrame, str] = (pd.DataFrame(), "")
    """How the hot spots change with the cell width (:func:`analysis.scale.sensitivity`):
    the table and its caption."""
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, tuple[pd.DataFrame, str]]:
        """Each table with its caption, keyed by a file-friendly name."""
        cells = self.hot_spots.cells
        return {
            "hot_spot_cells": (
                pd.DataFrame(cells.drop(columns="geometry")),
                self.hot_spots.caption,
            ),
            "hot_spots_by_cell_width": self.cell_sizes,
            "emerging_hot_spots": (
                pd.DataFrame(self.emerging.cells.drop(columns="geometry")).query("category != ''"),
                self.emerging.caption,
            ),
            "drivers_by_hot_spot": (
                self.drivers_by_hot_spot,
                drivers_caption(self.drivers_by_hot_spot, HOT_SPOT),
            ),
            "drivers_by_admin1": (
                self.drivers_by_admin1,
                drivers_caption(self.drivers_by_admin1, ADMIN1_AREA),
            ),
            "protection_gaps": (self.gaps.hot_spots, self.gaps.caption),
            "political_work_without_protection_picture": (
                self.gaps.unwatched_work,
                self.gaps.caption,
            ),
            "agreement_watch": (self.agreements.summary, self.agreements.caption),
            "possible_violations": (self.agreements.violations, self.agreements.caption),
            "escalation_around_milestones": (self.escalation.table, self.escalation.caption),
            "state_forces_friction": (self.friction.table, self.friction.caption),
            "field_office_linkage": (self.linkage, _(LINKAGE_CAPTION)),
        }

    def shown_tables(self) -> dict[str, tuple[str, pd.DataFrame, str]]:
        """Each table as a person reads it, keyed as :meth:`tables`: its title, the table
        with coded values as labels and translated headers (:func:`analysis.columns.shown`)
        and its caption, in the current language. The ids stay in :meth:`tables` (CSV,
        JSON)."""
        from analysis.columns import TABLE_TITLES, shown

        return {
            name: (TABLE_TITLES[name], shown(table), caption)
            for name, (table, caption) in self.tables().items()
        }

    def to_json(self) -> dict[str, Any]:
        """Plain JSON: the selection, the options, and every table as records."""
        selection = {
            k: (sorted(v) if isinstance(v, frozenset) else v)
            for k, v in asdict(self.selection).items()
        }
        return {
            "selection": _plain(selection),
            "options": _plain(asdict(self.options)),
            "incidents": self.incidents,
            "fatalities": self.fatalities,
            "fatalities_range": {"low": self.fatalities_range[0], "high": self.fatalities_range[1]},
            "period": {"start": _plain(self.start), "end": _plain(self.end)},
            "notes": self.notes,
            "escalation_warning": self.escalation.warning,
            "tables": {
                name: {"caption": caption, "rows": _records(table)}
                for name, (table, caption) in self.tables().items()
            },
        }


def analyse(
    data: MissionData, selection: IncidentFilter | None = None, options: Options | None = None
) -> JointAnalysis:
    """Run the joint analysis on ``data`` narrowed by ``selection``."""
    selection = selection or IncidentFilter()
    options = options or Options()
    chosen = filter_incidents(data.incidents, selection)
    processes = filter_by_office(data.local_processes, selection.field_offices)
    agreements = filter_by_office(data.local_agreements, selection.field_offices)
    start, end = _period(data, selection)
    notes = []
    if data.not_counted:
        notes.append(
            _(
                "Events reported by several sources are counted once: {reports} reports were "
                "left out because another source's report of the same event is counted "
                "(`pocmap links` lists the links).",
                reports=count(data.not_counted),
            )
        )
    if len(chosen) and (chosen["motivation"] == "unknown").all():
        notes.append(
            _(
                "No incident in this selection has an assessed motivation (as after an ACLED "
                "or UCDP import): the hot spots and rates stand, the motivation profiles say "
                "'not yet assessed'."
            )
        )
    notes.extend(coding_notes(data.incidents, chosen, selection))
    width_m = None if options.width_km is None else options.width_km * 1000
    area = data.admin_boundaries if len(data.admin_boundaries) else None
    spots = hot_spots(
        chosen,
        area,
        shape=options.shape,
        width_m=width_m,
        weight=options.weight,
        fdr=options.fdr,
        inference=options.inference,
        permutations=options.permutations,
        seed=options.seed,
    )
    notes.extend(spots.notes)
    crs = spots.counts.grid.crs
    emerging = emerging_hot_spots(
        chosen,
        area,
        step=options.step,
        shape=options.shape,
        width_m=spots.counts.grid.width_m,
        fdr=options.fdr,
        crs=crs,
    )
    cluster = cluster_of_incident(spots).reindex(chosen.index)
    return JointAnalysis(
        selection=selection,
        options=options,
        incidents=len(chosen),
        fatalities=int(chosen["fatalities"].sum()),
        fatalities_range=fatality_range(chosen),
        start=start,
        end=end,
        hot_spots=spots,
        emerging=emerging,
        drivers_by_hot_spot=motivation_profile(chosen, cluster.map(_cluster_name)),
        drivers_by_admin1=profile_by_admin(chosen, "admin1"),
        gaps=protection_gaps(
            spots, chosen, processes, agreements, data.mission_presence, within_km=options.gap_km
        ),
        agreements=agreement_watch(
            chosen,
            agreements,
            line_buffer_km=options.line_buffer_km,
            point_radius_km=options.point_radius_km,
            start=start,
            end=end,
        ),
        # The escalation baseline lies before the windows, perhaps before the selected
        # period: it is given the selection's incidents whatever their date, so that its
        # verdicts do not change with the period (the period picks the milestones shown).
        escalation=escalation(
            filter_incidents(data.incidents, replace(selection, start=None, end=None)),
            data.national_milestones,
            window_days=options.window_days,
            start=start,
            end=end,
        ),
        friction=state_forces_friction(chosen, by="admin1", period=options.friction_period),
        linkage=field_office_linkage(chosen, processes, agreements, data.mission_presence),
        cell_sizes=sensitivity(spots, chosen, area),
        notes=notes,
    )


def fatality_range(incidents: pd.DataFrame) -> tuple[int, int]:
    """The lowest and highest death toll the reports allow: per event, the lowest and
    highest of its figure, the source's own low/high estimates and its linked reports'."""
    if not len(incidents):
        return 0, 0
    figures = [incidents["fatalities"].astype("Float64")]
    lows = [
        incidents[c].astype("Float64")
        for c in ("fatalities_low", "linked_fatalities_low")
        if c in incidents
    ]
    highs = [
        incidents[c].astype("Float64")
        for c in ("fatalities_high", "linked_fatalities_high")
        if c in incidents
    ]
    low = pd.concat([*figures, *lows], axis=1).min(axis=1, skipna=True)
    high = pd.concat([*figures, *highs], axis=1).max(axis=1, skipna=True)
    return int(low.sum()), int(high.sum())


def _cluster_name(value: float) -> Any:
    return np.nan if value != value else _("hot spot {number}", number=int(value))


def _period(data: MissionData, selection: IncidentFilter) -> tuple[dt.date | None, dt.date | None]:
    """The days the selection covers: the filter's dates within the data's, whatever else
    the filters keep (a quiet month is part of the period, not missing from it)."""
    spans = coverage(data.incidents) if len(data.incidents) else []
    if not spans:
        return selection.start, selection.end
    # The reporting coverage (each source's first to last date, isolated dates left out),
    # not the first and last date: one mistyped year does not stretch the period.
    first, last = spans[0][0], spans[-1][1]
    start = max(first, selection.start) if selection.start else first
    end = min(last, selection.end) if selection.end else last
    return start, end


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if not math.isfinite(float(value)) else float(value)
    if value is pd.NA:
        return None
    return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table_csv(table: pd.DataFrame) -> bytes:
    """A table as CSV for Excel (UTF-8 with a byte-order mark); text that a spreadsheet
    would run as a formula is written with a leading apostrophe."""
    safe = table.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
