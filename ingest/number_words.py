"""Counts written in words (``deux``, ``trois``, ``two``): recognised to be flagged with a
suggestion, never read as the number (a person says whether ``deux`` meant 2)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_UNITS = {
    # French, then English (plain form: lower case, no accents).
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "cent": 100,
    "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_JOINERS = {"et", "and"}


def number_in_words(value: Any) -> int | None:
    """The number ``value`` spells (``deux`` -> 2, ``dix-sept`` -> 17, ``twenty one`` ->
    21), or ``None`` when it is not a number written in words. For a suggestion only."""
    if not isinstance(value, str):
        return None
    # Lower case without accents (``ingest.values.plain``, which imports this module).
    bare = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    parts = [p for p in re.split(r"[\s\-]+", bare.lower()) if p and p not in _JOINERS]
    if not parts or len(parts) > 4 or any(p not in _UNITS for p in parts):
        return None
    total = 0
    for part in parts:
        number = _UNITS[part]
        total = max(total, 1) * number if number == 100 else total + number
    return total
