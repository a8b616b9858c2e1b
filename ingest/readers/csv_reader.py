"""CSV and tab-separated text, as field offices export it from Excel and LibreOffice.

Encodings met in practice: UTF-8 (with or without BOM), Windows "ANSI" (cp1252, with
French accents, curly quotes and €) and Excel's "Unicode text" (UTF-16, tab-separated).
Delimiters: ``,``; ``;`` (French locale, numbers written ``4,35``); tab.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import islice

from ingest.readers import _table, safety
from ingest.source import IngestError, Limits, RawTable, Upload

_CANDIDATES = (",", ";", "\t")
_DELIMITER_NAMES = {",": ",", ";": ";", "\t": "tab"}
_SNIFF_CHARS = 64 * 1024
_SNIFF_ROWS = 50
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+(?:[ .\u00a0\u202f]\d{3})*,\d+\s*$")
_DECIMAL_SCAN_ROWS = 2000


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
                f"{upload.name} starts like UTF-16 text but cannot be decoded ({exc}); save it "
                f"again as 'CSV UTF-8'."
            ) from exc
    if b"\x00" in data:
        raise IngestError(
            f"{upload.name} contains binary data (NUL bytes), not text; send a CSV saved as "
            f"'CSV UTF-8' or the .xlsx itself."
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
        if any(len(cells) > position and cells[position] for _, cells in rows):
            break
        header = header[:-1]
    return header


def read_csv(upload: Upload, limits: Limits) -> RawTable:
    """Read a CSV/TSV upload into a :class:`RawTable` of ``str``/``None`` values.

    Parameters
    ----------
    upload : the file.
    limits : ``max_records`` is enforced while reading.

    Returns
    -------
    RawTable
        Indexed by the row number a spreadsheet shows (header = row 1); ``notes`` record
        the encoding and the delimiter.
    """
    kind = safety.sniff_kind(upload.data)
    if kind not in ("text", "utf16", "json"):
        raise safety.refuse_disguised(upload, kind, "a CSV or tab-separated text file")
    text, encoding = decode(upload)
    if text.lstrip().startswith("<"):  # a BOM'd or UTF-16 XML document (VRT, HTML, KML)
        raise safety.refuse_disguised(upload, "xml", "a CSV or tab-separated text file")
    delimiter = sniff_delimiter(text, prefer_tab=upload.extension == ".tsv")
    notes = [f"encoding: {encoding}", f"delimiter: {_DELIMITER_NAMES[delimiter]}"]

    header_raw: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list]] = []
    blank = 0
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
                raise IngestError(
                    f"{upload.name} has more than {limits.max_records} records, over the "
                    f"limit; split the file."
                )
    except csv.Error as exc:
        raise IngestError(
            f"{upload.name} cannot be read as CSV ({exc}); a quote may be left open. Check "
            f"the file in a spreadsheet and save it again as 'CSV UTF-8'."
        ) from exc
    if header_raw is None:
        raise IngestError(f"{upload.name} is empty; send a CSV with a header row and records.")
    if header_row > 1:
        notes.append(f"header on row {header_row}")

    header_raw = _trim_unused_trailing_header(header_raw, rows)
    header, header_notes = _table.unique_headers(header_raw)
    notes += header_notes
    tags = None
    if rows and rows[0][0] == header_row + 1:
        tags = _table.hxl_tags(header, rows[0][1])
        if tags is not None:
            rows = rows[1:]
            notes.append(f"HXL hashtag row on row {header_row + 1}")
    cleaned = [(n, [c if c != "" else None for c in cells]) for n, cells in rows]
    records, table_notes = _table.build_records(header, cleaned, source=upload.name, limits=limits)
    notes += table_notes
    if blank:
        notes.append(f"{blank} blank row(s) skipped")
    decimal_comma = delimiter != "," and any(
        isinstance(value, str) and _DECIMAL_COMMA.match(value)
        for _, cells in islice(cleaned, _DECIMAL_SCAN_ROWS)
        for value in cells
    )
    if decimal_comma:
        notes.append("numbers use a decimal comma (4,35)")
    return RawTable(
        source=upload.name,
        format="csv",
        records=records,
        hxl_tags=tags,
        decimal_comma=decimal_comma,
        notes=notes,
    )
