"""The validation report as files a field office can open, fix from, and send again.

Both formats carry the accounting (rows read = accepted + accepted with a warning + out
of scope + rejected) and one line per problem, lines about the whole file first. Cells
that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) are written
as text, so a hostile value in an upload cannot execute on the office's computer when
they open the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from ingest.findings import REPORT_COLUMNS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPORT_HEADINGS = {
    "row": "Row",
    "column": "Column",
    "value": "Value",
    "problem": "Problem",
    "expected": "What would be accepted",
    "outcome": "Outcome",
}


@dataclass(frozen=True)
class ReportHeader:
    """Which upload a report is about, and its accounting
    (``rows_read == accepted + accepted_with_warning + out_of_scope + rejected``)."""

    file: str
    layer: str
    office: str
    profile: str
    rows_read: int
    accepted: int
    accepted_with_warning: int
    rejected: int
    notes: Sequence[str] = ()
    batch: str = "not imported"
    out_of_scope: int = 0

    def lines(self) -> list[tuple[str, str]]:
        lines = [
            ("File", self.file),
            ("Layer", self.layer),
            ("Field office", self.office),
            ("Column profile", self.profile),
            ("Batch", self.batch),
            ("Rows read", str(self.rows_read)),
            ("Accepted", str(self.accepted)),
            ("Accepted with a warning", str(self.accepted_with_warning)),
            ("Out of scope (counted, not imported)", str(self.out_of_scope)),
            ("Rejected", str(self.rejected)),
        ]
        return lines + [("Note", note) for note in self.notes]


def _safe(value: object) -> object:
    """A cell that a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def report_csv(header: ReportHeader, report: pd.DataFrame) -> bytes:
    """The report as CSV: the accounting, a blank line, then the problems (UTF-8 with a
    byte-order mark, so Excel shows accents right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for label, value in header.lines():
        writer.writerow([label, _safe(value)])
    writer.writerow([])
    writer.writerow([REPORT_HEADINGS[c] for c in REPORT_COLUMNS])
    for row in report[REPORT_COLUMNS].itertuples(index=False, name=None):
        writer.writerow(["" if pd.isna(v) else _safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def report_xlsx(header: ReportHeader, report: pd.DataFrame) -> bytes:
    """The report as an Excel workbook: a Summary sheet and a Problems sheet."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    for label, value in header.lines():
        summary.append([label, None])
        _text_cell(summary.cell(summary.max_row, 2), value)
        summary.cell(summary.max_row, 1).font = Font(bold=True)
    summary.column_dimensions["A"].width = 26
    summary.column_dimensions["B"].width = 80

    problems = book.create_sheet("Problems")
    problems.append([REPORT_HEADINGS[c] for c in REPORT_COLUMNS])
    for cell in problems[1]:
        cell.font = Font(bold=True)
    for row in report[REPORT_COLUMNS].itertuples(index=False, name=None):
        problems.append([None] * len(REPORT_COLUMNS))
        for position, value in enumerate(row, start=1):
            cell = problems.cell(problems.max_row, position)
            if isinstance(value, int) and not isinstance(value, bool):
                cell.value = value
            elif not pd.isna(value):
                _text_cell(cell, str(value))
    for letter, width in zip("ABCDEF", (8, 22, 30, 60, 50, 22), strict=True):
        problems.column_dimensions[letter].width = width
    problems.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(cell, value: str) -> None:
    # openpyxl turns a string starting with "=" into a formula; force it to stay text.
    cell.value = value
    cell.data_type = "s"
