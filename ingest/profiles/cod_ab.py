"""OCHA COD-AB administrative boundaries, read as pocmap's admin boundaries.

The Common Operational Datasets of administrative boundaries (COD-AB, on HDX) come in two
generations of column names: the old ``admin1Name``, ``admin1Pcod``, ``admin2Name``,
``admin2Pcod`` (``admin1RefN``, ``admin0Pcod``...; shapefiles cut names at ten letters)
and the newer ``ADM1_FR``, ``ADM1_EN``, ``ADM1_PCODE``, ``ADM2_PCODE`` (``ADM1_REF``,
``ADM1ALT1FR``...), in any case. P-codes are kept as the areas' ids; an admin2 area's
parent is its admin1 P-code.

The name shown is chosen the same way for every mission, whatever language the app is
shown in: French first, then English, then a name without language (``admin1Name``,
``ADM1_NAME``), then any other language in alphabetical order; a row without the first is
named by the next. Every other name stays in the row's source record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ingest.values import is_missing
from languages import _
from schema.upload import IngestError

_PCODE = re.compile(r"^adm(?:in)?([0-9])_?(?:pcode|pcod|pc)$")
_NAME = re.compile(r"^adm(?:in)?([0-9])(?:_?name)?(?:_([a-z]{2}))?$")
_LANGUAGE_ORDER = ("fr", "en", "")
KEPT_LEVELS = (1, 2)
"""The levels pocmap keeps (``schema.admin_boundaries.ADMIN_LEVELS``)."""


@dataclass(frozen=True)
class Columns:
    """Where a COD-AB file keeps each level's P-code and names.

    Attributes
    ----------
    pcodes : level -> the column of its P-codes.
    names : level -> its name columns, in the order a name is chosen.
    """

    pcodes: dict[int, str]
    names: dict[int, list[str]]

    @property
    def deepest(self) -> int:
        return max(self.pcodes)


def columns(headers: Iterable[object]) -> Columns | None:
    """The COD-AB columns among ``headers``, or ``None`` when there is no level's P-code."""
    pcodes: dict[int, str] = {}
    named: dict[int, list[tuple[int, str, str]]] = {}
    for header in headers:
        text = str(header).strip()
        lower = text.lower()
        if match := _PCODE.match(lower):
            pcodes.setdefault(int(match.group(1)), text)
        elif match := _NAME.match(lower):
            language = match.group(2) or ""
            rank = (
                _LANGUAGE_ORDER.index(language)
                if language in _LANGUAGE_ORDER
                else len(_LANGUAGE_ORDER)
            )
            named.setdefault(int(match.group(1)), []).append((rank, language, text))
    if not pcodes:
        return None
    names = {level: [c for _, _, c in sorted(found)] for level, found in named.items()}
    return Columns(pcodes, names)


def is_cod_ab(headers: Iterable[object]) -> bool:
    """Whether ``headers`` are a COD-AB file's: an admin1 or admin2 P-code column."""
    found = columns(headers)
    return found is not None and any(level in found.pcodes for level in KEPT_LEVELS)


def describe(found: Columns) -> str:
    """Why the file was recognised, in words."""
    levels = [level for level in KEPT_LEVELS if level in found.pcodes]
    parts = [
        _(
            "admin{level} P-codes in {pcodes}, names in {names}",
            level=level,
            pcodes=found.pcodes[level],
            names=found.names[level][0],
        )
        if found.names.get(level)
        else _("admin{level} P-codes in {pcodes}", level=level, pcodes=found.pcodes[level])
        for level in levels
    ]
    return _("OCHA COD-AB boundaries: {parts}", parts="; ".join(parts))


def _first_present(records: pd.DataFrame, names: list[str]) -> pd.Series:
    """Row by row, the first of ``names`` that has a value."""
    chosen = pd.Series(None, index=records.index, dtype=object)
    for name in names:
        values = records[name].map(lambda v: None if is_missing(v) else str(v).strip() or None)
        chosen = chosen.where(chosen.notna(), values)
    return chosen


def _codes(records: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series(None, index=records.index, dtype=object)
    return records[column].map(lambda v: None if is_missing(v) else str(v).strip() or None)


def read(
    records: pd.DataFrame, source: str
) -> tuple[dict[str, str], pd.DataFrame, list[str], dict[str, str]]:
    """A COD-AB file's columns as admin boundaries.

    Parameters
    ----------
    records : the file's records (one layer, or an admin1 and an admin2 layer one after
        the other).
    source : the file's name, for messages.

    Returns
    -------
    mapping shown, values (``admin_id``, ``name``, ``level``, ``parent_id``), notes, and
    the admin1 areas the admin2 rows name: P-code -> name (to dissolve when the file
    does not hold them).

    Raises
    ------
    IngestError
        when the file holds only the country outline (admin0) or areas below admin2.
    """
    found = columns(records.columns)
    if found is None or not any(level in found.pcodes for level in KEPT_LEVELS):
        pcode = next(iter(found.pcodes.values()), "") if found else ""
        what = (
            _("only admin0 (the country outline, {pcode})", pcode=pcode)
            if pcode
            else _("no P-code column")
        )
        raise IngestError(
            _(
                "{source} has {what}; pocmap keeps admin1 and admin2 areas: send the COD-AB "
                "adm1 or adm2 file (columns ADM1_PCODE/admin1Pcod or ADM2_PCODE/admin2Pcod).",
                source=source,
                what=what,
            )
        )
    if found.deepest > max(KEPT_LEVELS):
        raise IngestError(
            _(
                "{source} holds admin{level} areas (column {column}); pocmap keeps admin1 and "
                "admin2 areas: send the COD-AB adm2 file (and the adm1 file) of the same "
                "release.",
                source=source,
                level=found.deepest,
                column=found.pcodes[found.deepest],
            )
        )
    one, two = found.pcodes.get(1), found.pcodes.get(2)
    code1, code2 = _codes(records, one), _codes(records, two)
    name1 = _first_present(records, found.names.get(1, []))
    name2 = _first_present(records, found.names.get(2, []))
    second = _second_level(records, two is not None)
    frame = pd.DataFrame(index=records.index)
    frame["admin_id"] = code2.where(second, code1)
    frame["name"] = name2.where(second, name1)
    frame["level"] = pd.Series("1", index=records.index, dtype=object).where(~second, "2")
    frame["parent_id"] = code1.where(second, None)
    # Both levels' columns when the rows are of both (an admin1 and an admin2 layer).
    levels = (2, 1) if records.attrs.get(LAYERS_ATTR) else (2,) if two else (1,)
    mapping = {
        "admin_id": " / ".join(found.pcodes[level] for level in levels),
        "name": " / ".join(found.names[level][0] for level in levels if found.names.get(level)),
        "level": _level_shown(records, one, two),
    }
    if two and one:
        mapping["parent_id"] = one
    notes = [
        _(
            "Names: French first, then English, then a name without language, then any other "
            "(the same rule for every mission); every other name stays in each row's source "
            "record."
        ),
    ]
    parents: dict[str, str] = {}
    if two and one:
        for code, name in zip(code1[second], name1[second], strict=True):
            if code is not None and (code not in parents or not parents[code]):
                parents[code] = name or ""
    return {k: v for k, v in mapping.items() if v}, frame, notes, parents


def _level_shown(records: pd.DataFrame, one: str | None, two: str | None) -> str:
    layers = records.attrs.get(LAYERS_ATTR)
    if layers:
        return "; ".join(
            _("{level} (layer {layer})", level=level, layer=layer)
            for level, layer, *_rest in layers
        )
    if two:
        return _("2 (admin2 areas: {column})", column=two)
    return _("1 (admin1 areas: {column})", column=one)


LAYERS_ATTR = "cod_ab_layers"
"""``records.attrs`` key of a table read from several layers: ``((level, layer, first
row, last row), ...)``, so each row's level is its layer's, never guessed from blanks."""


def _second_level(records: pd.DataFrame, has_admin2: bool) -> pd.Series:
    """Which rows are admin2 areas: every row of an admin2 file (one without its
    P-code is then refused for it, not taken for an admin1 area), or the rows of the
    admin2 layer of a table read from several layers."""
    layers = records.attrs.get(LAYERS_ATTR)
    if not layers:
        return pd.Series(has_admin2, index=records.index)
    second = pd.Series(False, index=records.index)
    for level, _layer, first, last in layers:
        if level == 2:
            second[(records.index >= first) & (records.index <= last)] = True
    return second


_LAYER_LEVEL = re.compile(r"(?:^|[^a-z0-9])adm(?:in)?_?([0-9])(?:[^0-9]|$)")
_NOT_AREAS = re.compile(r"admbnd[lpt]|line|point|label|centroid")


def choose_layers(layers: list[str]) -> tuple[dict[int, str], list[str]]:
    """The admin1 and admin2 polygon layers of an HDX-style GeoPackage, and the rest.

    HDX names its COD-AB layers ``caf_admbnda_adm1_...`` (areas), ``caf_admbndl_...``
    (lines), ``caf_admbndp_...`` (points); a level is chosen only when exactly one areas
    layer has it.

    Returns
    -------
    level -> layer for the levels found (empty when none can be told apart), and the
    layers left.
    """
    candidates: dict[int, list[str]] = {}
    for layer in layers:
        lower = layer.lower()
        match = _LAYER_LEVEL.search(lower)
        if match and not _NOT_AREAS.search(lower) and int(match.group(1)) in KEPT_LEVELS:
            candidates.setdefault(int(match.group(1)), []).append(layer)
    chosen = {level: names[0] for level, names in candidates.items() if len(names) == 1}
    left = [layer for layer in layers if layer not in chosen.values()]
    return dict(sorted(chosen.items())), left
