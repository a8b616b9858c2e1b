"""Each row's country as an ISO 3166 alpha-3 code, from what ACLED and UCDP GED carry.

ACLED gives ``iso`` (ISO 3166 numeric), in some exports ``iso3``, and ``country``; UCDP GED
gives ``country`` and ``country_id`` (Gleditsch-Ward number). The host countries of UN
peace operations with a protection mandate (and their spellings) are known here; a country
not known here is kept as written, so it matches no country's rule (only rules for any
country), and a row with no country at all is tried against every rule.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from ingest.actors import words
from ingest.values import is_missing

# ISO3: (ISO numeric, Gleditsch-Ward number, names as the sources write them)
_KNOWN: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "CAF": (140, 482, ("Central African Republic", "République centrafricaine", "CAR")),
    "COD": (180, 490, ("Democratic Republic of Congo", "Democratic Republic of the Congo",
                       "DR Congo (Zaire)", "DR Congo", "DRC", "Congo, Dem. Rep.",
                       "République démocratique du Congo", "RDC")),
    "MLI": (466, 432, ("Mali",)),
    "SSD": (728, 626, ("South Sudan", "Soudan du Sud")),
    "SDN": (729, 625, ("Sudan", "Soudan")),
    "SOM": (706, 520, ("Somalia", "Somalie")),
    "LBN": (422, 660, ("Lebanon", "Liban")),
    "CYP": (196, 352, ("Cyprus", "Chypre")),
    "ESH": (732, -1, ("Western Sahara", "Sahara occidental")),
}  # fmt: skip
_BY_NAME = {words(n): iso for iso, (_, _, names) in _KNOWN.items() for n in (iso, *names)}
_BY_ISO = {str(number): iso for iso, (number, _, _) in _KNOWN.items()}
_BY_GW = {str(gw): iso for iso, (_, gw, _) in _KNOWN.items() if gw > 0}


def _number(value: object) -> str:
    return str(value).strip().removesuffix(".0")


def _numbered(value: object, table: dict[str, str]) -> str:
    return "" if is_missing(value) else table.get(_number(value), "")


def of_name(value: object) -> str:
    """A country name or ISO3 code as ISO3 when known, else as written (``""``: none)."""
    if is_missing(value):
        return ""
    text = str(value).strip()
    return _BY_NAME.get(words(text), text.upper() if len(text) == 3 else text)


def _each_distinct(column: pd.Series, read: Callable[[object], str]) -> np.ndarray:
    """``read`` of each cell, called once per distinct value (``read(None)`` for empty ones)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    answers = np.array([*(read(u) for u in uniques), read(None)], dtype=object)
    return answers[np.where(codes < 0, len(uniques), codes)]


def row_countries(get: Callable[[str], pd.Series], profile: str) -> pd.Series:
    """Each row's country for ``profile`` (``acled``, ``ucdp``; any other: not known).

    ``get`` gives a column by its lower-case name (an empty column when the file lacks it).
    """
    index = get("country").index
    if profile not in ("acled", "ucdp"):
        return pd.Series("", index=index, dtype=object)
    # The most exact first: an ISO3 code, then a number the table knows, then the name.
    # ACLED: ISO numeric (legacy exports: gwno, a Gleditsch-Ward number); UCDP: country_id.
    numbered = (
        [(_BY_ISO, "iso"), (_BY_GW, "gwno")] if profile == "acled" else [(_BY_GW, "country_id")]
    )
    out = _each_distinct(get("iso3"), of_name)
    for table, column in numbered:
        found = _each_distinct(get(column), functools.partial(_numbered, table=table))
        out = np.where(out == "", found, out)
    out = np.where(out == "", _each_distinct(get("country"), of_name), out)
    return pd.Series(out, index=index, dtype=object)
