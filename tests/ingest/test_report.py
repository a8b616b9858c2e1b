import csv
import io

import openpyxl
import pandas as pd

from ingest.findings import REPORT_COLUMNS
from ingest.report import ReportHeader, report_csv, report_xlsx

HEADER = ReportHeader(
    file="incidents_kalondo.xlsx",
    layer="incidents",
    office="Bureau de Kalondo",
    profile="custom",
    rows_read=3,
    accepted=1,
    accepted_with_warning=1,
    rejected=1,
    notes=("No motivation given: every incident comes in as unknown, to code.",),
)
LINES = pd.DataFrame(
    [
        [3, "date", '=HYPERLINK("http://x")', "is not a date", "a date", "rejected"],
        [
            4,
            "narrative",
            "Éléments armés à Kalondo",
            "may repeat row 2",
            "",
            "accepted_with_warning",
        ],
    ],
    columns=REPORT_COLUMNS,
)


def test_the_csv_report_carries_the_accounting_and_opens_with_accents() -> None:
    data = report_csv(HEADER, LINES)
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 with a BOM correctly
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["Rows read", "3"] in rows and ["Rejected", "1"] in rows
    problems = rows[rows.index([]) + 1 :]
    assert problems[0][:2] == ["Row", "Column"]
    assert problems[1][2] == '\'=HYPERLINK("http://x")'  # text, never a formula
    assert problems[2][2] == "Éléments armés à Kalondo"


def test_the_excel_report_has_summary_and_problems_and_no_formula() -> None:
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(HEADER, LINES)))
    assert book.sheetnames == ["Summary", "Problems"]
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True)}
    assert summary["Rows read"] == "3" and summary["Field office"] == "Bureau de Kalondo"
    problems = book["Problems"]
    cell = problems.cell(2, 3)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert problems.cell(2, 1).value == 3
    assert problems.cell(3, 3).value == "Éléments armés à Kalondo"
