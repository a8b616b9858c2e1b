"""The codebook beside the coding queue: each motivation's definition, the decision rules
that name it and its examples, read at run time from ``docs/codebook.md`` (or its French
twin ``docs/codebook.fr.md``), so the panel says word for word what the docs say.

The codebook's first three ``##`` sections are, in both languages: the codes (a table of
code, label, definition, lever), telling neighbours apart (paragraphs, each naming the
codes it decides between) and the examples (a table of account, code, confidence, why).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from languages import _, current
from schema.incidents import MOTIVATIONS

DOCS = Path(__file__).resolve().parents[1] / "docs"
FILES = {"en": DOCS / "codebook.md", "fr": DOCS / "codebook.fr.md"}
_CODE = re.compile(r"`([a-z_]+)`")


@dataclass(frozen=True)
class Entry:
    """One motivation as the codebook describes it."""

    code: str
    label: str
    definition: str
    lever: str
    rules: tuple[str, ...]
    examples: tuple[tuple[str, str, str], ...]
    """(account, confidence, why) of each example coded so."""


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str]) -> list[list[str]]:
    """The body rows of the first markdown table in ``lines``."""
    rows = [line for line in lines if line.lstrip().startswith("|")]
    return [_cells(line) for line in rows[2:]]  # after the heading and the --- line


def _sections(text: str) -> list[list[str]]:
    """The lines of each ``## `` section, in order (the title and preamble left out)."""
    sections: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append([])
        elif sections:
            sections[-1].append(line)
    return sections


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated blocks, each joined back into its lines."""
    blocks, block = [], []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
        elif block:
            blocks.append("\n".join(block))
            block = []
    return blocks


def parse(text: str) -> dict[str, Entry]:
    """Each motivation's :class:`Entry` from the codebook's ``text``.

    Raises
    ------
    ValueError
        when a motivation of :data:`schema.incidents.MOTIVATIONS` has no row in the codes
        table (the codebook and the schema disagree).
    """
    codes, neighbours, examples = _sections(text)[:3]
    rows = {_CODE.sub(r"\1", row[0]): row for row in _table(codes) if len(row) >= 4}
    rules = _paragraphs(neighbours)
    coded_examples = [row for row in _table(examples) if len(row) >= 4]
    entries = {}
    for code in MOTIVATIONS:
        if code not in rows:
            raise ValueError(
                _(
                    "the codebook has no row for the motivation {code} in its table of codes; "
                    "add one (code, label, definition, lever)",
                    code=code,
                )
            )
        row = rows[code]
        entries[code] = Entry(
            code=code,
            label=row[1],
            definition=row[2],
            lever=row[3],
            rules=tuple(r for r in rules if f"`{code}`" in r),
            examples=tuple((e[0], e[2], e[3]) for e in coded_examples if e[1] == f"`{code}`"),
        )
    return entries


@functools.cache
def _read(path: Path, modified: float) -> dict[str, Entry]:
    return parse(path.read_text(encoding="utf-8"))


def entries(language: str | None = None) -> dict[str, Entry]:
    """The codebook in ``language`` (default: the person's; English where there is no
    codebook in theirs)."""
    path = FILES.get(language or current(), FILES["en"])
    return _read(path, path.stat().st_mtime)


def show(first: str | None = None) -> None:
    """The codebook panel: every motivation, ``first`` (the one being chosen) at the top."""
    book = entries()
    # The motivation being chosen first; "not yet assessed" stays last.
    order = sorted(book, key=lambda code: code != first or code == "unknown")
    with st.expander(_("Codebook"), expanded=True), st.container(height=460):
        for code in order:
            entry = book[code]
            st.markdown(f"**{entry.label}** (`{code}`): {entry.definition}")
            st.caption(_("Suggested lever: {lever}", lever=entry.lever))
            for rule in entry.rules:
                st.markdown(rule)
            for account, confidence, why in entry.examples:
                st.markdown(
                    _(
                        "*Example*: {account} ({confidence}: {why})",
                        account=account,
                        confidence=confidence or "—",
                        why=why,
                    )
                )
            st.divider()
