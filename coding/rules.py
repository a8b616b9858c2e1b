"""Motivation rules: readable, editable evidence for suggesting an incident's motivation.

One rule per line of a CSV file (``docs/suggestions.md``, "The rules file"):

``kind``
    What the rule reads: ``event_type`` (the source's own event type, ``event_type_raw``:
    ACLED's "Violence against civilians: Looting/property destruction", UCDP's "one-sided
    violence"), ``actor`` (the perpetrator's name), ``perpetrator_type`` (its code, such as
    ``criminal``) or ``phrase`` (the narrative and the motivation as written).
``pattern``
    Words to find, ignoring case, accents and punctuation, whole words in order
    (``vol de bétail`` finds "VOL DE BETAIL," but not "envol"). ``*`` ends a word that may
    go on (``représaille*`` finds "représailles"). ``re:`` starts a regular expression
    (Python syntax) searched in the text in lower case, without accents, punctuation as
    spaces. For ``perpetrator_type``: a perpetrator type's code or label.
``motivation``
    The motivation the evidence points to: a code or its label, in English or French.
``weight``
    How strongly one such match alone points to it, from 0 (the rule is off) to 1.
``reason``
    Why, for the next analyst (optional).

The mission's rules (setting ``POCMAP_MOTIVATION_RULES``) come first; a default rule
with the same kind and pattern as one of the mission's is replaced by it (weight 0 so
switches a default off). Lines whose first cell starts with ``#`` are comments.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coding.text import words
from languages import _, translated_everywhere
from schema.incidents import MOTIVATION_LABELS, MOTIVATIONS, PERPETRATOR_LABELS, PERPETRATOR_TYPES

RULES_ENV = "POCMAP_MOTIVATION_RULES"
"""The setting naming the mission's own rules file (``config.settings``)."""
DEFAULTS = Path(__file__).with_name("default_rules.csv")
KINDS = ("event_type", "actor", "perpetrator_type", "phrase")
COLUMNS = ("kind", "pattern", "motivation", "weight", "reason")
REQUIRED = ("kind", "pattern", "motivation", "weight")
SUGGESTED = tuple(m for m in MOTIVATIONS if m != "unknown")
"""A rule points to a motivation; "not yet assessed" is what it helps to end."""
_REGEX = "re:"


class RulesError(ValueError):
    """A rules file cannot be read; the message names the file, line, column and value
    and what would be accepted."""


@dataclass(frozen=True)
class Rule:
    """One line of a rules file; ``number`` is its place among the rules in effect."""

    number: int
    kind: str
    pattern: str
    motivation: str
    weight: float
    reason: str
    source: str
    line: int
    regex: re.Pattern[str] = field(repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        """What a mission's rule replaces a default by: its kind and pattern's words."""
        return self.kind, words(self.pattern) if not self.is_regex else self.pattern

    @property
    def is_regex(self) -> bool:
        return self.pattern.lower().startswith(_REGEX)

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in ``text`` (in :func:`coding.text.words` form)."""
        return self.regex.search(text)


@dataclass(frozen=True)
class RuleSet:
    """The rules in effect, the mission's first, and the files they came from."""

    rules: tuple[Rule, ...]
    files: tuple[str, ...]

    def of_kind(self, kind: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == kind and r.weight > 0)


@functools.cache
def _codes_of(which: str) -> dict[str, str]:
    """:func:`_codes` of the motivations a rule may suggest or the perpetrator types (read
    once: every language's catalogue is opened)."""
    if which == "motivation":
        return _codes(MOTIVATION_LABELS, SUGGESTED)
    return _codes(PERPETRATOR_LABELS, PERPETRATOR_TYPES)


def _codes(labels: Any, codes: tuple[str, ...]) -> dict[str, str]:
    """Code -> code, and each label in every language -> code, in matching form."""
    found = {words(c): c for c in codes}
    for code in codes:
        for text in translated_everywhere(labels.english[code]).values():
            found[words(text)] = code
    return found


def _compiled(pattern: str) -> re.Pattern[str]:
    """The pattern's regular expression over text in ``words`` form."""
    if pattern.lower().startswith(_REGEX):
        return re.compile(pattern[len(_REGEX) :].strip())
    parts = []
    for token in pattern.split():
        stem = words(token.rstrip("*"))
        if not stem:
            continue
        # A word with inner punctuation ("Looting/property") is several words.
        ending = r"\w*" if token.endswith("*") else ""
        parts.append(r"\s".join(re.escape(w) for w in stem.split()) + ending)
    return re.compile(r"\b" + r"\s".join(parts) + r"\b")


def _where(name: str, line: int, column: str, value: str) -> dict[str, Any]:
    """The placeholders every message about one cell fills: file, line, column, value."""
    return {"file": name, "line": line, "column": column, "value": repr(value)}


def _rule(cell: dict[str, str], name: str, line: int, number: int) -> Rule:
    kind = words(cell["kind"]).replace(" ", "_")
    if kind not in KINDS:
        raise RulesError(_(
            "motivation rules {file}, line {line}, column {column}: {value} is not a kind of "
            "rule; write one of {kinds}", kinds=", ".join(KINDS),
            **_where(name, line, "kind", cell["kind"])))  # fmt: skip
    pattern = cell["pattern"]
    if kind == "perpetrator_type":
        code = _codes_of("perpetrator_type").get(words(pattern))
        if code is None:
            raise RulesError(_(
                "motivation rules {file}, line {line}, column {column}: {value} is not a "
                "perpetrator type; write one of {codes}", codes=", ".join(PERPETRATOR_TYPES),
                **_where(name, line, "pattern", pattern)))  # fmt: skip
        pattern = code
    if not words(pattern.removeprefix(_REGEX) if pattern.lower().startswith(_REGEX) else pattern):
        raise RulesError(_(
            "motivation rules {file}, line {line}, column {column}: {value} has no letter or "
            "digit; write the words to find (such as cattle stolen), or re: and a regular "
            "expression", **_where(name, line, "pattern", pattern)))  # fmt: skip
    try:
        regex = _compiled(pattern)
    except re.error as err:
        raise RulesError(_(
            "motivation rules {file}, line {line}, column {column}: {value} is not a valid "
            "regular expression ({error}); write words to find, or re: followed by a Python "
            "regular expression", error=err, **_where(name, line, "pattern", pattern)
        )) from err  # fmt: skip
    motivation = _codes_of("motivation").get(words(cell["motivation"]))
    if motivation is None:
        raise RulesError(_(
            "motivation rules {file}, line {line}, column {column}: {value} is not a "
            "motivation a rule may suggest; write one of {codes}", codes=", ".join(SUGGESTED),
            **_where(name, line, "motivation", cell["motivation"])))  # fmt: skip
    try:
        weight = float(cell["weight"].replace(",", "."))
    except ValueError:
        weight = -1.0
    if not 0 <= weight <= 1:
        raise RulesError(_(
            "motivation rules {file}, line {line}, column {column}: {value} is not a weight; "
            "write a number from 0 (the rule is off) to 1 (one match alone is strong "
            "evidence), such as 0.6", **_where(name, line, "weight", cell["weight"])))  # fmt: skip
    return Rule(number, kind, pattern, motivation, weight, cell.get("reason", ""), name, line,
                regex)  # fmt: skip


def _content(line: str) -> bool:
    """Whether a line holds a rule or the header (not blank, not a ``#`` comment)."""
    stripped = line.strip().strip('"').strip()
    return bool(stripped.strip(",;")) and not stripped.startswith("#")


def parse(text: str, name: str, first_number: int = 1) -> list[Rule]:
    """The rules of one file's text; ``name`` names the file in messages.

    Raises
    ------
    RulesError
        naming the file, line, column and value that cannot be read, and what would be.
    """
    lines = text.splitlines()
    header_line = next((i for i, line in enumerate(lines) if _content(line)), None)
    if header_line is None:
        raise RulesError(_(
            "motivation rules {file}: empty; it needs a header line {columns} and one rule "
            "per line", file=name, columns=",".join(COLUMNS)))  # fmt: skip
    head = lines[header_line]
    delimiter = ";" if head.count(";") > head.count(",") else ","
    rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
    header = [c.strip().lower() for c in rows[header_line]]
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        raise RulesError(_(
            "motivation rules {file}, line {line}: the header is {header}; expected the "
            "columns {columns} (reason may be left out)", file=name, line=header_line + 1,
            header=repr(",".join(header)), columns=", ".join(COLUMNS)))  # fmt: skip
    at = {c: header.index(c) for c in header}
    rules: list[Rule] = []
    for number, cells in enumerate(rows[header_line + 1 :], start=header_line + 2):
        if not cells or not _content(lines[number - 1]):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise RulesError(_(
                "motivation rules {file}, line {line}: {cells} cells but the header has "
                "{width} ({header}); quote a value holding {delimiter} with double quotes",
                file=name, line=number, cells=len(cells), width=len(header),
                header=",".join(header), delimiter=repr(delimiter)))  # fmt: skip
        cell = {c: (cells[i].strip() if i < len(cells) else "") for c, i in at.items()}
        rules.append(_rule(cell, name, number, first_number + len(rules)))
    return rules


def read_file(path: Path, first_number: int = 1, shown: str | None = None) -> list[Rule]:
    """The rules of the file at ``path`` (``shown``: its name in messages)."""
    name = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise RulesError(_(
            "motivation rules {file}: cannot be read ({error}); {setting} must name a CSV "
            "file with the columns {columns}", file=name, error=err.strerror or err,
            setting=RULES_ENV, columns=", ".join(COLUMNS))) from err  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    return parse(text, name, first_number)


def load(mission: str | Path | None = None, *, defaults: bool = True) -> RuleSet:
    """The mission's rules (the file ``mission``, default ``$POCMAP_MOTIVATION_RULES``;
    none when unset) followed by the defaults they do not replace.

    Raises
    ------
    RulesError
        when a file cannot be read or a line is not a rule.
    """
    given = str(mission) if mission is not None else os.environ.get(RULES_ENV, "").strip()
    rules: list[Rule] = []
    files: list[str] = []
    if given:
        rules += read_file(Path(given).expanduser())
        files.append(given)
    if defaults:
        replaced = {r.key for r in rules}
        shipped = read_file(DEFAULTS, len(rules) + 1, "default_rules.csv")
        kept = [r for r in shipped if r.key not in replaced]
        rules += [
            Rule(len(rules) + 1 + i, r.kind, r.pattern, r.motivation, r.weight, r.reason,
                 r.source, r.line, r.regex)
            for i, r in enumerate(kept)
        ]  # fmt: skip
        files.append(str(DEFAULTS))
    return RuleSet(tuple(rules), tuple(files))


_LOADED: dict[tuple[Any, ...], RuleSet] = {}


def current() -> RuleSet:
    """:func:`load` for this process's settings, read again when a file changes."""
    given = os.environ.get(RULES_ENV, "").strip()
    paths = [Path(given).expanduser()] if given else []
    key = (*(_stamp(p) for p in paths), _stamp(DEFAULTS))
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = load(given or None)
    return _LOADED[key]


def _stamp(path: Path) -> tuple[str, float, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1.0, -1)
    return (str(path), stat.st_mtime, stat.st_size)
