"""Reading one cell: dates, numbers and flags as field offices write them.

Each reader returns ``(value, problem)``: ``problem`` is ``None`` when the cell was read,
else words saying what is wrong with it. Nothing here guesses: a date such as
``03/04/2024`` is refused as ambiguous unless the office's date order is known.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from ingest.number_words import number_in_words
from languages import ENGLISH, N_, Labels, _, current, format_date, format_number

DAY_FIRST = "day_first"
MONTH_FIRST = "month_first"
DATE_ORDERS = (DAY_FIRST, MONTH_FIRST)
DATE_ORDER_LABELS = Labels(
    {
        DAY_FIRST: N_("day first (03/04/2024 is 3 April 2024)"),
        MONTH_FIRST: N_("month first (03/04/2024 is 4 March 2024)"),
    }
)
"""Read in the current language at each lookup."""
DATE_ALLOWED = N_("a date such as 2024-03-15, 15 March 2024, 15-Mar-24 or 15/03/2024")
"""English (marked ``N_``): show it with ``_(DATE_ALLOWED)``."""
EARLIEST_DATE = dt.date(1900, 1, 1)
"""Dates before it are refused, row by row, as typing errors (``0205`` for ``2025``): no
layer records events that old, and years before 1678 cannot even be held as the
nanosecond timestamps pandas gives every date column."""

_MONTHS = {
    # English, then French (accents stripped before lookup), full and abbreviated.
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[T ][\d:.]+)?$")
_DAY_NAME_YEAR = re.compile(r"^(\d{1,2})(?:er)?[\s\-/.]+([^\W\d_]+)\.?[\s\-/.,]+(\d{2}|\d{4})$")
_NAME_DAY_YEAR = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def is_missing(value: Any) -> bool:
    """Whether a cell is empty: ``None``, NaN, NA or only spaces."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def plain(text: str) -> str:
    """Lower case, accents removed, spaces squeezed: for matching words people type."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def long_date(date: dt.date) -> str:
    """``date`` in words for a message: ``15 March 2024`` in English (as the messages
    always wrote it), the language's own long form otherwise (``15 mars 2024``)."""
    if current() == ENGLISH:
        return f"{date:%d %B %Y}"
    return format_date(date, "long")


def date_range_problem(date: dt.date, today: dt.date) -> str | None:
    """Why ``date`` cannot be an event's date (before :data:`EARLIEST_DATE`, after
    ``today``), or ``None`` when it can."""
    if date < EARLIEST_DATE:
        return _(
            "is before {earliest} (year {year}): a typing error, such as 0205 for 2025?",
            earliest=long_date(EARLIEST_DATE),
            year=date.year,
        )
    if date > today:
        return _("is in the future (after {today})", today=long_date(today))
    return None


def _year(text: str) -> int:
    year = int(text)
    # Two-digit years as ACLED writes them (28-Jul-21): this century.
    return 2000 + year if len(text) == 2 else year


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: Any, *, order: str | None = None) -> tuple[dt.date | None, str | None]:
    """Read a date cell.

    Parameters
    ----------
    value : the cell as read (a string, or a date/datetime from a spreadsheet).
    order : ``"day_first"`` or ``"month_first"``: how the office writes ``03/04/2024``.
        Without it such a date is refused as ambiguous (unless one part is over 12).

    Returns
    -------
    (date, None) when read, (None, problem) when not; (None, None) for an empty cell.
    """
    if order is not None and order not in DATE_ORDERS:
        raise ValueError(f"`order` was {order!r} but is expected to be in {DATE_ORDERS}")
    if is_missing(value):
        return None, None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date(), None
    if not isinstance(value, str):
        return None, _("is not a date (a spreadsheet number? format the column as dates)")
    text = value.strip()
    if m := _ISO.match(text):
        made = _make(int(m[1]), int(m[2]), int(m[3]))
        return (made, None) if made else (None, _("is not a real calendar date"))
    if m := _NUMERIC.match(text):
        return _numeric_date(int(m[1]), int(m[2]), _year(m[3]), order)
    for pattern, day_at, name_at, year_at in ((_DAY_NAME_YEAR, 1, 2, 3), (_NAME_DAY_YEAR, 2, 1, 3)):
        if m := pattern.match(text):
            month = _MONTHS.get(plain(m[name_at]).rstrip("."))
            if month is None:
                return None, _("has a month name that is not known ({month!r})", month=m[name_at])
            made = _make(_year(m[year_at]), month, int(m[day_at]))
            return (made, None) if made else (None, _("is not a real calendar date"))
    return None, _("is not a date")


def _numeric_date(
    first: int, second: int, year: int, order: str | None
) -> tuple[dt.date | None, str | None]:
    day_first = _make(year, second, first)
    month_first = _make(year, first, second)
    if order == DAY_FIRST:
        if day_first:
            return day_first, None
        return None, _("is not a real date read day first")
    if order == MONTH_FIRST:
        if month_first:
            return month_first, None
        return None, _("is not a real date read month first")
    if day_first and month_first and day_first != month_first:
        return None, _(
            "is ambiguous: it can be {day_first} or {month_first}; "
            "say whether the office writes dates day first or month first",
            day_first=long_date(day_first),
            month_first=long_date(month_first),
        )
    made = day_first or month_first
    return (made, None) if made else (None, _("is not a real calendar date"))


def parse_number(value: Any) -> tuple[float | None, str | None]:
    """Read a number cell: ``4.35``, ``-4,35`` (decimal comma), or a spreadsheet number.

    A lone comma between digits is read as a decimal comma in any file (French
    spreadsheets write coordinates so). Thousands separators (``1.234,5``,
    ``1,234.5``) are refused, never guessed.
    """
    if is_missing(value):
        return None, None
    if isinstance(value, bool):
        return None, _("is true/false, not a number")
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return (number, None) if math.isfinite(number) else (None, _("is not a finite number"))
    text = str(value).strip().replace("\u00a0", "")
    if _NUMBER.match(text):
        number = float(text)
    elif _DECIMAL_COMMA.match(text):
        number = float(text.replace(",", "."))
    else:
        return None, not_a_number(value)
    # "1e400" is written like a number but is too large for one.
    return (number, None) if math.isfinite(number) else (None, _("is not a finite number"))


def not_a_number(value: Any) -> str:
    """Why ``value`` is not a number; for a number written in words (``deux``), with the
    number it may mean as a question, never read as it."""
    spelled = number_in_words(value)
    if spelled is None:
        return _("is not a number")
    return _(
        "is not a number: written in words ({value} → {number}?); write it in figures",
        value=str(value).strip(),
        number=spelled,
    )


MAX_COUNT = 2**53
"""The largest count kept exactly (numbers are read as 64-bit floats)."""


def parse_count(value: Any) -> tuple[int | None, str | None]:
    """Read a count (a whole number, 0 or more): ``3``, ``3.0``; not ``2.5`` or ``-1``."""
    number, problem = parse_number(value)
    if problem or number is None:
        return None, problem
    if number != int(number):
        return None, _("is not a whole number")
    if number < 0:
        return None, _("is negative")
    if number > MAX_COUNT:  # beyond it, the count would not be kept exactly as written
        return None, _("is too large for a count (at most {most})", most=format_number(MAX_COUNT))
    return int(number), None


_FLAGS = {
    "true": True, "yes": True, "y": True, "1": True, "oui": True, "vrai": True, "x": True,
    "false": False, "no": False, "n": False, "0": False, "non": False, "faux": False,
}  # fmt: skip


def parse_flag(value: Any) -> tuple[bool | None, str | None]:
    """Read a yes/no cell: true/false, yes/no, oui/non, vrai/faux, 1/0."""
    if is_missing(value):
        return None, None
    if isinstance(value, bool | np.bool_):
        return bool(value), None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    flag = _FLAGS.get(plain(str(value)))
    return (flag, None) if flag is not None else (None, _("is not yes or no"))


def as_text(value: Any) -> str | None:
    """A text cell as a string, without changing what was written.

    Spreadsheet numbers that are whole (an id typed as 123) come out as ``"123"``.
    """
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)
