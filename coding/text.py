"""Text in matching form: what the rules and the model read of an incident.

The rules match whole words ignoring case, accents and punctuation ("Vol de bétail" and
"vol de betail!" read alike); ``coding`` may import only ``schema`` and ``languages``, so
this is its own small copy of what ``ingest.actors.words`` does.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

_NON_WORD = re.compile(r"[\W_]+")


def missing(value: Any) -> bool:
    """Whether a cell holds nothing (``None``, NaN, pandas' NA, blank text)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and pandas.NA
    except (TypeError, ValueError):
        return False


def plain(text: Any) -> str:
    """``text`` in lower case without accents (``"Bétail"`` -> ``"betail"``); ``""`` when
    missing."""
    if missing(text):
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: Any) -> str:
    """The matching form: :func:`plain`, punctuation as spaces, single spaces
    (``"Vol de bétail, hier"`` -> ``"vol de betail hier"``)."""
    return " ".join(_NON_WORD.sub(" ", plain(text)).split())


def words_and_places(text: Any) -> tuple[str, list[int]]:
    """:func:`words` of ``text``, and for each of its characters the place in ``text`` of
    the character it comes from: a match in the words form can so be shown as written
    (``accusés de complicité``, not ``accuses de complicite``)."""
    if missing(text):
        return "", []
    out: list[str] = []
    places: list[int] = []
    for i, char in enumerate(str(text)):
        bare = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).casefold()
        for c in bare:
            if _NON_WORD.fullmatch(c):
                if out and out[-1] != " ":
                    out.append(" ")
                    places.append(i)
            else:
                out.append(c)
                places.append(i)
    while out and out[-1] == " ":
        out.pop()
        places.pop()
    return "".join(out), places


def as_written(text: str, places: list[int], start: int, end: int) -> str:
    """The part of ``text`` that characters ``start:end`` of its words form come from."""
    if not places or end <= start:
        return ""
    return str(text)[places[start] : places[end - 1] + 1]
