"""Coordinates as field offices write them: degrees-minutes-seconds, hemisphere letters.

``4°21'36"N``, ``18 33 54 E``, ``4,36 N``, ``N 4°21.6'`` and ``-4.36`` are all read as
decimal degrees; S and W (and O, *ouest*) make a coordinate negative. Nothing is guessed:
a letter on the wrong axis (``E`` in a latitude), minutes or seconds of 60 or more, or a
sign together with a hemisphere letter leave the cell as written, for the checks to refuse
it with the accepted forms named.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ingest.values import is_missing
from languages import _, format_number

LATITUDE = "latitude"
LONGITUDE = "longitude"
_HEMISPHERES = {LATITUDE: {"N": 1, "S": -1}, LONGITUDE: {"E": 1, "W": -1, "O": -1}}
_NUMBER = r"\d+(?:[.,]\d+)?"
_FORM = re.compile(
    rf"""^\s*(?P<before>[NSEWO])?\s*
    (?P<sign>[+-])?\s*
    (?P<degrees>{_NUMBER})\s*(?:°|º|˚|deg)?\s*
    (?:(?P<minutes>{_NUMBER})\s*(?:'|\u2032|\u2019|min)?\s*)?
    (?:(?P<seconds>{_NUMBER})\s*(?:"|\u2033|''|\u2019\u2019|\u201d|sec)?\s*)?
    (?P<after>[NSEWO])?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def _number(text: str | None) -> float:
    return float(text.replace(",", ".")) if text else 0.0


def parse_coordinate(value: Any, axis: str) -> float | None:
    """Decimal degrees of a coordinate cell written with degrees-minutes-seconds or a
    hemisphere letter, or ``None`` when it is not so written (a plain number, an empty
    cell, words) or is wrong (minutes over 59, a letter of the other axis): such cells
    are left to the checks, which read plain numbers and refuse the rest.

    Parameters
    ----------
    value : the cell as read.
    axis : ``"latitude"`` or ``"longitude"``: which hemisphere letters belong to it.
    """
    if axis not in _HEMISPHERES:
        raise ValueError(f"`axis` was {axis!r} but is expected to be latitude or longitude")
    if is_missing(value) or not isinstance(value, str):
        return None
    match = _FORM.match(value.replace("\u00a0", " "))
    if match is None:
        return None
    before, after = match["before"], match["after"]
    letter = (before or after or "").upper()
    # "4 21" alone could be anything: spaces read as degrees-minutes need a letter or a mark.
    has_marks = any(mark in value for mark in "°º˚'\u2032\u2019\"\u2033\u201d")
    if not letter and not has_marks:
        return None  # a plain number: the checks read it as they always have
    if (before and after) or (letter and letter not in _HEMISPHERES[axis]):
        return None
    if letter and match["sign"]:
        return None  # "-4.3 N": which one is meant is not for us to choose
    degrees, minutes, seconds = (_number(match[p]) for p in ("degrees", "minutes", "seconds"))
    if minutes >= 60 or seconds >= 60:
        return None
    if (match["minutes"] and "." in match["degrees"].replace(",", ".")) or (
        match["seconds"] and "." in (match["minutes"] or "").replace(",", ".")
    ):
        return None  # 4.5°30': decimals before the last part are a typing error
    decimal = degrees + minutes / 60 + seconds / 3600
    sign = _HEMISPHERES[axis].get(letter, 1) * (-1 if match["sign"] == "-" else 1)
    return round(sign * decimal, 7)


def read_written(frame: Any) -> list[str]:
    """Turn the ``latitude`` and ``longitude`` cells of ``frame`` written in degrees-
    minutes-seconds or with a hemisphere letter into decimal degrees (in place, as text
    the checks read); a note for the file saying how many distinct values were so read.

    Plain decimals (nearly every cell of a large file) are found in C and left alone: only
    the other cells are looked at, each distinct value once.
    """
    import pandas as pd

    from ingest import columns
    from schema import arrow_strings

    notes: list[str] = []
    for axis in (LATITUDE, LONGITUDE):
        if axis not in frame:
            continue
        column = frame[axis]
        if arrow_strings.is_text(column) and not _may_be_written(column):
            continue  # no degree mark, quote or letter anywhere: nothing to read here
        _numbers, plain = columns.plain_numbers(column)
        todo = np.flatnonzero(~plain & ~columns.missing(column))
        if not len(todo):
            continue
        cells = column.astype(object).to_numpy()
        read: dict[Any, str] = {}
        for value in dict.fromkeys(cells[todo].tolist()):
            decimal = parse_coordinate(value, axis)
            if decimal is not None:
                read[value] = repr(decimal)
        if not read:
            continue
        cells = cells.copy()
        for position in todo.tolist():
            if cells[position] in read:
                cells[position] = read[cells[position]]
        if str(column.dtype) == "str":
            frame[axis] = pd.Series(pd.array(list(cells), dtype="str"), index=column.index)
        else:
            frame[axis] = pd.Series(cells, index=column.index, dtype=object)
        first = next(iter(read))
        notes.append(
            _(
                "{axis}: {n} distinct value(s) written in degrees-minutes-seconds or with a "
                "hemisphere letter read as decimal degrees (such as “{example}” → {decimal})",
                axis=axis,
                n=len(read),
                example=first,
                decimal=format_number(parse_coordinate(first, axis) or 0.0, digits=5),
            )
        )
    return notes


_MARK_BYTES = np.zeros(256, dtype=bool)
_MARK_BYTES[list("°º˚'\"NSEWOnsewo".encode())] = True
_MARK_BYTES[0xE2] = True  # the lead byte of the primes and curly quotes in UTF-8


def _may_be_written(column: Any) -> bool:
    """Whether any cell of a text column may hold a mark or a letter of a coordinate
    written in degrees-minutes-seconds or with a hemisphere: the bytes of its strings
    scanned at once (a million plain decimals hold none of them; ``1e-5`` is looked at
    more closely, in vain)."""
    from schema import arrow_strings

    strings = arrow_strings.arrow(column)
    for chunk in strings.chunks if hasattr(strings, "chunks") else [strings]:
        data = chunk.buffers()[2]
        if data is not None and _MARK_BYTES[np.frombuffer(data, dtype=np.uint8)].any():
            return True
    return False
