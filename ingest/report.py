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

from ingest.findings import REPORT_COLUMNS, WHOLE_FILE, outcome_label, whole_file_label
from languages import N_, Labels, _, format_number

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPORT_HEADINGS = Labels(
    {
        "row": N_("Row"),
        "column": N_("Column"),
        "value": N_("Value"),
        "problem": N_("Problem"),
        "expected": N_("What would be accepted"),
        "outcome": N_("Outcome"),
    }
)
"""Each report column's heading in the current language (the columns' names,
:data:`~ingest.findings.REPORT_COLUMNS`, are identifiers and stay as they are)."""

NOT_IMPORTED = N_("not imported")
"""The batch of a report previewed, not committed (shown in the current language)."""


def header_labels() -> dict[str, str]:
    """``{report column: its heading in the current language}``, in report order."""
    return {column: REPORT_HEADINGS[column] for column in REPORT_COLUMNS}


def shown_lines(report: pd.DataFrame) -> pd.DataFrame:
    """The report as a person reads it in the current language: the headings of
    :func:`header_labels`, each outcome's label, and the whole file's row named so."""
    shown = report[REPORT_COLUMNS].copy()
    shown["outcome"] = shown["outcome"].map(outcome_label)
    if len(shown):
        whole = shown["row"].astype(object) == WHOLE_FILE
        if whole.any():
            shown["row"] = shown["row"].astype(object)
            shown.loc[whole, "row"] = whole_file_label()
    return shown.rename(columns=header_labels())


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
    batch: str = NOT_IMPORTED
    out_of_scope: int = 0
    unchanged: int = 0
    """Rows of a file sent again that are the same as stored (counted, not stored again):
    then ``rows_read`` also counts them."""
    updated: int = 0
    """Rows of a file sent again that update stored rows (among the accepted)."""

    def lines(self) -> list[tuple[str, str]]:
        """The accounting as (label, value) lines, in the current language."""
        batch = _(NOT_IMPORTED) if self.batch == NOT_IMPORTED else self.batch
        lines = [
            (_("File"), self.file),
            (_("Layer"), self.layer),
            (_("Field office"), self.office),
            (_("Column profile"), self.profile),
            (_("Batch"), batch),
            (_("Rows read"), format_number(self.rows_read)),
            (_("Accepted"), format_number(self.accepted)),
            (_("Accepted with a warning"), format_number(self.accepted_with_warning)),
            (_("Out of scope (counted, not imported)"), format_number(self.out_of_scope)),
            (_("Rejected"), format_number(self.rejected)),
        ]
        if self.unchanged or self.updated:
            lines += [
                (_("Unchanged (the same as stored, skipped)"), format_number(self.unchanged)),
                (_("Updated (new versions of stored rows, among the accepted)"),
                 format_number(self.updated)),
            ]  # fmt: skip
        return lines + [(_("Note"), note) for note in self.notes]


def _safe(value: object) -> object:
    """A cell that a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def report_csv(header: ReportHeader, report: pd.DataFrame) -> bytes:
    """The report as CSV: the accounting, a blank line, then the problems (UTF-8 with a
    byte-order mark, so Excel shows accents right), headings and outcomes in the current
    language."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for label, value in header.lines():
        writer.writerow([label, _safe(value)])
    writer.writerow([])
    shown = shown_lines(report)
    writer.writerow(list(shown.columns))
    for row in shown.itertuples(index=False, name=None):
        writer.writerow(["" if pd.isna(v) else _safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def report_xlsx(header: ReportHeader, report: pd.DataFrame) -> bytes:
    """The report as an Excel workbook: a Summary sheet and a Problems sheet (named,
    headed and filled in the current language)."""
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    for label, value in header.lines():
        summary.append([label, None])
        _text_cell(summary.cell(summary.max_row, 2), value)
        summary.cell(summary.max_row, 1).font = Font(bold=True)
    summary.column_dimensions["A"].width = 26
    summary.column_dimensions["B"].width = 80

    problems = book.create_sheet(_("Problems"))
    shown = shown_lines(report)
    problems.append(list(shown.columns))
    for cell in problems[1]:
        cell.font = Font(bold=True)
    for row in shown.itertuples(index=False, name=None):
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
