"""Column-mapping profiles: which column of a file holds which field of a layer.

``detect`` recognises the layout (pocmap's own columns, an ACLED or UCDP GED export, OCHA
COD-AB boundaries, a KoboToolbox/ODK export, an HXL-tagged sheet); ``apply`` maps the
file's columns to the layer's fields, turns words into codes (English and French) and
keeps the motivation as written. A mapping given by hand overrides the profile's, column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ingest import coordinates, office_words
from ingest.actors import ActorDictionary
from ingest.profiles import actors, cod_ab, events, forms, secondary
from ingest.profiles.actors import RowWarning
from ingest.profiles.matching import suggest_mapping as _suggest
from ingest.profiles.matching import suggest_mapping_explained, wanted_fields, word
from ingest.profiles.vocabulary import apply_vocabulary, quoted
from languages import N_, Labels, _
from schema import arrow_strings
from schema.catalogue import LAYER_SPECS
from schema.upload import RawTable

PROFILES = ("native", "acled", "ucdp", "cod_ab", "kobo", "hxl", "custom")
PROFILE_LABELS = Labels(
    {
        "auto": N_("Detect automatically"),
        "native": N_("pocmap columns"),
        "acled": N_("ACLED export"),
        "ucdp": N_("UCDP GED"),
        "cod_ab": N_("OCHA COD-AB boundaries"),
        "kobo": N_("KoboToolbox / ODK export"),
        "hxl": N_("HXL-tagged sheet"),
        "custom": N_("My own columns (map them below)"),
    }
)
"""Each profile's name for people, in the current language at each lookup."""
INCIDENTS_ONLY = ("acled", "ucdp")
BOUNDARIES_ONLY = ("cod_ab",)
_OPTIONAL_FOR_NATIVE = {"motivation", "location_precision", "source", "field_office"}
"""Fields the checks can fill for a whole file (said in a note), so a file lacking them is
still recognised as pocmap's own layout."""


@dataclass
class Mapped:
    """A file's columns mapped to a layer's fields.

    Attributes
    ----------
    mapping : field -> the column(s) it came from, to show and edit.
    frame : indexed like the file's records: the layer's fields (values as written
        except known words turned into codes), raw ``latitude``/``longitude`` for points
        from a table, ``geometry`` from a spatial file, ``motivation_raw``.
    unmapped : the file's columns no field uses (kept in each row's source record).
    parents : COD-AB admin2 files: admin1 P-code -> name of the admin1 areas their rows
        name, to dissolve from them when neither the file nor the store holds them.
    warnings : warnings the mapping itself gives rows (the actor dictionary's), for the
        checks to report.
    """

    layer: str
    profile: str
    mapping: dict[str, str]
    frame: pd.DataFrame
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parents: dict[str, str] = field(default_factory=dict)
    warnings: list[RowWarning] = field(default_factory=list)
    actor_rules: pd.Series | None = None
    """Each row's actor dictionary rule number where a rule gave its perpetrator type."""
    choices: list[office_words.Choice] = field(default_factory=list)
    """Words of the file that mean different codes to different offices, not chosen yet
    by this one: ask once, then :func:`ingest.office_words.with_translations`."""


def suggest_mapping(table: RawTable, layer: str) -> dict[str, str]:
    """Best-guess ``{field: column}`` from the headers, in English or French."""
    return _suggest(table, LAYER_SPECS[_check_layer(layer)])


def _check_layer(layer: str) -> str:
    if layer not in LAYER_SPECS:
        raise ValueError(f"`layer` was {layer!r} but is expected to be in {tuple(LAYER_SPECS)}")
    return layer


def detect_details(table: RawTable, layer: str) -> tuple[str, str]:
    """The profile that fits ``table`` for ``layer``, and why, in words."""
    spec = LAYER_SPECS[_check_layer(layer)]
    names = set(events.columns_by_name(table.records))
    if layer == "incidents":
        if events.ACLED_CORE <= names:
            return "acled", events.acled_generation(names)
        if events.UCDP_CORE - {"latitude", "longitude"} <= names:
            return "ucdp", _("UCDP GED export: has type_of_violence, best, date_start, side_a")
    if forms.is_kobo(table.records):
        return "kobo", _("KoboToolbox/ODK export: has _uuid, _submission_time or _geolocation")
    if table.hxl_tags:
        return "hxl", _("HXL hashtags under the header ({n} tagged columns)", n=len(table.hxl_tags))
    exact = {word(str(c)) for c in table.records.columns}
    native = {"admin_id", "name", "level"} <= exact
    if layer == "admin_boundaries" and not native and cod_ab.is_cod_ab(table.records.columns):
        found = cod_ab.columns(table.records.columns)
        assert found is not None  # is_cod_ab
        return "cod_ab", cod_ab.describe(found)
    required = {f.name for f in spec.fields if f.required} - _OPTIONAL_FOR_NATIVE
    if "Point" in spec.geometry_types and not table.has_geometry:
        required |= {"latitude", "longitude"}
    missing = sorted(r for r in required if word(r) not in exact)
    if not missing:
        return "native", _("the columns are pocmap's own")
    return "custom", _(
        "not a known layout (no column named {columns}): map it", columns=", ".join(missing[:4])
    )


def detect(table: RawTable, layer: str) -> str:
    """The profile name that fits ``table`` for ``layer`` (``custom`` when none does)."""
    return detect_details(table, layer)[0]


def apply(
    table: RawTable,
    layer: str,
    profile: str = "auto",
    mapping: dict[str, str] | None = None,
    *,
    actor_dictionary: ActorDictionary | None = None,
) -> Mapped:
    """Map ``table``'s columns to ``layer``'s fields with ``profile`` and hand overrides.

    Raises
    ------
    ValueError
        naming the profile, field or column that is not known.
    """
    spec = LAYER_SPECS[_check_layer(layer)]
    if profile == "auto":
        profile = detect(table, layer)
    if profile not in PROFILES:
        raise ValueError(f"`profile` was {profile!r} but is expected to be in {PROFILES}")
    if profile in INCIDENTS_ONLY and layer != "incidents":
        raise ValueError(f"`profile` {profile!r} reads incidents only, not {layer!r}")
    if profile in BOUNDARIES_ONLY and layer != "admin_boundaries":
        raise ValueError(f"`profile` {profile!r} reads admin_boundaries only, not {layer!r}")
    records = table.records
    fields = wanted_fields(table, spec)
    # The office's own words for codes travel in its mapping (ingest.office_words).
    words = office_words.translations(mapping)
    office_words.checked(words, spec)
    overrides = _checked(office_words.columns_only(mapping or {}), fields, records)
    notes: list[str] = []
    parents: dict[str, str] = {}
    if profile == "cod_ab":
        shown, frame, notes, parents = cod_ab.read(records, table.source)
    elif profile in INCIDENTS_ONLY:
        reader = events.acled if profile == "acled" else events.ucdp
        shown, frame, notes = reader(records)
    else:
        shown, by_values = suggest_mapping_explained(table, spec)
        # A hand mapping of the field makes the note about its values moot.
        notes = [*notes, *(n for f, n in by_values.items() if f not in overrides)]
        if profile == "hxl" and table.hxl_tags:
            shown |= forms.hxl(table.hxl_tags, fields)
        frame = pd.DataFrame({f: records[c] for f, c in shown.items()}, index=records.index)
        if profile == "kobo":
            # Kobo's own "_id", "_index"... are not the form's answers: the profile picks.
            shown = {f: c for f, c in shown.items() if not str(c).startswith("_")}
            frame = frame[list(shown)]
            added, derived, notes = forms.kobo(records, {**shown, **overrides})
            shown |= added
            for name, column in added.items():
                frame[name] = derived[name] if name in derived else records[column]
    for name, column in overrides.items():
        if column is None:  # mapped by hand to nothing: the file has no such column
            frame = frame.drop(columns=[name], errors="ignore")
            shown.pop(name, None)
        else:
            frame[name] = records[column]
            shown[name] = column
    assigned = actors.Assigned([], [])
    if layer == "incidents":
        # The actor dictionary (``actor_dictionary``, default the mission's settings).
        type_given = profile not in INCIDENTS_ONLY or "perpetrator_type" in overrides
        assigned = actors.assign(
            profile, records, frame, shown, type_given=type_given, dictionary=actor_dictionary
        )
        notes = [*notes, *assigned.notes]
    # Cells as read: a CSV's text columns stay Arrow strings, anything else is objects.
    frame = frame.astype({c: object for c in frame.columns if not arrow_strings.is_text(frame[c])})
    if table.has_geometry:
        frame["geometry"] = records["geometry"]
    office_words.apply_translations(frame, spec, words)
    apply_vocabulary(frame, spec, kobo=profile == "kobo")
    if not table.has_geometry:
        notes += coordinates.read_written(frame)
    choices = office_words.choices_needed(frame, spec)
    warnings = [*assigned.warnings, *(_asked(choice) for choice in choices)]
    warnings += secondary.keep_secondary(frame, spec)
    used = set(shown.values())
    unmapped = [str(c) for c in records.columns if c != "geometry" and str(c) not in used]
    if unmapped and profile in ("native", "custom", "hxl"):
        # Said once for the file, not on each row: nothing is lost, but a column the
        # mapping missed is worth a look.
        notes.append(
            _(
                "Columns not mapped to any field (kept in each row as sent): {columns}. "
                "If one holds a field, map it by hand.",
                columns=", ".join(quoted(c) for c in unmapped),
            )
        )
    shown |= {k: v for k, v in (mapping or {}).items() if office_words.is_translation(k)}
    return Mapped(
        layer,
        profile,
        shown,
        frame,
        unmapped,
        notes,
        parents,
        warnings=warnings,
        actor_rules=assigned.rules,
        choices=choices,
    )


def _asked(choice: office_words.Choice) -> RowWarning:
    """The warning on the rows of a word the office has not chosen a code for."""
    return RowWarning(
        choice.rows,
        choice.field,
        choice.value,
        _(
            "means different codes ({codes}) to different offices: not read until your "
            "office chooses once which it means; the choice is kept with the column mapping "
            "for the next files ({rows})",
            codes=", ".join(choice.codes),
            rows=actors.rows_text(list(choice.rows)),
        ),
        _("one of {codes}, chosen once for the office", codes=", ".join(choice.codes)),
    )


def _checked(mapping: dict[str, str], fields: list[str], records: pd.DataFrame) -> dict:
    """Hand overrides checked against the layer and the file; ``""`` means not mapped."""
    columns: dict[str, object] = {str(c): c for c in records.columns}
    columns[""] = None
    for name, column in mapping.items():
        if name not in fields:
            raise ValueError(
                _(
                    "mapping field “{name}” is not a field of this layer; its fields are {fields}",
                    name=name,
                    fields=", ".join(fields),
                )
            )
        if column not in columns:
            shown = ", ".join(c for c in columns if c)
            raise ValueError(
                _(
                    "mapping column “{column}” (for {name}) is not in the file; "
                    "its columns are {columns}",
                    column=column,
                    name=name,
                    columns=shown,
                )
            )
    return {name: columns[column] for name, column in mapping.items()}
