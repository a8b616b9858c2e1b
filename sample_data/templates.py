"""Blank templates a field office fills in and sends: CSV and Excel, one per layer, in
every language pocmap speaks.

``python -m sample_data.templates`` writes ``sample_data/templates/``: for each table
layer a ``<layer>.csv`` (the header row only) and a ``<layer>.xlsx`` with three sheets:
the layer to fill (drop-down lists on coded columns), ``Example`` (two filled rows from
the synthetic sample) and ``Codes`` (every accepted value, with its meaning).

The English templates (in ``templates/``) use the columns' names and the codes, as
pocmap's own files do. Each other language's (``templates/fr/``...) speaks it: the
headers are the columns' labels (``Type d'incident``), the drop-downs and the example
list the codes' labels (``Meurtre``), the sheets and the Codes sheet are in the
language, and its CSV is separated by ``;`` as Excel writes it there. Imports read such
headers and values in every language (:func:`schema.fields.header_words`,
:func:`schema.fields.code_words`). The files are written deterministically, so the test
can check they are up to date.
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

from languages import ENGLISH, N_, _, available, current, use
from schema.catalogue import LAYER_LABELS, LAYER_SPECS
from schema.fields import LIST_SEPARATOR, Field

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


_EXAMPLE_TEXT: dict[str, dict[str, dict[str, str]]] = {
    # The example's free text as an office writing in the language would write it (data,
    # not messages: place and office names stay as they are).
    "fr": {
        "KAL-2025-0001": {
            "perpetrator_name": "Milice d'autodéfense (synthétique)",
            "field_office": "Bureau de terrain Nord-Ouest",
            "source": "Division des droits de l'homme",
            "narrative": "[SYNTHÉTIQUE] Deux éleveurs tués près du couloir.",
        },
        "KAL-2025-0002": {
            "field_office": "Bureau de terrain Nord-Ouest",
            "source": "Réseau d'alerte communautaire",
        },
    },
}

_COORDINATES = {"latitude": N_("Latitude"), "longitude": N_("Longitude")}


def columns(layer: str) -> list[str]:
    """The template's columns: the schema's an office fills in (not those pocmap derives),
    with latitude and longitude for points."""
    spec = LAYER_SPECS[layer]
    names = [f.name for f in spec.fields if not f.derived]
    if spec.geometry_types:
        names += ["latitude", "longitude"]
    return names


def headers(layer: str) -> list[str]:
    """The template's header row in the current language: the columns' names in English
    (pocmap's own files), their labels in any other language ("Type d'incident")."""
    if _english():
        return columns(layer)
    spec = LAYER_SPECS[layer]
    return [
        _(_COORDINATES[name]) if name in _COORDINATES else spec.field(name).title
        for name in columns(layer)
    ]


def _english() -> bool:
    return current() == ENGLISH


def _csv(layer: str) -> bytes:
    out = io.StringIO()
    # Excel writes (and opens) a CSV with ";" wherever the decimal mark is a comma.
    delimiter = "," if _english() else ";"
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerow(headers(layer))
    return out.getvalue().encode("utf-8-sig")


def _explain(field: Field) -> str:
    words = field.allowed()
    if field.description and field.required:
        return _("required: {allowed} ({description})", allowed=words, description=field.help)
    if field.description:
        return _("optional: {allowed} ({description})", allowed=words, description=field.help)
    if field.required:
        return _("required: {allowed}", allowed=words)
    return _("optional: {allowed}", allowed=words)


def _shown(field: Field | None, value: str | None) -> str | None:
    """An example cell as an office writes it in the current language: codes as their
    labels outside English."""
    if value is None or field is None or _english() or field.kind not in ("code", "codes"):
        return value
    if field.kind == "code":
        return field.code_label(value)
    return LIST_SEPARATOR.join(field.code_label(code) for code in value.split(LIST_SEPARATOR))


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
    shown = headers(layer)
    english = _english()
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(LAYER_LABELS[layer])
    codes = book.create_sheet(_sheet_title(_("Codes")))
    example = book.create_sheet(_sheet_title(_("Example")))
    # Outside English the drop-downs list labels, too long for Excel's inline lists: they
    # come from a hidden sheet, one column per coded column.
    lists = None if english else book.create_sheet(_sheet_title(_("Lists")))
    for target in (sheet, example):
        target.append(shown)
        for cell in target[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
        for i, name in enumerate(shown, start=1):
            target.column_dimensions[get_column_letter(i)].width = max(12, len(name) + 2)
        target.freeze_panes = "A2"
    kinds = {f.name: f.kind for f in spec.fields} | {"latitude": "number", "longitude": "number"}
    fields = {f.name: f for f in spec.fields}
    for row in _EXAMPLES.get(layer, []):
        text = row | _EXAMPLE_TEXT.get(current(), {}).get(row.get("incident_id", ""), {})
        example.append(
            [_typed(_shown(fields.get(name), text.get(name)), kinds[name]) for name in names]
        )

    codes.append([_("column"), _("what is accepted"), _("codes")])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    sent = [f for f in spec.fields if not f.derived]
    for position, field in enumerate(sent, start=1):
        if english:
            codes.append([field.name, _explain(field), ", ".join(field.codes)])
        else:
            codes.append([field.title, _explain(field), field.listed_codes()])
        if field.kind != "code":
            continue
        column = get_column_letter(position)
        if lists is None:
            # A drop-down in the column to fill, from the same code list.
            listed = ",".join(field.codes)
            if len(listed) < 250:  # Excel's limit on an inline list
                check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                check.add(f"{column}2:{column}5000")
                sheet.add_data_validation(check)
            continue
        for i, code in enumerate(field.codes, start=1):
            lists[f"{column}{i}"] = field.code_label(code)
        source = f"{_quoted(lists.title)}!${column}$1:${column}${len(field.codes)}"
        check = DataValidation(type="list", formula1=source, allow_blank=True)
        check.add(f"{column}2:{column}5000")
        sheet.add_data_validation(check)
    if lists is not None:
        lists.sheet_state = "hidden"
    if spec.geometry_types:
        latitude, longitude = (
            ("latitude", "longitude") if english else (_("Latitude"), _("Longitude"))
        )
        codes.append([latitude, _("required: decimal degrees, south negative (-3.2255)"), ""])
        codes.append([longitude, _("required: decimal degrees, west negative (1.9387)"), ""])
    codes.column_dimensions["A"].width = 24
    codes.column_dimensions["B"].width = 70
    codes.column_dimensions["C"].width = 70
    book.properties.created = _FIXED_TIME
    book.properties.modified = _FIXED_TIME
    book.properties.creator = "pocmap"
    return book


def _sheet_title(text: str) -> str:
    """``text`` as Excel allows a sheet's name: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", text)[:31]


def _quoted(title: str) -> str:
    """A sheet's name as a formula refers to it."""
    return "'" + title.replace("'", "''") + "'"


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


def folder(language: str) -> str:
    """Where a language's templates are, under :data:`OUT_DIR`: English at the top, each
    other language in its own folder (``fr/``)."""
    return "" if language == ENGLISH else f"{language}/"


def templates() -> dict[str, bytes]:
    """Every template file name (``incidents.xlsx``, ``fr/incidents.xlsx``) and its bytes,
    in every language pocmap speaks."""
    files: dict[str, bytes] = {}
    for language in available():
        with use(language):
            for layer in TEMPLATE_LAYERS:
                files[f"{folder(language)}{layer}.csv"] = _csv(layer)
                files[f"{folder(language)}{layer}.xlsx"] = _xlsx(layer)
    return files


def write(out: Path = OUT_DIR) -> list[Path]:
    """Write every template into ``out``."""
    paths = []
    for name, data in templates().items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
        paths.append(out / name)
    return paths


if __name__ == "__main__":
    for path in write():
        print(path)
