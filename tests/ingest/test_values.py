import datetime as dt

import pytest

from ingest.values import (
    DAY_FIRST,
    MONTH_FIRST,
    as_text,
    parse_count,
    parse_date,
    parse_flag,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-15", dt.date(2024, 3, 15)),
        ("2024/03/15", dt.date(2024, 3, 15)),
        ("2022-12-06T10:00:00Z", dt.date(2022, 12, 6)),
        ("06 December 2022", dt.date(2022, 12, 6)),  # ACLED
        ("28-Jul-21", dt.date(2021, 7, 28)),  # ACLED, older exports
        ("December 6, 2022", dt.date(2022, 12, 6)),
        ("6 déc. 2022", dt.date(2022, 12, 6)),
        ("1er janvier 2024", dt.date(2024, 1, 1)),
        ("15 août 2023", dt.date(2023, 8, 15)),
        ("13/04/2024", dt.date(2024, 4, 13)),  # only one reading is a date
        ("04/13/2024", dt.date(2024, 4, 13)),
        ("05/05/2024", dt.date(2024, 5, 5)),  # both readings agree
    ],
)
def test_dates_as_offices_write_them(text, expected) -> None:
    assert parse_date(text) == (expected, None)


def test_an_ambiguous_date_asks_for_the_office_date_order() -> None:
    date, problem = parse_date("03/04/2024")
    assert date is None
    assert "ambiguous" in problem and "day first or month first" in problem
    assert parse_date("03/04/2024", order=DAY_FIRST) == (dt.date(2024, 4, 3), None)
    assert parse_date("03/04/2024", order=MONTH_FIRST) == (dt.date(2024, 3, 4), None)


@pytest.mark.parametrize("text", ["hello", "2024-02-30", "32/01/2024", "12 Brumaire 2024", "45123"])
def test_what_is_not_a_date_is_said_so(text) -> None:
    date, problem = parse_date(text)
    assert date is None and problem


def test_spreadsheet_dates_and_empty_cells() -> None:
    assert parse_date(dt.datetime(2024, 5, 1, 13, 0)) == (dt.date(2024, 5, 1), None)
    assert parse_date(None) == (None, None)
    assert parse_date("  ") == (None, None)
    with pytest.raises(ValueError, match="`order` was 'dmy'"):
        parse_date("01/02/2024", order="dmy")


def test_numbers_with_a_decimal_comma_and_what_is_refused() -> None:
    assert parse_number("4,35") == (4.35, None)
    assert parse_number("-12.5") == (-12.5, None)
    assert parse_number(3) == (3.0, None)
    assert parse_number("1.234,5")[0] is None
    assert parse_number("1,234.5")[0] is None
    assert parse_number(True)[0] is None
    assert parse_number(float("inf"))[0] is None
    assert parse_number("1e400") == (None, "is not a finite number")


def test_counts_and_flags() -> None:
    assert parse_count("3.0") == (3, None)
    assert parse_count("2.5") == (None, "is not a whole number")
    assert parse_count("-1") == (None, "is negative")
    assert parse_count(str(2**53)) == (2**53, None)
    assert parse_count("1" * 25)[1].startswith("is too large for a count")
    assert parse_flag("Oui") == (True, None)
    assert parse_flag("faux") == (False, None)
    assert parse_flag("maybe")[0] is None


def test_text_keeps_what_was_written() -> None:
    assert as_text(123.0) == "123"
    assert as_text(" Kalondo ") == " Kalondo "
    assert as_text(None) is None
