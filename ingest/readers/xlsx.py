"""Excel workbooks (.xlsx): cached cell values, never formulas, header found under titles.

The zip and every XML part are checked (:mod:`ingest.readers.safety`) before openpyxl opens
the workbook, so entity bombs and zip bombs never reach its XML parser.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import openpyxl
from defusedxml import ElementTree as SafeET

from ingest.readers import _table, safety
from ingest.shown import plain
from languages import _, format_number, ngettext
from schema.upload import IngestError, Limits, RawTable, Upload

_HEADER_SEARCH_ROWS = 20
_HEADER_MAX_CHARS = 80
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_MACROS = "(macros)"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _check_workbook_zip(upload: Upload, limits: Limits) -> dict[str, bytes]:
    """Check the zip and every XML part; returns the parts, read with a size cap."""
    kind = safety.sniff_kind(upload.data)
    if kind == "ole2":
        raise IngestError(
            _(
                "{file} is an old-style Excel file (.xls) under another name; open it in Excel "
                "or LibreOffice and save as .xlsx.",
                file=upload.name,
            )
        )
    if kind != "zip":
        raise safety.refuse_disguised(upload, kind, _("an Excel workbook saved as .xlsx"))
    archive = safety.open_zip(upload, limits)
    names = archive.names()
    if "xl/workbook.xml" not in names:
        raise IngestError(
            _(
                "{file} is a zip but not an Excel workbook (no xl/workbook.xml); send an .xlsx "
                "saved by Excel or LibreOffice.",
                file=upload.name,
            )
        )
    parts = {}
    if "xl/vbaProject.bin" in names:
        # A macro workbook renamed .xlsx: openpyxl never runs or keeps the macros.
        parts[_MACROS] = b""
    for name in names:
        if name.lower().endswith(_XML_SUFFIXES):
            data = archive.read(name)
            safety.check_xml(upload.name, data)
            parts[name] = data
    return parts


@contextmanager
def _workbook(upload: Upload, limits: Limits) -> Iterator[tuple[Any, dict[str, bytes]]]:
    parts = _check_workbook_zip(upload, limits)
    try:
        # data_only: the value Excel saved, never the formula text.
        book = openpyxl.load_workbook(
            io.BytesIO(upload.data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise IngestError(
            _(
                "{file} cannot be opened as an Excel workbook ({error}); open it in Excel or "
                "LibreOffice and save it again as .xlsx.",
                file=upload.name,
                error=f"{type(exc).__name__}: {exc}",
            )
        ) from exc
    try:
        yield book, parts
    finally:
        book.close()


def sheet_names(upload: Upload, limits: Limits) -> list[str]:
    """The workbook's visible sheet names, in order (a person never sees hidden ones)."""
    with _workbook(upload, limits) as (book, _parts):
        return [sheet.title for sheet in book.worksheets if sheet.sheet_state == "visible"]


def _sheet_rows(sheet: Any, upload: Upload, limits: Limits) -> list[tuple[int, list]]:
    """Every row as (row number, values with trailing blanks trimmed).

    Columns and cells are counted as the rows stream in: the ``<dimension>`` a producer
    writes may be wrong either way, so it is neither trusted nor needed.
    """
    sheet.reset_dimensions()  # some producers write a wrong <dimension>; read everything
    rows = []
    nonblank = 0
    cells_kept = 0
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        cells = list(values)
        while cells and _table.is_blank(cells[-1]):
            cells.pop()
        if len(cells) > limits.max_columns:
            raise IngestError(
                _(
                    "{file} (sheet {sheet}): row {row} has {count} columns filled, over the "
                    "limit of {limit}; send at most {limit} columns (split the sheet into "
                    "several files).",
                    file=upload.name,
                    sheet=sheet.title,
                    row=number,
                    count=plain(len(cells)),
                    limit=plain(limits.max_columns),
                )
            )
        cells_kept += len(cells)
        if cells_kept > limits.max_sheet_cells:
            raise IngestError(
                _(
                    "{file} (sheet {sheet}) holds more than {limit} cells (rows x columns) by "
                    "row {row}, over the limit for a workbook; save the sheet as 'CSV UTF-8' "
                    "and send the CSV, or split it.",
                    file=upload.name,
                    sheet=sheet.title,
                    limit=format_number(limits.max_sheet_cells),
                    row=number,
                )
            )
        rows.append((number, cells))
        nonblank += bool(cells)
        if nonblank > limits.max_records + _HEADER_SEARCH_ROWS + 1:
            raise IngestError(
                _(
                    "{file} has more than {limit} records, over the limit; split the sheet.",
                    file=upload.name,
                    limit=limits.max_records,
                )
            )
    return rows


def _has_data(sheet: Any) -> bool:
    for values in sheet.iter_rows(min_row=1, max_row=50, values_only=True):
        if any(not _table.is_blank(v) for v in values):
            return True
    return False


def _looks_like_header(cells: list, following: list) -> bool:
    values = [v for v in cells if not _table.is_blank(v)]
    data_width = sum(not _table.is_blank(v) for v in following)
    strings = [v.strip() for v in values if isinstance(v, str)]
    if len(strings) < 0.8 * len(values) or any(len(s) > _HEADER_MAX_CHARS for s in strings):
        return False
    if len(set(strings)) < 0.8 * len(strings):
        return False
    # A title ("Incidents — Bureau de Kalondo") is one cell above a wider table.
    if len(values) < 2 <= data_width:
        return False
    return len(values) >= 0.5 * data_width


def find_header(rows: list[tuple[int, list]]) -> int:
    """Index in ``rows`` of the header: the first of the first ~20 rows that looks like one.

    A header's non-empty cells are mostly distinct short strings, and data follows it.
    Falls back on the first non-empty row.
    """
    filled = [i for i, (_number, cells) in enumerate(rows) if cells]
    if not filled:
        return -1
    for k, i in enumerate(filled[:_HEADER_SEARCH_ROWS]):
        if k + 1 < len(filled) and _looks_like_header(rows[i][1], rows[filled[k + 1]][1]):
            return i
    return filled[0]


def _uncached_formulas(xml: bytes | None, first_row: int) -> list[str]:
    """Cells with a formula but no saved value (the workbook was never calculated)."""
    if not xml:
        return []
    found = []
    for _event, element in SafeET.iterparse(io.BytesIO(xml), events=("end",)):
        if element.tag != f"{_MAIN_NS}c":
            continue
        formula = element.find(f"{_MAIN_NS}f")
        value = element.find(f"{_MAIN_NS}v")
        if formula is not None and (value is None or not (value.text or "")):
            ref = element.get("r", "")
            digits = "".join(ch for ch in ref if ch.isdigit())
            if not digits or int(digits) > first_row:
                found.append(ref)
        element.clear()
    return found


def _choose_sheet(book: Any, sheet: str | None, upload: Upload) -> Any:
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise IngestError(
                _(
                    "{file} has no sheet “{sheet}”; its sheets are {sheets}.",
                    file=upload.name,
                    sheet=sheet,
                    sheets=", ".join(book.sheetnames),
                )
            )
        return book[sheet]
    for candidate in book.worksheets:
        if candidate.sheet_state == "visible" and _has_data(candidate):
            return candidate
    raise IngestError(
        _("{file} has no visible sheet with data; send a filled workbook.", file=upload.name)
    )


def read_xlsx(upload: Upload, limits: Limits, sheet: str | None = None) -> RawTable:
    """Read one sheet of an .xlsx upload into a :class:`RawTable`.

    Parameters
    ----------
    upload : the file.
    limits : zip, record, column and cell limits.
    sheet : the sheet to read; default the first visible sheet with data.

    Returns
    -------
    RawTable
        Indexed by the sheet's real row numbers; values keep their Python types.
    """
    with _workbook(upload, limits) as (book, parts):
        chosen = _choose_sheet(book, sheet, upload)
        rows = _sheet_rows(chosen, upload, limits)
        xml = parts.get(getattr(chosen, "_worksheet_path", "") or "")
        title = chosen.title
        others = [name for name in book.sheetnames if name != title]
    source = _("{file} (sheet {sheet})", file=upload.name, sheet=title)
    header_index = find_header(rows)
    if header_index < 0:
        raise IngestError(
            _("{source} is empty; send a sheet with a header row and records.", source=source)
        )
    header_row, header_cells = rows[header_index]
    notes = [_("sheet: {sheet}", sheet=title)]
    if _MACROS in parts:
        notes.append(_("the workbook contains macros; they were not run"))
    if others:
        notes.append(_("other sheets not read: {sheets}", sheets=", ".join(others)))
    if header_row > 1:
        notes.append(_("header on row {row}", row=header_row))
    header, header_notes = _table.unique_headers(header_cells)
    notes += header_notes
    body = rows[header_index + 1 :]
    tags = None
    if body and body[0][1]:
        tags = _table.hxl_tags(header, body[0][1])
        if tags is not None:
            body = body[1:]
            notes.append(_("HXL hashtag row on row {row}", row=header_row + 1))
    records_rows = [(n, cells) for n, cells in body if cells]
    last = records_rows[-1][0] if records_rows else 0
    # Blank rows between records are worth a note; the empty tail of a sheet is not.
    blank = sum(1 for n, cells in body if not cells and n < last)
    records, table_notes = _table.build_records(header, records_rows, source=source, limits=limits)
    notes += table_notes
    if blank:
        notes.append(ngettext("{n} blank row(s) skipped", "{n} blank row(s) skipped", blank))
    missing = _uncached_formulas(xml, header_row)
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        notes.append(
            ngettext(
                "{n} formula cell(s) have no saved result and are read as empty ({cells}); "
                "open the file in Excel or LibreOffice and save it to calculate them",
                "{n} formula cell(s) have no saved result and are read as empty ({cells}); "
                "open the file in Excel or LibreOffice and save it to calculate them",
                len(missing),
                cells=shown,
            )
        )
    return RawTable(
        source=source, format="xlsx", records=records, sheet=title, hxl_tags=tags, notes=notes
    )
