"""The codebook and its French twin say every code of the layers an office sends, each with
its label as pocmap shows it in that language (so neither drifts from the schema), and link
to each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from languages import use
from schema.catalogue import LAYER_SPECS

DOCS = Path(__file__).resolve().parents[2] / "docs"
BOOKS = {"en": DOCS / "codebook.md", "fr": DOCS / "codebook.fr.md"}
SENT = ("incidents", "local_agreements", "local_processes", "national_milestones")
CODED = [
    (layer, f)
    for layer in (*SENT, "mission_presence")
    for f in LAYER_SPECS[layer].fields
    if f.kind in ("code", "codes") and f.name not in ("location_precision", "date_precision")
]


@pytest.mark.parametrize("language", list(BOOKS))
@pytest.mark.parametrize(("layer", "field"), CODED, ids=[f"{x}.{f.name}" for x, f in CODED])
def test_every_code_is_in_the_codebook_with_its_label(language, layer, field) -> None:
    # Whitespace as one space: a line may wrap between a code and its label.
    text = " ".join(BOOKS[language].read_text(encoding="utf-8").split()).casefold()
    with use(language):
        labels = {code: field.code_label(code) for code in field.codes}
    if language == "en" and field.name == "motivation_confidence":
        labels = {code: code for code in field.codes}  # said in words, not labelled
    missing = [
        f"`{code}` {label}"
        for code, label in labels.items()
        if f"`{code}` | {label}".casefold() not in text
        and f"`{code}` ({label})".casefold() not in text
        and (label != code or f"`{code}`" not in text)
    ]
    assert not missing, f"{BOOKS[language].name} lacks {missing}"


def test_each_codebook_links_to_the_other() -> None:
    english = BOOKS["en"].read_text(encoding="utf-8").splitlines()
    french = BOOKS["fr"].read_text(encoding="utf-8").splitlines()
    assert "(codebook.fr.md)" in english[2]
    assert "(codebook.md)" in french[2]
    # The same sections, in the same order (the French adds none the English lacks).
    assert len([x for x in english if x.startswith("## ")]) == len(
        [x for x in french if x.startswith("## ")]
    )
