"""A model of the mission's own codes: suggestions learnt from the incidents it has coded.

Trained only when the mission has coded enough (:func:`trainable`: at least
:data:`ENOUGH` coded incidents, :data:`PER_MOTIVATION` or more in at least
:data:`MOTIVATIONS_NEEDED` motivations); it learns the motivations that have
:data:`PER_MOTIVATION` coded incidents or more, the others are left to the rules.

Features: TF-IDF of character n-grams within words (``char_wb``, 2 to 5 characters, accents
stripped), over the narrative, the source's event type, the perpetrator's type and name:
character n-grams read English and French alike ("représailles"/"reprisals" share
"repr", "pill" is in "pillage" and "pillé") without a dictionary of either language.
Classifier: logistic regression, classes weighted by their rarity (``balanced``), seeded.

Evaluation: a stratified split (:data:`HELD_OUT` of the coded incidents held out, seeded)
gives per-motivation precision, recall and support; the model that suggests is then
trained on every coded incident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from coding.text import missing
from languages import _, format_number, ngettext
from schema.incidents import MOTIVATION_LABELS

ENOUGH = 60
PER_MOTIVATION = 10
MOTIVATIONS_NEEDED = 2
HELD_OUT = 0.25
SUGGEST_FROM = 0.5
"""The least probability the model needs to suggest a motivation."""
NEIGHBOURS = 5
TEXT_FIELDS = ("narrative", "event_type_raw", "perpetrator_type", "perpetrator_name")


def texts(frame: pd.DataFrame) -> list[str]:
    """What the model reads of each incident: :data:`TEXT_FIELDS` joined."""
    present = [f for f in TEXT_FIELDS if f in frame]
    return [
        " | ".join(str(v) for v in row if not missing(v))
        for row in frame[present].itertuples(index=False, name=None)
    ] if present else [""] * len(frame)  # fmt: skip


def pipeline(seed: int = 0) -> Pipeline:
    """The untrained model (module docstring)."""
    return Pipeline([
        ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), strip_accents="unicode",
                                  lowercase=True, sublinear_tf=True)),
        ("classify", LogisticRegression(class_weight="balanced", max_iter=2000,
                                        random_state=seed)),
    ])  # fmt: skip


def _counts(coded: pd.DataFrame) -> pd.Series:
    codes = coded["motivation"] if "motivation" in coded else pd.Series(dtype=object)
    codes = codes[codes.map(lambda m: not missing(m) and str(m) != "unknown")]
    return codes.value_counts()


def trainable(coded: pd.DataFrame) -> tuple[bool, str]:
    """Whether the mission has coded enough to train the model, and why (not), in words."""
    counts = _counts(coded)
    total = int(counts.sum())
    enough = counts[counts >= PER_MOTIVATION]
    if total < ENOUGH or len(enough) < MOTIVATIONS_NEEDED:
        return False, _(
            "model not trained: it needs at least {enough} coded incidents with {per} or "
            "more in at least {needed} motivations; the mission has coded {total}, {big} "
            "motivation(s) with {per} or more",
            enough=ENOUGH, per=PER_MOTIVATION, needed=MOTIVATIONS_NEEDED,
            total=format_number(total), big=len(enough),
        )  # fmt: skip
    return True, _(
        "model trained on {total} coded incidents ({motivations})",
        total=format_number(total),
        motivations=", ".join(
            f"{MOTIVATION_LABELS[str(m)]} {format_number(n)}" for m, n in enough.items()
        ),
    )


@dataclass
class Trained:
    """A trained model (``model`` ``None`` when not trained: ``why`` says why), with its
    held-out evaluation (``evaluation``: motivation, precision, recall, support)."""

    model: Pipeline | None
    why: str
    evaluation: pd.DataFrame = field(default_factory=pd.DataFrame)
    ids: list[str] = field(default_factory=list)
    labels: np.ndarray = field(default_factory=lambda: np.array([]))
    matrix: Any = None

    def predict(self, frame: pd.DataFrame) -> list[tuple[str | None, float, str]]:
        """``(motivation or None, probability, reason)`` for each row of ``frame``."""
        if self.model is None:
            return [(None, float("nan"), self.why)] * len(frame)
        read = texts(frame)
        probabilities = self.model.predict_proba(read)
        classes = self.model.classes_
        similar = self.model.named_steps["tfidf"].transform(read) @ self.matrix.T
        said: list[tuple[str | None, float, str]] = []
        for i, row in enumerate(probabilities):
            best = int(np.argmax(row))
            motivation, p = str(classes[best]), float(row[best])
            reason = self._neighbours(similar[i].toarray().ravel(), motivation)
            if p < SUGGEST_FROM:
                said.append((None, float("nan"), _(
                    "model unsure ({motivation}, {probability}): {neighbours}",
                    motivation=MOTIVATION_LABELS[motivation],
                    probability=format_number(round(p, 2), 2), neighbours=reason)))  # fmt: skip
            else:
                said.append((motivation, p, reason))
        return said

    def _neighbours(self, similarity: np.ndarray, motivation: str) -> str:
        nearest = np.argsort(-similarity, kind="stable")[:NEIGHBOURS]
        alike = [self.ids[j] for j in nearest if self.labels[j] == motivation]
        return ngettext(
            "similar to {n} of the {k} nearest coded incidents, coded {motivation}: {ids}",
            "similar to {n} of the {k} nearest coded incidents, coded {motivation}: {ids}",
            len(alike), k=len(nearest), motivation=MOTIVATION_LABELS[motivation],
            ids=", ".join(alike[:3]) or "—",
        )  # fmt: skip


def evaluate(read: list[str], labels: np.ndarray, seed: int) -> pd.DataFrame:
    """Per-motivation precision, recall and support on :data:`HELD_OUT` of the coded
    incidents (stratified, seeded), the model trained on the rest."""
    train_x, test_x, train_y, test_y = train_test_split(
        read, labels, test_size=HELD_OUT, random_state=seed, stratify=labels
    )
    fitted = pipeline(seed).fit(train_x, train_y)
    guessed = fitted.predict(test_x)
    classes = sorted(set(labels))
    precision, recall, _f, support = precision_recall_fscore_support(
        test_y, guessed, labels=classes, zero_division=0
    )
    return pd.DataFrame({"motivation": classes, "precision": precision.round(2),
                         "recall": recall.round(2), "support": support.astype(int)})  # fmt: skip


_CACHE: dict[int, Trained] = {}


def train(coded: pd.DataFrame, *, seed: int = 0) -> Trained:
    """The model of ``coded`` (incidents with their motivation), evaluated on held-out
    ones, or why it was not trained. The same codes and seed give the same model (kept
    for the process: pages ask again at every rerun)."""
    ok, why = trainable(coded)
    if not ok:
        return Trained(None, why)
    counts = _counts(coded)
    learnt = set(counts[counts >= PER_MOTIVATION].index)
    rows = coded[coded["motivation"].isin(learnt)]
    read = texts(rows)
    labels = rows["motivation"].astype(str).to_numpy()
    ids = [str(i) for i in (rows["incident_id"] if "incident_id" in rows else rows.index)]
    key = hash((tuple(read), tuple(labels), tuple(ids), seed))
    if key not in _CACHE:
        model = pipeline(seed).fit(read, labels)
        matrix = model.named_steps["tfidf"].transform(read)
        _CACHE.clear()
        _CACHE[key] = Trained(model, why, evaluate(read, labels, seed), ids, labels, matrix)
    return _CACHE[key]
