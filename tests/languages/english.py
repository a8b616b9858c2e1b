"""Is there English left in text shown in French? Words of pocmap's English strings that
its French catalogue never uses: one of them in a French page, report or output is a
string that escaped translation.

The vocabulary comes from the catalogues themselves (``languages/pocmap.pot`` against
``fr``), so it grows with the code; data shown on a page (place names, narratives, file
names) is removed from the text first by the caller (``ignoring``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from babel.messages.pofile import read_po

from languages import LOCALE_DIR, available, language_name
from languages.extract import TEMPLATE

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# A token mixing letters and digits (a hash, an id, a P-code) is an identifier, not words:
# the letter runs of "dd9a367b…be11ff" are not English left on the page.
IDENTIFIER = re.compile(r"[\w-]*\d[\w-]*", re.UNICODE)

# Written the same in both languages, or names and codes that are never translated.
SHARED = {
    "acled",
    "ucdp",
    "ged",
    "cod",
    "ab",
    "gi",
    "fdr",
    "kml",
    "csv",
    "xlsx",
    "gpkg",
    "geojson",
    "pdf",
    "png",
    "html",
    "json",
    "url",
    "id",
    "ids",
    "ok",
    "minusca",
    "monusco",
    "minusma",
    "osm",
    "wgs",
    "epsg",
    "pocmap",
    "h",
    "km",
    "z",
    "p",
    "n",
    "x",
    "kobo",
    "odk",
    "excel",
    "postgis",
    "geopackage",
    "shapefile",
    "streamlit",
    "openid",
    "connect",
    "oidc",
    "hdx",
    "ocha",
    "p-code",
    "pcode",
    "bh",
    "meltt",
    "jmac",
    "poc",
    "un",
    "wagner",
}


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@functools.cache
def english_only() -> frozenset[str]:
    """Words of the English strings that no French translation uses."""
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    english: set[str] = set()
    for message in template:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            english |= _words(re.sub(r"\{[^}]*\}", " ", text or ""))
    french: set[str] = set()
    for path in (LOCALE_DIR / "fr" / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="fr"):
                if not message.id:  # the header
                    continue
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    french |= _words(re.sub(r"\{[^}]*\}", " ", text or ""))
    return frozenset(english - french - SHARED)


@functools.lru_cache(maxsize=64)
def _data(values: tuple[str, ...]) -> re.Pattern[str]:
    """The values as whole words: a code such as ``analyst`` is taken out of a page, not out
    of the French word "analystes" (which would leave "es")."""
    if not values:
        return re.compile(r"(?!)")
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)")


def english_left(text: str, ignoring: Iterable[str] = ()) -> set[str]:
    """The English-only words in ``text`` once every string of ``ignoring`` (data the
    page shows as it was written: names, narratives, codes) is taken out."""
    # Whitespace compared as one space: a name wrapped over two lines of a page is still
    # the name.
    text = " ".join(text.split())
    # Each language named in itself ("English" in the switch) is meant to be so.
    ignoring = [*ignoring, *(language_name(code) for code in available())]
    values = tuple(sorted({" ".join(str(v).split()) for v in ignoring if v}, key=len, reverse=True))
    text = _data(values).sub(" ", text)
    return _words(IDENTIFIER.sub(" ", text)) & english_only()
