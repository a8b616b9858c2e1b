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

_LABELS: dict[str, dict[str, str]] = {
    "motivation": incidents_layer.MOTIVATION_LABELS,
    "perpetrator_type": incidents_layer.PERPETRATOR_LABELS,
    "incident_type": incidents_layer.INCIDENT_TYPE_LABELS,
    "victim_groups": incidents_layer.VICTIM_GROUP_LABELS,
}
_LIST_SPLIT = re.compile(r"[;,/|]+|\s+(?:et|and|&)\s+")


def word(text: str) -> str:
    """The matching form of a word: plain, with punctuation and underscores as spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", plain(text)).split())


def lookup(field: str, codes: tuple[str, ...]) -> dict[str, str]:
    """Every known way of writing each code of ``field``, in matching form."""
    table = {word(code): code for code in codes}
    for code, label in _LABELS.get(field, {}).items():
        if code in codes:
            table[word(label)] = code
    for code, words in _SYNONYMS.get(field, {}).items():
        if code in codes:
            table.update({word(w): code for w in words})
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
