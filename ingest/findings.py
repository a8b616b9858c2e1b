"""What the row checks share: the outcomes, the context rows are judged in, the findings.

The checks (:mod:`ingest.checks`) hand a :class:`CheckContext` and a :class:`Findings`
to the geometry checks (:mod:`ingest.geometry`) and the near-duplicate search
(:mod:`ingest.duplicates`), which add their lines to it: all three import this module,
none imports another's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from ingest import values
from languages import N_, Labels, _

ACCEPTED = "accepted"
WARNING = "accepted_with_warning"
REJECTED = "rejected"
OUT_OF_SCOPE = "out_of_scope"
OUTCOMES = (ACCEPTED, WARNING, REJECTED, OUT_OF_SCOPE)
"""Every row read gets exactly one: ``rows read = accepted + accepted_with_warning +
rejected + out_of_scope``. A row *out of scope* is one the source reports but the layer
does not hold (an ACLED protest in the incidents layer): counted, never asked to be fixed."""

OUT_OF_SCOPE_COLUMN = "_out_of_scope"
"""The reserved column a profile marks a row out of scope with: the source's own event type
(``Battles``, ``UCDP type 1 (state-based) without civilian deaths``); empty for a row in
scope. A row marked so skips every other check."""

WHOLE_FILE = "all"
"""The row of a report line about the whole file (a required column missing or unmapped,
the rows out of scope), shown once at the top instead of on every row."""

MISSION_AREA_TOLERANCE_DEG = 0.02
"""Points this close outside the mission area (about 2 km) still count as inside it:
coastlines and borders in admin files are drawn coarsely."""

REPORT_COLUMNS = ["row", "column", "value", "problem", "expected", "outcome"]

OUTCOME_LABELS = Labels(
    {
        ACCEPTED: N_("accepted"),
        WARNING: N_("accepted with warning"),
        REJECTED: N_("rejected"),
        OUT_OF_SCOPE: N_("out of scope"),
        # A corrected file sent again (ingest/updates.py): rows as stored, rows updated.
        "unchanged": N_("unchanged"),
        "updated": N_("updated"),
    }
)
"""How each outcome (an identifier in the report's data) is shown to a person, in the
current language."""


def outcome_label(outcome: Any) -> str:
    """``outcome`` (``accepted_with_warning``) as a person reads it in the current language
    (``accepted with warning``, ``accepté avec avertissement``); anything else as given."""
    if isinstance(outcome, str) and outcome in OUTCOME_LABELS:
        return OUTCOME_LABELS[outcome]
    return outcome


def whole_file_label() -> str:
    """The row of a line about the whole file (:data:`WHOLE_FILE`, ``all``) as shown."""
    return _("all")


@dataclass(frozen=True)
class CheckContext:
    """What the checks compare each row against.

    Parameters
    ----------
    office : the field office sending the file (fills an empty ``field_office``).
    mission_area : where the mission works (admin boundaries' union); ``None`` skips
        the inside-the-mission-area and swapped-coordinates checks.
    date_order : how the office writes ``03/04/2024`` (``values.DATE_ORDERS``).
    today : dates after it are refused as future dates.
    existing_ids : which of the given ids (compared by ``schema.ids.id_key``) are already
        in the store -> the batch holding each, ``None`` for a batch the caller may not
        see (the id is refused without naming it).
    stored_incidents : incidents already stored (date, incident_type, geometry),
        for near-duplicate warnings against the store.
    upload_sha256 : the file's hash, used to make ids for rows that have none.
    then : run on the accepted rows (changing them in place) as soon as they are known, on
        the other core while this one looks for possible duplicates (placing incidents
        from the map: ``ingest.pipeline``).
    """

    office: str
    mission_area: BaseGeometry | None = None
    date_order: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    existing_ids: Callable[[Iterable[str]], Mapping[str, int | None]] | None = None
    stored_incidents: gpd.GeoDataFrame | None = None
    upload_sha256: str = ""
    then: Callable[[Any], None] | None = None


class Findings:
    """Problems found so far, each an error (the row is rejected) or a warning.

    Lines are kept in the order found: single lines as dicts, many rows' warnings at once
    (:meth:`warn_rows`) as columns, so a million rows' lines need not be a million dicts.
    """

    def __init__(self) -> None:
        self._parts: list[list[dict[str, Any]] | dict[str, Any]] = []
        self.rejected: set[Any] = set()
        self.warned: set[Any] = set()

    def extend(self, other: Findings) -> None:
        """``other``'s lines after these, as if they had been found here."""
        self._parts += other._parts
        self.rejected |= other.rejected
        self.warned |= other.warned

    def _add(self, line: dict[str, Any]) -> None:
        last = self._parts[-1] if self._parts else None
        if not isinstance(last, list):
            last = []
            self._parts.append(last)
        last.append(line)

    def error(self, row: Any, column: str, value: Any, problem: str, expected: str) -> None:
        self._add(_line(row, column, value, problem, expected, REJECTED))
        self.rejected.add(row)

    def error_all(self, rows: Any, column: str, value: Any, problem: str, expected: str) -> None:
        """One line about the whole file (row ``all``) that rejects every row of ``rows``:
        a required column missing or unmapped is said once, not on every row."""
        self._add(_line(WHOLE_FILE, column, value, problem, expected, REJECTED))
        self.rejected.update(rows)

    def warn(self, row: Any, column: str, value: Any, problem: str, expected: str = "") -> None:
        self._add(_line(row, column, value, problem, expected, WARNING))
        self.warned.add(row)

    def warn_rows(self, rows: list[Any], column: str, problems: list[str], expected: str) -> None:
        """:meth:`warn` for many rows at once, each with its problem and no value shown."""
        if len(rows) != len(problems):
            raise ValueError(f"{len(rows)} rows but {len(problems)} problems")
        self._parts.append(
            {
                "row": list(rows),
                "column": column,
                "value": None,
                "problem": list(problems),
                "expected": expected,
                "outcome": WARNING,
            }
        )
        self.warned.update(rows)

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Every line as a dict (``REPORT_COLUMNS``), in the order found."""
        lines: list[dict[str, Any]] = []
        for part in self._parts:
            if isinstance(part, list):
                lines += part
            else:
                n = len(part["row"])
                columns = {c: v if isinstance(v, list) else [v] * n for c, v in part.items()}
                lines += [dict(zip(REPORT_COLUMNS, cells, strict=True)) for cells in
                          zip(*(columns[c] for c in REPORT_COLUMNS), strict=True)]  # fmt: skip
        return lines

    def frame(self) -> pd.DataFrame:
        """The lines as a DataFrame, as ``pd.DataFrame(self.lines, columns=REPORT_COLUMNS)``."""
        columns: dict[str, list[Any]] = {c: [] for c in REPORT_COLUMNS}
        for part in self._parts:
            if isinstance(part, list):
                for c in REPORT_COLUMNS:
                    columns[c] += [line[c] for line in part]
            else:
                n = len(part["row"])
                for c in REPORT_COLUMNS:
                    value = part[c]
                    columns[c] += value if isinstance(value, list) else [value] * n
        if not columns["row"]:
            return pd.DataFrame([], columns=REPORT_COLUMNS)
        return pd.DataFrame(columns, columns=REPORT_COLUMNS)


def _line(row: Any, column: str, value: Any, problem: str, expected: str, outcome: str) -> dict:
    shown = None if values.is_missing(value) else values.as_text(value)
    return {
        "row": row,
        "column": column,
        "value": shown,
        "problem": problem,
        "expected": expected,
        "outcome": outcome,
    }
