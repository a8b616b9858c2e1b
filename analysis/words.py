"""Numbers and codes inside the analysis' sentences, written for the reader's language.

The analysis rounds as Python does (``f"{x:.1f}"``, ``f"{x:g}"``) and has always written
English that way; these helpers keep that rounding and only hand the rounded number to
:func:`languages.format_number`, so the English text is unchanged and French gets its
decimal comma and its thin-space thousands (``2.5`` -> ``2,5``; ``1,234`` -> ``1 234``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from languages import _, format_number


def fixed(value: float, digits: int = 0) -> str:
    """``value`` with ``digits`` decimals and thousands grouped (``f"{value:,.1f}"``)."""
    rounded = f"{value:.{digits}f}"
    return format_number(float(rounded) if digits else int(float(rounded)), digits=digits)


def count(value: float) -> str:
    """A whole number with thousands grouped (``f"{value:,}"``)."""
    return format_number(int(value))


def g(value: float) -> str:
    """``value`` as ``f"{value:g}"`` writes it (no trailing zeros), in the language."""
    text = f"{value:g}"
    if "e" in text or "n" in text:  # 1e-05, inf, nan: as Python writes them
        return text
    decimals = len(text.split(".")[1]) if "." in text else 0
    return format_number(float(text) if decimals else int(text), digits=decimals)


def significant(value: float, figures: int = 2) -> str:
    """``value`` to ``figures`` significant figures as ``f"{value:.2g}"`` (then ``:g``)."""
    return g(float(f"{value:.{figures}g}"))


def whole_percent(share: float) -> str:
    """``0.25`` as ``f"{share:.0%}"`` writes it ("25%"), in the language ("25 %")."""
    number = f"{share:.0%}".removesuffix("%")
    return _("{number}%", number=format_number(int(number)))


def joined(parts: Iterable[str]) -> str:
    """Clauses of one cell or sentence, one after the other: "a; b" ("a ; b" in French)."""
    return _("; ").join(part for part in parts if part)


def code_label(code: object, labels: Mapping[str, str]) -> str:
    """A code inside a sentence: its label where the language translates it ("Prédation"),
    else the code as the data hold it ("predation", what English sentences have always
    shown and what a person types in a file)."""
    text = str(code)
    english = getattr(labels, "english", labels).get(text)
    if english is None:
        return text
    said = _(english)
    return text if said == english else said


class NumberLabels(Mapping[int, str]):
    """Labels of numbered codes (a Gi* bin) written in English with ``N_``, read in the
    current language at each lookup (as :class:`languages.Labels` does for text codes)."""

    def __init__(self, english: Mapping[int, str]) -> None:
        self.english = dict(english)

    def __getitem__(self, code: int) -> str:
        return _(self.english[code])

    def __iter__(self) -> Iterator[int]:
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)
