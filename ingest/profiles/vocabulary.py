"""Codes as people write them, in English and French, mapped to pocmap's codes.

Matching ignores case, accents, spaces, underscores and punctuation, so ``Prédation``,
``prédation!`` and ``PREDATION`` are one word. A value with no known meaning stays as
written, so the row checks reject it and say which codes would be accepted.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pandas as pd

from ingest import columns
from ingest.values import is_missing, plain
from languages import _, translated_everywhere
from schema import arrow_strings
from schema import incidents as incidents_layer
from schema.fields import LIST_SEPARATOR, LayerSpec

_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    # field -> code -> words (already in plain form: lower case, no accents)
    "motivation": {
        "predation": ("predatory", "vol", "theft", "banditry", "banditisme", "pillage",
                      "looting for gain", "gain economique", "economic gain", "opportuniste"),
        "extraction": ("extortion", "extorsion", "racket", "racketeering", "taxation illegale",
                       "illegal taxation", "illegal levy", "levy", "checkpoint extortion",
                       "prelevement illegal", "controle des mines", "exploitation"),
        "revenge": ("vengeance", "retaliation", "represailles", "reprisal", "reprisals",
                    "vendetta", "riposte", "cycle de represailles"),
        "collateral": ("collateral harm", "collateral damage", "collateral", "collateraux",
                       "dommages collateraux", "dommage collateral", "degats collateraux",
                       "crossfire", "tirs croises"),
        "political": ("politique", "electoral", "electorale", "intimidation politique"),
        "punitive": ("punitif", "punitive", "punition", "chatiment", "punishment",
                     "collective punishment", "punition collective"),
        "unknown": ("inconnu", "inconnue", "non determine", "non determinee", "a determiner",
                    "unknown", "not known", "not yet assessed", "nd", "n a", "na", "tbd"),
    },
    "motivation_confidence": {
        "confirmed": ("confirme", "confirmee", "certain", "verified", "verifie"),
        "probable": ("likely", "probablement"),
        "possible": ("unverified", "non verifie", "possiblement", "alleged", "allegue"),
    },
    "perpetrator_type": {
        "state_forces": ("fds", "forces de defense et de securite", "armee", "army", "police",
                         "gendarmerie", "military", "militaires", "forces armees", "faca",
                         "state forces", "government forces", "forces gouvernementales"),
        "non_state_armed_group": ("groupe arme", "groupes armes", "armed group", "rebels",
                                  "rebelles", "rebel group", "nsag", "gana",
                                  "groupe arme non etatique", "political militia"),
        "community_militia": ("milice", "milices", "militia", "auto defense", "autodefense",
                              "self defence", "self defense", "identity militia",
                              "milice communautaire", "anti balaka"),
        "criminal": ("bandits", "bandit", "criminals", "criminels", "coupeurs de route",
                     "zaraguinas", "criminal gang"),
        "unidentified": ("inconnu", "inconnus", "non identifie", "non identifies", "unknown",
                         "unidentified armed men", "hommes armes non identifies"),
    },
    "incident_type": {
        "killing": ("meurtre", "assassinat", "homicide", "killed", "murder", "tuerie",
                    "execution", "massacre"),
        "injury": ("blessure", "blesse", "injured", "wounding", "coups et blessures", "assault"),
        "abduction": ("enlevement", "kidnapping", "rapt", "abduction forced disappearance",
                      "disparition forcee", "prise d otage"),
        "sexual_violence": ("violences sexuelles", "violence sexuelle", "viol", "rape", "vbg",
                            "sgbv", "crsv", "gbv", "sexual violence crsv sgbv"),
        "looting_destruction": ("pillage", "incendie", "looting", "destruction", "arson",
                                "looting property destruction", "destruction de biens"),
        "forced_displacement": ("deplacement force", "deplacements forces", "displacement"),
        "attack_on_idp_site": ("attaque site de deplaces", "attaque contre un site de deplaces",
                               "attack on idp site", "attaque de camp"),
        "threat": ("menace", "menaces", "threats", "intimidation"),
    },
    "victim_groups": {
        "women": ("femmes", "femme", "woman", "girls", "filles"),
        "children": ("enfants", "enfant", "child", "mineurs", "minors"),
        "elderly": ("personnes agees", "agees", "aines", "older persons"),
        "displaced": ("deplaces", "deplace", "pdi", "idp", "idps", "refugies", "refugees"),
        "disabled": ("handicapes", "personnes handicapees", "handicap", "disability"),
    },
    "status": {
        "negotiating": ("en negociation", "negotiation", "being negotiated"),
        "signed": ("signe", "signee"),
        "implemented": ("mis en oeuvre", "en application", "being implemented"),
        "violated": ("viole", "violee", "rompu", "broken"),
        "lapsed": ("caduc", "expire", "expired"),
        "planned": ("prevu", "planifie"),
        "ongoing": ("en cours", "active", "actif"),
        "stalled": ("bloque", "suspendu", "suspended", "au point mort"),
        "concluded": ("termine", "conclu", "acheve", "completed"),
    },
    "location_precision": {
        "exact": ("gps", "precise", "exacte", "point exact"),
        "approximate": ("approximatif", "approximative", "approx", "environ", "near"),
    },
}  # fmt: skip

_MORE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    # Every other coded field of every layer, as French offices write it.
    "agreement_type": {
        "farmer_herder": ("agriculteurs eleveurs", "accord agriculteurs eleveurs",
                          "agropastoral", "agro pastoral", "accord agropastoral",
                          "eleveurs agriculteurs", "farmer herder agreement"),
        "transhumance_corridor": ("couloir de transhumance", "corridor de transhumance",
                                  "couloir transhumance", "transhumance", "corridor"),
        "weapon_free_zone": ("zone sans armes", "zone sans arme", "zone exempte d armes",
                             "zone demilitarisee", "weapons free zone", "wfz"),
        "land_access": ("acces a la terre", "acces aux terres", "acces foncier", "foncier",
                        "accord foncier"),
        "market_access": ("acces au marche", "acces aux marches", "marche", "accord de marche"),
        "local_ceasefire": ("cessez le feu", "cessez le feu local", "treve", "ceasefire",
                            "trêve locale"),
    },
    "mission_role": {
        "facilitator": ("facilitation", "facilitateur", "facilitatrice", "facilitating"),
        "guarantor": ("garant", "garante", "garantie", "guarantee"),
        "observer": ("observateur", "observatrice", "observation"),
        "technical_support": ("appui technique", "soutien technique", "assistance technique",
                              "technical assistance"),
        "none": ("aucun", "aucune", "aucun role", "sans role", "pas de role", "no role"),
    },
    "process_type": {
        "intercommunal_dialogue": ("dialogue intercommunautaire", "dialogue communautaire",
                                   "dialogue intercommunal", "dialogue"),
        "mediation": ("mediation locale", "mediation"),
        "local_peace_committee": ("comite local de paix", "comite de paix", "clp",
                                  "comite local de paix et de reconciliation", "clpr"),
        "conflict_resolution_workshop": ("atelier de resolution des conflits",
                                         "atelier de gestion des conflits", "atelier"),
    },
    "kind": {
        # national milestones
        "pre_negotiation": ("pre negociation", "prenegociation", "consultations preliminaires"),
        "negotiation_round": ("cycle de negociations", "round de negociations",
                              "session de negociations", "negociations"),
        "ceasefire": ("cessez le feu", "treve"),
        "signature": ("signature de l accord", "signature"),
        "implementation": ("mise en oeuvre",),
        "breakdown": ("rupture", "echec", "effondrement"),
        # mission presence
        "area_of_responsibility": ("zone de responsabilite", "zdr", "aor"),
        "field_office": ("bureau de terrain", "bureau regional", "antenne"),
        "base": ("camp", "base militaire"),
        "temporary_operating_base": ("base operationnelle temporaire", "base temporaire",
                                     "bot", "tob"),
        # basemap
        "land": ("terre", "terres", "terres emergees"),
        "capital": ("capitale", "chef lieu"),
        "town": ("ville", "localite", "village"),
        "road": ("route", "piste", "axe routier"),
        "mining_road": ("route miniere", "piste miniere"),
        "river": ("riviere", "fleuve", "cours d eau"),
    },
    "level": {
        "1": ("niveau 1", "admin 1", "adm1", "prefecture", "province", "region"),
        "2": ("niveau 2", "admin 2", "adm2", "sous prefecture", "territoire", "commune"),
    },
    "date_precision": {
        "day": ("jour",), "week": ("semaine",), "month": ("mois",), "year": ("annee", "an"),
    },
}  # fmt: skip
for _field, _words in _MORE_SYNONYMS.items():
    _SYNONYMS.setdefault(_field, {}).update(_words)
_SYNONYMS["groups_protected"] = _SYNONYMS["victim_groups"]
_SYNONYMS["motivation"]["revenge"] += ("represailles", "vengeance")
_SYNONYMS["incident_type"]["attack"] = ("attaque", "attaque sans mort", "agression armee")
_SYNONYMS["incident_type"]["threat"] += ("menaces de mort", "menace de mort")
_SYNONYMS["perpetrator_type"]["allied_forces"] = (
    "forces alliees", "forces bilaterales", "allies", "societe militaire privee", "smp",
    "forces de l etat allie", "forces etrangeres alliees",
)  # fmt: skip
_SYNONYMS["perpetrator_type"]["un_mission"] = (
    "mission de l onu", "onu", "nations unies", "casques bleus", "peacekeepers", "minusca",
    "monusco", "minusma",
)  # fmt: skip
_SYNONYMS["location_precision"].update(
    {
        "admin2": ("sous prefecture", "commune", "territoire", "cercle", "district"),
        "admin1": ("prefecture", "province", "region"),
        "country": ("pays", "national"),
    }
)
_SYNONYMS["motivation_confidence"]["confirmed"] += ("avere", "averee", "verifiee", "confirmes")
_SYNONYMS["motivation_confidence"]["possible"] += ("non confirme", "non confirmee", "douteux")

AMBIGUOUS: dict[str, dict[str, tuple[str, ...]]] = {
    # field -> word (matching form) -> the codes it can mean: none is chosen here; the
    # office chooses once (``ingest.office_words``) and its choice is kept with its mapping.
    "incident_type": {
        "extorsion": ("threat", "looting_destruction"),
        "racket": ("threat", "looting_destruction"),
        "extortion": ("threat", "looting_destruction"),
    },
}


def _label_sources() -> dict[str, list[Any]]:
    """Per field, the schema's label dicts of its codes (English, or ``languages.Labels``)."""
    from schema import local_agreements, mission_presence, political_processes

    def find(module: Any, name: str) -> Any:
        return getattr(module, name, {})

    return {
        "motivation": [incidents_layer.MOTIVATION_LABELS],
        "perpetrator_type": [incidents_layer.PERPETRATOR_LABELS],
        "incident_type": [incidents_layer.INCIDENT_TYPE_LABELS],
        "victim_groups": [incidents_layer.VICTIM_GROUP_LABELS],
        "groups_protected": [incidents_layer.VICTIM_GROUP_LABELS],
        "agreement_type": [find(local_agreements, "AGREEMENT_TYPE_LABELS")],
        "status": [
            find(local_agreements, "STATUS_LABELS"),
            find(political_processes, "PROCESS_STATUS_LABELS"),
        ],
        "mission_role": [find(local_agreements, "MISSION_ROLE_LABELS")],
        "process_type": [find(political_processes, "PROCESS_TYPE_LABELS")],
        "kind": [
            find(political_processes, "MILESTONE_LABELS"),
            find(mission_presence, "PRESENCE_LABELS"),
        ],
        "motivation_confidence": [find(incidents_layer, "CONFIDENCE_LABELS")],
        "location_precision": [find(incidents_layer, "LOCATION_PRECISION_LABELS")],
        "date_precision": [find(incidents_layer, "DATE_PRECISION_LABELS")],
    }


@functools.cache
def _labels_everywhere(field: str) -> tuple[tuple[str, str], ...]:
    """``(label, code)`` of ``field``'s codes in every language pocmap speaks: a French
    office's "Meurtre" is read whatever language the person importing it reads."""
    pairs: list[tuple[str, str]] = []
    for labels in _label_sources().get(field, []):
        english = getattr(labels, "english", labels)
        for code, label in english.items():
            pairs += [(text, code) for text in {label, *translated_everywhere(label).values()}]
    return tuple(pairs)


_LIST_SPLIT = re.compile(r"[;,/|]+|\s+(?:et|and|&)\s+")


def word(text: str) -> str:
    """The matching form of a word: plain, with punctuation and underscores as spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", plain(text)).split())


def lookup(field: str, codes: tuple[str, ...]) -> dict[str, str]:
    """Every known way of writing each code of ``field``, in matching form."""
    return dict(_lookup(field, tuple(codes)))


@functools.cache
def _lookup(field: str, codes: tuple[str, ...]) -> dict[str, str]:
    table = {word(code): code for code in codes}
    for label, code in _labels_everywhere(field):
        if code in codes:
            table.setdefault(word(label), code)
    for code, words in _SYNONYMS.get(field, {}).items():
        if code in codes:
            table.update({word(w): code for w in words})
    for written in AMBIGUOUS.get(field, {}):
        table.pop(written, None)  # the office chooses: ingest.office_words
    return table


def to_code(value: Any, table: dict[str, str]) -> Any:
    """The code ``value`` means, or ``value`` unchanged when it means none.

    A question mark is doubt, not punctuation: ``revenge?`` is left for a person.
    """
    if is_missing(value) or not isinstance(value, str) or "?" in value:
        return value
    return table.get(word(value), value)


def to_codes(value: Any, table: dict[str, str], *, space_separated: bool = False) -> Any:
    """A list of codes (``femmes, enfants``; Kobo's ``women children``) as ``a;b``.

    When one part means nothing, the value is left as written for the checks to report.
    """
    if is_missing(value) or not isinstance(value, str) or "?" in value:
        return value
    parts = value.split() if space_separated else _LIST_SPLIT.split(value)
    parts = [p for p in parts if p.strip()]
    codes = [code for p in parts if (code := table.get(word(p))) is not None]
    if not parts or len(codes) < len(parts):
        whole = table.get(word(value))
        return whole if whole else value
    return LIST_SEPARATOR.join(dict.fromkeys(codes))


def apply_vocabulary(frame: pd.DataFrame, spec: LayerSpec, *, kobo: bool = False) -> None:
    """Turn every code column of ``frame`` into codes where the words are known (in place).

    The motivation as written goes to ``motivation_raw`` (unless the source had one), and
    an empty motivation becomes ``unknown``: not yet assessed, ready for analysts.
    """
    if "motivation" in spec.columns and "motivation" in frame:
        if "motivation_raw" not in frame or columns.missing(frame["motivation_raw"]).all():
            frame["motivation_raw"] = _as_written(frame["motivation"])
        frame["motivation"] = columns.map_cells(
            frame["motivation"], lambda v: "unknown" if is_missing(v) else v
        )
    for field in spec.fields:
        if field.name not in frame or field.kind not in ("code", "codes"):
            continue
        table = lookup(field.name, field.codes)
        if field.kind == "code":
            frame[field.name] = columns.map_cells(
                frame[field.name], functools.partial(to_code, table=table)
            )
        else:
            frame[field.name] = columns.map_cells(
                frame[field.name],
                functools.partial(to_codes, table=table, space_separated=kobo),
            )


def _as_written(motivation: pd.Series) -> pd.Series:
    """The motivation as the source wrote it: text, or missing."""
    if arrow_strings.is_text(motivation):
        return motivation.where(~columns.missing(motivation))
    return pd.Series(
        [None if is_missing(v) else str(v) for v in motivation],
        index=motivation.index,
        dtype=object,
    )


def code_within(value: Any, table: dict[str, str]) -> tuple[str, str] | None:
    """``(code, words)`` when ``value`` is not a known way of writing a code but holds one,
    and only one code's words (``Incendie de maisons`` holds ``incendie``), else ``None``.
    Short words (``na``, ``nd``) and doubtful values (``?``) never count."""
    if is_missing(value) or not isinstance(value, str) or "?" in value:
        return None
    written = f" {word(value)} "
    found: dict[str, str] = {}
    for words, code in table.items():
        if len(words) >= 4 and f" {words} " in written:
            found.setdefault(code, words)
    if len(found) != 1:
        return None
    return next(iter(found.items()))


def shown_code(field: str, code: str) -> str:
    """A code as a person reads it: its label in the current language, then the code a
    file would hold (``Looting / destruction (looting_destruction)``); the code alone
    when it has no label."""
    for labels in _label_sources().get(field, []):
        english = getattr(labels, "english", labels)
        if code in english:
            return _("{label} ({code})", label=_(english[code]), code=code)
    return code


def quoted(value: Any) -> str:
    """A value of the file quoted as the current language quotes (“x”, « x »)."""
    return _("“{value}”", value=value)
