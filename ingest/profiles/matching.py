"""Which column of a file holds which pocmap field, from the headers people write."""

from __future__ import annotations

from ingest.profiles.vocabulary import word
from schema.fields import LayerSpec
from schema.upload import RawTable

COORDINATES = ("latitude", "longitude")

_FIELD_WORDS: dict[str, tuple[str, ...]] = {
    # field -> headers in matching form (see vocabulary.word), English then French.
    "incident_id": ("id", "incident id", "event id", "reference", "ref", "n incident",
                    "no incident", "numero", "numero incident", "numero d incident",
                    "identifiant", "code incident"),
    "date": ("date", "incident date", "date of incident", "event date", "date incident",
             "date de l incident", "date evenement", "date de l evenement", "jour",
             "date des faits"),
    "incident_type": ("incident type", "type", "type of incident", "event type", "violation",
                      "type d incident", "type incident", "type de violation", "categorie"),
    "motivation": ("motivation", "motive", "mobile", "motif", "motivation presumee",
                   "mobile presume"),
    "motivation_confidence": ("confidence", "motivation confidence", "confiance",
                              "niveau de confiance", "certitude"),
    "perpetrator_type": ("perpetrator type", "type of perpetrator", "type d auteur",
                         "type auteur", "type de l auteur", "categorie d auteur"),
    "perpetrator_name": ("perpetrator", "perpetrator name", "actor", "alleged perpetrator",
                         "auteur", "auteur presume", "auteurs presumes", "auteur s presume s",
                         "nom de l auteur", "acteur"),
    "fatalities": ("fatalities", "deaths", "killed", "dead", "number killed", "morts",
                   "nombre de morts", "deces", "nombre de deces", "tues", "nombre de tues"),
    "injured": ("injured", "wounded", "number injured", "blesses", "nombre de blesses"),
    "abducted": ("abducted", "kidnapped", "enleves", "nombre d enleves", "personnes enlevees"),
    "victim_groups": ("victim groups", "victims", "groupes de victimes", "victimes",
                      "groupe de victimes", "profil des victimes"),
    "location_precision": ("location precision", "precision", "geo precision",
                           "precision geographique", "precision de la localisation"),
    "admin1": ("admin1", "adm1", "region", "province", "prefecture", "state", "etat"),
    "admin2": ("admin2", "adm2", "district", "departement", "territoire", "cercle",
               "sous prefecture", "county", "commune"),
    "field_office": ("field office", "office", "bureau", "bureau de terrain", "antenne"),
    "source": ("source", "sources", "source of information", "source d information"),
    "narrative": ("narrative", "description", "notes", "details", "summary", "resume",
                  "recit", "commentaire", "commentaires", "faits"),
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
}  # fmt: skip


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
    """Best guesses ``{field: column}`` from headers in English or French.

    A column is used once; an exact field name wins over a synonym.
    """
    columns = [c for c in table.records.columns if c != "geometry"]
    words = {c: header_word(c) for c in columns}
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for exact_only in (True, False):
        for field in wanted_fields(table, spec):
            if field in mapping:
                continue
            accepted = {word(field)} if exact_only else set(_FIELD_WORDS.get(field, ()))
            for column in columns:
                if column not in taken and words[column] in accepted:
                    mapping[field] = str(column)
                    taken.add(column)
                    break
    return mapping
