"""How good the suggestions are on a labelled set: the figures ``docs/suggestions.md`` shows.

A labelled set is incidents not yet assessed with a ``label`` column: the motivation a
person read in each one, ``unknown`` where the text does not allow one. Rules are judged
on the incidents the reader could code (precision, coverage, recall per motivation) and
on those the reader could not (how many suggestions a careful reader would not make); the
model is judged by cross-validation on the incidents the reader could code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from coding.model import pipeline, texts
from coding.rules import SUGGESTED, RuleSet
from coding.suggest import suggest
from languages import _, format_number, format_percent
from schema.incidents import MOTIVATION_LABELS

FIGURES_START = "<!-- figures: start (python -m tests.coding.labelled writes them) -->"
FIGURES_END = "<!-- figures: end -->"
FOLDS = 3
ALL = "all"


def _ratio(part: float, whole: float) -> float:
    return float(part) / whole if whole else float("nan")


def rules_figures(labelled: pd.DataFrame, rules: RuleSet | None = None) -> pd.DataFrame:
    """Per motivation (and ``all``): ``labelled`` (incidents the reader coded so),
    ``suggested`` (rule suggestions of it among incidents the reader could code),
    ``correct``, ``precision`` (correct / suggested), ``coverage`` (share of the
    motivation's incidents given any suggestion), ``recall`` (correct / labelled) and
    ``beyond`` (suggestions of it where the reader found no motive)."""
    said = suggest(labelled, rules=rules, coded=labelled.iloc[0:0])
    label = labelled["label"].to_numpy()
    guess = said["motivation"].to_numpy()
    codable = label != "unknown"
    given = np.array([g is not None for g in guess])
    rows = []
    for m in (*SUGGESTED, ALL):
        mine = codable & (label == m) if m != ALL else codable
        made = codable & (guess == m) if m != ALL else codable & given
        right = made & (guess == label)
        rows.append({
            "motivation": m, "labelled": int(mine.sum()), "suggested": int(made.sum()),
            "correct": int(right.sum()), "precision": _ratio(right.sum(), made.sum()),
            "coverage": _ratio((mine & given).sum(), mine.sum()),
            "recall": _ratio((mine & right).sum(), mine.sum()),
            "beyond": int((~codable & (guess == m if m != ALL else given)).sum()),
        })  # fmt: skip
    return pd.DataFrame(rows)


def model_figures(labelled: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Per motivation with at least :data:`FOLDS` labelled incidents: the model's
    precision, recall and support, cross-validated (stratified :data:`FOLDS` folds,
    seeded) on the incidents the reader could code."""
    codable = labelled[labelled["label"] != "unknown"]
    counts = codable["label"].value_counts()
    kept = codable[codable["label"].isin(counts[counts >= FOLDS].index)]
    labels = kept["label"].to_numpy()
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    guessed = cross_val_predict(pipeline(seed), texts(kept), labels, cv=folds)
    classes = [m for m in SUGGESTED if m in set(labels)]
    precision, recall, _f, support = precision_recall_fscore_support(
        labels, guessed, labels=classes, zero_division=0
    )
    return pd.DataFrame({"motivation": classes, "precision": precision, "recall": recall,
                         "support": support.astype(int)})  # fmt: skip


def _share(value: float) -> str:
    return "—" if np.isnan(value) else format_percent(value)


def _name(code: str) -> str:
    return _("all motivations") if code == ALL else MOTIVATION_LABELS[code]


def figures_markdown(labelled: pd.DataFrame, seed: int = 0) -> str:
    """The rules' and the model's figures on ``labelled``, as markdown in the current
    language (``docs/suggestions.md``)."""
    rules = rules_figures(labelled)
    model = model_figures(labelled, seed)
    codable = int((labelled["label"] != "unknown").sum())
    head = _(
        "{total} incidents labelled: {codable} with a motivation, {unknown} where the text "
        "does not allow one.",
        total=format_number(len(labelled)),
        codable=format_number(codable),
        unknown=format_number(len(labelled) - codable),
    )
    lines = [head, "", _("**Rules** (the defaults):"), ""]
    lines.append("| " + " | ".join([
        _("motivation"), _("labelled"), _("suggested"), _("correct"), _("precision"),
        _("coverage"), _("recall"), _("suggested where the reader found no motive"),
    ]) + " |")  # fmt: skip
    lines.append("|---|" + "---:|" * 7)
    for row in rules.itertuples():
        lines.append(
            f"| {_name(str(row.motivation))} | {row.labelled} | {row.suggested} | "
            f"{row.correct} | {_share(float(row.precision))} | {_share(float(row.coverage))} | "
            f"{_share(float(row.recall))} | {row.beyond} |"
        )
    lines += ["", _("**Model** (cross-validated, {folds} folds, seed {seed}):", folds=FOLDS,
                    seed=seed), ""]  # fmt: skip
    lines.append("| " + " | ".join([_("motivation"), _("precision"), _("recall"),
                                    _("support")]) + " |")  # fmt: skip
    lines.append("|---|---:|---:|---:|")
    for row in model.itertuples():
        lines.append(
            f"| {_name(str(row.motivation))} | {_share(float(row.precision))} | "
            f"{_share(float(row.recall))} | {row.support} |"
        )
    return "\n".join(lines)
