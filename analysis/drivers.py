"""What drives the violence in a place: the motivation profile of a group of incidents.

For each group (a hot-spot cluster, an admin area): the motivation mix, the dominant
*assessed* motivation and how sure its coding is, the perpetrators, the victim groups, and
the levers the motivation codebook (``docs/codebook.md``) associates with the dominant
motivation, worded as suggestions for the joint analysis cell, never as orders.

Each row says how sure it is: the dominant motivation's share of the *assessed* incidents
with its 95 % Wilson interval in words (:mod:`analysis.share_words`), and a ``caution`` when
the row rests on few incidents or when most of its incidents are not yet assessed. The
caption (:func:`drivers_caption`) states what the table cannot say.
"""

from __future__ import annotations

import pandas as pd

from analysis.effect_words import FEW_INCIDENTS
from analysis.filters import motivation_origins
from analysis.share_words import few_caution, interval_words, percent, share_interval
from analysis.words import code_label, joined, whole_percent
from languages import N_, Labels, _, format_number, ngettext
from schema.fields import split_codes
from schema.incidents import (
    CONFIDENCES,
    MOTIVATION_LABELS,
    MOTIVATIONS,
    PERPETRATOR_TYPES,
    VICTIM_GROUPS,
)

SECOND_MOTIVATION_SHARE = 0.25
"""A second motivation gets its lever too when it has at least this share of the assessed."""

LEVERS = Labels(
    {
        "predation": N_("Consider cutting the economic incentive: patrols of markets and roads."),
        "extraction": N_(
            "Consider separating armed groups from their revenue (checkpoints, illegal "
            "taxation, mines), which can also be leverage for talks."
        ),
        "revenge": N_(
            "Consider intercommunal dialogue, local agreements and a mechanism to respond to "
            "violations."
        ),
        "collateral": N_(
            "Consider conduct-of-operations advocacy and harm mitigation, and tying military "
            "operations to the political process."
        ),
        "political": N_(
            "Consider advocacy in the national process and POC language in its agreements."
        ),
        "punitive": N_("Consider accountability and engagement with the perpetrators' command."),
        "unknown": N_(
            "Consider assessing these incidents' motivations first: they are the analysis "
            "cell's coding to-do."
        ),
    }
)
"""The levers the codebook associates with each motivation, in the reader's language."""

COLUMNS = [
    "group",
    "incidents",
    "fatalities",
    *(f"share_{m}" for m in MOTIVATIONS),
    "dominant_motivation",
    "dominant_share",
    "assessed",
    "dominant_low",
    "dominant_high",
    "effect",
    "caution",
    *(f"share_{c}" for c in CONFIDENCES),
    "coding_certainty",
    "coded_by_suggestion",
    "share_coded_by_suggestion",
    *(f"perpetrator_{p}" for p in PERPETRATOR_TYPES),
    "top_perpetrator",
    *(f"victims_{g}" for g in VICTIM_GROUPS),
    "levers",
]


def motivation_profile(incidents: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """One row per group label in ``groups`` (aligned on ``incidents``; NaN: no group)."""
    labels = groups.reindex(incidents.index)
    rows = [
        _profile(label, incidents[(labels == label).to_numpy()])
        for label in sorted(labels.dropna().unique(), key=_order)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def profile_by_admin(incidents: pd.DataFrame, level: str = "admin1") -> pd.DataFrame:
    """:func:`motivation_profile` by admin1 or admin2 name."""
    if level not in ("admin1", "admin2"):
        raise ValueError(_("level {level!r} is not 'admin1' or 'admin2'", level=level))
    return motivation_profile(incidents, incidents[level])


def _order(label):
    text = str(label)
    digits = "".join(ch for ch in text if ch.isdigit())
    return (text.rstrip("0123456789"), int(digits) if digits else -1, text)


def _profile(label, chosen: pd.DataFrame) -> dict:
    n = len(chosen)
    motivations = chosen["motivation"].fillna("unknown")
    mix = motivations.value_counts()
    assessed = mix.drop("unknown", errors="ignore").sort_values(ascending=False, kind="stable")
    n_assessed = int(assessed.sum())
    row = {"group": label, "incidents": n, "fatalities": float(chosen["fatalities"].sum())}
    for m in MOTIVATIONS:
        row[f"share_{m}"] = mix.get(m, 0) / n if n else 0.0
    if n_assessed:
        by_code = [(str(code), int(count)) for code, count in assessed.items()]
        ranked = sorted(by_code, key=lambda kv: (-kv[1], MOTIVATIONS.index(kv[0])))
        dominant, dominant_n = ranked[0]
        row["dominant_motivation"] = dominant
        row["dominant_share"] = dominant_n / n_assessed
        row["dominant_low"], row["dominant_high"] = share_interval(dominant_n, n_assessed)
        row["effect"] = dominance_words(dominant, dominant_n, n_assessed)
        levers = [LEVERS[dominant]]
        if len(ranked) > 1 and ranked[1][1] / n_assessed >= SECOND_MOTIVATION_SHARE:
            levers.append(LEVERS[ranked[1][0]])
    else:
        row["dominant_motivation"] = "unknown"
        row["dominant_share"] = float("nan")
        row["dominant_low"] = row["dominant_high"] = float("nan")
        row["effect"] = _(
            "no incident assessed yet: the motivation is not known ({n} incidents)", n=n
        )
        levers = [LEVERS["unknown"]]  # LEVERS translates on lookup
    row["assessed"] = n_assessed
    row["caution"] = _caution(n, n_assessed)
    confidence = chosen.loc[motivations != "unknown", "motivation_confidence"]
    shares = confidence.value_counts()
    for c in CONFIDENCES:
        row[f"share_{c}"] = shares.get(c, 0) / n_assessed if n_assessed else 0.0
    row["coding_certainty"] = _certainty(row, n_assessed)
    # Coded by accepting pocmap's suggestion, not by an analyst's own reading: kept apart.
    suggested = int(
        ((motivations != "unknown") & (motivation_origins(chosen) == "suggestion")).sum()
    )
    row["coded_by_suggestion"] = suggested
    row["share_coded_by_suggestion"] = suggested / n_assessed if n_assessed else 0.0
    perpetrators = chosen["perpetrator_type"].value_counts()
    for p in PERPETRATOR_TYPES:
        row[f"perpetrator_{p}"] = perpetrators.get(p, 0) / n if n else 0.0
    row["top_perpetrator"] = perpetrators.index[0] if len(perpetrators) else ""
    victims = pd.Series([g for v in chosen["victim_groups"] for g in split_codes(v)], dtype=str)
    counted = victims.value_counts()
    for g in VICTIM_GROUPS:
        row[f"victims_{g}"] = int(counted.get(g, 0))
    row["levers"] = " ".join(levers)  # each already in the reader's language
    return row


def dominance_words(motivation: str, k: int, n_assessed: int) -> str:
    """ "predation 40 % of the assessed incidents (95 % interval 30-50 %)" (an en dash; the
    motivation's label where the language translates it)."""
    return _(
        "{motivation} {share} of the assessed incidents ({interval})",
        motivation=code_label(motivation, MOTIVATION_LABELS),
        share=percent(k / n_assessed),
        interval=interval_words(k, n_assessed),
    )


def unknown_words(n: int, n_assessed: int) -> str:
    """ "coding mostly unknown: 80 % not yet assessed" when more than half of ``n`` are not
    assessed, else ``""``."""
    unknown = n - n_assessed
    if not n or unknown * 2 <= n:
        return ""
    return _("coding mostly unknown: {share} not yet assessed", share=percent(unknown / n))


def _caution(n: int, n_assessed: int) -> str:
    cautions = [few_caution(n), unknown_words(n, n_assessed)]
    if n >= FEW_INCIDENTS and 0 < n_assessed < FEW_INCIDENTS:
        cautions.append(
            _(
                "only {assessed} incidents assessed: the dominant share's interval is wide",
                assessed=n_assessed,
            )
        )
    return joined(cautions)


CAPTION = N_(
    "Motivation mix of the incidents in each place, the dominant assessed motivation and how "
    "sure its coding is, perpetrators, victim groups, and the levers the motivation codebook "
    "(docs/codebook.md) associates with the dominant motivation (suggestions for discussion, "
    "never orders). Each row's effect is the dominant motivation's share of the assessed "
    "incidents with its 95 % Wilson interval."
)
"""The drivers tables' caption before what they cannot say (:func:`drivers_caption`),
in English: shown through ``_``."""
HOT_SPOT = N_("hot spot")
ADMIN1_AREA = N_("admin1 area")
PLACE = N_("place")


def drivers_caption(table: pd.DataFrame, place: str = PLACE) -> str:
    """:data:`CAPTION` and what ``table`` (a :func:`motivation_profile`) cannot say: rows
    resting on few incidents, and coding mostly unknown (per row and overall).

    Parameters
    ----------
    table
        The profiles, one row per ``place``.
    place
        What a row is (:data:`HOT_SPOT`, :data:`ADMIN1_AREA`: English marked with ``N_``,
        translated here), for the sentence.
    """
    caption = _(CAPTION)
    parts = [
        _(
            "motivations are the analysts' coding, so a share describes what was assessed, "
            "not every incident"
        )
    ]
    if not len(table):
        return _(
            "{caption} No {place} to profile in this selection.", caption=caption, place=_(place)
        )
    few = int((table["incidents"] < FEW_INCIDENTS).sum())
    if few:
        parts.append(
            _(
                "{few} of {rows} rows rest on fewer than {minimum} incidents: their intervals "
                "are wide and their shares may be chance (see caution)",
                few=few,
                rows=len(table),
                minimum=FEW_INCIDENTS,
            )
        )
    total, assessed = int(table["incidents"].sum()), int(table["assessed"].sum())
    overall = unknown_words(total, assessed)
    # The rows whose caution says the coding is mostly unknown (unknown_words' rule).
    unknown = table["incidents"] - table["assessed"]
    mostly = int(((table["incidents"] > 0) & (unknown * 2 > table["incidents"])).sum())
    if overall:
        parts.append(
            _(
                "{overall} ({unknown} of {total} incidents)",
                overall=overall,
                unknown=total - assessed,
                total=total,
            )
        )
    elif mostly:
        parts.append(
            _(
                "coding mostly unknown in {mostly} of {rows} rows (see caution)",
                mostly=mostly,
                rows=len(table),
            )
        )
    suggested = int(table["coded_by_suggestion"].sum())
    if suggested:
        parts.append(suggestion_words(suggested, assessed))
    return _("{caption} What it cannot say: {limits}.", caption=caption, limits=joined(parts))


def suggestion_words(suggested: int, assessed: int) -> str:
    """ "12 of the 300 assessed incidents (4 %) were coded by accepting pocmap's
    suggestion" (the drivers' caption and the joint analysis' notes)."""
    return ngettext(
        "{n} of the {assessed} assessed incidents ({share}) was coded by accepting "
        "pocmap's suggestion, not by an analyst's own reading",
        "{n} of the {assessed} assessed incidents ({share}) were coded by accepting "
        "pocmap's suggestion, not by an analyst's own reading",
        suggested,
        assessed=format_number(assessed),
        share=percent(suggested / assessed) if assessed else percent(0.0),
    )


def _certainty(row: dict, n_assessed: int) -> str:
    if not n_assessed:
        return _("not yet assessed")
    firm = row["share_confirmed"] + row["share_probable"]
    words = (
        _("mostly confirmed")
        if row["share_confirmed"] >= 0.5
        else _("mostly confirmed or probable")
        if firm >= 0.5
        else _("mostly possible")
    )
    if row["share_unknown"] >= 0.25:
        words += _("; {share} not yet assessed", share=whole_percent(row["share_unknown"]))
    return words
