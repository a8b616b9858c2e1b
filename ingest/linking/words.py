"""Why two reports were linked, in words a person reads."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ingest.linking.prepared import Reports
from ingest.linking.scores import SIDE, UNIDENTIFIED
from ingest.linking.tolerances import DATE_ORDER, LOCATION_ORDER
from schema.incidents import INCIDENT_TYPE_LABELS, PERPETRATOR_LABELS


def family_words(family: str) -> str:
    """A family as a sentence names it: "ACLED", "UCDP GED", "the Bambari office"."""
    if family.startswith("office: "):
        return f"the {family.removeprefix('office: ')} office"
    return family


_PLURAL = {
    "killing": "killings",
    "injury": "injuries",
    "abduction": "abductions",
    "sexual_violence": "cases of sexual violence",
    "looting_destruction": "looting or destruction",
    "forced_displacement": "forced displacement",
    "attack_on_idp_site": "attacks on sites of displaced people",
    "threat": "threats",
    "attack": "attacks with no death reported",
}
_BY_PLURAL = {
    "state_forces": "state forces",
    "non_state_armed_group": "non-state armed groups",
    "community_militia": "community militias",
    "criminal": "criminals",
    "allied_forces": "forces allied to the state",
    "un_mission": "the UN mission",
    UNIDENTIFIED: "unidentified perpetrators",
}


_TYPE_LABELS = {k: v.lower() for k, v in INCIDENT_TYPE_LABELS.items()}
_PERPETRATOR_LABELS = {k: v.lower() for k, v in PERPETRATOR_LABELS.items()}


def reasons(r: Reports, found: pd.DataFrame) -> list[str]:
    """Words a person reads for each pair of ``found`` (from :func:`agreement`), the first
    report's side first: "1 day and 3.2 km apart; both killings by non-state armed groups;
    5 and 6 dead"."""
    i, j = found["i"].to_numpy(), found["j"].to_numpy()
    # Every fact about each report looked up once, as Python objects, before formatting.
    facts: list[tuple[Any, ...]] = [
        (
            r.types(k).tolist(),
            r.perpetrators(k).tolist(),
            r.names(k).tolist(),
            r.fatalities[k].tolist(),
            _precision_notes(r, k),
        )
        for k in (i, j)
    ]
    out = []
    columns = (found["days"].tolist(), found["km"].tolist(), found["named_alike"].tolist())
    for n, (days, km, alike) in enumerate(zip(*columns, strict=True)):
        a, b = ([column[n] for column in side] for side in facts)
        words = [
            _when_where(days, km, a[4] + b[4]),
            f"{_what(a[0], b[0])} {_who(a[1], b[1], a[2], b[2], alike)}",
            _dead(a[3], b[3]),
        ]
        out.append("; ".join(words))
    return out


def _precision_notes(r: Reports, at: np.ndarray) -> list[list[str]]:
    """Per report: what is known only roughly ("UCDP GED's date known only to the month")."""
    notes: list[list[str]] = [[] for _ in range(len(at))]
    who = [family_words(f) for f in r.families]
    families = r.family[at]
    coarse_date = np.flatnonzero(r.date_level[at] > 0)
    coarse_place = np.flatnonzero(r.place_level[at] >= LOCATION_ORDER.index("admin2"))
    for k in coarse_date:
        level = DATE_ORDER[r.date_level[at[k]]]
        notes[k].append(f"{who[families[k]]}'s date known only to the {level}")
    for k in coarse_place:
        level = LOCATION_ORDER[r.place_level[at[k]]]
        notes[k].append(f"{who[families[k]]}'s place known only to the {level}")
    return notes


def _dead(f_a: float, f_b: float) -> str:
    if np.isnan(f_a) and np.isnan(f_b):
        return "no death toll given"
    if f_a == f_b:
        return f"{f_a:.0f} dead in both"
    return f"{_count(f_a)} and {_count(f_b)} dead"


def _count(f: float) -> str:
    return "not given" if np.isnan(f) else f"{f:.0f}"


def _when_where(days: float, km: float, notes: list[str]) -> str:
    when = "the same day" if days == 0 else f"{days:.0f} day{'s' if days != 1 else ''}"
    where = "not placed" if np.isnan(km) else f"{km:.1f} km"
    text = f"{when} and {where} apart" if days else f"{when}, {where} apart"
    return f"{text} ({'; '.join(notes)})" if notes else text


def _what(a: object, b: object) -> str:
    if a == b:
        return f"both {_PLURAL.get(str(a), str(a))}"
    return f"{_TYPE_LABELS.get(str(a), str(a))} and {_TYPE_LABELS.get(str(b), str(b))}"


def _who(t_a: str | None, t_b: str | None, name_a: object, name_b: object, alike: bool) -> str:
    if alike:
        return f"by {name_a}" + ("" if name_a == name_b else f" ({name_b})")
    t_a, t_b = t_a or UNIDENTIFIED, t_b or UNIDENTIFIED
    if t_a == t_b:
        return f"by {_BY_PLURAL.get(t_a, t_a)}"

    def one(t: str, name: object) -> str:
        return f"{_PERPETRATOR_LABELS.get(t, t)}" + (f" ({name})" if name else "")

    side_a, side_b = SIDE.get(t_a), SIDE.get(t_b)
    if side_a and side_b and side_a != side_b:
        return f"by perpetrators who contradict: {one(t_a, name_a)} and {one(t_b, name_b)}"
    return f"by {one(t_a, name_a)} and {one(t_b, name_b)}"
