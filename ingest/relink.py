"""Each event counted once: link the stored reports of one event, then mark which counts.

After every change to what analysis shows (an incidents batch committed, accepted,
withdrawn or restored; an analyst's decision on a link), :func:`relink` looks again at
the incidents of accepted, active batches: ``ingest.linking`` proposes links between
reports from different sources (and possible repeats within one), the store keeps them
beside the analysts' decisions (``store.links``), and each group of linked reports gets
one ``counted`` report (the preferred source's, by the mission's priority) and the range
of the group's figures. Maps, analysis, briefings and exports then drop the reports
with ``counted`` false: the event is there once, with the preferred source's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from config.settings import LINK_DAYS, LINK_KM, SOURCE_PRIORITY
from ingest import linking
from ingest.shown import plain
from languages import N_, _, format_number
from store.links import IN_FORCE
from store.protocol import StoreLike

DERIVED_FROM_LINKS = ("event_group", "counted", "linked_fatalities_low", "linked_fatalities_high")
"""The incidents' columns :func:`relink` derives."""
DEFAULT_PRIORITY = ("office", "UCDP GED", "ACLED")
"""A mission's own reports first (it checked them), then UCDP GED (curated, with
low/high estimates), then ACLED; ``POCMAP_SOURCE_PRIORITY`` changes it."""
_EVENT_COLUMNS = (
    "incident_id", "date", "date_precision", "location_precision", "incident_type",
    "perpetrator_type", "perpetrator_name", "fatalities", "fatalities_low", "fatalities_high",
    "source",
)  # fmt: skip


@dataclass(frozen=True)
class Relinked:
    """What one pass found and changed."""

    reports: int
    """Reports of accepted, active batches looked at."""
    families: int
    """Sources among them (ACLED, UCDP GED, each office)."""
    linked: int
    queued: int
    groups: int
    """Events reported more than once, each now counted once."""
    hidden: int
    """Reports not counted because another source's report of the event is."""
    changed: int
    """Stored reports whose derived columns changed."""

    def summary(self) -> str:
        """One line for the import notes and the command line, in the current language."""
        return _(
            "{reports} reports from {families} sources: {groups} events reported more than "
            "once, each counted once ({hidden} reports not counted twice); {linked} links "
            "made, {queued} waiting for an analyst",
            reports=format_number(self.reports),
            families=plain(self.families),
            groups=format_number(self.groups),
            hidden=format_number(self.hidden),
            linked=format_number(self.linked),
            queued=format_number(self.queued),
        )


def tolerances_from_env() -> linking.Tolerances:
    """The default tolerances, with ``POCMAP_LINK_DAYS``/``POCMAP_LINK_KM`` where set."""
    base = linking.Tolerances()
    changes: dict[str, float] = {}
    for setting, name in ((LINK_DAYS, N_("days")), (LINK_KM, N_("km"))):
        if text := setting.value():
            try:
                value = float(text)
            except ValueError:
                raise ValueError(
                    _(
                        "{setting} is {text} but should be a number ({unit}), such as {example}",
                        setting=setting.name,
                        text=repr(text),
                        unit=_(name),
                        example=getattr(base, name),
                    )
                ) from None
            if value < 0:
                raise ValueError(
                    _(
                        "{setting} is {text} but cannot be negative",
                        setting=setting.name,
                        text=text,
                    )
                )
            changes[name] = value
    return replace(base, days=changes.get("days", base.days), km=changes.get("km", base.km))


def priority_from_env() -> tuple[str, ...]:
    """Sources in the order their figures are preferred (``POCMAP_SOURCE_PRIORITY``)."""
    text = SOURCE_PRIORITY.value()
    if not text:
        return DEFAULT_PRIORITY
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    return chosen or DEFAULT_PRIORITY


def events_of(store: StoreLike) -> pd.DataFrame:
    """The reports analysis shows (accepted batches, active), as ``ingest.linking`` reads
    them: one row per report with its source family and coordinates."""
    incidents = store.layer("incidents")
    shown = {b.batch_id: b.office for b in store.batches("incidents") if b.in_analysis}
    keep = np.isin(incidents["batch_id"].to_numpy(dtype="int64"), list(shown))
    incidents = incidents[keep]
    return as_events(incidents, incidents["batch_id"].map(shown))


def as_events(incidents: pd.DataFrame, offices: pd.Series | str) -> pd.DataFrame:
    """``incidents`` (with their geometry) as ``ingest.linking`` reads them; ``offices``:
    the office that sent each row's batch (or one office for all)."""
    events = pd.DataFrame(
        {c: incidents[c].to_numpy() if c in incidents else None for c in _EVENT_COLUMNS},
        index=incidents.index,
    )
    sent_by = [offices] * len(events) if isinstance(offices, str) else offices.to_numpy()
    events["family"] = [
        linking.source_family(str(s), str(o))
        for s, o in zip(events["source"], sent_by, strict=True)
    ]
    events["longitude"] = incidents.geometry.x.to_numpy()
    events["latitude"] = incidents.geometry.y.to_numpy()
    for column in DERIVED_FROM_LINKS:
        events[f"stored_{column}"] = incidents[column].to_numpy() if column in incidents else None
    return events.reset_index(drop=True)


def already_stored(
    store: StoreLike, stored: pd.DataFrame | None, accepted: Any, office: str
) -> str:
    """A note for an import's preview: how many of its rows look like events already stored
    from another source ("" when none, or nothing is stored)."""
    if stored is None or not len(stored) or not len(accepted) or "geometry" not in accepted:
        return ""
    shown = {b.batch_id: b.office for b in store.batches("incidents") if b.in_analysis}
    stored = stored[np.isin(stored["batch_id"].to_numpy(dtype="int64"), list(shown))]
    if not len(stored):
        return ""
    old = as_events(stored, stored["batch_id"].map(shown))
    new = as_events(accepted, office)
    new = new[~new["incident_id"].astype(str).isin(set(old["incident_id"].astype(str)))]
    if not len(new):
        return ""
    found = linking.candidate_links(pd.concat([old, new], ignore_index=True), tolerances_from_env())
    fresh = set(new["incident_id"].astype(str))
    across = found["a"].astype(str).isin(fresh) ^ found["b"].astype(str).isin(fresh)
    if "duplicate" in found:
        across &= ~found["duplicate"].astype(bool)
    found = found[across]
    if not len(found):
        return ""
    certain = int(found["certain"].sum())
    return _(
        "{found} of these reports look like events already stored from another source: "
        "{certain} certain (linked when the batch is in analysis, so each event is counted "
        "once) and {uncertain} for an analyst to confirm or split (review page, `pocmap "
        "links`).",
        found=format_number(len(found)),
        certain=format_number(certain),
        uncertain=format_number(len(found) - certain),
    )


def relink(
    store: StoreLike,
    *,
    by: Any,
    tolerances: linking.Tolerances | None = None,
    priority: Sequence[str] | None = None,
) -> Relinked:
    """Find the links again, keep the analysts' decisions, and mark what is counted.

    Parameters
    ----------
    store : the store (the raw one: this is pocmap's own bookkeeping after a change a
        caller was allowed to make).
    by : who the change is recorded against (the person whose action caused it).
    tolerances, priority : default from the environment (:func:`tolerances_from_env`,
        :func:`priority_from_env`).
    """
    tolerances = tolerances or tolerances_from_env()
    priority = tuple(priority or priority_from_env())
    events = events_of(store)
    found = (
        linking.candidate_links(events, tolerances)
        if len(events)
        else pd.DataFrame(columns=["a", "b", "score", "certain", "reason"])
    )
    store.replace_found_links(found, by=by)
    in_force = store.links(IN_FORCE)
    present = set(events["incident_id"].astype(str))
    in_force = in_force[in_force["a"].isin(present) & in_force["b"].isin(present)]
    grouped = (
        linking.groups(events, in_force[["a", "b"]], priority)
        if len(in_force)
        else pd.DataFrame(columns=[*DERIVED_FROM_LINKS[:2], "fatalities_low", "fatalities_high"])
    )
    derived = _derived(events, grouped)
    changed = _changed(events, derived)
    if len(changed):
        store.set_derived(
            "incidents", changed, by=by, reason=_("reports of one event linked across sources")
        )
    hidden = int(derived["counted"].eq(False).sum())
    return Relinked(
        reports=len(events),
        families=int(events["family"].nunique()) if len(events) else 0,
        linked=int((in_force["status"] != "queued").sum()),
        queued=len(store.links("queued")),
        groups=int(derived["event_group"].notna().sum()) - hidden,
        hidden=hidden,
        changed=len(changed),
    )


def _derived(events: pd.DataFrame, grouped: pd.DataFrame) -> pd.DataFrame:
    """Every report's link columns: empty when it is in no group."""
    index = pd.Index(events["incident_id"].astype(str), name="incident_id")
    out = pd.DataFrame(
        {
            "event_group": pd.Series(pd.NA, index=index, dtype="string"),
            "counted": pd.Series(pd.NA, index=index, dtype="boolean"),
            "linked_fatalities_low": pd.Series(pd.NA, index=index, dtype="Int64"),
            "linked_fatalities_high": pd.Series(pd.NA, index=index, dtype="Int64"),
        }
    )
    if len(grouped):
        grouped = grouped.copy()
        grouped.index = grouped.index.astype(str)
        rows = grouped.index.intersection(index)
        out.loc[rows, "event_group"] = grouped.loc[rows, "event_group"].astype(str)
        out.loc[rows, "counted"] = grouped.loc[rows, "counted"].astype(bool)
        out.loc[rows, "linked_fatalities_low"] = grouped.loc[rows, "fatalities_low"]
        out.loc[rows, "linked_fatalities_high"] = grouped.loc[rows, "fatalities_high"]
    return out


def _changed(events: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``derived`` that differ from what is stored."""
    differs = np.zeros(len(derived), dtype=bool)
    for column in DERIVED_FROM_LINKS:
        stored = pd.Series(events[f"stored_{column}"].to_numpy(), index=derived.index)
        new = derived[column]
        both_missing = stored.isna().to_numpy() & new.isna().to_numpy()
        same = (stored.astype(object) == new.astype(object)).fillna(False).to_numpy(dtype=bool)
        differs |= ~(both_missing | same)
    return derived[differs]


SIDE_BY_SIDE = (
    "date", "date_precision", "incident_type", "perpetrator_type", "perpetrator_name",
    "fatalities", "admin1", "admin2", "location_precision", "source",
)  # fmt: skip
"""What an analyst compares of two linked reports."""


def side_by_side(links: pd.DataFrame, incidents: pd.DataFrame) -> list[dict[str, Any]]:
    """Each link (``store.links.LINK_COLUMNS``) with both reports' essentials
    (:data:`SIDE_BY_SIDE`) from ``incidents`` (as the caller may see them)."""
    if not len(links):
        return []
    wanted = set(links["a"].astype(str)) | set(links["b"].astype(str))
    ids = incidents["incident_id"].astype(str)
    shown = incidents[ids.isin(wanted)].drop_duplicates("incident_id")
    columns = [c for c in ("incident_id", *SIDE_BY_SIDE) if c in shown.columns]
    by_id = {
        str(record["incident_id"]): record
        for record in (
            {c: _plain(v) for c, v in zip(columns, values, strict=True)}
            for values in shown[columns].itertuples(index=False)
        )
    }
    return [
        {
            "link_id": int(link.link_id),  # type: ignore[arg-type]
            "status": str(link.status),
            "score": float(link.score),  # type: ignore[arg-type]
            "reason": str(link.reason),
            "decided_by": _plain(link.decided_by),
            "a": by_id.get(str(link.a), {"incident_id": str(link.a)}),
            "b": by_id.get(str(link.b), {"incident_id": str(link.b)}),
        }
        for link in links.itertuples(index=False)
    ]


def _plain(value: Any) -> Any:
    """A value as JSON and people read it: no NaN, NA or numpy scalars; dates as days."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, np.generic):
        return value.item()
    return value
