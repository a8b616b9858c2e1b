"""Why two reports were linked, in words a person reads."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ingest.linking.prepared import Reports
from ingest.linking.scores import SIDE, UNIDENTIFIED
from ingest.linking.tolerances import DATE_ORDER, LOCATION_ORDER
from ingest.shown import plain
from languages import N_, Labels, _, format_number, ngettext
from schema.incidents import INCIDENT_TYPE_LABELS, PERPETRATOR_LABELS


def family_words(family: str) -> str:
    """A family as a sentence names it: "ACLED", "UCDP GED", "the Bambari office"."""
    if family.startswith("office: "):
        return _("the {office} office", office=family.removeprefix("office: "))
    return family


_PLURAL = Labels(
    {
        "killing": N_("killings"),
        "injury": N_("injuries"),
        "abduction": N_("abductions"),
        "sexual_violence": N_("cases of sexual violence"),
        "looting_destruction": N_("looting or destruction"),
        "forced_displacement": N_("forced displacement"),
        "attack_on_idp_site": N_("attacks on sites of displaced people"),
        "threat": N_("threats"),
        "attack": N_("attacks with no death reported"),
    }
)
_BY_PLURAL = Labels(
    {
        "state_forces": N_("by state forces"),
        "non_state_armed_group": N_("by non-state armed groups"),
        "community_militia": N_("by community militias"),
        "criminal": N_("by criminals"),
        "allied_forces": N_("by forces allied to the state"),
        "un_mission": N_("by the UN mission"),
        UNIDENTIFIED: N_("by unidentified perpetrators"),
    }
)
_LEVELS = Labels(
    {
        "day": N_("day"),
        "week": N_("week"),
        "month": N_("month"),
        "year": N_("year"),
        "admin2": N_("admin2"),
        "admin1": N_("admin1"),
        "country": N_("country"),
    }
)


def _label(labels: Any, code: str) -> str:
    """A code's label from a schema label table, lower case, in the current language."""
    return _(labels[code]).lower() if code in labels else code


def _type_label(code: str) -> str:
    return _label(INCIDENT_TYPE_LABELS, code)


def _perpetrator_label(code: str) -> str:
    return _label(PERPETRATOR_LABELS, code)


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
            _("{what} {who}", what=_what(a[0], b[0]), who=_who(a[1], b[1], a[2], b[2], alike)),
            _dead(a[3], b[3]),
        ]
        out.append(_("; ").join(words))
    return out


def _precision_notes(r: Reports, at: np.ndarray) -> list[list[str]]:
    """Per report: what is known only roughly ("UCDP GED's date known only to the month")."""
    notes: list[list[str]] = [[] for _k in range(len(at))]
    who = [family_words(f) for f in r.families]
    families = r.family[at]
    coarse_date = np.flatnonzero(r.date_level[at] > 0)
    coarse_place = np.flatnonzero(r.place_level[at] >= LOCATION_ORDER.index("admin2"))
    for k in coarse_date:
        level = _LEVELS[DATE_ORDER[r.date_level[at[k]]]]
        notes[k].append(
            _("{source}'s date known only to the {level}", source=who[families[k]], level=level)
        )
    for k in coarse_place:
        level = _LEVELS[LOCATION_ORDER[r.place_level[at[k]]]]
        notes[k].append(
            _("{source}'s place known only to the {level}", source=who[families[k]], level=level)
        )
    return notes


def _dead(f_a: float, f_b: float) -> str:
    if np.isnan(f_a) and np.isnan(f_b):
        return _("no death toll given")
    if f_a == f_b:
        return _("{n} dead in both", n=plain(round(f_a)))
    return _("{a} and {b} dead", a=_count(f_a), b=_count(f_b))


def _count(f: float) -> str:
    return _("not given") if np.isnan(f) else plain(round(f))


def _when_where(days: float, km: float, notes: list[str]) -> str:
    where = _("not placed") if np.isnan(km) else _("{km} km", km=format_number(km, digits=1))
    if days == 0:
        text = _("the same day, {where} apart", where=where)
    else:
        n = round(days)
        text = ngettext("{n} day and {where} apart", "{n} days and {where} apart", n, where=where)
    if notes:
        return _("{text} ({notes})", text=text, notes=_("; ").join(notes))
    return text


def _what(a: object, b: object) -> str:
    if a == b:
        return _("both {types}", types=_PLURAL.get(str(a), str(a)))
    return _("{a} and {b}", a=_type_label(str(a)), b=_type_label(str(b)))


def _who(t_a: str | None, t_b: str | None, name_a: object, name_b: object, alike: bool) -> str:
    if alike:
        if name_a == name_b:
            return _("by {name}", name=name_a)
        return _("by {name} ({other})", name=name_a, other=name_b)
    t_a, t_b = t_a or UNIDENTIFIED, t_b or UNIDENTIFIED
    if t_a == t_b:
        return _BY_PLURAL[t_a] if t_a in _BY_PLURAL else _("by {name}", name=t_a)

    def one(t: str, name: object) -> str:
        if name:
            return _("{type} ({name})", type=_perpetrator_label(t), name=name)
        return _perpetrator_label(t)

    side_a, side_b = SIDE.get(t_a), SIDE.get(t_b)
    if side_a and side_b and side_a != side_b:
        return _(
            "by perpetrators who contradict: {a} and {b}", a=one(t_a, name_a), b=one(t_b, name_b)
        )
    return _("by {a} and {b}", a=one(t_a, name_a), b=one(t_b, name_b))
