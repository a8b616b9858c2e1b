"""The languages pocmap speaks: gettext catalogues, the current language, local formats.

Every user-facing string, in the pages and in the core's messages, is written in English
in the code and passed through :func:`_` (or :func:`ngettext`), which looks it up in the
current language's catalogue. Strings defined once at import time (labels of codes and
fields) are marked with :func:`N_` and kept in English; :class:`Labels` and :func:`_`
translate them where they are shown.

The catalogues are gettext ``.po`` files under ``languages/locale/<language>/LC_MESSAGES/``
(one file per part of pocmap, merged when read). A translator adds a language by copying
the ``fr`` folder to a new one (``es``, ``ar``...), translating its ``msgstr`` lines and
restarting pocmap: the language appears in the sidebar, the command line and
``POCMAP_LANG`` with no change to the code (``docs/translating.md``).
``python -m languages.extract`` adds the strings new code uses to every catalogue.

The language is chosen per person: the pages set it for each run (:func:`use`), the
command line from ``--lang``; otherwise ``POCMAP_LANG``; otherwise English. This package
imports no other part of pocmap.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext
import io
import os
import string
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ENGLISH = "en"
"""The language the code is written in: its catalogue is the code itself."""

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""``<language>/LC_MESSAGES/*.po``: one folder per language besides English."""

ENV = "POCMAP_LANG"

_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "pocmap_language", default=None
)
_resolver: Callable[[], str | None] | None = None


def available() -> tuple[str, ...]:
    """Every language pocmap speaks: English, then each catalogue folder, sorted."""
    return _found_in(LOCALE_DIR)


@functools.cache
def _found_in(folder: Path) -> tuple[str, ...]:
    # Read once per folder: ``current()`` asks on every message when the language comes
    # from POCMAP_LANG, and a folder scan each time cost 40 µs a message.
    found = sorted(
        p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("LC_MESSAGES/*.po"))
    )
    return (ENGLISH, *[code for code in found if code != ENGLISH])


@functools.cache
def language_name(code: str) -> str:
    """The language's name in itself ("English", "Français"), for a language switch."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def chosen(value: str | None) -> str | None:
    """``value`` (``fr``, ``FR``, ``fr_FR``, ``français``) as a language pocmap speaks,
    or ``None`` when it names none."""
    if not value:
        return None
    text = value.strip().lower().replace("-", "_")
    for code in available():
        if text in {code, code.split("_")[0]} or text.split("_")[0] == code:
            return code
        if text == language_name(code).lower():
            return code
    return None


def default() -> str:
    """The deployment's language: ``POCMAP_LANG`` when it names one pocmap speaks, else
    English."""
    return chosen(os.environ.get(ENV, "")) or ENGLISH


def current() -> str:
    """The language of this run: set with :func:`use`/:func:`set_language`, else the
    one the pages' resolver gives (the person's choice), else :func:`default`."""
    language = _chosen.get()
    if language is None and _resolver is not None:
        with contextlib.suppress(Exception):
            language = _resolver()
    return language or default()


def set_language(language: str | None) -> None:
    """Use ``language`` (``None``: the default) for the rest of this thread's work."""
    _chosen.set(chosen(language) if language else None)


@contextlib.contextmanager
def use(language: str | None) -> Iterator[str]:
    """Within the block, speak ``language`` (``None``: the default)."""
    token = _chosen.set(chosen(language) if language else None)
    try:
        yield current()
    finally:
        _chosen.reset(token)


def set_resolver(resolver: Callable[[], str | None] | None) -> None:
    """Where :func:`current` asks for the person's language when none is set here (the
    pages: the sidebar's choice, which survives their partial reruns)."""
    global _resolver
    _resolver = resolver


def carried(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` bound to this thread's language, to run on another thread."""
    return functools.partial(contextvars.copy_context().run, function)


@functools.cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The language's merged catalogue (every ``.po`` of its folder), compiled in memory."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    merged = None
    for path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            part = read_po(handle, locale=language)
        if merged is None:
            merged = part
            continue
        for message in part:
            if message.id and message.string:
                merged[message.id] = message
    if merged is None:
        return gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, merged, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str, /, **values: Any) -> str:
    """``message`` in the current language, its ``{names}`` filled from ``values``."""
    text = catalogue(current()).gettext(message) if message else message
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The singular or plural form for ``n`` in the current language; ``{n}`` and the
    other ``{names}`` filled."""
    text = catalogue(current()).ngettext(singular, plural, n)
    return text.format(n=format_number(n), **values)


def N_(message: str, /) -> str:
    """Mark ``message`` for the catalogues without translating it now (a label defined
    at import time): translate it where it is shown, with :func:`_`."""
    return message


def placeholders(message: str) -> set[str]:
    """The ``{names}`` of a message: a translation must keep the same ones."""
    return {
        name for _text, name, _spec, _conv in string.Formatter().parse(message) if name is not None
    }


class Labels(Mapping[str, str]):
    """Codes' labels written in English (marked with :func:`N_`), read in the current
    language: ``LABELS[code]`` translates at each lookup."""

    def __init__(self, english: Mapping[str, str]) -> None:
        self.english = dict(english)

    def __getitem__(self, code: str) -> str:
        return _(self.english[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)

    def __repr__(self) -> str:
        return f"Labels({self.english!r})"


# --- numbers and dates as the language writes them --------------------------------------


def _locale() -> str:
    return current()


def format_number(value: float | int, digits: int | None = None) -> str:
    """``1234.5`` as the language writes it (``1,234.5``; ``1 234,5``), with ``digits``
    decimals when given."""
    if digits is None:
        return babel_numbers.format_decimal(value, locale=_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=_locale())


def format_percent(share: float, digits: int = 0) -> str:
    """``0.25`` as ``25%`` / ``25 %`` (the language's own pattern), ``digits`` decimals."""
    pattern = Locale.parse(_locale()).percent_formats[None].pattern
    if digits > 0:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return babel_numbers.format_percent(share, format=pattern, locale=_locale())


def format_date(value: dt.date | dt.datetime, width: str = "medium") -> str:
    """A date as the language writes it (``Oct 3, 2025``; ``3 oct. 2025``)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_dates.format_date(value, format=width, locale=_locale())


def format_datetime(value: dt.datetime, width: str = "medium") -> str:
    """A moment as the language writes it."""
    return babel_dates.format_datetime(value, format=width, locale=_locale())


def translated_everywhere(message: str) -> dict[str, str]:
    """``message`` in every language pocmap speaks (for reading files: a French office's
    header or value is recognised whatever the reader's language)."""
    found = {}
    for language in available():
        with use(language):
            found[language] = _(message)
    return found


__all__ = [
    "ENGLISH",
    "N_",
    "Labels",
    "_",
    "available",
    "carried",
    "catalogue",
    "chosen",
    "current",
    "default",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "language_name",
    "ngettext",
    "placeholders",
    "set_language",
    "set_resolver",
    "translated_everywhere",
    "use",
]
