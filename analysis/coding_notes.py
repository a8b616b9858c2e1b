"""The joint analysis' notes about the coding itself: how firm the kept codes are and how
many were coded by accepting pocmap's suggestion (issue 23: suggestion-coded incidents
stay distinguishable in the analysis)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis.columns import CONFIDENCE_LABELS
from analysis.filters import filter_incidents, motivation_origins
from analysis.share_words import percent
from languages import _, format_number, ngettext
from schema.filters import IncidentFilter
from schema.incidents import CONFIDENCES


def suggested_count(incidents: pd.DataFrame) -> tuple[int, int]:
    """``(coded by accepting a suggestion, assessed)`` among ``incidents``: only assessed
    incidents (a motivation other than ``unknown``) count in either."""
    assessed = incidents["motivation"].fillna("unknown") != "unknown"
    suggested = assessed & (motivation_origins(incidents) == "suggestion")
    return int(suggested.sum()), int(assessed.sum())


def either(words: list[str]) -> str:
    """ "confirmed or probable", "confirmed, probable or possible" (one word: itself)."""
    if len(words) < 2:
        return "".join(words)
    return _("{some} or {last}", some=", ".join(words[:-1]), last=words[-1])


def coding_notes(
    incidents: pd.DataFrame, chosen: pd.DataFrame, selection: IncidentFilter
) -> list[str]:
    """What the analysis of ``chosen`` (``incidents`` narrowed by ``selection``) should say
    about its codes: the incidents a confidence restriction left out, and the assessed
    incidents coded by accepting a suggestion (nothing when there are none)."""
    notes = []
    if selection.confidences:
        unrestricted = filter_incidents(incidents, replace(selection, confidences=frozenset()))
        kept = [CONFIDENCE_LABELS[c] for c in CONFIDENCES if c in selection.confidences]
        kept += sorted(c for c in selection.confidences if c not in CONFIDENCE_LABELS)
        notes.append(
            ngettext(
                "Only incidents whose motivation is coded {confidences} are kept: {n} incident "
                "of this selection was left out (coded with another confidence, or not yet "
                "assessed), so the hot spots and rates count the violence coded firmly "
                "enough, not all the violence reported.",
                "Only incidents whose motivation is coded {confidences} are kept: {n} "
                "incidents of this selection were left out (coded with another confidence, "
                "or not yet assessed), so the hot spots and rates count the violence coded "
                "firmly enough, not all the violence reported.",
                len(unrestricted) - len(chosen),
                confidences=either(kept),
            )
        )
    suggested, assessed = suggested_count(chosen)
    if suggested:
        notes.append(
            ngettext(
                "{n} of the {assessed} assessed incidents in this selection ({share}) was "
                "coded by an analyst accepting pocmap's suggestion; the filter “Motivation "
                "coded by” (`--coded-by`) leaves such incidents out or shows them alone.",
                "{n} of the {assessed} assessed incidents in this selection ({share}) were "
                "coded by an analyst accepting pocmap's suggestion; the filter “Motivation "
                "coded by” (`--coded-by`) leaves such incidents out or shows them alone.",
                suggested,
                assessed=format_number(assessed),
                share=percent(suggested / assessed),
            )
        )
    return notes
