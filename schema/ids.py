"""When two ids are the same id: compared after Unicode NFC, trimming and case folding.

``INC-É1`` typed on a French keyboard (one code point) and pasted from a web page (``E``
and a combining accent), ``inc-é1`` and `` INC-É1 `` are one incident's id: a second row
with any of them is a repeat, in a file and against the store. Ids are stored as sent;
only their comparison key (:func:`id_key`) is normalised.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from schema import arrow_strings

_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def id_key(value: str) -> str:
    """The key two ids are compared by: NFC, without surrounding spaces, case folded.

    NFC again after folding: folding can decompose (``ǰ``), and two spellings of one id
    must give one key whatever their form.
    """
    folded = unicodedata.normalize("NFC", str(value)).strip().casefold()
    return unicodedata.normalize("NFC", folded)


def id_keys(ids: pd.Series | Iterable[str]) -> pd.Series:
    """:func:`id_key` of every id (Arrow strings, in order; a missing id stays missing).

    ASCII ids (nearly all) are keyed by Arrow at once: for them NFC changes nothing and
    case folding is lower casing. Only the others go through Python, one by one.
    """
    index = ids.index if isinstance(ids, pd.Series) else None
    if isinstance(ids, pd.Series) and arrow_strings.is_text(ids):
        strings = arrow_strings.arrow(ids).combine_chunks()  # a CSV's cells: no copy to Python
    else:
        values = ids.to_numpy(dtype=object) if isinstance(ids, pd.Series) else list(ids)
        cells = [None if _absent(v) else str(v) for v in values]
        strings = pa.array(cells, type=pa.large_string())
    keys = pc.ascii_lower(pc.utf8_trim(strings, characters=arrow_strings.PYTHON_SPACES))
    others = np.flatnonzero(~np.asarray(pc.fill_null(pc.string_is_ascii(strings), True)))
    if len(others):
        mask = np.zeros(len(strings), dtype=bool)
        mask[others] = True
        folded = [id_key(strings[i].as_py()) for i in others.tolist()]
        keys = pc.replace_with_mask(keys, pa.array(mask), pa.array(folded, type=keys.type))
    return pd.Series(pd.array(keys, dtype=_TEXT), index=index)


def _absent(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
