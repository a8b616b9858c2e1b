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
from languages import (
    ENGLISH,
    N_,
    _,
    format_date,
    format_number,
    format_percent,
    ngettext,
    use,
)
from schema.filters import IncidentFilter
from schema.incidents import (
    CONFIDENCE_LABELS,
    INCIDENT_TYPE_LABELS,
    MOTIVATION_LABELS,
    MOTIVATION_ORIGIN_LABELS,
    PERPETRATOR_LABELS,
    VICTIM_GROUP_LABELS,
)

DEFAULT_MARKING = N_("UN CONFIDENTIAL")
MARKING_ENV = "POCMAP_MARKING"
TOP_MOTIVATIONS = 3
NAMES_LISTED = 3
DAY_MONTH_YEAR = "d MMM y"
"""How a briefing writes a day (CLDR pattern): ``1 Jan 2024``, ``1 janv. 2024``."""


def at_risk_caption() -> str:
    """What "at risk" means, in the current language."""
    return _(
        "An agreement is at risk when it is in force and incidents in its area rose recently: "
        "significantly more in the last {days} days of the data than in the {days} days "
        "before (agreement watch). An agreement violated or lapsed earlier is not listed: "
        "it ended.",
        days=format_number(RECENT_DAYS),
    )


with use(ENGLISH):
    AT_RISK_CAPTION = at_risk_caption()
"""The caption in English (:func:`at_risk_caption` speaks the current language)."""


def default_marking() -> str:
    """The classification marking: ``POCMAP_MARKING`` (as the deployment wrote it), else
    ``UN CONFIDENTIAL`` in the current language."""
    return os.environ.get(MARKING_ENV, "").strip() or _(DEFAULT_MARKING)


def semicolon() -> str:
    """The separator between the items of a list, as the language writes it (``; `` in
    English, `` ; `` in French)."""
    return _("; ")


def day(value: dt.date | dt.datetime | pd.Timestamp) -> str:
    """``1 Jan 2024`` as the current language writes it."""
    return format_date(value, DAY_MONTH_YEAR)


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
        return _("no incidents loaded")
    return _("{start} to {end}", start=day(start), end=day(end))


def no_filter_text() -> str:
    """What the filters say when there are none."""
    return _("All incidents (no filter)")


def filters_text(selection: IncidentFilter) -> str:
    """The filters in words (``all incidents`` when there are none)."""
    items = filter_items(selection)
    return "".join(text + end for text, end in items).strip() or no_filter_text()


def filter_items(selection: IncidentFilter) -> list[tuple[str, str]]:
    """The filters' values, each ``(text, separator after it)``, the first of each filter
    with its title (``Motivation: Revenge``): a briefing can show as many as fit."""
    items: list[tuple[str, str]] = []
    no_labels: dict[str, str] = {}
    for title, values, labels in (
        (_("Motivation"), selection.motivations, MOTIVATION_LABELS),
        (_("Perpetrator"), selection.perpetrator_types, PERPETRATOR_LABELS),
        (_("Incident type"), selection.incident_types, INCIDENT_TYPE_LABELS),
        (_("Victim group"), selection.victim_groups, VICTIM_GROUP_LABELS),
        (_("Field office"), selection.field_offices, no_labels),
        (_("Admin1"), selection.admin1, no_labels),
        (_("Admin2"), selection.admin2, no_labels),
        (_("Motivation confidence"), selection.confidences, CONFIDENCE_LABELS),
        (_("Motivation coded by"), selection.motivation_origins, MOTIVATION_ORIGIN_LABELS),
    ):
        words = sorted(labels.get(v, v) for v in values or ())
        if words:
            if items:
                items[-1] = (items[-1][0], semicolon())
            items += [(w, ", ") for w in words]
            items[-len(words)] = (_("{title}: {value}", title=title, value=words[0]), ", ")
    if items:
        items[-1] = (items[-1][0], "")
    return items


NAME_CHARS = 60
"""A name listed in a key figure is cut to this many characters (an ellipsis ends it), so
that "and 3 more" is still read when the names are long."""


def _listed(names: Iterable[str]) -> str:
    names = [n if len(n) <= NAME_CHARS else n[: NAME_CHARS - 1].rstrip() + "…" for n in names]
    listed = ", ".join(names[:NAMES_LISTED])
    if len(names) <= NAMES_LISTED:
        return listed
    more = len(names) - NAMES_LISTED
    return ngettext("{names} and {n} more", "{names} and {n} more", more, names=listed)


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
            _("Incidents"),
            count(len(chosen)),
            _("of {total} loaded", total=format_number(prepared.data.incidents.shape[0])),
        ),
        KeyFigure(_("Fatalities"), count(chosen["fatalities"].fillna(0).sum())),
    ]
    assessed = chosen.loc[chosen["motivation"] != "unknown", "motivation"].value_counts()
    top = [
        f"{MOTIVATION_LABELS[m]} {count(n)} ({format_percent(n / len(chosen))})"
        for m, n in assessed.head(TOP_MOTIVATIONS).items()
    ]
    unknown = int((chosen["motivation"] == "unknown").sum())
    figures.append(
        KeyFigure(
            _("Top motivations"),
            semicolon().join(top) if top else _("none assessed"),
            _("not yet assessed: {count}", count=count(unknown)) if unknown else "",
        )
    )
    spots = prepared.analysis.hot_spots
    cells, grid = spots.cells, spots.counts.grid
    clusters = int(cells["cluster"].max()) if len(cells) else 0
    hot_cells = int((cells["bin"] >= 2).sum()) if len(cells) else 0
    figures.append(
        KeyFigure(
            _("Hot spots"),
            format_number(clusters),
            _(
                "clusters of Gi* hot cells of the analysis ({width} km); {hot} cells hot at "
                "95 % or more",
                width=format_number(grid.width_m / 1000),
                hot=format_number(hot_cells),
            ),
        )
    )
    gaps = prepared.analysis.gaps.hot_spots
    work_km = prepared.analysis.gaps.within_km
    presence_km = prepared.analysis.gaps.presence_km
    presence_km = work_km if presence_km is None else presence_km
    figures.append(
        KeyFigure(
            _("Protection gaps"),
            format_number(int(gaps["gap"].sum()) if len(gaps) else 0),
            _(
                "hot spots with no political work within {work} km and no office or base "
                "within {presence} km",
                work=format_number(work_km),
                presence=format_number(presence_km),
            ),
        )
    )
    risk = agreements_at_risk(prepared)
    figures.append(
        KeyFigure(
            _("Agreements at risk"),
            _(
                "{at_risk} of {total}",
                at_risk=format_number(len(risk)),
                total=format_number(len(prepared.agreements)),
            ),
            _listed(risk["name"].astype(str)) if len(risk) else "",
        )
    )
    flags = prepared.analysis.escalation.table
    flagged = flags[flags["flag"] != ""] if len(flags) else flags
    figures.append(
        KeyFigure(
            _("Escalation flags"),
            format_number(len(flagged)),
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
        prefix + semicolon().join(text + end for text, end in items)
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
        lists.append(
            (_("Sources:") + " ", [(str(s), f" ({count(n)})") for s, n in by_source.items()])
        )
    offices = chosen["field_office"].dropna().value_counts()
    if len(offices):
        lists.append(
            (
                _("Reporting field offices:") + " ",
                [(str(o), f" ({count(n)})") for o, n in offices.items()],
            )
        )
    if batches is not None and "batch_id" in chosen:
        used = set(pd.to_numeric(chosen["batch_id"], errors="coerce").dropna().astype(int))
        shown = sorted((b for b in batches if b.batch_id in used), key=lambda b: b.batch_id)
        if shown:
            lists.append(
                (
                    _("Store batches:") + " ",
                    [
                        (f"{b.batch_id} ({b.office}", f", {b.profile}, {b.imported_at[:10]})")
                        for b in shown
                    ],
                )
            )
    if prepared.data.label:
        lists.append((_("Data:") + " ", [(_(str(prepared.data.label)), "")]))
    return lists


def generated_text(when: dt.datetime) -> str:
    """``Generated 4 Dec 2026 09:14 UTC``."""
    moment = when.astimezone(dt.UTC)
    return _("Generated {date} {time} UTC", date=day(moment), time=moment.strftime("%H:%M"))
