"""Blank templates a field office fills in and sends: CSV and Excel, one per layer.

``python -m sample_data.templates`` writes ``sample_data/templates/``: for each table
layer a ``<layer>.csv`` (the header row only) and a ``<layer>.xlsx`` with three sheets:
the layer to fill (drop-down lists on coded columns), ``Example`` (two filled rows from
the synthetic sample) and ``Codes`` (every accepted value, with its meaning).
The files are written deterministically, so the test can check they are up to date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from schema.catalogue import LAYER_LABELS, LAYER_SPECS
from schema.fields import Field

OUT_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_LAYERS = (
    "incidents",
    "local_agreements",
    "local_processes",
    "national_milestones",
    "mission_presence",
)
_FIXED_TIME = dt.datetime(2026, 1, 1)  # stamped in the workbook, so output is reproducible
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

_EXAMPLES: dict[str, list[dict[str, str]]] = {
    "incidents": [
        {
            "incident_id": "KAL-2025-0001",
            "date": "2025-03-14",
            "incident_type": "killing",
            "motivation": "revenge",
            "motivation_raw": "représailles après le vol de bétail",
            "motivation_confidence": "probable",
            "perpetrator_type": "community_militia",
            "perpetrator_name": "Milice d'autodéfense (synthetic)",
            "fatalities": "2",
            "injured": "1",
            "abducted": "0",
            "victim_groups": "women;displaced",
            "location_precision": "exact",
            "admin1": "Kalondo",
            "field_office": "Field Office North-West",
            "source": "Human Rights Division",
            "narrative": "[SYNTHETIC] Two herders killed near the corridor.",
            "latitude": "-3.22553",
            "longitude": "1.93869",
        },
        {
            "incident_id": "KAL-2025-0002",
            "date": "2025-03-20",
            "incident_type": "threat",
            "motivation": "extraction",
            "perpetrator_type": "state_forces",
            "fatalities": "0",
            "location_precision": "approximate",
            "field_office": "Field Office North-West",
            "source": "Community alert network",
            "latitude": "-3.1",
            "longitude": "1.95",
        },
    ],
}


def columns(layer: str) -> list[str]:
    """The template's columns: the schema's an office fills in (not those pocmap derives),
    with latitude and longitude for points."""
    spec = LAYER_SPECS[layer]
    names = [f.name for f in spec.fields if not f.derived]
    if spec.geometry_types:
        names += ["latitude", "longitude"]
    return names


def _csv(layer: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(columns(layer))
    return out.getvalue().encode("utf-8-sig")


def _explain(field: Field) -> str:
    words = field.allowed()
    required = "required" if field.required else "optional"
    extra = f" ({field.description})" if field.description else ""
    return f"{required}: {words}{extra}"


def _typed(value: str | None, kind: str) -> object:
    """Example cells as a person types them in Excel: real dates and numbers."""
    if value is None:
        return None
    if kind == "date":
        return dt.datetime.fromisoformat(value)
    if kind == "count":
        return int(value)
    if kind == "number":
        return float(value)
    return value


def _workbook(layer: str) -> Workbook:
    spec = LAYER_SPECS[layer]
    names = columns(layer)
    book = Workbook()
    sheet = book.active
    sheet.title = LAYER_LABELS[layer][:31]
    codes = book.create_sheet("Codes")
    example = book.create_sheet("Example")
    for target in (sheet, example):
        target.append(names)
        for cell in target[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
        for i, name in enumerate(names, start=1):
            target.column_dimensions[get_column_letter(i)].width = max(12, len(name) + 2)
        target.freeze_panes = "A2"
    kinds = {f.name: f.kind for f in spec.fields} | {"latitude": "number", "longitude": "number"}
    for row in _EXAMPLES.get(layer, []):
        example.append([_typed(row.get(name), kinds[name]) for name in names])

    codes.append(["column", "what is accepted", "codes"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    sent = [f for f in spec.fields if not f.derived]
    for position, field in enumerate(sent, start=1):
        codes.append([field.name, _explain(field), ", ".join(field.codes)])
        if field.kind == "code":
            # A drop-down in the column to fill, from the same code list.
            listed = ",".join(field.codes)
            if len(listed) < 250:  # Excel's limit on an inline list
                check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                column = get_column_letter(position)
                check.add(f"{column}2:{column}5000")
                sheet.add_data_validation(check)
    if spec.geometry_types:
        codes.append(["latitude", "required: decimal degrees, south negative (-3.2255)", ""])
        codes.append(["longitude", "required: decimal degrees, west negative (1.9387)", ""])
    codes.column_dimensions["A"].width = 24
    codes.column_dimensions["B"].width = 70
    codes.column_dimensions["C"].width = 70
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.properties.creator = "pocmap"
    return book


def _xlsx(layer: str) -> bytes:
    out = io.BytesIO()
    _workbook(layer).save(out)
    # Zip entries carry the time of writing: rewrite them with one fixed time.
    fixed = io.BytesIO()
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            stamped.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the time of saving, whatever was set.
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                    rb"\g<1>" + _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\2",
                    data,
                )
            dst.writestr(stamped, data)
    return fixed.getvalue()


def templates() -> dict[str, bytes]:
    """Every template file name and its bytes."""
    files: dict[str, bytes] = {}
    for layer in TEMPLATE_LAYERS:
        files[f"{layer}.csv"] = _csv(layer)
        files[f"{layer}.xlsx"] = _xlsx(layer)
    return files


def write(out: Path = OUT_DIR) -> list[Path]:
    """Write every template into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in templates().items():
        (out / name).write_bytes(data)
        paths.append(out / name)
    return paths


if __name__ == "__main__":
    for path in write():
        print(path)
