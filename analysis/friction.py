"""Perpetrator friction: where and when state forces are a large share of perpetrators.

Where the host state's own forces harm civilians, the mission's accountability work meets
the host state's consent to its presence. Forces fighting beside the state (bilateral
forces, private military companies: ``allied_forces``) are counted with it, as "state and
allied forces", each also shown on its own; the UN mission's own incidents are counted
apart. For each area (and period), the share of incidents by state and allied forces is
tested against their share everywhere else in the selection with a one-sided exact
binomial test, Benjamini-Hochberg corrected across rows; a row is flagged when the share
is significantly higher, at least ``min_share``, over at least ``min_incidents`` incidents.

Each row says its effect in words: the share with its 95 % Wilson interval
(:mod:`analysis.share_words`) and its multiple of the share elsewhere; a ``caution`` when it
rests on few incidents or when most of its perpetrators are unidentified (a share of the
identified would then say more than the data do). The caption states what the table
cannot say.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy import stats

from analysis.effect_words import FEW_INCIDENTS
from analysis.rates import fdr_adjust
from analysis.share_words import few_caution, interval_words, multiple, percent, share_interval
from analysis.words import code_label, g, joined, whole_percent
from languages import N_, _
from schema.incidents import MOTIVATION_LABELS

STATE = "state_forces"
ALLIED = "allied_forces"
UN_MISSION = "un_mission"
UNIDENTIFIED = "unidentified"
STATE_AND_ALLIED = (STATE, ALLIED)
"""The perpetrator types whose share is tested: the state's forces and those beside it."""
COLUMNS = [
    "area",
    "period",
    "incidents",
    "state_and_allied_incidents",
    "state_forces_incidents",
    "allied_forces_incidents",
    "un_mission_incidents",
    "share",
    "share_low",
    "share_high",
    "share_elsewhere",
    "effect",
    "caution",
    "unidentified_incidents",
    "p",
    "p_adjusted",
    "flag",
    "state_and_allied_by_motivation",
    "state_forces_by_motivation",
]
"""``share`` is state and allied forces' share of the area's incidents (every perpetrator,
the UN mission's and the unidentified included, in the denominator); ``share_low`` and
``share_high`` its 95 % Wilson interval; ``effect`` the share and its multiple of
``share_elsewhere`` in words; ``caution`` what the row cannot say ("" when nothing)."""


@dataclass(frozen=True)
class Friction:
    """One row per area (and period), flagged rows first."""

    table: pd.DataFrame
    caption: str


def state_forces_friction(
    incidents: pd.DataFrame,
    *,
    by: str = "admin1",
    period: str | None = "Q",
    min_share: float = 0.33,
    min_incidents: int = 10,
    alpha: float = 0.05,
) -> Friction:
    """State and allied forces' share of perpetrators per ``by`` area and ``period``
    (None: the whole selection)."""
    if by not in incidents:
        raise ValueError(_("no column {by!r} to group incidents by", by=by))
    perpetrator = incidents["perpetrator_type"]
    state = perpetrator.isin(STATE_AND_ALLIED).to_numpy(dtype=bool)
    area = incidents[by].fillna(_("(no area given)")).astype(str).to_numpy()
    when = (
        pd.to_datetime(incidents["date"]).dt.to_period(period).astype(str).to_numpy()
        if period
        else [_("whole selection")] * len(incidents)
    )
    frame = pd.DataFrame({"area": area, "period": when, "state": state})
    frame["perpetrator"] = perpetrator.to_numpy(dtype=object)
    frame["motivation"] = incidents["motivation"].fillna("unknown").to_numpy()
    total, total_state = len(frame), int(state.sum())
    rows = []
    for (name, slot), group in frame.groupby(["area", "period"], sort=True):
        n, k = len(group), int(group["state"].sum())
        rest_n, rest_k = total - n, total_state - k
        elsewhere = rest_k / rest_n if rest_n else float("nan")
        if rest_n and 0 < elsewhere < 1:
            p = stats.binomtest(k, n, elsewhere, alternative="greater").pvalue
        elif rest_n:  # state forces everywhere else in none or all incidents: no test
            p = 0.0 if (elsewhere == 0 and k > 0) else 1.0
        else:
            p = float("nan")  # one area only: nothing to compare with
        kinds = group["perpetrator"]
        low, high = share_interval(k, n)
        unidentified = int((kinds == UNIDENTIFIED).sum())
        rows.append(
            {
                "area": name,
                "period": slot,
                "incidents": n,
                "state_and_allied_incidents": k,
                "state_forces_incidents": int((kinds == STATE).sum()),
                "allied_forces_incidents": int((kinds == ALLIED).sum()),
                "un_mission_incidents": int((kinds == UN_MISSION).sum()),
                "share": k / n,
                "share_low": low,
                "share_high": high,
                "share_elsewhere": elsewhere,
                "effect": friction_words(k, n, elsewhere),
                "caution": _caution(n, unidentified),
                "unidentified_incidents": unidentified,
                "p": p,
                "state_and_allied_by_motivation": _mix(group.loc[group["state"], "motivation"]),
                "state_forces_by_motivation": _mix(group.loc[kinds == STATE, "motivation"]),
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    if len(table):
        table["p_adjusted"] = fdr_adjust(table["p"].to_numpy(dtype=float))
        table["flag"] = (
            (table["p_adjusted"] < alpha)
            & (table["share"] >= min_share)
            & (table["incidents"] >= min_incidents)
        )
        table = table.sort_values(["flag", "share"], ascending=[False, False], kind="stable")
        table = table.reset_index(drop=True)
    values = {
        "by": by,
        "alpha": g(alpha),
        "share": whole_percent(min_share),
        "minimum": min_incidents,
    }
    if period in _PERIOD_CAPTIONS:
        caption = _(_PERIOD_CAPTIONS[period], **values)
    elif period:
        caption = _(_PERIOD_CAPTION, period=period, **values)
    else:
        caption = _(_WHOLE_CAPTION, **values)
    caption += _(
        " Each row's effect is the share with its 95 % Wilson interval and its multiple of the "
        "share elsewhere."
    )
    caption += _cannot_say(table, total, int((frame["perpetrator"] == UNIDENTIFIED).sum()))
    if len(table) == 1:
        caption += _(" Only one area and period: nothing to compare it with.")
    return Friction(table, caption)


# The caption's first sentence, whole for each kind of period (the rest is the same).
_PERIOD_CAPTIONS = {
    "M": N_(
        "Share of incidents by state and allied forces (foreign or private forces fighting "
        "beside the state; each also shown apart, the UN mission's own incidents counted "
        "apart) per {by} and month, against their share in the rest of the selection "
        "(one-sided exact binomial test, Benjamini-Hochberg); flagged when significant at "
        "{alpha}, at least {share} of perpetrators and {minimum} incidents."
    ),
    "Q": N_(
        "Share of incidents by state and allied forces (foreign or private forces fighting "
        "beside the state; each also shown apart, the UN mission's own incidents counted "
        "apart) per {by} and quarter, against their share in the rest of the selection "
        "(one-sided exact binomial test, Benjamini-Hochberg); flagged when significant at "
        "{alpha}, at least {share} of perpetrators and {minimum} incidents."
    ),
    "Y": N_(
        "Share of incidents by state and allied forces (foreign or private forces fighting "
        "beside the state; each also shown apart, the UN mission's own incidents counted "
        "apart) per {by} and year, against their share in the rest of the selection "
        "(one-sided exact binomial test, Benjamini-Hochberg); flagged when significant at "
        "{alpha}, at least {share} of perpetrators and {minimum} incidents."
    ),
}
_PERIOD_CAPTION = N_(
    "Share of incidents by state and allied forces (foreign or private forces fighting "
    "beside the state; each also shown apart, the UN mission's own incidents counted "
    "apart) per {by} and {period}, against their share in the rest of the selection "
    "(one-sided exact binomial test, Benjamini-Hochberg); flagged when significant at "
    "{alpha}, at least {share} of perpetrators and {minimum} incidents."
)
_WHOLE_CAPTION = N_(
    "Share of incidents by state and allied forces (foreign or private forces fighting "
    "beside the state; each also shown apart, the UN mission's own incidents counted "
    "apart) per {by}, against their share in the rest of the selection (one-sided exact "
    "binomial test, Benjamini-Hochberg); flagged when significant at {alpha}, at least "
    "{share} of perpetrators and {minimum} incidents."
)


def friction_words(k: int, n: int, elsewhere: float) -> str:
    """State and allied forces' ``k`` of ``n`` incidents here against ``elsewhere`` (their
    share in the rest of the selection), e.g. "state and allied forces 42 % of perpetrators
    here (95 % interval 35-50 %), about 1.9x their share elsewhere (22 %)"."""
    share, interval = percent(k / n), interval_words(k, n)
    if elsewhere != elsewhere:
        return _(
            "state and allied forces {share} of perpetrators here ({interval}); nothing "
            "elsewhere to compare with",
            share=share,
            interval=interval,
        )
    if elsewhere == 0:
        return _(
            "state and allied forces {share} of perpetrators here ({interval}); none elsewhere",
            share=share,
            interval=interval,
        )
    ratio = (k / n) / elsewhere
    return _(
        "state and allied forces {share} of perpetrators here ({interval}), about {multiple} "
        "their share elsewhere ({elsewhere})",
        share=share,
        interval=interval,
        multiple=multiple(ratio),
        elsewhere=percent(elsewhere),
    )


def _caution(n: int, unidentified: int) -> str:
    cautions = [few_caution(n)]
    if unidentified * 2 > n:
        cautions.append(
            _(
                "perpetrators mostly unidentified: {unidentified} of {n} incidents ({share})",
                unidentified=unidentified,
                n=n,
                share=percent(unidentified / n),
            )
        )
    return joined(cautions)


def _cannot_say(table: pd.DataFrame, total: int, unidentified: int) -> str:
    """The caption's sentence on what the table cannot say."""
    parts = [
        _(
            "a share is not a rate (a high share can also mean that other perpetrators were "
            "few there)"
        )
    ]
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
    if unidentified * 2 > total:
        parts.append(
            _(
                "perpetrators mostly unidentified: {unidentified} of {total} incidents "
                "({share}), so the shares of state and allied forces are lower bounds",
                unidentified=unidentified,
                total=total,
                share=percent(unidentified / total),
            )
        )
    return _(" What it cannot say: {limits}.", limits=joined(parts))


def _mix(motivations: pd.Series) -> str:
    """``"collateral 5, revenge 2"``: the motivations, most frequent first (their labels
    where the language translates them)."""
    return ", ".join(
        f"{code_label(m, MOTIVATION_LABELS)} {c}" for m, c in motivations.value_counts().items()
    )
