"""Cell parsers of the interchange format: dates in both spellings, Dutch and English amounts."""

from __future__ import annotations

import datetime as dt

import pytest

from households.cellparsers import parse_amount, parse_date
from households.errors import InvalidInput


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("01-03-2024", dt.date(2024, 3, 1)),
        ("01-03-2024 ", dt.date(2024, 3, 1)),
        ("2024-12-31", dt.date(2024, 12, 31)),
    ],
)
def test_parse_date_accepts_both_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2024/03/01", "03-2024-01", "2024-02-30", "", "morgen", "20240301"]
)
def test_parse_date_refuses_other_spellings(text):
    with pytest.raises(InvalidInput, match="ongeldige datum"):
        parse_date(text)


@pytest.mark.parametrize(
    "text, cents",
    [
        ("1.234,56", 123456),
        ("1234,56", 123456),
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("1.234.567,8", 123456780),
        ("12", 1200),
        ("0,5", 50),
        (" 7,05 ", 705),
        ("0", 0),
    ],
)
def test_parse_amount_returns_cents(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    "text, reason",
    [
        ("-5", "negatief"),
        ("-1.234,56", "negatief"),
        ("1.234", "meer dan 2 decimalen"),
        ("12,345", "meer dan 2 decimalen"),
        ("12,", "geen cijfers na het decimaalteken"),
        ("€ 12", "ongeldig bedrag"),
        ("twaalf", "ongeldig bedrag"),
        ("1" * 20, "te groot"),
    ],
)
def test_parse_amount_refuses(text, reason):
    with pytest.raises(InvalidInput, match=reason):
        parse_amount(text)
