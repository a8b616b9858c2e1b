"""Suggested motivations for the incidents not yet assessed: the API pages and commands call.

A suggestion is never a code: this module reads incident frames and returns a table; it
writes nothing. An analyst who accepts one records it through
:meth:`access.session.Session.edit_motivation` with ``origin="suggestion"``.

How rules and model combine (``docs/suggestions.md``):

- the rules (:mod:`coding.rules`, :mod:`coding.evidence`) always run;
- the model (:mod:`coding.model`) runs when the mission has coded enough incidents
  (:func:`coding.model.trainable`), trained on those codes;
- when only one of them suggests, its suggestion is kept (``by`` says which);
- when both suggest the same motivation, it is kept ``by`` ``rule`` (readable evidence
  first), the confidence ``1 - (1 - rule)(1 - model)`` and the reason saying both;
- when they disagree, the more confident one is kept with its confidence discounted by
  the other's, ``winner * (1 - loser)``, if that still reaches the rules' threshold
  (:data:`coding.evidence.SUGGEST_AT`); otherwise no suggestion, the reason saying both.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from coding.evidence import SUGGEST_AT, Verdict, verdict
from coding.rules import RuleSet, current
from coding.text import missing
from languages import _, format_number
from schema.incidents import MOTIVATION_LABELS

COLUMNS = ("incident_id", "motivation", "confidence", "reason", "by")
RULE, MODEL, NONE = "rule", "model", ""


def not_assessed(incidents: pd.DataFrame) -> pd.Series:
    """Which incidents are not yet assessed (motivation ``unknown`` or missing)."""
    if "motivation" not in incidents:
        return pd.Series(True, index=incidents.index)
    return incidents["motivation"].map(lambda m: missing(m) or str(m) == "unknown")


def suggest(
    incidents: pd.DataFrame,
    *,
    rules: RuleSet | None = None,
    coded: pd.DataFrame | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """One suggestion per incident not yet assessed.

    Parameters
    ----------
    incidents
        Incident rows (the store's columns; ``narrative``, ``event_type_raw``,
        ``perpetrator_name``, ``perpetrator_type`` and ``motivation_raw`` are read when
        present). Rows already coded are not suggested for.
    rules
        The rules in effect; default :func:`coding.rules.current` (the mission's file in
        ``POCMAP_MOTIVATION_RULES``, then the defaults).
    coded
        The mission's coded incidents the model learns from; default: the coded rows of
        ``incidents``. Below :func:`coding.model.trainable`'s threshold, rules only.
    seed
        The model's seed (same data, same seed, same suggestions).

    Returns
    -------
    pandas.DataFrame
        ``incident_id, motivation`` (``None`` where no suggestion), ``confidence`` (0-1,
        NaN when none), ``reason`` (words in the current language), ``by`` (``rule``,
        ``model`` or ``""``), in the order of ``incidents``.
    """
    ruleset = rules if rules is not None else current()
    todo = incidents[not_assessed(incidents)]
    records: list[dict[Any, Any]] = todo.to_dict("records")
    by_rules = [verdict(r, ruleset) for r in records]
    by_model = _model_suggestions(todo, incidents if coded is None else coded, seed)
    rows = []
    for i, (record, rule) in enumerate(zip(records, by_rules, strict=True)):
        model = by_model[i] if by_model is not None else None
        rows.append({"incident_id": record.get("incident_id"), **_combined(rule, model)})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["confidence"] = frame["confidence"].astype(float)
    suggested = frame["motivation"].astype(object)
    frame["motivation"] = suggested.where(suggested.notna(), None)
    return frame


def _model_suggestions(
    todo: pd.DataFrame, coded: pd.DataFrame, seed: int
) -> list[tuple[str | None, float, str]] | None:
    """The model's ``(motivation, probability, reason)`` per row of ``todo``, or ``None``
    when the mission has not coded enough incidents to train it."""
    from coding import model

    if todo.empty:
        return None
    trained = model.train(coded[~not_assessed(coded)], seed=seed)
    if trained.model is None:
        return None
    return trained.predict(todo)


def _combined(rule: Verdict, model: tuple[str | None, float, str] | None) -> dict[str, Any]:
    """One row's suggestion from the rules' verdict and the model's (module docstring)."""
    said = {"motivation": rule.motivation, "confidence": rule.confidence, "reason": rule.reason,
            "by": RULE if rule.motivation else NONE}  # fmt: skip
    if model is None or model[0] is None:
        if model is not None and rule.motivation is None:
            # the model's own words say it is unsure ("model unsure (Revenge, 0.29): ...")
            said["reason"] = _("{rules}; {model}", rules=rule.reason, model=model[2])
        return said
    motivation, probability, why = model
    if rule.motivation is None:
        return {"motivation": motivation, "confidence": round(probability, 2),
                "reason": _("model: {model}; rules: {rules}", model=why, rules=rule.reason),
                "by": MODEL}  # fmt: skip
    if rule.motivation == motivation:
        both = 1.0 - (1.0 - rule.confidence) * (1.0 - probability)
        return {**said, "confidence": round(both, 2),
                "reason": _("{rules}; the model agrees ({model})", rules=rule.reason,
                            model=why)}  # fmt: skip
    assert motivation is not None  # model[0] is None returned above
    rule_first = rule.confidence >= probability
    high, low = (rule.confidence, probability) if rule_first else (probability, rule.confidence)
    kept = round(high * (1.0 - low), 2)
    both_said = _(
        "rules: {rule_motivation} ({rules}); model: {model_motivation} ({model})",
        rule_motivation=MOTIVATION_LABELS[rule.motivation],
        rules=rule.reason,
        model_motivation=MOTIVATION_LABELS[motivation],
        model=why,
    )
    if kept < SUGGEST_AT or math.isnan(kept):
        refused = _("rules and model disagree, no suggestion: {both}", both=both_said)
        return {"motivation": None, "confidence": float("nan"), "by": NONE, "reason": refused}
    return {"motivation": rule.motivation if rule_first else motivation, "confidence": kept,
            "by": RULE if rule_first else MODEL,
            "reason": _("{both}; kept the more confident ({confidence})", both=both_said,
                        confidence=format_number(kept, 2))}  # fmt: skip
