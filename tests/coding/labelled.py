"""The labelled set: real UCDP GED CAR events read as incidents, with the hand labels of
``tests/real_data/car/motivation_labels.csv`` (how they were made: that folder's README).

``python -m tests.coding.labelled`` writes the rules' and the model's figures on it into
``docs/suggestions.md`` and ``docs/suggestions.fr.md`` (between the figures markers);
``tests/coding/test_labelled_set.py`` fails when the docs' figures are out of date.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pandas as pd

from coding.report import FIGURES_END, FIGURES_START, figures_markdown
from ingest.profiles.events import ucdp
from languages import use
from tests.real_data import CAR_MOTIVATION_LABELS, CAR_UCDP

LABELS = CAR_MOTIVATION_LABELS
ROOT = Path(__file__).resolve().parents[2]
DOCS = {"en": ROOT / "docs" / "suggestions.md", "fr": ROOT / "docs" / "suggestions.fr.md"}


@functools.cache
def _labelled() -> pd.DataFrame:
    raw = pd.read_csv(CAR_UCDP, dtype=str, keep_default_na=False)
    _mapping, frame, _notes = ucdp(raw)  # the import's own reading of GED's columns
    frame = frame.assign(ucdp_id=raw["id"], motivation="unknown")
    labels = pd.read_csv(LABELS, dtype=str, keep_default_na=False)
    labels = labels.rename(columns={"motivation": "label", "confidence": "label_confidence"})
    return frame.merge(labels, on="ucdp_id", how="inner", validate="one_to_one")


def labelled() -> pd.DataFrame:
    """Every labelled event as an incident not yet assessed (``motivation`` ``unknown``),
    with ``label``, ``label_confidence`` and ``why`` from the labels file."""
    return _labelled().copy()


def section(language: str) -> str:
    """The docs' figures section in ``language``, markers included."""
    with use(language):
        return f"{FIGURES_START}\n{figures_markdown(labelled())}\n{FIGURES_END}"


def rewritten(text: str, language: str) -> str:
    """``text`` (a docs page) with its figures section replaced by the current figures."""
    start, end = text.index(FIGURES_START), text.index(FIGURES_END) + len(FIGURES_END)
    return text[:start] + section(language) + text[end:]


def main() -> int:
    for language, path in DOCS.items():
        path.write_text(rewritten(path.read_text(encoding="utf-8"), language), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
