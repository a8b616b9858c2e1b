"""Coded text columns: values put, tables merged, the source handed back when unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingest.coded import Coded
from schema.places import name_key


def _listed(series: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in series]


def test_put_copies_and_series_round_trip():
    source = pd.Series(["Ouaka", None, "Kémo", "Ouaka"], dtype="str")
    coded = Coded.of(source)
    twin = coded.copy()
    twin.put(np.array([1, 2]), np.array([0, -1]), np.array(["Sibut"], dtype=object))
    assert _listed(twin.series(source.index)) == ["Ouaka", "Sibut", None, "Ouaka"]
    # The original is untouched, and handed back as it came (the same array).
    back = coded.series(source.index)
    assert back.array is source.array
    missing = Coded.missing(2)
    other = missing.copy()
    other.put_text(np.array([0]), ["x"])
    assert missing.series(pd.RangeIndex(2)).isna().all()
    assert _listed(other.series(pd.RangeIndex(2))) == ["x", None]


def test_putting_the_same_names_again_hands_back_the_source():
    source = pd.Series(["Ouaka", "Kémo", None], dtype="str")
    coded = Coded.of(source)
    coded.put(np.array([0, 1]), np.array([1, 0]), np.array(["Kémo", "Ouaka"], dtype=object))
    assert coded.series(source.index).array is source.array
    coded.put(np.array([2]), np.array([0]), np.array(["Ouaka"], dtype=object))
    assert _listed(coded.series(source.index)) == ["Ouaka", "Kémo", "Ouaka"]


def test_keys_share_one_vocabulary():
    vocabulary: dict[str, int] = {}
    a = Coded.of(pd.Series(["OUAKA province", None, "Kemo"], dtype="str"))
    b = Coded.of(pd.Series(["Ouaka", "Ouaka", "Kémo préfecture"], dtype="str"))
    ka, kb = a.keys(name_key, vocabulary), b.keys(name_key, vocabulary)
    assert (ka == kb).tolist() == [True, False, True]
    assert ka[1] == -1
