"""Numbers in messages written as the English messages always wrote them (``4096``,
``2.5``: no thousands separator), with the language's decimal mark (``2,5`` in French).

:func:`languages.format_number` groups thousands (``4,096``); limits and counts that the
messages have long written plainly keep that form, in every language.
"""

from __future__ import annotations

from babel import numbers as babel_numbers

from languages import current


def plain(value: float | int) -> str:
    """``value`` without thousands separators, up to 3 decimals, in the current language."""
    return babel_numbers.format_decimal(value, format="0.###", locale=current())
