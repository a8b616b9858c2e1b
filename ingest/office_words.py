"""An office's own words for codes, chosen once and kept with its column mapping.

Some words mean different codes to different offices: "Extorsion" in a column of incident
types is a threat for one and looting for another (``ingest.profiles.vocabulary.AMBIGUOUS``).
pocmap never chooses: the row says which choice is wanted, the office chooses once, and
the choice travels inside the column mapping it saves (the page's "Keep this column
mapping as", ``pocmap import --save-mapping``), so the next files read with that mapping
(``--use-mapping``, the page's "Saved mapping") read the word the office's way.

A choice is one entry of the mapping, ``"value:<field>:<word>": "<code>"`` (the word in
matching form: lower case, no accents or punctuation), beside the ``field: column``
entries. The functions below build and read such entries; a page or the command line
needs only :func:`choices_needed` (what to ask), :func:`with_translations` (the answer,
into the mapping to save and to preview again) and :func:`translations` (to show them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ingest import columns
from ingest.profiles.vocabulary import AMBIGUOUS, lookup, word
from ingest.values import is_missing
from languages import _
from schema import arrow_strings
from schema.fields import LayerSpec

PREFIX = "value:"
"""Mapping keys starting so are an office's words, not columns."""


@dataclass(frozen=True)
class Choice:
    """A word of the file that can mean several codes of ``field``: the office chooses.

    Attributes
    ----------
    field : the layer's field (``incident_type``).
    value : the word as the file writes it (``Extorsion``).
    codes : the codes it can mean, for the person to choose from.
    rows : the file's rows holding it.
    """

    field: str
    value: str
    codes: tuple[str, ...]
    rows: tuple[Any, ...]

    @property
    def key(self) -> str:
        """The mapping key the office's answer goes under (:func:`translation_key`)."""
        return translation_key(self.field, self.value)


def translation_key(field: str, written: str) -> str:
    """The mapping key of the office's code for ``written`` in ``field``."""
    return f"{PREFIX}{field}:{word(written)}"


def is_translation(key: str) -> bool:
    """Whether a mapping key is an office's word rather than a field."""
    return str(key).startswith(PREFIX)


def columns_only(mapping: Mapping[str, str]) -> dict[str, str]:
    """The ``field: column`` entries of a mapping, without the office's words."""
    return {k: v for k, v in mapping.items() if not is_translation(k)}


def translations(mapping: Mapping[str, str] | None) -> dict[str, dict[str, str]]:
    """The office's words kept in ``mapping``: ``{field: {word: code}}`` (words in
    matching form, ``ingest.profiles.vocabulary.word``)."""
    found: dict[str, dict[str, str]] = {}
    for key, code in (mapping or {}).items():
        if is_translation(key):
            field, _sep, written = key[len(PREFIX) :].partition(":")
            found.setdefault(field, {})[word(written)] = code
    return found


def with_translations(
    mapping: Mapping[str, str] | None, chosen: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """``mapping`` with the office's choices ``{field: {word as written: code}}`` added
    (a word chosen again replaces its earlier code). Save the result as the office's
    mapping (``store.save_mapping``) and pass it as ``ImportOptions.mapping``."""
    merged = dict(mapping or {})
    for field, words in chosen.items():
        for written, code in words.items():
            merged[translation_key(field, written)] = code
    return merged


def checked(found: Mapping[str, Mapping[str, str]], spec: LayerSpec) -> None:
    """Refuse choices naming a field or code the layer does not have.

    Raises
    ------
    ValueError
        naming the field or code and what the layer accepts.
    """
    coded = {f.name: f for f in spec.fields if f.kind in ("code", "codes")}
    for field, words in found.items():
        if field not in coded:
            raise ValueError(
                _(
                    "the office's word for “{field}” names no coded field of this layer; "
                    "its coded fields are {fields}",
                    field=field,
                    fields=", ".join(coded),
                )
            )
        for written, code in words.items():
            if code not in coded[field].codes:
                raise ValueError(
                    _(
                        "the office's word “{value}” is read as “{code}”, which is not a code "
                        "of {field}; its codes are {codes}",
                        value=written,
                        code=code,
                        field=field,
                        codes=", ".join(coded[field].codes),
                    )
                )


def apply_translations(
    frame: pd.DataFrame, spec: LayerSpec, found: Mapping[str, Mapping[str, str]]
) -> None:
    """Turn the office's words into its chosen codes, in place (before the vocabulary)."""
    for field, words in found.items():
        if field not in frame or not words:
            continue
        kind = next((f.kind for f in spec.fields if f.name == field), "code")

        def read(value: Any, words: Mapping[str, str] = words, kind: str = kind) -> Any:
            if is_missing(value) or not isinstance(value, str):
                return value
            if kind == "codes":
                from ingest.profiles.vocabulary import _LIST_SPLIT

                parts = [p for p in _LIST_SPLIT.split(value) if p.strip()]
                if any(word(p) in words for p in parts):
                    return ";".join(words.get(word(p), p.strip()) for p in parts)
                return value
            return words.get(word(value), value)

        frame[field] = columns.map_cells(frame[field], read)


def choices_needed(frame: pd.DataFrame, spec: LayerSpec) -> list[Choice]:
    """The words of ``frame`` (the mapped columns, after the office's own words and the
    vocabulary) that can mean several codes and that the office has not chosen for."""
    needed: list[Choice] = []
    for field in spec.fields:
        words = AMBIGUOUS.get(field.name)
        if not words or field.name not in frame:
            continue
        known = lookup(field.name, field.codes)
        column = frame[field.name]
        # Each distinct value once (a million rows hold a few dozen incident types).
        if arrow_strings.is_text(column):
            positions, uniques = columns.distinct(column)
        else:
            factorized, found = pd.factorize(column.astype(object), use_na_sentinel=True)
            positions, uniques = np.asarray(factorized), list(found)
        texts = [word(v) if isinstance(v, str) and not is_missing(v) else "" for v in uniques]
        for written, codes in words.items():
            holding = [i for i, text in enumerate(texts) if text == written]
            if not holding:
                continue
            at = np.flatnonzero(np.isin(positions, holding))
            if len(at) and written not in known:
                needed.append(
                    Choice(
                        field.name,
                        str(column.iloc[at[0]]).strip(),
                        tuple(c for c in codes if c in field.codes),
                        tuple(column.index[at].tolist()),
                    )
                )
    return needed
