"""Essential and secondary fields: which unknown value refuses a row, which only warns.

A row is refused for what it cannot be shown without: where (coordinates or a shape),
when (the date) and what (the incident type, the agreement's type...). An unknown value
in any other coded field (a victim group "hommes", a motivation "règlement de comptes",
a perpetrator type no one has a word for) keeps the row, with a warning saying what was
kept: the motivation as written stays in ``motivation_raw``, a perpetrator type with no
code is recorded as unidentified (the words going to the perpetrator's name when it has
none), an unknown group is left out of the list. Every row is also kept as sent in its
source record, so nothing is lost. A count written in words (``deux``) is flagged with
the number it may be, never read as it: a secondary count is left empty with a warning;
a required one (fatalities) is refused with the same suggestion (``ingest.values``).

A value holding one code's words and no other's (``Incendie de maisons`` holds
``incendie``) is read as that code, with a warning naming the word read. A doubtful
value (``revenge?``) is left for a person, as before: the checks refuse it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ingest import columns
from ingest.number_words import number_in_words
from ingest.profiles.actors import RowWarning, rows_text
from ingest.profiles.vocabulary import code_within, lookup, quoted, shown_code
from ingest.values import as_text, is_missing
from languages import _
from schema import arrow_strings
from schema.fields import LIST_SEPARATOR, Field, LayerSpec, split_codes

ESSENTIAL: dict[str, frozenset[str]] = {
    "incidents": frozenset({"date", "incident_type", "latitude", "longitude", "geometry"}),
    "local_agreements": frozenset({"agreement_type", "geometry"}),
    "local_processes": frozenset({"process_type", "start_date", "geometry"}),
    "national_milestones": frozenset({"date", "kind"}),
    "mission_presence": frozenset({"kind", "geometry"}),
}
"""Per layer, the fields an unknown value refuses a row for (where, when, what)."""

FALLBACK: dict[str, str] = {
    "motivation": "unknown",
    "perpetrator_type": "unidentified",
    "location_precision": "approximate",
}
"""The code a required secondary field takes when its value is unknown. A required coded
field with none here (an agreement's status or the mission's role: no code says "not
known") is treated as essential: its unknown values refuse the row, naming the codes."""


@dataclass(frozen=True)
class Kept:
    """What became of an unknown secondary value: the new cell, and what the warning says."""

    cell: Any
    problem: str
    expected: str


def is_essential(spec: LayerSpec, field: Field) -> bool:
    """Whether an unknown value of ``field`` refuses the row."""
    essential = ESSENTIAL.get(spec.name)
    if essential is None:
        return field.required  # a layer not listed: every required field is essential
    if field.name in essential:
        return True
    return field.required and field.kind in ("code", "codes") and field.name not in FALLBACK


def keep_secondary(frame: pd.DataFrame, spec: LayerSpec) -> list[RowWarning]:
    """Unknown values of secondary coded fields kept with a warning, counts written in
    words flagged (in place, after the vocabulary); the warnings, one per field and value
    (naming its rows)."""
    warnings: list[RowWarning] = []
    for field in spec.fields:
        if field.name not in frame or field.derived:
            continue
        if field.kind in ("code", "codes"):
            warnings += _codes(frame, spec, field)
        elif field.kind == "count" and not field.required:
            warnings += _by_value(frame, field, _count_in_words)
    return warnings


def _codes(frame: pd.DataFrame, spec: LayerSpec, field: Field) -> list[RowWarning]:
    table = lookup(field.name, field.codes)
    essential = is_essential(spec, field)

    def judge(value: Any) -> Kept | None:
        if is_missing(value) or _is_code(value, field):
            return None
        text = as_text(value) or ""
        if "?" in text:
            return None  # doubt: a person decides (the checks refuse it, as before)
        within = code_within(text, table) if field.kind == "code" else None
        if within is not None:
            code, words = within
            return Kept(
                code,
                _(
                    "is not a known {field} but holds the words “{words}”: read as {code} "
                    "(the row as sent keeps “{value}”)",
                    field=field.name,
                    words=words,
                    code=shown_code(field.name, code),
                    value=text,
                ),
                _("one of {codes}", codes=", ".join(field.codes)),
            )
        if essential:
            return None  # the checks refuse it, naming the codes accepted
        return _secondary(frame, field, text, table)

    return _by_value(frame, field, judge)


def _is_code(value: Any, field: Field) -> bool:
    if not isinstance(value, str):
        return False
    if field.kind == "code":
        return value in field.codes
    return all(code in field.codes for code in split_codes(value))


def _secondary(frame: pd.DataFrame, field: Field, text: str, table: dict[str, str]) -> Kept:
    codes = ", ".join(field.codes)
    if field.kind == "codes":
        from ingest.profiles.vocabulary import _LIST_SPLIT, word

        parts = [p.strip() for p in _LIST_SPLIT.split(text) if p.strip()]
        known = [table.get(word(p), p) for p in parts]
        kept = [c for c in dict.fromkeys(known) if c in field.codes]
        unknown = [p for p, c in zip(parts, known, strict=True) if c not in field.codes]
        listed = ", ".join(quoted(p) for p in unknown)
        if kept:
            problem = _(
                "holds {unknown}, not a known {field}: left out of the list, which keeps "
                "{kept} (the row as sent keeps “{value}”)",
                unknown=listed,
                field=field.name,
                kept=", ".join(shown_code(field.name, c) for c in kept),
                value=text,
            )
        else:
            problem = _(
                "holds {unknown}, not a known {field}: the list is left empty (the row as "
                "sent keeps “{value}”)",
                unknown=listed,
                field=field.name,
                value=text,
            )
        expected = _("codes among {codes}, separated by “;”", codes=codes)
        return Kept(LIST_SEPARATOR.join(kept) or None, problem, expected)
    fallback = FALLBACK.get(field.name)
    if field.name == "motivation":
        problem = _(
            "is not a known motivation: recorded as {code}, the words kept in "
            "motivation_raw for an analyst to code",
            code=shown_code(field.name, fallback or ""),
        )
    elif field.name == "perpetrator_type" and "perpetrator_name" in frame:
        problem = _(
            "is not a known perpetrator type: recorded as {code}; the words are kept as the "
            "perpetrator's name where the row gives none, and in the row as sent",
            code=shown_code(field.name, fallback or ""),
        )
    elif fallback is not None:
        problem = _(
            "is not a known {field}: recorded as {code} (the row as sent keeps the value)",
            field=field.name,
            code=shown_code(field.name, fallback),
        )
    else:
        problem = _(
            "is not a known {field}: left empty (the row as sent keeps the value)",
            field=field.name,
        )
    return Kept(fallback, problem, _("one of {codes}", codes=codes))


def _count_in_words(value: Any) -> Kept | None:
    number = number_in_words(value)
    if number is None:
        return None
    return Kept(
        None,
        _(
            "is a number written in words ({value} → {number}?): not read, the count left "
            "empty (the row as sent keeps it)",
            value=str(value).strip(),
            number=number,
        ),
        _("a whole number written in figures, such as {number}", number=number),
    )


def _by_value(
    frame: pd.DataFrame, field: Field, judge: Callable[[Any], Kept | None]
) -> list[RowWarning]:
    """Judge each distinct value of ``field``'s column once; change the cells of those
    judged and give one warning per value, naming its rows."""
    column = frame[field.name]
    if arrow_strings.is_text(column):
        codes, uniques = columns.distinct(column)  # kept for the checks that follow
    else:
        factorized, found = pd.factorize(column.astype(object), use_na_sentinel=True)
        codes, uniques = np.asarray(factorized), list(found)
    judged = {i: kept for i, value in enumerate(uniques) if (kept := judge(value)) is not None}
    if not judged:
        return []
    warnings = []
    cells = column.astype(object).to_numpy(copy=True)
    for position, kept in judged.items():
        at = np.flatnonzero(codes == position)
        cells[at] = kept.cell
        rows = tuple(column.index[at].tolist())
        warnings.append(
            RowWarning(
                rows,
                field.name,
                uniques[position],
                f"{kept.problem} ({rows_text(list(rows))})" if len(rows) > 1 else kept.problem,
                kept.expected,
            )
        )
    if field.name == "perpetrator_type" and "perpetrator_name" in frame:
        _name_from_type(frame, column, cells)
    frame[field.name] = _like(column, cells)
    return warnings


def _name_from_type(frame: pd.DataFrame, before: pd.Series, after: np.ndarray) -> None:
    """A perpetrator type with no code keeps its words as the name, where none is given."""
    names = frame["perpetrator_name"]
    changed = np.array(
        [a != b and not is_missing(b) for a, b in zip(after, before.tolist(), strict=True)]
    )
    empty = columns.missing(names)
    fill = changed & empty
    if fill.any():
        cells = names.astype(object).to_numpy(copy=True)
        cells[fill] = before.astype(object).to_numpy()[fill]
        frame["perpetrator_name"] = _like(names, cells)


def _like(column: pd.Series, cells: np.ndarray) -> pd.Series:
    """``cells`` as a column of the same kind as ``column`` (Arrow text stays text)."""
    if str(column.dtype) == "str" and all(c is None or isinstance(c, str) for c in cells):
        return pd.Series(pd.array(list(cells), dtype="str"), index=column.index)
    return pd.Series(cells, index=column.index, dtype=object)
