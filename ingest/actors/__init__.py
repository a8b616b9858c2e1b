"""The actor dictionary: which perpetrator type an actor's name means, mission by mission.

ACLED and UCDP name who did it ("Wagner Group", "MINUSCA: United Nations ...", "UPC: Union
for Peace in the Central African Republic") but their own codes cannot say that a foreign
force fights beside the state or that the actor is the UN mission itself. The dictionary
does, as plain CSV a mission can edit (``docs/codebook.md``, "The actor dictionary"):

``country``
    ISO 3166 alpha-3 code (``CAF``, ``COD``, ``MLI``, ``SSD``) or empty for any country. A
    rule for a country is skipped for rows known to come from another country; rows whose
    country is not known (a field office's own file) are tried against every rule.
``pattern``
    The words to find in the actor's name, ignoring case, accents and punctuation, whole
    words in order: ``UPC`` finds "UPC: Union for Peace ..." but not "UPCO", and
    ``Forces armées`` finds "FORCES ARMEES". A pattern starting ``re:`` is a regular
    expression (Python syntax), searched in the name written in lower case without accents.
``perpetrator_type``
    One of the incidents' perpetrator codes (``schema.incidents.PERPETRATOR_TYPES``) or its
    label, or ``source``: this name is left to the source's own code (a mission rule can
    so switch a default off).
``note``
    Why, for the next analyst (optional).

Rules are tried in order, the mission's (``POCMAP_ACTORS``) before the defaults shipped
here (``defaults.csv``); the first that matches decides. Lines whose first cell starts with
``#`` are comments.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.values import is_missing, plain
from languages import _
from schema.incidents import PERPETRATOR_LABELS, PERPETRATOR_TYPES
from schema.upload import IngestError

ACTORS_ENV = "POCMAP_ACTORS"
"""The setting naming the mission's own dictionary (``config.settings``)."""
DEFAULTS = Path(__file__).with_name("defaults.csv")
SOURCE = "source"
"""A rule's type meaning: no type from the dictionary, the source's own code decides."""
COLUMNS = ("country", "pattern", "perpetrator_type", "note")
REQUIRED = ("country", "pattern", "perpetrator_type")
_REGEX = "re:"
_ISO3 = re.compile(r"^[A-Z]{3}$")


class ActorDictionaryError(IngestError):
    """A dictionary file cannot be read; the message names the file, line, column and value
    and what would be accepted."""


def words(text: str) -> str:
    """The matching form of a name: lower case, no accents, punctuation as spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", plain(text)).split())


@dataclass(frozen=True)
class Rule:
    """One line of a dictionary.

    Attributes
    ----------
    number : its place among the rules in effect (1 is tried first).
    source, line : the file it comes from (as named in messages) and its line there;
        :attr:`origin` says both in the current language.
    """

    number: int
    file: int
    """0 for the mission's file, 1 for the defaults."""
    country: str
    pattern: str
    perpetrator_type: str
    note: str
    source: str
    line: int
    _words: str = field(repr=False, compare=False, default="")
    _regex: re.Pattern[str] | None = field(repr=False, compare=False, default=None)

    def matches(self, padded_words: str, plain_name: str, country: str) -> bool:
        """Whether this rule applies to a name (``" " + words(name) + " "`` and
        ``plain(name)``) from ``country`` (ISO3, a name, or ``""`` when not known)."""
        if self.country and country and country != self.country:
            return False
        if self._regex is not None:
            return self._regex.search(plain_name) is not None
        return f" {self._words} " in padded_words

    @property
    def origin(self) -> str:
        """The file and line the rule comes from, for messages (``actors.csv line 4``)."""
        return _("{file} line {line}", file=self.source, line=self.line)

    def describe(self) -> str:
        """``actor dictionary rule N: pattern → type``, as edits and reports cite it."""
        where = f" ({self.country})" if self.country else ""
        # Starts with the prefix ingest.actors.stored recognises its own edits by.
        return _(
            "actor dictionary rule {number}: {pattern}{where} → {kind}",
            number=self.number,
            pattern=self.pattern,
            where=where,
            kind=self.perpetrator_type,
        )


@dataclass(frozen=True)
class ActorDictionary:
    """The rules in effect, in the order they are tried, and the files they came from."""

    rules: tuple[Rule, ...]
    files: tuple[str, ...]
    _cache: dict[tuple[str, str], Rule | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    def match(self, name: Any, country: str = "") -> Rule | None:
        """The first rule whose pattern is in ``name`` (``None`` when none is, or no name)."""
        if is_missing(name):
            return None
        key = (str(name), country)
        if key not in self._cache:
            text = str(name)
            padded, bare = f" {words(text)} ", plain(text)
            found = [r for r in self.rules if r.matches(padded, bare, country)]
            first = found[0] if found else None
            if first is not None and first.country and not country:
                # A row from no known country (an office's own file): a country's rule
                # decides only when no other country's rule in the same file says otherwise
                # (Rwandan forces are allied to the state in one country, not another).
                if any(
                    r.file == first.file and r.country != first.country
                    and r.perpetrator_type != first.perpetrator_type
                    for r in found
                ):  # fmt: skip
                    first = None
            self._cache[key] = first
        return self._cache[key]

    def perpetrator_type(self, name: Any, country: str = "") -> tuple[str | None, Rule | None]:
        """``(type, rule)`` for ``name``: ``(None, rule)`` when the rule leaves it to the
        source, ``(None, None)`` when no rule matches."""
        rule = self.match(name, country)
        if rule is None or rule.perpetrator_type == SOURCE:
            return None, rule
        return rule.perpetrator_type, rule


_CODES = {words(c): c for c in PERPETRATOR_TYPES} | {
    words(label): code for code, label in PERPETRATOR_LABELS.items()
}
_CODES[SOURCE] = SOURCE


def _decoded(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the machine's code page.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as err:
            raise ActorDictionaryError(
                _(
                    "actor dictionary {file}: not UTF-8 text (byte {byte}); save it as 'CSV UTF-8'",
                    file=name,
                    byte=err.start,
                )
            ) from err


def parse(text: str, name: str, first_number: int = 1, file: int = 0) -> list[Rule]:
    """The rules of one dictionary file's text; ``name`` names it in messages.

    Raises
    ------
    ActorDictionaryError
        naming the file, line, column and value that cannot be read, and what would be.
    """
    lines = text.splitlines()
    header_line = next((i for i, line in enumerate(lines) if _content(line)), None)
    if header_line is None:
        raise ActorDictionaryError(
            _(
                "actor dictionary {file}: empty; it needs a header line {columns} and one "
                "rule per line",
                file=name,
                columns=",".join(COLUMNS),
            )
        )
    head = lines[header_line]
    delimiter = ";" if head.count(";") > head.count(",") else ","
    # Read line by line (a rule never spans lines), so that messages give the line.
    rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
    header = [c.strip().lower() for c in rows[header_line]]
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        said = [
            _(
                "actor dictionary {file}, line {line}: the header is {header}",
                file=name,
                line=header_line + 1,
                header=repr(",".join(header)),
            )
        ]
        if unknown:
            said.append(_("unknown column(s) {columns}", columns=", ".join(unknown)))
        if missing:
            said.append(_("missing {columns}", columns=", ".join(missing)))
        said.append(
            _(
                "expected the columns {columns} (note may be left out)",
                columns=", ".join(COLUMNS),
            )
        )
        raise ActorDictionaryError(_("; ").join(said))
    at = {c: header.index(c) for c in header}
    rules: list[Rule] = []
    for number, cells in enumerate(rows[header_line + 1 :], start=header_line + 2):
        if not cells or not _content(lines[number - 1]):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise ActorDictionaryError(
                _(
                    "actor dictionary {file}, line {line}: {cells} cells but the header has "
                    "{width} ({header}); quote a value holding {delimiter} with double quotes",
                    file=name,
                    line=number,
                    cells=len(cells),
                    width=len(header),
                    header=",".join(header),
                    delimiter=repr(delimiter),
                )
            )
        cell = {c: (cells[i].strip() if i < len(cells) else "") for c, i in at.items()}
        rules.append(_rule(cell, name, number, first_number + len(rules), file))
    return rules


def _content(line: str) -> bool:
    """Whether a line holds a rule or the header (not blank, not a ``#`` comment)."""
    stripped = line.strip().strip('"').strip()
    return bool(stripped.strip(",;")) and not stripped.startswith("#")


def _rule(cell: dict[str, str], name: str, line: int, number: int, file: int) -> Rule:
    country = cell["country"].upper()
    if country and not _ISO3.match(country):
        raise ActorDictionaryError(
            _(
                "actor dictionary {file}, line {line}, column country: {value} is not an ISO "
                "3166 alpha-3 code; write three letters such as CAF, COD, MLI or SSD, or leave "
                "it empty for any country",
                file=name,
                line=line,
                value=repr(cell["country"]),
            )
        )
    pattern = cell["pattern"]
    regex = None
    if pattern.lower().startswith(_REGEX):
        try:
            regex = re.compile(pattern[len(_REGEX) :].strip(), re.IGNORECASE)
        except re.error as err:
            raise ActorDictionaryError(
                _(
                    "actor dictionary {file}, line {line}, column pattern: {value} is not a "
                    "valid regular expression ({error}); write words to find, or re: followed "
                    "by a Python regular expression",
                    file=name,
                    line=line,
                    value=repr(pattern),
                    error=err,
                )
            ) from err
    if not words(pattern.removeprefix(_REGEX) if regex else pattern):
        raise ActorDictionaryError(
            _(
                "actor dictionary {file}, line {line}, column pattern: {value} has no letter "
                "or digit; write the words to find in the actor's name (such as Wagner), or "
                "re: and a regular expression",
                file=name,
                line=line,
                value=repr(pattern),
            )
        )
    kind = _CODES.get(words(cell["perpetrator_type"]))
    if kind is None:
        raise ActorDictionaryError(
            _(
                "actor dictionary {file}, line {line}, column perpetrator_type: {value} is not "
                "a perpetrator type; write one of {codes}, or {source} to leave the name to "
                "the source's own code",
                file=name,
                line=line,
                value=repr(cell["perpetrator_type"]),
                codes=", ".join(PERPETRATOR_TYPES),
                source=SOURCE,
            )
        )
    return Rule(
        number=number,
        file=file,
        country=country,
        pattern=pattern,
        perpetrator_type=kind,
        note=cell.get("note", ""),
        source=name,
        line=line,
        _words=words(pattern),
        _regex=regex,
    )


def read_file(
    path: Path, first_number: int = 1, shown: str | None = None, file: int = 0
) -> list[Rule]:
    """The rules of the dictionary file at ``path`` (``shown``: its name in messages)."""
    name = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ActorDictionaryError(
            _(
                "actor dictionary {file}: cannot be read ({error}); {setting} must name a CSV "
                "file with the columns {columns}",
                file=name,
                error=err.strerror or err,
                setting=ACTORS_ENV,
                columns=", ".join(COLUMNS),
            )
        ) from err
    return parse(_decoded(data, name), name, first_number, file)


def load(mission: str | Path | None = None, *, defaults: bool = True) -> ActorDictionary:
    """The mission's rules (the file ``mission``, default ``$POCMAP_ACTORS``; none when
    unset) followed by the shipped defaults.

    Raises
    ------
    ActorDictionaryError
        when a file cannot be read or a line is not a rule.
    """
    given = str(mission) if mission is not None else os.environ.get(ACTORS_ENV, "").strip()
    rules: list[Rule] = []
    files: list[str] = []
    if given:
        rules += read_file(Path(given).expanduser(), 1)
        files.append(given)
    if defaults:
        rules += read_file(DEFAULTS, len(rules) + 1, "defaults.csv", 1)
        files.append(str(DEFAULTS))
    return ActorDictionary(tuple(rules), tuple(files))


_LOADED: dict[tuple[Any, ...], ActorDictionary] = {}


def current() -> ActorDictionary:
    """:func:`load` for this process's settings, read again when a file changes."""
    given = os.environ.get(ACTORS_ENV, "").strip()
    files = [Path(given).expanduser()] if given else []
    key = (*(_stamp(p) for p in files), _stamp(DEFAULTS))
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


def table(dictionary: ActorDictionary) -> list[dict[str, Any]]:
    """The rules as plain rows (``pocmap actors --list``)."""
    return [
        {
            "rule": r.number,
            "country": r.country,
            "pattern": r.pattern,
            "perpetrator_type": r.perpetrator_type,
            "note": r.note,
            "from": r.origin,
        }
        for r in dictionary.rules
    ]


def distinct_names(names: Iterable[Any]) -> list[str]:
    """The distinct names in ``names`` in order of first appearance (missing left out)."""
    return list(dict.fromkeys(str(n) for n in names if not is_missing(n)))
