"""CSV and tab-separated text, as field offices export it from Excel and LibreOffice.

Encodings met in practice: UTF-8 (with or without BOM), Windows "ANSI" (cp1252, with
French accents, curly quotes and €) and Excel's "Unicode text" (UTF-16, tab-separated).
Delimiters: ``,``; ``;`` (French locale, numbers written ``4,35``); tab.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from itertools import islice

import numpy as np
import pandas as pd
import pyarrow as pa

from ingest.readers import _table, csv_shape, safety
from ingest.readers.csv_arrow import ArrowCells, arrow_cells
from languages import _, format_number, ngettext
from schema.upload import IngestError, Limits, RawTable, Upload

_CANDIDATES = (",", ";", "\t")
_DELIMITER_NAMES = {",": ",", ";": ";", "\t": "tab"}
_SNIFF_CHARS = 64 * 1024
_SNIFF_ROWS = 50
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+(?:[ .\u00a0\u202f]\d{3})*,\d+\s*$")
_DECIMAL_SCAN_ROWS = 2000
_UTF8_STARTS = {"utf-8": 0, "utf-8 (with BOM)": 3}
"""Where the text starts in a file :func:`decode` read as UTF-8."""


def decode(upload: Upload) -> tuple[str, str]:
    """The text of a CSV upload and the encoding it was read with.

    UTF-8 is tried first because it is self-checking: cp1252 text with accents is almost
    never valid UTF-8, so a failure means a Windows "ANSI" export.
    """
    data = upload.data
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8 (with BOM)"
        except UnicodeDecodeError:
            data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise IngestError(
                _(
                    "{file} starts like UTF-16 text but cannot be decoded ({error}); save it "
                    "again as 'CSV UTF-8'.",
                    file=upload.name,
                    error=exc,
                )
            ) from exc
    if b"\x00" in data:
        raise IngestError(
            _(
                "{file} contains binary data (NUL bytes), not text; send a CSV saved as "
                "'CSV UTF-8' or the .xlsx itself.",
                file=upload.name,
            )
        )
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # Latin-1 maps every byte: the few bytes cp1252 leaves undefined still come through.
    return data.decode("latin-1"), "latin-1"


def _rows(text: str, delimiter: str) -> Iterator[list[str]]:
    # newline="" lets the csv module keep newlines inside quoted fields as data.
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)


def sniff_delimiter(text: str, *, prefer_tab: bool = False) -> str:
    """The delimiter that splits the header into most columns, consistently down the rows.

    ``csv.Sniffer`` guesses wrongly on short files and on ``;`` files with decimal commas,
    so each candidate is scored by parsing the first rows with it.
    """
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > _SNIFF_CHARS
    order = ("\t", ",", ";") if prefer_tab else _CANDIDATES
    best, best_score = order[0], (False, -1.0, 0)
    for delimiter in order:
        try:
            rows = [r for r in islice(_rows(sample, delimiter), _SNIFF_ROWS) if any(r)]
        except csv.Error:
            continue
        if truncated and len(rows) > 1:
            rows = rows[:-1]  # the last row of a cut sample may be partial
        if not rows:
            continue
        header = len(rows[0])
        consistency = sum(len(r) == header for r in rows) / len(rows)
        score = (header > 1, consistency, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _trim_unused_trailing_header(header: list[str], rows: list[tuple[int, list]]) -> list[str]:
    """Drop empty header cells at the end whose column is empty in every row (stray delimiters)."""
    while header and not header[-1].strip():
        position = len(header) - 1
        if any(len(cells) > position and cells[position] for _number, cells in rows):
            break
        header = header[:-1]
    return header


def read_csv(upload: Upload, limits: Limits) -> RawTable:
    """Read a CSV/TSV upload into a :class:`RawTable` of text cells.

    Parameters
    ----------
    upload : the file.
    limits : ``max_line_bytes`` and ``max_columns`` are checked on the bytes before any
        parser runs (:mod:`.csv_shape`); ``max_records`` while reading.

    Returns
    -------
    RawTable
        Indexed by the row number a spreadsheet shows (header = row 1); every column is
        pandas' ``str`` dtype, an empty cell missing (``NaN``); ``notes`` record the
        encoding and the delimiter.
    """
    kind = safety.sniff_kind(upload.data)
    if kind not in ("text", "utf16", "json"):
        raise safety.refuse_disguised(upload, kind, _("a CSV or tab-separated text file"))
    data, start, encoding, text = _utf8_head(upload)
    if text is None:  # not plain UTF-8 (or only spaces up front): decoded whole, as ever
        text, encoding = decode(upload)
        data, start = upload.data, _UTF8_STARTS.get(encoding, 0)
        if encoding not in _UTF8_STARTS:
            data = text.encode("utf-8")
    if text.lstrip().startswith("<"):  # a BOM'd or UTF-16 XML document (VRT, HTML, KML)
        raise safety.refuse_disguised(upload, "xml", _("a CSV or tab-separated text file"))
    delimiter = sniff_delimiter(text, prefer_tab=upload.extension == ".tsv")
    shown = _("utf-8 (with BOM)") if encoding == "utf-8 (with BOM)" else encoding
    named = _("tab") if delimiter == "\t" else _DELIMITER_NAMES[delimiter]
    notes = [_("encoding: {encoding}", encoding=shown), _("delimiter: {name}", name=named)]
    del text
    # The shape first, on the bytes: a line of millions of cells never reaches a parser.
    line_feeds = csv_shape.check_shape(data, start, delimiter, upload.name, limits)
    # Arrow's C parser splits the cells when it gives exactly what the csv module gives.
    cells = None if b"\x00" in data else arrow_cells(data, start, delimiter, line_feeds)
    if cells is None:
        return _read_with_csv_module(upload, limits, delimiter, notes)
    return _from_arrow(upload, limits, delimiter, notes, cells)


def _utf8_head(upload: Upload) -> tuple[bytes, int, str, str | None]:
    """For a UTF-8 file, what :func:`decode` would say without decoding it all.

    Returns ``(data, start, encoding, head)``: the bytes, where the text starts (after a
    byte-order mark), the encoding's name, and the text's first characters (enough to
    sniff the delimiter); ``head`` is None when :func:`decode` must decide.
    """
    data = upload.data
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or not _is_utf8(data, start):
        return data, start, "", None
    if not start and b"\x00" in data:
        return data, start, "", None  # decode refuses it, naming the NUL bytes
    wanted = start + 4 * (_SNIFF_CHARS + 1)  # at most 4 bytes a character
    head = codecs.getincrementaldecoder("utf-8")().decode(
        data[start:wanted], final=wanted >= len(data)
    )
    if wanted < len(data) and not head.strip():
        return data, start, "", None  # only spaces so far: is it XML further on?
    return data, start, "utf-8 (with BOM)" if start else "utf-8", head


def _is_utf8(data: bytes, start: int) -> bool:
    """Whether ``data[start:]`` is valid UTF-8 (the rules Python's decoder follows), checked
    in C without building the text."""
    text = pa.py_buffer(data).slice(start)
    offsets = pa.py_buffer(np.array([0, text.size], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, text]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _read_with_csv_module(
    upload: Upload, limits: Limits, delimiter: str, notes: list[str]
) -> RawTable:
    text, _encoding = decode(upload)
    header_raw: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list]] = []
    blank = 0
    cells_kept = 0
    try:
        for number, cells in enumerate(_rows(text, delimiter), start=1):
            if not any(c.strip() for c in cells):
                blank += header_raw is not None
                continue
            if header_raw is None:
                header_raw, header_row = cells, number
                continue
            rows.append((number, cells))
            if len(rows) > limits.max_records + 1:  # +1: an HXL row may be among them
                raise _too_many(upload, limits)
            # Each cell here is a Python string (about 60 bytes): their number is bounded.
            cells_kept += len(cells)
            if cells_kept > limits.max_csv_cells:
                raise IngestError(
                    _(
                        "{file} holds more than {limit} cells by row {row}, over the limit for "
                        "a CSV whose rows differ in length or whose cells span lines; split "
                        "the file, or remove the line breaks inside cells.",
                        file=upload.name,
                        limit=format_number(limits.max_csv_cells),
                        row=number,
                    )
                )
    except csv.Error as exc:
        raise IngestError(
            _(
                "{file} cannot be read as CSV ({error}); a quote may be left open. Check the "
                "file in a spreadsheet and save it again as 'CSV UTF-8'.",
                file=upload.name,
                error=exc,
            )
        ) from exc
    if header_raw is None:
        raise IngestError(
            _("{file} is empty; send a CSV with a header row and records.", file=upload.name)
        )
    if header_row > 1:
        notes.append(_("header on row {row}", row=header_row))

    header_raw = _trim_unused_trailing_header(header_raw, rows)
    header, header_notes = _table.unique_headers(header_raw)
    notes += header_notes
    tags = None
    if rows and rows[0][0] == header_row + 1:
        tags = _table.hxl_tags(header, rows[0][1])
        if tags is not None:
            rows = rows[1:]
            notes.append(_("HXL hashtag row on row {row}", row=header_row + 1))
    cleaned = [(n, [c if c != "" else None for c in cells]) for n, cells in rows]
    records, table_notes = _table.build_records(header, cleaned, source=upload.name, limits=limits)
    notes += table_notes
    if blank:
        notes.append(ngettext("{n} blank row(s) skipped", "{n} blank row(s) skipped", blank))
    decimal_comma = delimiter != "," and _has_decimal_comma(
        cells for _number, cells in islice(cleaned, _DECIMAL_SCAN_ROWS)
    )
    return _raw_table(upload, records.astype("str"), tags, decimal_comma, notes)


def _from_arrow(
    upload: Upload, limits: Limits, delimiter: str, notes: list[str], cells: ArrowCells
) -> RawTable:
    """The same table as :func:`_read_with_csv_module`, from cells Arrow split."""
    rows, numbers = cells.rows, cells.numbers
    if len(numbers) > limits.max_records + 1:
        raise _too_many(upload, limits)
    if cells.header_row > 1:
        notes.append(_("header on row {row}", row=cells.header_row))
    header_raw = cells.header_raw
    while header_raw and not header_raw[-1].strip():
        if rows.column(len(header_raw) - 1).null_count < len(rows):
            break
        header_raw = header_raw[:-1]
    header, header_notes = _table.unique_headers(header_raw)
    notes += header_notes
    tags = None
    if len(numbers) and numbers[0] == cells.header_row + 1:
        first = ["" if v is None else v for v in rows.slice(0, 1).to_pylist()[0].values()]
        tags = _table.hxl_tags(header, first)
        if tags is not None:
            rows, numbers = rows.slice(1), numbers[1:]
            notes.append(_("HXL hashtag row on row {row}", row=cells.header_row + 1))
    if len(numbers) > limits.max_records:
        raise IngestError(
            _(
                "{source} has {count} records, over the limit of {limit}; split the file.",
                source=upload.name,
                count=len(numbers),
                limit=limits.max_records,
            )
        )
    # Every row is as wide as the header row; columns past the header are empty throughout.
    index = pd.Index(numbers if len(numbers) else [], name="row")  # as build_records
    records = pd.DataFrame(
        {
            name: pd.Series(pd.array(rows.column(i), dtype="str"), index=index)
            for i, name in enumerate(header)
        },
        index=index,
    )
    if cells.blank:
        notes.append(ngettext("{n} blank row(s) skipped", "{n} blank row(s) skipped", cells.blank))
    decimal_comma = delimiter != "," and _has_decimal_comma(
        record.values() for record in rows.slice(0, _DECIMAL_SCAN_ROWS).to_pylist()
    )
    return _raw_table(upload, records, tags, decimal_comma, notes)


def _too_many(upload: Upload, limits: Limits) -> IngestError:
    return IngestError(
        _(
            "{file} has more than {limit} records, over the limit; split the file.",
            file=upload.name,
            limit=limits.max_records,
        )
    )


def _has_decimal_comma(rows: Iterable[Iterable[str | None]]) -> bool:
    return any(
        isinstance(value, str) and _DECIMAL_COMMA.match(value) for cells in rows for value in cells
    )


def _raw_table(
    upload: Upload,
    records: pd.DataFrame,
    tags: dict[str, str] | None,
    decimal_comma: bool,
    notes: list[str],
) -> RawTable:
    if decimal_comma:
        notes.append(_("numbers use a decimal comma (4,35)"))
    return RawTable(
        source=upload.name,
        format="csv",
        records=records,
        hxl_tags=tags,
        decimal_comma=decimal_comma,
        notes=notes,
    )
