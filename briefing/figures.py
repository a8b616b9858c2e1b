"""What a briefing says in words: period, filters, key figures, sources.

Every count goes through :meth:`Disclosure.count`, so a shareable briefing writes
"fewer than 5" rather than a number small enough to point at someone.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from analysis.agreement_watch import RECENT_DAYS
from analysis.filters import filter_incidents
from briefing.selection import Prepared
from schema.filters import IncidentFilter
from schema.incidents import (
    INCIDENT_TYPE_LABELS,
    MOTIVATION_LABELS,
    PERPETRATOR_LABELS,
    VICTIM_GROUP_LABELS,
)

DEFAULT_MARKING = "UN CONFIDENTIAL"
MARKING_ENV = "POCMAP_MARKING"
TOP_MOTIVATIONS = 3
NAMES_LISTED = 3
AT_RISK_CAPTION = (
    "An agreement is at risk when it is in force and incidents in its area rose recently: "
    f"significantly more in the last {RECENT_DAYS} days of the data than in the "
    f"{RECENT_DAYS} days before "
    "(agreement watch). An agreement violated or lapsed earlier is not listed: it ended."
)


def default_marking() -> str:
    """The classification marking: ``POCMAP_MARKING``, else ``UN CONFIDENTIAL``."""
    return os.environ.get(MARKING_ENV, "").strip() or DEFAULT_MARKING


@dataclass(frozen=True)
class KeyFigure:
    """One line of the key-figures panel."""

    label: str
    value: str
    detail: str = ""


def period_text(prepared: Prepared) -> str:
    """``1 Jan 2024 to 31 Dec 2024`` (the days the selection covers)."""
    start, end = prepared.analysis.start, prepared.analysis.end
    if start is None or end is None:
        return "no incidents loaded"
    return f"{start:%-d %b %Y} to {end:%-d %b %Y}"


def filters_text(selection: IncidentFilter) -> str:
    """The filters in words (``all incidents`` when there are none)."""
    items = filter_items(selection)
    return "".join(text + end for text, end in items).strip() or "All incidents (no filter)"


def filter_items(selection: IncidentFilter) -> list[tuple[str, str]]:
    """The filters' values, each ``(text, separator after it)``, the first of each filter
    with its title (``Motivation: Revenge``): a briefing can show as many as fit."""
    items: list[tuple[str, str]] = []
    for title, values, labels in (
        ("Motivation", selection.motivations, MOTIVATION_LABELS),
        ("Perpetrator", selection.perpetrator_types, PERPETRATOR_LABELS),
        ("Incident type", selection.incident_types, INCIDENT_TYPE_LABELS),
        ("Victim group", selection.victim_groups, VICTIM_GROUP_LABELS),
        ("Field office", selection.field_offices, {}),
        ("Admin1", selection.admin1, {}),
        ("Admin2", selection.admin2, {}),
    ):
        words = sorted(labels.get(v, v) for v in values or ())
        if words:
            if items:
                items[-1] = (items[-1][0], "; ")
            items += [(w, ", ") for w in words]
            items[-len(words)] = (f"{title}: {words[0]}", ", ")
    if items:
        items[-1] = (items[-1][0], "")
    return items


NAME_CHARS = 60
"""A name listed in a key figure is cut to this many characters (an ellipsis ends it), so
that "and 3 more" is still read when the names are long."""


def _listed(names: Iterable[str]) -> str:
    names = [n if len(n) <= NAME_CHARS else n[: NAME_CHARS - 1].rstrip() + "…" for n in names]
    more = f" and {len(names) - NAMES_LISTED} more" if len(names) > NAMES_LISTED else ""
    return ", ".join(names[:NAMES_LISTED]) + more


def agreements_at_risk(prepared: Prepared) -> pd.DataFrame:
    """The agreement-watch rows of agreements at risk (see :data:`AT_RISK_CAPTION`): a
    recent rise, never a violation recorded long ago."""
    summary = prepared.analysis.agreements.summary
    if not len(summary):
        return summary
    return summary[summary["at_risk"].fillna(False).astype(bool).to_numpy()]


def key_figures(prepared: Prepared) -> list[KeyFigure]:
    """The panel beside the map: incidents, fatalities, top motivations, hot spots,
    protection gaps, agreements at risk and escalation flags."""
    count = prepared.disclosure.count
    chosen = filter_incidents(prepared.data.incidents, prepared.selection)
    figures = [
        KeyFigure(
            "Incidents",
            count(len(chosen)),
            f"of {prepared.data.incidents.shape[0]:,} loaded",
        ),
        KeyFigure("Fatalities", count(chosen["fatalities"].fillna(0).sum())),
    ]
    assessed = chosen.loc[chosen["motivation"] != "unknown", "motivation"].value_counts()
    top = [
        f"{MOTIVATION_LABELS[m]} {count(n)} ({n / len(chosen):.0%})"
        for m, n in assessed.head(TOP_MOTIVATIONS).items()
    ]
    unknown = int((chosen["motivation"] == "unknown").sum())
    figures.append(
        KeyFigure(
            "Top motivations",
            "; ".join(top) if top else "none assessed",
            f"not yet assessed: {count(unknown)}" if unknown else "",
        )
    )
    spots = prepared.analysis.hot_spots
    cells, grid = spots.cells, spots.counts.grid
    clusters = int(cells["cluster"].max()) if len(cells) else 0
    hot_cells = int((cells["bin"] >= 2).sum()) if len(cells) else 0
    figures.append(
        KeyFigure(
            "Hot spots",
            f"{clusters:,}",
            f"clusters of Gi* hot cells of the analysis ({grid.width_m / 1000:g} km); "
            f"{hot_cells:,} cells hot at 95 % or more",
        )
    )
    gaps = prepared.analysis.gaps.hot_spots
    work_km = prepared.analysis.gaps.within_km
    presence_km = prepared.analysis.gaps.presence_km
    presence_km = work_km if presence_km is None else presence_km
    figures.append(
        KeyFigure(
            "Protection gaps",
            f"{int(gaps['gap'].sum()) if len(gaps) else 0:,}",
            f"hot spots with no political work within {work_km:g} km and no office or base "
            f"within {presence_km:g} km",
        )
    )
    risk = agreements_at_risk(prepared)
    figures.append(
        KeyFigure(
            "Agreements at risk",
            f"{len(risk):,} of {len(prepared.agreements):,}",
            _listed(risk["name"].astype(str)) if len(risk) else "",
        )
    )
    flags = prepared.analysis.escalation.table
    flagged = flags[flags["flag"] != ""] if len(flags) else flags
    figures.append(
        KeyFigure(
            "Escalation flags",
            f"{len(flagged):,}",
            _listed(f"{r.title} ({r.flag})" for r in flagged.itertuples()) if len(flagged) else "",
        )
    )
    return figures


def sources_text(prepared: Prepared, batches: Iterable | None = None) -> list[str]:
    """Where the shown incidents came from: reporting sources, field offices, batches.

    ``batches`` are the store's :class:`store.Batch` records (when the data came from
    the store); file names are left out, as they can name people or places.
    """
    return [
        prefix + "; ".join(text + end for text, end in items)
        for prefix, items in source_lists(prepared, batches)
    ]


def source_lists(
    prepared: Prepared, batches: Iterable | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """:func:`sources_text` as ``(prefix, items)``, each item ``(name, " (count)")``: a
    briefing shows as many as fit and says how many more there are."""
    count = prepared.disclosure.count
    chosen = filter_incidents(prepared.data.incidents, prepared.selection)
    lists = []
    by_source = chosen["source"].value_counts()
    if len(by_source):
        lists.append(("Sources: ", [(str(s), f" ({count(n)})") for s, n in by_source.items()]))
    offices = chosen["field_office"].dropna().value_counts()
    if len(offices):
        lists.append(
            ("Reporting field offices: ", [(str(o), f" ({count(n)})") for o, n in offices.items()])
        )
    if batches is not None and "batch_id" in chosen:
        used = set(pd.to_numeric(chosen["batch_id"], errors="coerce").dropna().astype(int))
        shown = sorted((b for b in batches if b.batch_id in used), key=lambda b: b.batch_id)
        if shown:
            lists.append(
                (
                    "Store batches: ",
                    [
                        (f"{b.batch_id} ({b.office}", f", {b.profile}, {b.imported_at[:10]})")
                        for b in shown
                    ],
                )
            )
    if prepared.data.label:
        lists.append(("Data: ", [(str(prepared.data.label), "")]))
    return lists


def generated_text(when: dt.datetime) -> str:
    """``Generated 4 Dec 2026 09:14 UTC``."""
    return f"Generated {when.astimezone(dt.UTC):%-d %b %Y %H:%M} UTC"
