"""Text measured before it is drawn, so that no line runs off the page or over a marking.

Titles, sources, office names, filters and markings come from people and from files: a
20,000-character source once pushed the footer over the bottom marking and off the page.
Every line the briefing draws is cut to the width it has, measured with the font it is
drawn in (DejaVu Sans, the same metrics in the PNG and the PDF); what does not fit ends in
an ellipsis, and a list that does not fit says how many of its items are left out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

from languages import ngettext

ELLIPSIS = "…"
SAFETY = 0.97
"""Lines are cut to this share of their width: hinting and kerning differ slightly
between the PNG's renderer and the PDF's."""


MEASURED_AT = (120, 720)
"""Resolutions (dpi) text is measured at: the PNG's, whose glyphs are hinted (up to a
tenth wider or narrower at small sizes), and one fine enough to give the font's own
widths, which the PDF's text keeps. The wider answer counts."""


@functools.cache
def _renderer(dpi: int) -> RendererAgg:
    return RendererAgg(1, 1, dpi)


@functools.lru_cache(maxsize=65536)
def width(text: str, size: float, weight: str = "normal") -> float:
    """How wide ``text`` is, in points, at ``size`` points (in the PNG or the PDF)."""
    if not text:
        return 0.0
    prop = FontProperties(size=size, weight=weight)
    widest = 0.0
    for dpi in MEASURED_AT:
        w, _, _ = _renderer(dpi).get_text_width_height_descent(text, prop, ismath=False)
        widest = max(widest, w * 72.0 / dpi)
    return widest


def height(size: float) -> float:
    """One line's height at ``size`` points (matplotlib spaces lines by 1.2)."""
    return 1.2 * size


def shorten(text: str, room: float, size: float, weight: str = "normal", *, end: str = "") -> str:
    """``text`` on one line of ``room`` points: as it is when it fits, else cut and ended
    with an ellipsis (and ``end``, kept whole)."""
    whole = _one_line(text)
    # No character is narrower than a fifth of the size: longer text cannot fit anyway,
    # and 20,000 characters need not be measured.
    one_line = whole[: int(room / (size * 0.2)) + 2] if room > 0 else ""
    if one_line == whole and width(one_line + end, size, weight) <= room * SAFETY:
        return one_line + end
    # The longest prefix that fits with the ellipsis: a binary search over its length.
    low, high = 0, len(one_line)
    while low < high:
        middle = (low + high + 1) // 2
        if width(one_line[:middle].rstrip() + ELLIPSIS + end, size, weight) <= room * SAFETY:
            low = middle
        else:
            high = middle - 1
    return one_line[:low].rstrip() + ELLIPSIS + end


_BREAKS = re.compile("[\n\r\t\v\f\x1c-\x1e\x85\u2028\u2029]+")
_SPACES = re.compile("[^\\S\u00a0\u2007\u202f]+")
"""Where a line may break: any white space but the no-break ones, which French puts
inside numbers (``1 234``) and before ``: ; %`` (never at a line's start)."""


def _words_of(text: str) -> list[str]:
    """``text``'s words, split where a line may break (no-break spaces kept inside)."""
    return [word for word in _SPACES.split(text) if word]


def _more(count: int) -> str:
    """``… (3 more)``: how many items of a list are left out."""
    return ELLIPSIS + " " + ngettext("({n} more)", "({n} more)", count)


def _one_line(text: str) -> str:
    """``text`` with its line breaks (and tabs) as spaces; other spaces kept as written."""
    return _BREAKS.sub(" ", text)


def wrap(text: str, room: float, size: float, max_lines: int, weight: str = "normal") -> list[str]:
    """``text`` in at most ``max_lines`` lines of ``room`` points, broken between words
    (inside a word too long for a line); the last line ends in an ellipsis when cut."""
    lines: list[str] = []
    rest = " ".join(_words_of(text))
    while rest and len(lines) < max_lines - 1:
        line, rest = _first_line(rest, room, size, weight)
        lines.append(line)
    if rest and max_lines >= 1:
        lines.append(shorten(rest, room, size, weight))
    return lines


def _first_line(text: str, room: float, size: float, weight: str) -> tuple[str, str]:
    """The words of ``text`` that fit one line (a word's start, when even it does not),
    and the rest."""
    words = text.split(" ")
    line = ""
    for i, word in enumerate(words):
        candidate = f"{line} {word}" if line else word
        if width(candidate, size, weight) > room * SAFETY:
            if line:
                return line, " ".join(words[i:])
            cut = _fitting_prefix(word[: int(room / (size * 0.2)) + 2], room, size, weight)
            return word[:cut], " ".join([word[cut:], *words[i + 1 :]])
        line = candidate
    return line, ""


def _fitting_prefix(word: str, room: float, size: float, weight: str) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if width(word[:middle], size, weight) <= room * SAFETY:
            low = middle
        else:
            high = middle - 1
    return low


def fit_list(
    prefix: str,
    items: Sequence[str | tuple[str, str]],
    room: float,
    size: float,
    max_lines: int,
    *,
    sep: str = "; ",
    weight: str = "normal",
) -> list[str]:
    """``prefix`` and ``items`` joined by ``sep``, in at most ``max_lines`` lines of
    ``room`` points. An item too long for a line is cut (ellipsis); items that do not fit
    are left out and the last line says ``… (n more)``. An item may be ``(text, end)``:
    ``end`` (a count, a separator) is kept whole when ``text`` is cut."""
    if max_lines < 1:
        return []
    # Only items whose widths add up to the lines' width can be shown: measure no more.
    fitting: list[str] = []
    total = width(prefix, size, weight)
    for item in items:
        if total > max_lines * room:
            break
        text, end = (item, "") if isinstance(item, str) else item
        fitting.append(shorten(text, room * 0.6, size, weight, end=end))
        total += width(fitting[-1] + sep, size, weight)

    def lines_showing(shown: int) -> list[str] | None:
        more = len(items) - shown
        text = prefix + sep.join(fitting[:shown])
        if more:
            text += (sep if shown else " ") + _more(more)
        lines = _wrap_whole(text, room, size, weight)
        return lines if lines is not None and len(lines) <= max_lines else None

    # More items take more lines: the most that fit, by a binary search.
    low, high = 0, len(fitting)
    while low < high:
        middle = (low + high + 1) // 2
        if lines_showing(middle) is not None:
            low = middle
        else:
            high = middle - 1
    best = lines_showing(low)
    if best is not None:
        return best
    return [shorten(prefix, room, size, weight, end=" " + _more(len(items)))]


def _wrap_whole(text: str, room: float, size: float, weight: str) -> list[str] | None:
    """``text`` wrapped to ``room`` without cutting anything, or ``None`` when a word is
    wider than a line."""
    lines: list[str] = []
    line = ""
    for word in _words_of(text):
        candidate = f"{line} {word}" if line else word
        if width(candidate, size, weight) <= room * SAFETY:
            line = candidate
        elif width(word, size, weight) > room * SAFETY:
            return None
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def fit_size(text: str, room: float, size: float, smallest: float, weight: str = "normal") -> float:
    """The largest size from ``size`` down to ``smallest`` at which ``text`` fits ``room``
    on one line (``smallest`` when none does: the caller shortens it then)."""
    natural = width(_one_line(text), size, weight)
    if natural <= room * SAFETY:
        return size
    return max(smallest, size * room * SAFETY / natural)
