"""Which column of a file holds which pocmap field, from the headers people write and
from the values under them (a column of "FDS / groupe armé / milice" holds perpetrator
types, whatever its header says)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ingest.profiles.vocabulary import lookup, to_code, to_codes, word
from ingest.values import is_missing
from languages import _, translated_everywhere
from schema.fields import LayerSpec
from schema.upload import RawTable

COORDINATES = ("latitude", "longitude")

_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    # field -> headers in matching form (see vocabulary.word), English then French.
    "incident_id": ("id", "incident id", "event id", "reference", "ref", "n incident",
                    "no incident", "numero", "numero incident", "numero d incident",
                    "identifiant", "code incident", "n fiche", "n de fiche", "no fiche",
                    "no de fiche", "numero de fiche", "numero fiche", "fiche", "ref fiche",
                    "reference fiche", "n de la fiche", "office reference"),
    "date": ("date", "incident date", "date of incident", "event date", "date incident",
             "date de l incident", "date evenement", "date de l evenement", "jour",
             "date des faits"),
    "incident_type": ("incident type", "type", "type of incident", "event type", "violation",
                      "type d incident", "type incident", "type de violation", "categorie"),
    "motivation": ("motivation", "motive", "mobile", "motif", "motivation presumee",
                   "mobile presume"),
    "motivation_confidence": ("confidence", "motivation confidence", "confiance",
                              "niveau de confiance", "certitude", "niveau de certitude",
                              "degre de certitude", "certitude de la motivation"),
    "perpetrator_type": ("perpetrator type", "type of perpetrator", "type d auteur",
                         "type auteur", "type de l auteur", "categorie d auteur",
                         "type d auteurs", "categorie auteur", "categorie de l auteur"),
    "perpetrator_name": ("perpetrator", "perpetrator name", "actor", "alleged perpetrator",
                         "auteur", "auteur presume", "auteurs presumes", "auteur s presume s",
                         "nom de l auteur", "acteur", "nom auteur", "auteurs",
                         "nom de l auteur presume", "nom du groupe"),
    "fatalities": ("fatalities", "deaths", "killed", "dead", "number killed", "morts",
                   "nombre de morts", "deces", "nombre de deces", "tues", "nombre de tues"),
    "injured": ("injured", "wounded", "number injured", "blesses", "nombre de blesses"),
    "abducted": ("abducted", "kidnapped", "enleves", "nombre d enleves", "personnes enlevees"),
    "victim_groups": ("victim groups", "victims", "groupes de victimes", "victimes",
                      "groupe de victimes", "profil des victimes",
                      "categorie de victimes", "type de victimes", "victimes ciblees"),
    "location_precision": ("location precision", "precision", "geo precision",
                           "precision geographique", "precision de la localisation"),
    "admin1": ("admin1", "adm1", "region", "province", "prefecture", "state", "etat"),
    "admin2": ("admin2", "adm2", "district", "departement", "territoire", "cercle",
               "sous prefecture", "county", "commune"),
    "field_office": ("field office", "office", "bureau", "bureau de terrain", "antenne"),
    "source": ("source", "sources", "source of information", "source d information"),
    # The source's own event type, kept as written (evidence for motivation suggestions).
    # "event type" alone goes to incident_type first (it is tried earlier); a second such
    # column ("sub event type", or "event type" beside an incident type) comes here.
    "event_type_raw": ("event type", "sub event type", "event subtype", "event type as written",
                       "type d evenement", "type evenement", "type de l evenement",
                       "sous type d evenement", "sous type", "type d evenement d origine"),
    "narrative": ("narrative", "description", "notes", "details", "summary", "resume",
                  "recit", "commentaire", "commentaires", "faits",
                  "description des faits", "resume des faits", "recit des faits",
                  "narratif"),
    "latitude": ("latitude", "lat", "y", "gps latitude", "coord y", "coordonnee y"),
    "longitude": ("longitude", "lon", "long", "lng", "x", "gps longitude", "coord x",
                  "coordonnee x"),
    "name": ("name", "nom", "intitule", "titre"),
    "title": ("title", "titre", "intitule"),
    "status": ("status", "statut", "etat", "situation"),
    "kind": ("kind", "nature", "type"),
    "parties": ("parties", "signataires", "signatories"),
    "date_signed": ("date signed", "signed", "date de signature", "signe le"),
    "date_ended": ("date ended", "end date", "date de fin", "date de rupture"),
    "start_date": ("start date", "started", "date de debut", "debut"),
    "end_date": ("end date", "date de fin", "fin"),
    "agreement_type": ("agreement type", "type d accord", "type de l accord", "type"),
    "process_type": ("process type", "type de processus", "type"),
    "mission_role": ("mission role", "role de la mission", "role mission", "role"),
    "description": ("description", "details", "resume"),
    "agreement_id": ("id", "reference", "ref", "n accord", "numero d accord", "identifiant",
                     "id accord", "code accord"),
    "process_id": ("processus", "id processus", "identifiant du processus", "n processus"),
    "milestone_id": ("id", "reference", "ref", "n jalon", "identifiant"),
    "presence_id": ("id", "reference", "ref", "identifiant"),
    "poc_language": ("poc language", "langage poc", "langage pdc", "clause poc",
                     "dispositions poc", "protection des civils", "langage de protection"),
    "sgbv_provisions": ("sgbv provisions", "dispositions vbg", "vbg",
                        "dispositions sur les violences sexuelles", "violences sexuelles"),
    "freedom_of_movement": ("freedom of movement", "liberte de circulation",
                            "libre circulation", "liberte de mouvement"),
    "groups_protected": ("groups protected", "groupes proteges", "groupes vulnerables"),
    "opened": ("opened", "ouverture", "date d ouverture", "ouvert le"),
    "closed": ("closed", "fermeture", "date de fermeture", "ferme le"),
    "date_precision": ("date precision", "precision de la date", "precision date"),
    "motivation_raw": ("motivation as written", "motivation telle qu ecrite",
                       "motivation d origine", "motif d origine"),
    "fatalities_low": ("fatalities low", "morts estimation basse", "morts minimum",
                       "estimation basse", "nombre minimum de morts"),
    "fatalities_high": ("fatalities high", "morts estimation haute", "morts maximum",
                        "estimation haute", "nombre maximum de morts"),
    "linked_to_national": ("linked to national", "lie au processus national",
                           "lien avec le processus national", "lien national"),
    "admin_id": ("p code", "pcode", "code", "code admin", "code administratif"),
    "level": ("niveau", "niveau administratif", "admin level"),
    "parent_id": ("parent", "code parent", "p code parent", "pcode parent"),
}  # fmt: skip


def _label_words(spec: LayerSpec, field: str) -> set[str]:
    """The field's label in every language pocmap speaks, in matching form: the headers of
    a template in any language ("Identifiant (n° de fiche)")."""
    if field not in spec.columns:
        return set()
    label = spec.field(field).label
    return {word(text) for text in {label, *translated_everywhere(label).values()}}


def header_word(column: object) -> str:
    """A header in matching form, without a Kobo/ODK group prefix (``grp/date`` -> ``date``)."""
    text = str(column)
    for separator in ("/", ":"):
        text = text.rsplit(separator, 1)[-1]
    return word(text)


def wanted_fields(table: RawTable, spec: LayerSpec) -> list[str]:
    """The layer's fields, plus latitude and longitude for points read from a table."""
    names = [f.name for f in spec.fields]
    if "Point" in spec.geometry_types and not table.has_geometry:
        names += list(COORDINATES)
    return names


def suggest_mapping(table: RawTable, spec: LayerSpec) -> dict[str, str]:
    """Best guesses ``{field: column}`` from headers in English or French, and from the
    values of the columns (:func:`suggest_mapping_explained`)."""
    return suggest_mapping_explained(table, spec)[0]


_VALUES_SAMPLE = 2000
"""Rows whose values are read to tell what a column holds (a million-row file's first
rows tell as much as all of them)."""
_MOSTLY = 0.6
"""The share of a column's values that must be one field's codes for a column no header
claimed to be taken as that field."""
_ALMOST_ALL = 0.8
"""The share needed to take a column from the field its header gave it: a column of
actor names holds some words that are types too (FACA, Anti-Balaka)."""


def suggest_mapping_explained(
    table: RawTable, spec: LayerSpec
) -> tuple[dict[str, str], dict[str, str]]:
    """``({field: column}, {field: note})``: the columns mapped, and a note for each field
    whose column was found by its values rather than its header.

    A column is used once. An exact field name wins; then the headers people write
    (English or French, accents, case and punctuation aside); then the values: a coded
    field with no column, or a header-matched column whose values are not its codes,
    takes the column whose values are mostly that field's codes (at least two different
    ones, or a column no header claimed), and the field that column had looks again.
    """
    columns = [c for c in table.records.columns if c != "geometry"]
    words = {c: header_word(c) for c in columns}
    fields = wanted_fields(table, spec)
    mapping: dict[str, Any] = {}
    exact: set[str] = set()

    def by_header(field: str, exact_only: bool) -> None:
        accepted = (
            {word(field)}
            if exact_only
            else set(_FIELD_WORDS.get(field, ())) | _label_words(spec, field)
        )
        taken = set(mapping.values())
        for column in columns:
            if column not in taken and words[column] in accepted:
                mapping[field] = column
                if exact_only:
                    exact.add(field)
                return

    for exact_only in (True, False):
        for field in fields:
            if field not in mapping:
                by_header(field, exact_only)
    notes: dict[str, str] = {}
    shares = _code_shares(table, spec, [c for c in columns if c not in mapping.values()
                                        or _field_of(mapping, c) not in exact])  # fmt: skip
    for field in [f for f in fields if f in shares]:
        held = mapping.get(field)
        if field in exact or (held is not None and shares[field].get(held, (0.0, 0))[0] >= 0.5):
            continue
        best = _best_column(field, shares, mapping, exact)
        if best is None:
            continue
        previous = _field_of(mapping, best)
        if previous is not None:
            del mapping[previous]
        if held is not None:
            del mapping[field]
        mapping[field] = best
        notes[field] = _(
            "Column “{column}” holds {field} values (such as {examples}): mapped to "
            "{field} by its values, whatever its header says",
            column=best,
            field=field,
            examples=", ".join(shares[field][best][2][:3]),
        )
        if previous is not None:
            by_header(previous, False)  # "Auteur" was the name: "Nom de l'auteur" is
    return {f: str(c) for f, c in mapping.items()}, notes


def _field_of(mapping: dict[str, Any], column: Any) -> str | None:
    return next((f for f, c in mapping.items() if c == column), None)


def _best_column(
    field: str,
    shares: dict[str, dict[Any, tuple[float, int, list[str]]]],
    mapping: dict[str, Any],
    exact: set[str],
) -> Any:
    """The column whose values are most ``field``'s codes, if it holds this field's codes
    more than any other's and no exact header claims it."""
    found = None
    for column, (share, distinct, _examples) in shares[field].items():
        owner = _field_of(mapping, column)
        needed = _MOSTLY if owner is None else _ALMOST_ALL
        if owner in exact or share < needed or (distinct < 2 and owner is not None):
            continue
        if owner is not None and shares.get(owner, {}).get(column, (0.0,))[0] >= 0.5:
            continue  # its header and its values agree on another field
        rivals = [s[column][0] for f, s in shares.items() if f != field and column in s]
        if any(r >= share for r in rivals):
            continue  # "inconnu" is a motivation and a perpetrator type: the header decides
        if found is None or share > shares[field][found][0]:
            found = column
    return found


def _code_shares(
    table: RawTable, spec: LayerSpec, columns: list[Any]
) -> dict[str, dict[Any, tuple[float, int, list[str]]]]:
    """Per coded field, per column: the share of the column's first rows whose value is
    one of the field's codes as people write them, how many different codes, and a few
    values as written."""
    coded = [f for f in spec.fields if f.kind in ("code", "codes") and not f.derived]
    samples: dict[Any, pd.Series] = {}
    for column in columns:
        cells = table.records[column].head(_VALUES_SAMPLE)
        present = [v for v in cells.tolist() if not is_missing(v) and isinstance(v, str)]
        if present:
            samples[column] = pd.Series(present, dtype=object)
    shares: dict[str, dict[Any, tuple[float, int, list[str]]]] = {}
    for spec_field in coded:
        table_of = lookup(spec_field.name, spec_field.codes)
        for column, values in samples.items():
            distinct = values.value_counts()
            read = {
                v: to_code(v, table_of) if spec_field.kind == "code" else to_codes(v, table_of)
                for v in distinct.index
            }
            known = {
                v: c
                for v, c in read.items()
                if isinstance(c, str) and all(p in spec_field.codes for p in c.split(";"))
            }
            share = float(distinct[list(known)].sum() / distinct.sum()) if known else 0.0
            if share:
                examples = [str(v) for v in distinct.index if v in known]
                shares.setdefault(spec_field.name, {})[column] = (
                    share,
                    len(set(known.values())),
                    examples,
                )
    return shares
