"""Arrow-backed string columns (a CSV's cells), and what counts as a space in them.

Shared by the readers' column checks (``ingest.columns``) and id comparison
(:mod:`schema.ids`), which the store uses too.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

PYTHON_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What ``str.strip()`` removes (``str.isspace``): a cell of only these is empty."""


def is_text(column: pd.Series) -> bool:
    """Whether ``column`` holds Arrow-backed strings (a CSV's cells), so reads vectorise."""
    dtype = column.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def arrow(column: pd.Series) -> pa.ChunkedArray:
    """The Arrow strings under a :func:`is_text` column (no copy)."""
    return pa.chunked_array(pa.array(column.array))
