"""Place names as compared: the same area however a source spells it.

ACLED, UCDP and field offices write the same prefecture "Ouaka", "OUAKA", "Ouaka
province" or "Préfecture de la Ouaka"; the boundaries say "Ouaka". :func:`name_key` is
what two names must share to be one area: used to place incidents
(:mod:`ingest.places`) and to filter them by admin area or office
(:mod:`analysis.filters`, :mod:`store.pg_cells`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pandas as pd

_GENERIC = (
    "sous prefecture",
    "subprefecture",
    "prefecture",
    "province",
    "region",
    "territoire",
    "territory",
    "county",
    "district",
    "departement",
    "department",
    "state",
    "commune",
)
_LINK = r"(?:\s+(?:de la|de l|des|du|de|d|of the|of))?"
_PREFIX = re.compile(rf"^(?:{'|'.join(_GENERIC)}){_LINK}\s+")
_SUFFIX = re.compile(rf"\s+(?:{'|'.join(_GENERIC)})$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def name_key(name: Any) -> str | None:
    """``name`` as compared: lower case, no accents or punctuation, without the words
    that say what kind of area it is. ``None`` for a missing or empty name.

    >>> name_key("Kémo préfecture"), name_key("Prefecture de la Ouaka"), name_key("OUAKA")
    ('kemo', 'ouaka', 'ouaka')
    """
    if name is None or name is pd.NA or (isinstance(name, float) and math.isnan(name)):
        return None
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _NOT_WORD.sub(" ", text).strip()
    # One generic word off each end, but never the whole name ("Region" alone stays).
    shorter = _SUFFIX.sub("", _PREFIX.sub("", text)).strip()
    text = shorter or text
    return text or None


def keys_of(names: Iterable[Any]) -> frozenset[str]:
    """The keys of ``names`` (the missing left out), to test membership by key."""
    return frozenset(k for k in (name_key(n) for n in names) if k is not None)
