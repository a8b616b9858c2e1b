"""The actor dictionary applied while a file's columns are mapped (``ingest.actors``).

ACLED and UCDP GED: each row's perpetrator type comes from the dictionary first (the
actor's name: ``actor1``, ``side_a``), then from the source's own code (ACLED's ``inter1``,
UCDP's "Government of ..." rule). ACLED's external/other forces (inter code 8) have no
type of their own: a name no rule matches is ``unidentified``, with one warning line per
name saying to add it to the dictionary. Files an office sends (native, Kobo, HXL, own
columns): the dictionary fills a perpetrator type left empty beside a perpetrator's name,
with a warning saying so; a type the office gave is kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ingest import actors, columns
from ingest.actors.countries import row_countries
from ingest.profiles.events import _getter, columns_by_name
from ingest.values import is_missing
from languages import _

EXTERNAL = {"8", "external/other forces", "external other forces", "external forces"}
"""ACLED's inter code 8, as a number (older exports) and as words (newer ones)."""


def _to_fix() -> str:
    return _(
        "a rule for this name in the mission's actor dictionary ({setting}; "
        "docs/codebook.md), then `pocmap actors --apply`",
        setting=actors.ACTORS_ENV,
    )


_SHOWN_ROWS = 8


@dataclass(frozen=True)
class RowWarning:
    """One warning line for the rows it names (shown on the first, counted on all)."""

    rows: tuple[Any, ...]
    column: str
    value: Any
    problem: str
    expected: str = ""


def rows_text(rows: list[Any]) -> str:
    """The rows a warning shown on the first of them is about, in words."""
    if len(rows) == 1:
        return _("this row")
    others = rows[1:]
    if len(others) == 1:
        return _("this row and row {row}", row=others[0])
    listed = ", ".join(str(r) for r in others[:_SHOWN_ROWS])
    if len(others) > _SHOWN_ROWS:
        return _(
            "this row and {n} others: rows {rows} and {more} more",
            n=len(others),
            rows=listed,
            more=len(others) - _SHOWN_ROWS,
        )
    return _("this row and {n} others: rows {rows}", n=len(others), rows=listed)


def _pairs(names: pd.Series, countries: pd.Series) -> tuple[np.ndarray, list[tuple[Any, str]]]:
    """Each row's position among the distinct (name, country) pairs (``-1``: no name), and
    the pairs, each computed once (an export of a million rows names a few hundred)."""
    name_codes, name_values = pd.factorize(names, use_na_sentinel=True)
    country_codes, country_values = pd.factorize(countries, use_na_sentinel=True)
    width = len(country_values) + 1
    combined = np.asarray(name_codes, dtype=np.int64) * width + (country_codes + 1)
    combined = np.where(name_codes < 0, -1, combined)
    kept, codes = np.unique(combined, return_inverse=True)
    codes = np.where(combined < 0, -1, codes - int((kept < 0).any()))
    kept = kept[kept >= 0]
    pairs = [
        (
            name_values[k // width],
            "" if k % width == 0 else str(country_values[k % width - 1]),
        )
        for k in kept.tolist()
    ]
    return codes, pairs


@dataclass
class Assigned:
    """What the dictionary did to a file's rows.

    Attributes
    ----------
    warnings : one per actor name left unidentified, or per type filled in.
    notes : for the whole file.
    rules : each row's rule number where a rule gave its type, else ``None``.
    """

    warnings: list[RowWarning]
    notes: list[str]
    rules: pd.Series | None = None


def assign(
    profile: str,
    records: pd.DataFrame,
    frame: pd.DataFrame,
    shown: dict[str, Any],
    *,
    type_given: bool,
    dictionary: actors.ActorDictionary | None = None,
) -> Assigned:
    """Set ``frame["perpetrator_type"]`` from the dictionary (in place, ``shown`` too).

    ``type_given``: the perpetrator type comes from the file itself (an office's column, or
    one mapped by hand), so the dictionary only fills its empty cells. ``dictionary``:
    :func:`ingest.actors.current` unless given.
    """
    if "perpetrator_name" not in frame:
        return Assigned([], [])
    dictionary = dictionary or actors.current()
    if profile in ("acled", "ucdp") and not type_given:
        return _from_source(profile, records, frame, shown, dictionary)
    return _fill_empty(frame, dictionary)


def _from_source(
    profile: str,
    records: pd.DataFrame,
    frame: pd.DataFrame,
    shown: dict[str, Any],
    dictionary: actors.ActorDictionary,
) -> Assigned:
    col = columns_by_name(records)
    get = _getter(records, col)
    names = frame["perpetrator_name"]
    codes, pairs = _pairs(names, row_countries(get, profile))
    found = [dictionary.perpetrator_type(name, country) for name, country in pairs]
    answers = np.array([kind for kind, _ in found] + [None], dtype=object)
    at = np.where(codes < 0, len(found), codes)
    chosen = answers[at]
    numbers = np.array(
        [rule.number if kind is not None and rule else None for kind, rule in found] + [None],
        dtype=object,
    )[at]
    fallback = frame["perpetrator_type"].astype(object).to_numpy()
    result = np.where(pd.isna(chosen), fallback, chosen)
    warnings: list[RowWarning] = []
    if profile == "acled":
        inter = get("inter1")
        inter_codes, inter_values = pd.factorize(inter, use_na_sentinel=True)
        is_external = np.array(
            [*(_plain_code(v) in EXTERNAL for v in inter_values), False], dtype=bool
        )
        external = is_external[np.where(inter_codes < 0, len(inter_values), inter_codes)]
        unmatched = external & pd.isna(chosen)
        result = np.where(unmatched, "unidentified", result)
        warnings = _unmatched_warnings(frame.index, names, unmatched)
        source_rule = f"{col.get('inter1', 'inter1')}"
    else:
        # Civilians killed in fighting (types 1, 2): UCDP names no perpetrator; the two
        # sides are in the name, and the dictionary must not pick one of them.
        fighting = get("type_of_violence").map(_plain_code).isin(["1", "2"]).to_numpy()
        result = np.where(fighting, fallback, result)
        source_rule = _(
            "{column} ('Government of ...': state forces; "
            "unidentified for civilians killed in fighting between two sides)",
            column=col.get("side_a", "side_a"),
        )
    frame["perpetrator_type"] = pd.Series(result, index=frame.index, dtype=object)
    name_column = col.get("actor1" if profile == "acled" else "side_a", "")
    shown["perpetrator_type"] = _(
        "{column} (actor dictionary), else {rule}", column=name_column, rule=source_rule
    )
    per_pair = np.bincount(codes[codes >= 0], minlength=len(found))
    used: Counter = Counter()
    for (kind, rule), count in zip(found, per_pair.tolist(), strict=True):
        if kind is not None and rule is not None and count:
            used[rule.number] += count
    notes = [_rules_note(dictionary, used, len(frame))] if used else []
    if warnings:
        listed = "; ".join(
            _("{name!r} ({n} row(s))", name=w.value, n=len(w.rows)) for w in warnings[:10]
        ) + ("; ..." if len(warnings) > 10 else "")
        notes.append(
            _(
                "{n} actor name(s) of ACLED's external/other forces (inter code 8) have no type "
                "in the actor dictionary and come in as 'unidentified': {names}. Add them to "
                "the mission's actor dictionary ({setting}) and run `pocmap actors --apply`.",
                n=len(warnings),
                names=listed,
                setting=actors.ACTORS_ENV,
            )
        )
    return Assigned(warnings, notes, pd.Series(numbers, index=frame.index, dtype=object))


def _plain_code(value: Any) -> str:
    return str(value).strip().lower().removesuffix(".0")


def _unmatched_warnings(
    index: pd.Index, names: pd.Series, unmatched: np.ndarray
) -> list[RowWarning]:
    """One warning per actor name among the ``unmatched`` rows, naming all its rows."""
    if not unmatched.any():
        return []
    positions = np.flatnonzero(unmatched)
    chosen = names.iloc[positions]
    keys = _names_of(chosen)
    codes, uniques = pd.factorize(keys)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    warnings = []
    for code, group in zip(np.unique(codes[order]), np.split(order, bounds), strict=True):
        name = uniques[code]
        rows = index[positions[group]].tolist()
        problem = (
            _(
                "the actor {name!r} is one of ACLED's external/other forces (inter code 8) "
                "and has no type in the actor dictionary, so it is recorded as "
                "'unidentified' ({rows})",
                name=name,
                rows=rows_text(rows),
            )
            if name
            else _(
                "no actor named, ACLED's external/other forces (inter code 8): recorded "
                "as 'unidentified' ({rows})",
                rows=rows_text(rows),
            )
        )
        fix = _to_fix()
        warnings.append(RowWarning(tuple(rows), "perpetrator_type", name or None, problem, fix))
    return warnings  # names in order of their first row (factorize keeps that order)


def _names_of(names: pd.Series) -> np.ndarray:
    """Each name as text, ``""`` for an empty one, computed once per distinct name."""
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    text = np.array([*("" if is_missing(u) else str(u) for u in uniques), ""], dtype=object)
    return text[np.where(codes < 0, len(uniques), codes)]


def _rules_note(dictionary: actors.ActorDictionary, used: Counter, total: int) -> str:
    by_number = {r.number: r for r in dictionary.rules}
    rows = sum(used.values())
    parts = [
        _(
            "rule {number} {pattern} → {code} ({n})",
            number=n,
            pattern=by_number[n].pattern,
            code=by_number[n].perpetrator_type,
            n=c,
        )
        for n, c in used.most_common(6)
    ]
    more = _("; {n} more rule(s)", n=len(used) - 6) if len(used) > 6 else ""
    return _(
        "Perpetrator types: {rows} of {total} row(s) typed by the actor dictionary "
        "({rules}{more}); the others by the source's own code.",
        rows=rows,
        total=total,
        rules="; ".join(parts),
        more=more,
    )


def _fill_empty(frame: pd.DataFrame, dictionary: actors.ActorDictionary) -> Assigned:
    names = frame["perpetrator_name"]
    empty_type = (
        np.ones(len(frame), dtype=bool)
        if "perpetrator_type" not in frame
        else columns.missing(frame["perpetrator_type"])
    )
    if not empty_type.any():  # every row typed by the office: the usual case, and cheap
        return Assigned([], [])
    wanted = empty_type & ~columns.missing(names)
    if not wanted.any():
        return Assigned([], [])
    values = (
        frame["perpetrator_type"].astype(object).to_numpy(copy=True)
        if "perpetrator_type" in frame
        else np.full(len(frame), None, dtype=object)
    )
    groups: dict[tuple[str, int], list[Any]] = {}
    rules: dict[int, actors.Rule] = {}
    numbers = np.full(len(frame), None, dtype=object)
    positions = np.flatnonzero(wanted)
    for position, name in zip(positions, names.to_numpy(dtype=object)[wanted], strict=True):
        kind, rule = dictionary.perpetrator_type(name)
        if kind is None or rule is None:
            continue
        values[position] = kind
        numbers[position] = rule.number
        rules[rule.number] = rule
        groups.setdefault((str(name), rule.number), []).append(frame.index[int(position)])
    if not groups:
        return Assigned([], [])
    frame["perpetrator_type"] = pd.Series(values, index=frame.index, dtype=object)
    warnings = [
        RowWarning(
            rows=tuple(rows),
            column="perpetrator_type",
            value=None,
            problem=_(
                "no perpetrator type given for {name!r}: '{code}' from {rule} ({rows})",
                name=name,
                code=rules[number].perpetrator_type,
                rule=rules[number].describe(),
                rows=rows_text(rows),
            ),
            expected=_(
                "a perpetrator type in the file, when the dictionary's is not the right one"
            ),
        )
        for (name, number), rows in groups.items()
    ]
    filled = sum(len(w.rows) for w in warnings)
    note = _(
        "{n} row(s) gave a perpetrator's name but no type: the actor dictionary "
        "filled it (each is warned in the report).",
        n=filled,
    )
    return Assigned(warnings, [note], pd.Series(numbers, index=frame.index, dtype=object))
