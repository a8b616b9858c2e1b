"""What CSV and XLSX share once cells are read: header names, HXL rows, ragged rows."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from languages import _, ngettext
from schema.upload import IngestError, Limits


def is_blank(value: object) -> bool:
    """A cell that holds nothing a person would see."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def unique_headers(raw: Sequence[object]) -> tuple[list[str], list[str]]:
    """Column names from a header row: empty ones become ``column_N``, repeats ``name_2``.

    Returns
    -------
    names, notes : the names, one per header cell, and what was renamed.
    """
    names: list[str] = []
    seen: set[str] = set()
    empty: list[str] = []
    repeated: list[str] = []
    for position, value in enumerate(raw, start=1):
        name = "" if value is None else str(value).strip()
        if not name:
            name = f"column_{position}"
            empty.append(name)
        if name in seen:
            base, suffix = name, 2
            while f"{base}_{suffix}" in seen:
                suffix += 1
            repeated.append(f"{base} -> {base}_{suffix}")
            name = f"{base}_{suffix}"
        seen.add(name)
        names.append(name)
    notes = []
    if empty:
        notes.append(_("empty header cells named {names}", names=", ".join(empty)))
    if repeated:
        notes.append(_("repeated header names made unique: {names}", names=", ".join(repeated)))
    return names, notes


def hxl_tags(header: Sequence[str], row: Sequence[object]) -> dict[str, str] | None:
    """``{column: tag}`` when every non-empty cell of ``row`` is an HXL hashtag, else None."""
    cells = [(name, value) for name, value in zip(header, row, strict=False) if not is_blank(value)]
    extra = [value for value in row[len(header) :] if not is_blank(value)]
    if not cells or extra:
        return None
    if not all(isinstance(v, str) and v.strip().startswith("#") for _name, v in cells):
        return None
    return {name: str(value).strip() for name, value in cells}


def build_records(
    header: list[str],
    rows: list[tuple[int, list[object]]],
    *,
    source: str,
    limits: Limits,
) -> tuple[pd.DataFrame, list[str]]:
    """The records DataFrame, indexed by row number, keeping cells beyond the header.

    A row with more cells than the header keeps its extra values in ``_extra_1``, ... columns
    (never silently dropped); a shorter row is padded with None.
    """
    if len(rows) > limits.max_records:
        raise IngestError(
            _(
                "{source} has {count} records, over the limit of {limit}; split the file.",
                source=source,
                count=len(rows),
                limit=limits.max_records,
            )
        )
    width = len(header)
    widest = width
    ragged = 0
    for _number, cells in rows:
        # Trailing empty cells past the header carry nothing: they are not "extra values".
        last = max((i for i, v in enumerate(cells) if not is_blank(v)), default=-1)
        if last >= width:
            ragged += 1
            widest = max(widest, last + 1)
    extra = [f"_extra_{i}" for i in range(1, widest - width + 1)]
    columns = header + extra
    data = [(list(cells[:widest]) + [None] * (widest - len(cells))) for _number, cells in rows]
    frame = pd.DataFrame(data, columns=columns, index=[n for n, _cells in rows], dtype=object)
    frame.index.name = "row"
    notes = []
    if ragged:
        notes.append(
            ngettext(
                "{n} row(s) have more cells than the header; the extra values are kept in "
                "{columns}",
                "{n} row(s) have more cells than the header; the extra values are kept in "
                "{columns}",
                ragged,
                columns=", ".join(extra),
            )
        )
    return frame, notes
