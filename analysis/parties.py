"""Which incidents were committed by an agreement's parties.

An agreement's ``parties`` field lists its signatories separated by ``;`` (or ``,``).
An incident is *by a party* when a party's name lies inside its ``perpetrator_name`` as
whole words after both are normalised by :func:`schema.places.name_key` (case, accents
and punctuation ignored): "Wourou herders" matches "Wouroú herders' militia", but
"Herders" alone does not match the party "Wourou herders". An abbreviation in brackets
stands for the name on either side: "UCF" matches "Union des combattants du fleuve
(UCF)" and the reverse. A party written as a perpetrator type ("state forces", "criminal")
matches that ``perpetrator_type``. Nothing else is guessed:
an incident whose perpetrator is unnamed is *not attributed*, never counted as a party's.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from languages import N_
from schema.places import name_key

MATCH_WORDS = N_(
    "the party's name inside the perpetrator's name as whole words, ignoring case, "
    "accents and punctuation, an abbreviation in brackets standing for the name; or the "
    "party is a perpetrator type"
)

_SPLIT = re.compile(r"[;,]")
_BRACKETED = re.compile(r"\(([^()]*)\)")


def _keys(name: Any) -> tuple[str, ...]:
    """A name's key, and its bracketed abbreviation's ("UCF" in "Union ... (UCF)")."""
    keys = [name_key(name)] if isinstance(name, str) else []
    if isinstance(name, str):
        keys += [name_key(a) for a in _BRACKETED.findall(name)]
    return tuple(dict.fromkeys(k for k in keys if k))


def party_keys(parties: Any) -> tuple[str, ...]:
    """The normalised names in an agreement's ``parties`` text (empty when none), each
    party's bracketed abbreviation included."""
    if not isinstance(parties, str):
        return ()
    keys = (k for p in _SPLIT.split(parties) for k in _keys(p))
    return tuple(dict.fromkeys(keys))


def _inside(short: str, long: str) -> bool:
    return f" {short} " in f" {long} "


def _type_key(value: Any) -> str | None:
    return name_key(str(value).replace("_", " ")) if isinstance(value, str) else None


def by_parties(incidents: pd.DataFrame, keys: tuple[str, ...]) -> np.ndarray:
    """For each incident: ``True`` by a party, ``False`` by someone else, and the
    unattributed (no perpetrator name, type unknown) ``False`` too (see :func:`attributed`)."""
    if not keys or not len(incidents):
        return np.zeros(len(incidents), dtype=bool)
    names = incidents.get("perpetrator_name", pd.Series(index=incidents.index, dtype=object))
    types = incidents.get("perpetrator_type", pd.Series(index=incidents.index, dtype=object))
    memo: dict[Any, bool] = {}

    def matches(name: Any, kind: Any) -> bool:
        if (name, kind) not in memo:
            names, type_key = _keys(name), _type_key(kind)
            memo[(name, kind)] = any(
                k == type_key or any(_inside(k, n) for n in names) for k in keys
            )
        return memo[(name, kind)]

    return np.fromiter(
        (matches(n, t) for n, t in zip(names, types, strict=True)),
        dtype=bool,
        count=len(incidents),
    )


def attributed(incidents: pd.DataFrame) -> np.ndarray:
    """Incidents with a perpetrator named, or a perpetrator type other than unidentified."""
    names = incidents.get("perpetrator_name", pd.Series(index=incidents.index, dtype=object))
    types = incidents.get("perpetrator_type", pd.Series(index=incidents.index, dtype=object))
    named = names.map(name_key).notna().to_numpy()
    typed = types.fillna("unidentified").isin(["unidentified", "unknown"]).to_numpy()
    return named | ~typed
