"""How well two reports agree: MELTT's secondary criteria (taxonomies) as scores."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ingest.linking.nearby import haversine, name_key
from ingest.linking.prepared import Reports
from ingest.linking.tolerances import DATE_ORDER, LOCATION_ORDER, Tolerances

# The incident-type taxonomy's middle level (MELTT: agreement on a broader level scores less).
_KIND = {
    "killing": "harm",
    "injury": "harm",
    "attack": "harm",
    "attack_on_idp_site": "harm",
    "abduction": "person",
    "sexual_violence": "person",
    "looting_destruction": "property",
    "forced_displacement": "property",
}
# The perpetrator taxonomy's broad level: sides that contradict one another.
SIDE = {
    "state_forces": "state",
    "allied_forces": "state",
    "un_mission": "un",
    "non_state_armed_group": "armed",
    "community_militia": "armed",
    "criminal": "armed",
}
# Forces fighting beside the state: UCDP counts them as the government's side (Wagner and
# Rwandan forces as "Government of Central African Republic"), ACLED names them apart.
_CAMP = {"state_forces": "state", "allied_forces": "state"}
UNIDENTIFIED = "unidentified"
_STOPWORDS = frozenset({"of", "the", "and", "de", "du", "des", "la", "le", "les", "et", "for"})


def agreement(r: Reports, i: np.ndarray, j: np.ndarray, tol: Tolerances) -> pd.DataFrame:
    """Per pair ``(i[k], j[k])``: each agreement (0..1), the score, and what it was made of."""
    km = haversine(r.lon[i], r.lat[i], r.lon[j], r.lat[j]) / 1000
    country = LOCATION_ORDER.index("country")
    either_country = (r.place_level[i] == country) | (r.place_level[j] == country)
    gap = np.maximum(0.0, np.maximum(r.start[i] - r.end[j], r.start[j] - r.end[i]))
    time = 1 - 0.5 * np.clip(gap / tol.days, 0, 1) if tol.days > 0 else np.ones(len(i))
    coarser_date = np.maximum(r.date_level[i], r.date_level[j])
    time = np.minimum(time, _lookup(tol.date_cap, DATE_ORDER, coarser_date))
    place_km = _lookup(tol.place_km, LOCATION_ORDER, np.arange(len(LOCATION_ORDER)))
    allowed = np.where(either_country, 0.0, place_km[r.place_level[i]] + place_km[r.place_level[j]])
    beyond = np.where(either_country, 0.0, np.maximum(0.0, km - allowed))
    place = 1 - 0.5 * np.clip(beyond / tol.km, 0, 1)
    coarser_place = np.maximum(r.place_level[i], r.place_level[j])
    place = np.minimum(place, _lookup(tol.place_cap, LOCATION_ORDER, coarser_place))
    type_ = _type_agreement(r, i, j)
    actor, named_alike = _actor_agreement(r, i, j)
    f_i, f_j = r.fatalities[i], r.fatalities[j]
    given = ~np.isnan(f_i) & ~np.isnan(f_j)
    low, high = np.fmin(f_i, f_j), np.fmax(f_i, f_j)
    fatalities = np.where(given, (np.maximum(low, 0) + 1) / (np.maximum(high, 0) + 1), 0.5)
    w = tol.weights
    total = sum(w.values())
    score = (
        w["time"] * time
        + w["place"] * place
        + w["type"] * type_
        + w["actor"] * actor
        + w["fatalities"] * fatalities
    ) / total
    return pd.DataFrame(
        {
            "i": i,
            "j": j,
            "score": np.round(score, 4),
            "days": np.abs(r.day[i] - r.day[j]),
            "km": np.where(either_country & ~np.isfinite(km), np.nan, km),
            "gap": gap,
            "contradiction": actor == 0,
            "named_alike": named_alike,
            "country": either_country,
            "coarse": (coarser_date >= DATE_ORDER.index("month"))
            | (coarser_place >= LOCATION_ORDER.index("admin1")),
        }
    )


def _lookup(table: object, order: tuple[str, ...], levels: np.ndarray) -> np.ndarray:
    values = np.array([float(table[name]) for name in order])  # type: ignore[index]
    return values[levels]


def _type_agreement(r: Reports, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    # The taxonomy looked up once per distinct type, not once per pair.
    kinds, _ = pd.factorize(pd.Series([_KIND.get(t, t) for t in r.type_values], dtype=object))
    kinds = np.append(np.asarray(kinds, dtype=np.int64), -2)
    a, b = r.type_code[i], r.type_code[j]
    same = (a == b) & (a >= 0)
    return np.where(same, 1.0, np.where((kinds[a] == kinds[b]) & (a >= 0), 0.5, 0.2))


def _actor_agreement(r: Reports, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(agreement, named alike)``: names first (judged once per distinct pair of names), then
    types, then sides; unidentified agrees with anything, weakly; other sides contradict."""
    names = r.actors[1]
    both_named = (names[i] >= 0) & (names[j] >= 0)
    alike = np.zeros(len(i), dtype=bool)
    if both_named.any():
        pairs = pd.DataFrame({"a": names[i][both_named], "b": names[j][both_named]})
        distinct = pairs.drop_duplicates()
        # One name as written per name compared, from the pairs' own reports.
        key_of = dict(zip(names[i][both_named].tolist(), r.names(i[both_named]), strict=True))
        key_of |= dict(zip(names[j][both_named].tolist(), r.names(j[both_named]), strict=True))
        similar = {
            (a, b): names_alike(key_of[a], key_of[b])
            for a, b in distinct.itertuples(index=False, name=None)
        }
        alike[both_named] = [similar[p] for p in zip(pairs["a"], pairs["b"], strict=True)]
    # Per distinct type: unidentified (or none) is unknown; then its side.
    values = [v if v is not None else UNIDENTIFIED for v in r.perpetrator_values] + [UNIDENTIFIED]
    unknown_of = np.array([v == UNIDENTIFIED for v in values])
    type_of, _ = pd.factorize(pd.Series(values, dtype=object))
    side_of, _ = pd.factorize(pd.Series([SIDE.get(v, v) for v in values], dtype=object))
    camp_of, _ = pd.factorize(pd.Series([_CAMP.get(v, v) for v in values], dtype=object))
    c_i, c_j = r.perpetrator_code[i], r.perpetrator_code[j]
    unknown = unknown_of[c_i] | unknown_of[c_j]
    agreement = np.select(
        [
            alike,
            unknown,
            type_of[c_i] == type_of[c_j],
            camp_of[c_i] == camp_of[c_j],
            side_of[c_i] == side_of[c_j],
        ],
        [1.0, 0.4, 0.75, 0.7, 0.5],
        default=0.0,
    )
    return agreement, alike


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def names_alike(a: object, b: object) -> bool:
    """Two perpetrators' names name the same actor: equal (case and spaces aside), or every
    word of the shorter is in the longer, or in the short name before a colon ("UPC" and
    "UPC: Unity for Peace in Central Africa"; "CPC: Coalition of Patriots for Change" and
    "Government of CAR / CPC"; not "Military Forces of the CAR" and "Government of CAR")."""
    key_a, key_b = name_key(a), name_key(b)
    if key_a is None or key_b is None:
        return False
    if key_a == key_b:
        return True
    for words_a in _word_sets(key_a):
        for words_b in _word_sets(key_b):
            shorter, longer = sorted((words_a, words_b), key=len)
            if shorter and shorter <= longer:
                return True
    return False


def _word_sets(key: str) -> list[set[str]]:
    """A name's words, and its short name's when it has one ("CPC" of "CPC: Coalition of
    Patriots for Change", as ACLED writes names)."""
    sets = [set(_WORD.findall(key)) - _STOPWORDS]
    short, colon, _ = key.partition(":")
    if colon and short.strip():
        sets.append(set(_WORD.findall(short)) - _STOPWORDS)
    return sets
