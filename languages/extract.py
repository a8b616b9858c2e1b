"""Find every string pocmap shows and add the new ones to each language's catalogue.

``python -m languages.extract`` reads the code (``_``, ``N_`` and ``ngettext`` calls),
writes the template ``languages/pocmap.pot`` and, in each language's folder, adds every
string no catalogue has yet to the part of pocmap it comes from (``ui.po``,
``ingest.po``...) with an empty translation, and drops translations no code uses any
more. A translator then fills the empty ``msgstr`` lines; the suite fails while one is
empty (``tests/languages/``). ``--check`` changes nothing and exits 1 when a catalogue
is behind the code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from languages import ENGLISH, LOCALE_DIR, available

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = (
    "app.py",
    "asgi.py",
    "schema",
    "store",
    "ingest",
    "analysis",
    "coding",
    "sample_data",
    "access",
    "layers",
    "briefing",
    "cli",
    "ui",
)
"""What is shipped to users (not the tests, the benchmark or the deployment scripts)."""

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TEMPLATE = Path(__file__).resolve().parent / "pocmap.pot"


@dataclass
class Found:
    """One string of the code: its plural (if any) and where it is used."""

    plural: str | None = None
    places: list[tuple[str, int]] = field(default_factory=list)

    @property
    def part(self) -> str:
        """The catalogue file it belongs in: the package of its first use."""
        first = self.places[0][0]
        top = first.split("/", 1)[0].removesuffix(".py")
        return "ui" if top in {"app", "asgi"} else top


def _files() -> Iterable[Path]:
    for name in PRODUCT:
        path = ROOT / name
        if path.is_file():
            yield path
        else:
            yield from sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)


def found_in_code() -> dict[str, Found]:
    """Every message id of the product, in the order first met."""
    messages: dict[str, Found] = {}
    for path in _files():
        relative = path.relative_to(ROOT).as_posix()
        for line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            singular, plural = (message, None) if isinstance(message, str) else message[:2]
            if not singular:
                continue
            entry = messages.setdefault(singular, Found(plural))
            entry.places.append((relative, line))
    return messages


def _read(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


_STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
"""Written in every header instead of today: running the extraction changes a file only
when its strings change."""
_HEADER = "# pocmap's strings in {language}: fill each empty msgstr (docs/translating.md)."


def _write(path: Path, catalogue: Catalog, *, template: bool = False) -> None:
    """A catalogue, stable from one run to the next: where each string is used goes in the
    template only (moving code would otherwise rewrite every translation file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.creation_date = _STAMP
    catalogue.revision_date = _STAMP
    catalogue.header_comment = _HEADER.format(language=catalogue.locale or "every language")
    catalogue.last_translator = "pocmap translators"
    catalogue.language_team = "pocmap translators"
    catalogue.msgid_bugs_address = ""
    catalogue.version = ""
    with path.open("wb") as handle:
        write_po(
            handle,
            catalogue,
            width=96,
            no_location=not template,
            omit_header=False,
            sort_output=False,
        )


def _new_catalogue(language: str | None) -> Catalog:
    catalogue = Catalog(locale=language, project="pocmap", domain="pocmap")
    catalogue.fuzzy = False
    return catalogue


def update(check: bool = False) -> list[str]:
    """Bring every catalogue up to the code; what changed (or would), in lines."""
    code = found_in_code()
    said: list[str] = []
    template = _new_catalogue(None)
    for message_id, entry in code.items():
        template.add(
            (message_id, entry.plural) if entry.plural else message_id,
            locations=entry.places,
        )
    if not check:
        _write(TEMPLATE, template, template=True)
    for language in available():
        if language == ENGLISH:
            continue
        folder = LOCALE_DIR / language / "LC_MESSAGES"
        parts = {p.stem: _read(p, language) for p in sorted(folder.glob("*.po"))}
        known: set[str] = set()
        for name, part in parts.items():
            gone = [_key(m.id) for m in part if m.id and _key(m.id) not in code]
            for message_id in gone:
                del part[message_id]
            if gone:
                said.append(f"{language}/{name}.po: {len(gone)} no longer used")
            for message in part:
                if message.id:
                    known.add(_key(message.id))
        added: dict[str, int] = {}
        for message_id, entry in code.items():
            if message_id in known:
                continue
            part = parts.setdefault(entry.part, _new_catalogue(language))
            part.add(
                (message_id, entry.plural) if entry.plural else message_id,
                string=("",) * part.num_plurals if entry.plural else "",
                locations=entry.places,
            )
            added[entry.part] = added.get(entry.part, 0) + 1
        for name, count in added.items():
            said.append(f"{language}/{name}.po: {count} new, to translate")
        if not check:
            for name, part in parts.items():
                _write(folder / f"{name}.po", part)
    return said


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m languages.extract", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if behind")
    args = parser.parse_args(argv)
    said = update(check=args.check)
    print("\n".join(said) or "every catalogue is up to date with the code")
    return 1 if args.check and said else 0


if __name__ == "__main__":
    sys.exit(main())
