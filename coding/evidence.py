"""What the rules find in one incident, and the suggestion they add up to.

How matches combine (``docs/suggestions.md``, "How rules add up"):

1. Each rule that matches is one piece of evidence. Within one field, a match inside a
   longer match of another rule does not count (``struck a mine`` is a landmine, not the
   ``mine`` of a mining site; ``vol de bétail`` is not counted again as ``vol``).
2. Evidence for the same motivation adds up as independent clues: a score
   ``1 - (1 - w1)(1 - w2)...`` (two weak clues of 0.3 make 0.51; nothing passes 1).
3. The confidence is the best motivation's score discounted by the runner-up's:
   ``best * (1 - runner-up)``. A suggestion is made when it is at least
   :data:`SUGGEST_AT`; otherwise the reason says whether the evidence was too weak or
   contradictory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coding.rules import Rule, RuleSet
from coding.text import as_written, missing, words_and_places
from languages import _, format_number
from schema.incidents import MOTIVATION_LABELS, PERPETRATOR_LABELS

SUGGEST_AT = 0.35
"""The least confidence a rule-based suggestion needs: one clue of weight 0.35 or more
alone, or weaker clues together, with nothing strong against them."""

_FIELDS = {
    "event_type": ("event_type_raw",),
    "actor": ("perpetrator_name",),
    "perpetrator_type": ("perpetrator_type",),
    "phrase": ("narrative", "motivation_raw"),
}
"""Which incident fields each kind of rule reads."""


@dataclass(frozen=True)
class Match:
    """One rule matched in one incident: the rule, and the text it found, as written."""

    rule: Rule
    found: str

    def said(self) -> str:
        """The evidence in words, in the current language (``phrase “cattle stolen”``)."""
        shown = self.found
        kind = self.rule.kind
        if kind == "event_type":
            return _("event type “{value}”", value=shown)
        if kind == "actor":
            return _("actor “{value}”", value=shown)
        if kind == "perpetrator_type":
            return _("perpetrator type {value}", value=PERPETRATOR_LABELS[self.rule.pattern])
        return _("phrase “{value}”", value=shown)


@dataclass(frozen=True)
class Verdict:
    """What the rules say of one incident: a motivation or ``None``, a confidence (NaN
    when none), the reason in words, and the scores per motivation."""

    motivation: str | None
    confidence: float
    reason: str
    scores: dict[str, float]


def matches(incident: dict[str, Any], ruleset: RuleSet) -> list[Match]:
    """Every rule that matches ``incident`` (a row as a dict), longer matches first."""
    found: list[Match] = []
    for kind, fields in _FIELDS.items():
        rules = ruleset.of_kind(kind)
        if not rules:
            continue
        for name in fields:
            value = incident.get(name)
            if missing(value):
                continue
            if kind == "perpetrator_type":
                found += [Match(r, str(value)) for r in rules if r.pattern == str(value)]
                continue
            text, places = words_and_places(value)
            spans = []
            for rule in rules:
                hit = rule.search(text)
                if hit is not None and hit.end() > hit.start():
                    shown = as_written(str(value), places, hit.start(), hit.end())
                    spans.append((hit.start(), hit.end(), rule, shown))
            for n, (start, end, rule, said) in enumerate(spans):
                # Inside a longer match, or the same words a rule tried earlier already
                # matched ("électorale" is electoral* and elector*): not a second clue.
                inside = any(
                    s <= start and end <= e and ((e - s) > (end - start) or m < n)
                    for m, (s, e, _r, _t) in enumerate(spans)
                    if m != n
                )
                if not inside:
                    found.append(Match(rule, said))
    # One piece of evidence per rule (a phrase in the narrative and the motivation as
    # written is the same clue).
    return list({m.rule.number: m for m in found}.values())


def scores(found: list[Match]) -> dict[str, float]:
    """Per motivation, ``1 - Π(1 - weight)`` over its evidence."""
    left: dict[str, float] = {}
    for match in found:
        m = match.rule.motivation
        left[m] = left.get(m, 1.0) * (1.0 - match.rule.weight)
    return {m: 1.0 - rest for m, rest in left.items()}


def _evidence(found: list[Match], motivation: str) -> str:
    return _("; ").join(m.said() for m in found if m.rule.motivation == motivation)


def verdict(incident: dict[str, Any], ruleset: RuleSet) -> Verdict:
    """The rules' suggestion for one incident (:func:`matches`, :func:`scores`)."""
    found = matches(incident, ruleset)
    score = scores(found)
    if not score:
        return Verdict(None, float("nan"), _("no rule matched"), score)
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    best, top = ranked[0]
    second, runner = ranked[1] if len(ranked) > 1 else ("", 0.0)
    confidence = round(top * (1.0 - runner), 2)
    if confidence >= SUGGEST_AT:
        reason = _evidence(found, best)
        if runner > 0:
            reason = _(
                "{evidence}; against it: {other} ({against})",
                evidence=reason,
                other=MOTIVATION_LABELS[second],
                against=_evidence(found, second),
            )
        return Verdict(best, confidence, reason, score)
    if runner > 0 and top >= SUGGEST_AT:
        # Enough for a suggestion alone, but another motivation has evidence too: the
        # analyst decides.
        reason = _(
            "contradictory evidence, no suggestion: {first} ({evidence}) against {second} "
            "({against})",
            first=MOTIVATION_LABELS[best],
            evidence=_evidence(found, best),
            second=MOTIVATION_LABELS[second],
            against=_evidence(found, second),
        )
    else:
        reason = _(
            "evidence too weak for a suggestion ({motivation}, {confidence}): {evidence}",
            motivation=MOTIVATION_LABELS[best],
            confidence=format_number(confidence, 2),
            evidence=_evidence(found, best),
        )
    return Verdict(None, float("nan"), reason, score)
