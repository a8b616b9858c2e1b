"""What the Double coding page shows: an incident's evidence, a code in words, the
agreement table. Drawn by ``ui/pages/double_coding.py``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from coding.agreement import MIN_PAIRS_FOR_INTERVAL, Agreement
from languages import N_, Labels, _, format_date, format_number, format_percent
from schema.incidents import (
    INCIDENT_TYPE_LABELS,
    MOTIVATION_LABELS,
    PERPETRATOR_LABELS,
    VICTIM_GROUP_LABELS,
)
from ui.language import CONFIDENCE_LABELS
from ui.text import md

DAY = "dd MMM y"
SAMPLE_HEADINGS = Labels(
    {
        "sample_id": N_("sample"),
        "name": N_("name"),
        "drawn_by": N_("drawn by"),
        "drawn_at": N_("drawn on"),
        "seed": N_("seed"),
        "items": N_("items"),
        "to_code": N_("left for you"),
        "coded_by_me": N_("coded by you"),
        "pairs": N_("coded twice"),
        "disagreements": N_("disagreements"),
        "resolved": N_("resolved"),
    }
)
"""The headings of the samples' progress table."""


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(value: Any) -> str:
    """A free-text value, escaped; empty when missing (a missing value is NaN, not text)."""
    return "" if _missing(value) else md(value)


def code_words(motivation: Any, confidence: Any) -> str:
    """A code as people read it: ``Predation (probable)``."""
    said = MOTIVATION_LABELS.get(str(motivation), str(motivation))
    if _missing(confidence):
        return said
    return _(
        "{motivation} ({confidence})",
        motivation=said,
        confidence=CONFIDENCE_LABELS.get(str(confidence), str(confidence)),
    )


def show_evidence(row: Mapping[str, Any]) -> None:
    """An incident's evidence for coding: the facts and the source's words, never a
    motivation (``access.session.BLIND_EVIDENCE``). Data is escaped (ui.text.md)."""
    facts = [
        (_("Incident"), md(row["incident_id"])),
        (_("Date"), format_date(row["date"], DAY) if not _missing(row.get("date")) else ""),
        (_("Incident type"), md(INCIDENT_TYPE_LABELS.get(str(row.get("incident_type")), ""))),
        (_("Event type as written by the source"), _text(row.get("event_type_raw"))),
        (
            _("Perpetrator"),
            md(PERPETRATOR_LABELS.get(str(row.get("perpetrator_type")), ""))
            + (
                "" if _missing(row.get("perpetrator_name")) else f" · {md(row['perpetrator_name'])}"
            ),
        ),
        (
            _("Fatalities"),
            "" if _missing(row.get("fatalities")) else format_number(row["fatalities"]),
        ),
        (
            _("Victims"),
            ", ".join(
                VICTIM_GROUP_LABELS.get(g, g)
                for g in str(row.get("victim_groups") or "").split(";")
                if g
            ),
        ),
        (
            _("Place"),
            md(" · ".join(str(row[c]) for c in ("admin1", "admin2") if not _missing(row.get(c)))),
        ),
        (_("Source"), _text(row.get("source"))),
    ]
    st.markdown(
        "  \n".join(
            _("{label}: {value}", label="**" + label + "**", value=value or "—")
            for label, value in facts
        )
    )
    narrative = row.get("narrative")
    st.markdown(f"**{_('Narrative')}**")
    st.info(md(narrative) if not _missing(narrative) else _("The source gave no narrative."))


def agreement_frame(rows: Sequence[Agreement]) -> pd.DataFrame:
    """The agreement table: overall first, then each motivation coded, in words."""

    def interval(row: Agreement) -> str:
        if row.low is None or row.high is None:
            return "—"
        return _(
            "{low} to {high}",
            low=format_number(row.low, digits=2),
            high=format_number(row.high, digits=2),
        )

    return pd.DataFrame(
        {
            _("Motivation"): [
                _("All motivations") if r.code is None else MOTIVATION_LABELS[r.code] for r in rows
            ],
            _("Pairs"): [format_number(r.pairs) for r in rows],
            _("Coded so by the first / second"): [
                "—" if r.code is None else f"{r.first_uses} / {r.second_uses}" for r in rows
            ],
            _("Observed agreement"): [format_percent(r.observed) for r in rows],
            _("Kappa"): [
                "—" if pd.isna(r.kappa) else format_number(r.kappa, digits=2) for r in rows
            ],
            _("95% interval"): [interval(r) for r in rows],
            _("In words (Landis & Koch)"): [r.words for r in rows],
        }
    )


def agreement_note() -> str:
    """How to read the agreement table."""
    return _(
        "Cohen's kappa: the agreement beyond what chance would give, from -1 to 1 (1: the "
        "same code every time; 0: no better than chance). Per motivation: that motivation or "
        "another. Words from Landis & Koch (1977): up to 0.20 slight, 0.40 fair, 0.60 "
        "moderate, 0.80 substantial, above almost perfect. The 95% interval (Fleiss, Cohen & "
        "Everitt 1969) is given from {n} pairs on; below, it would be too narrow to trust.",
        n=MIN_PAIRS_FOR_INTERVAL,
    )
