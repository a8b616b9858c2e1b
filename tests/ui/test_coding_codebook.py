"""The codebook panel beside the coding queue says, word for word, what docs/codebook.md
and docs/codebook.fr.md say: each motivation's definition, lever, decision rules and
examples, in the person's language."""

from __future__ import annotations

import pytest

from languages import use
from schema.incidents import MOTIVATIONS
from ui import coding_codebook


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_motivation_is_the_docs_text(language):
    text = coding_codebook.FILES[language].read_text(encoding="utf-8")
    book = coding_codebook.entries(language)
    assert list(book) == list(MOTIVATIONS)
    for code, entry in book.items():
        assert f"| `{code}` | {entry.label} | {entry.definition} | {entry.lever} |" in text
        for rule in entry.rules:
            assert rule in text and f"`{code}`" in rule
        for account, confidence, why in entry.examples:
            # An empty cell is written "| |" in the docs.
            cells = " | ".join([account, f"`{code}`", confidence, why])
            assert f"| {cells} |".replace("|  |", "| |") in text
        if code != "unknown":
            assert entry.rules, f"{language}: no decision rule names {code}"
        assert entry.examples, f"{language}: no example is coded {code}"


def test_the_person_s_language_chooses_the_file():
    with use("fr"):
        assert coding_codebook.entries()["revenge"].label == "Vengeance"
    with use("en"):
        assert coding_codebook.entries()["revenge"].label == "Revenge"


def test_a_codebook_missing_a_motivation_says_which():
    text = coding_codebook.FILES["en"].read_text(encoding="utf-8")
    broken = "\n".join(line for line in text.splitlines() if not line.startswith("| `punitive`"))
    with pytest.raises(ValueError, match="punitive"):
        coding_codebook.parse(broken)
