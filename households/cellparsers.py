"""Interchange format v1: parsers for single cells (DESIGN.md §5).

Each parser takes the text of one cell and returns its value, or raises
:class:`~households.errors.InvalidInput` with a Dutch reason. Reasons never repeat
the cell's value, so a BSN that ends up in the wrong column is never echoed back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from households import settings
from households.bsn import is_valid_bsn, normalise_bsn
from households.errors import InvalidInput

__all__ = [
    "parse_date",
    "parse_amount",
    "parse_bool",
    "parse_year",
    "parse_postcode",
    "parse_bsn",
    "parse_house_number",
    "parse_wijk",
    "code_parser",
    "text_parser",
]

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NL_DATE = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})")
_GROUPED = re.compile(r"[0-9]{1,3}(?:([.,])[0-9]{3})(?:\1[0-9]{3})*")
_HOUSE_NUMBER = re.compile(r"[1-9][0-9]{0,4}(?:[ -]?[A-Za-z0-9]{1,4})?")
_DIGITS = re.compile(r"[0-9]+")
_POSTCODE = re.compile(r"[1-9][0-9]{3}[A-Z]{2}")
_SIMPLE_AMOUNT = re.compile(r"([0-9]{1,13})(?:[.,]([0-9]{1,2}))?")
_MAX_AMOUNT_DIGITS = 13  # 10^13 euro: far beyond any real amount, well inside BIGINT


def parse_date(value: str) -> dt.date:
    """A date written as ``YYYY-MM-DD`` or ``DD-MM-YYYY`` (always two-digit day and month).

    >>> parse_date("2024-03-01"), parse_date(" 01-03-2024 ")
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    >>> parse_date("2024-02-30")
    Traceback (most recent call last):
    households.errors.InvalidInput: ongeldige datum (bestaat niet)
    >>> parse_date("2024-1-1")
    Traceback (most recent call last):
    households.errors.InvalidInput: ongeldige datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)
    """
    value = value.strip()
    m = _ISO_DATE.fullmatch(value)
    if m:
        y, mo, d = m.groups()
    else:
        m = _NL_DATE.fullmatch(value)
        if not m:
            raise InvalidInput("ongeldige datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)")
        d, mo, y = m.groups()
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        raise InvalidInput("ongeldige datum (bestaat niet)") from None


def parse_amount(value: str) -> int:
    """An amount in euro, returned in cents. The last ``.`` or ``,`` is the decimal mark.

    >>> parse_amount("1.234,56"), parse_amount("1234,56"), parse_amount("1234.56")
    (123456, 123456, 123456)
    >>> parse_amount("12"), parse_amount("12,5"), parse_amount("1,234.5")
    (1200, 1250, 123450)
    >>> parse_amount("1.234")
    Traceback (most recent call last):
    households.errors.InvalidInput: ongeldig bedrag: meer dan 2 decimalen
    >>> parse_amount("1..2")
    Traceback (most recent call last):
    households.errors.InvalidInput: ongeldig bedrag (verwacht bijvoorbeeld 1.234,56)
    """
    value = value.strip()
    simple = _SIMPLE_AMOUNT.fullmatch(value)
    if simple:  # the common spellings, e.g. 12 / 12,5 / 1234.56
        whole, fraction = simple.groups()
        return int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)
    if value.startswith("-"):
        raise InvalidInput("negatief bedrag is niet toegestaan")
    mark = max(value.rfind("."), value.rfind(","))
    if mark < 0:
        whole, fraction = value, ""
    else:
        whole, fraction = value[:mark], value[mark + 1 :]
        if not fraction:
            raise InvalidInput("ongeldig bedrag (geen cijfers na het decimaalteken)")
        if len(fraction) > 2:
            raise InvalidInput("ongeldig bedrag: meer dan 2 decimalen")
        if not _DIGITS.fullmatch(fraction):
            raise InvalidInput("ongeldig bedrag (verwacht bijvoorbeeld 1.234,56)")
    if ("." in whole or "," in whole) and (
        not _GROUPED.fullmatch(whole) or value[mark] in whole
    ):  # thousands grouped by threes with the other mark: 1.234,56 / 1,234.56
        raise InvalidInput("ongeldig bedrag (verwacht bijvoorbeeld 1.234,56)")
    whole = whole.replace(".", "").replace(",", "")
    if not whole:
        if not fraction:
            raise InvalidInput("ongeldig bedrag (geen cijfers)")
        whole = "0"
    if not _DIGITS.fullmatch(whole):
        raise InvalidInput("ongeldig bedrag (verwacht bijvoorbeeld 1.234,56)")
    if len(whole.lstrip("0")) > _MAX_AMOUNT_DIGITS:
        raise InvalidInput("ongeldig bedrag (te groot)")
    return int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)


_BOOLS = {"ja": True, "nee": False}


def parse_bool(value: str) -> bool | None:
    """``ja`` / ``nee`` (any case); empty means unknown (None).

    >>> parse_bool("Ja"), parse_bool("NEE"), parse_bool("")
    (True, False, None)
    """
    value = value.strip().lower()
    if not value:
        return None
    try:
        return _BOOLS[value]
    except KeyError:
        raise InvalidInput("ongeldige waarde (verwacht ja, nee of leeg)") from None


def parse_year(value: str) -> int:
    """A birth year between 1870 and next year.

    >>> parse_year("1984")
    1984
    """
    value = value.strip()
    if not _DIGITS.fullmatch(value) or len(value) != 4:
        raise InvalidInput("ongeldig geboortejaar (verwacht vier cijfers, bijv. 1984)")
    year = int(value)
    if not 1870 <= year <= dt.date.today().year + 1:
        raise InvalidInput("ongeldig geboortejaar (buiten het mogelijke bereik)")
    return year


def parse_postcode(value: str) -> str:
    """A Dutch postcode, normalised to ``1234AB``.

    >>> parse_postcode("6441 ab")
    '6441AB'
    """
    pc = value.replace(" ", "").upper()
    if not _POSTCODE.fullmatch(pc):
        raise InvalidInput("ongeldige postcode (verwacht bijv. 6441AB)")
    return pc


_BSN_OFFSET = 48 * (9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 - 1)  # the ASCII '0's in the weighted sum


def parse_bsn(value: str) -> str:
    """A BSN that passes the elfproef, normalised to 9 digits (never echoed in messages).

    >>> parse_bsn("11.12.22.333"), parse_bsn("111222333")
    ('111222333', '111222333')
    """
    if len(value) == 9 and value.isascii() and value.isdigit():
        # Fast path for the common spelling; same rule as households.bsn.is_valid_bsn.
        b = value.encode()
        total = (
            9 * b[0] + 8 * b[1] + 7 * b[2] + 6 * b[3] + 5 * b[4] + 4 * b[5] + 3 * b[6]
            + 2 * b[7] - b[8] - _BSN_OFFSET
        )  # fmt: skip
        if total % 11 == 0 and value != "000000000":
            return value
    else:
        value = normalise_bsn(value)
        if is_valid_bsn(value):
            return value
    raise InvalidInput("ongeldig BSN (voldoet niet aan de elfproef)")


def code_parser(choices: tuple[str, ...]) -> Callable[[str], str]:
    """A parser for a code value from ``choices`` (case-insensitive; returns the canonical form).

    >>> code_parser(("WMO", "JEUGD", "ISD"))("jeugd")
    'JEUGD'
    """
    lookup = {c.lower(): c for c in choices}
    expected = ", ".join(choices)

    def parse(value: str) -> str:
        try:
            return lookup[value.strip().lower()]
        except KeyError:
            raise InvalidInput(f"onbekende code (verwacht {expected})") from None

    return parse


def parse_house_number(value: str) -> str:
    """A house number with an optional addition (``12``, ``12a``, ``12-2``, ``12 bis``).

    >>> parse_house_number(" 12a ")
    '12a'
    >>> parse_house_number("abc")
    Traceback (most recent call last):
    households.errors.InvalidInput: ongeldig huisnummer (verwacht bijv. 12 of 12a)
    """
    value = value.strip()
    if not _HOUSE_NUMBER.fullmatch(value):
        raise InvalidInput("ongeldig huisnummer (verwacht bijv. 12 of 12a)")
    return value


def parse_wijk(value: str) -> str:
    """A wijk of the municipality (:func:`households.settings.wijken`), any case, with or
    without the prefix ``Brunssum-``; returned in its canonical spelling.

    >>> parse_wijk("noord"), parse_wijk("Brunssum-Zuid")
    ('Noord', 'Zuid')
    >>> parse_wijk("Narnia")
    Traceback (most recent call last):
    households.errors.InvalidInput: onbekende wijk (verwacht Noord, Oost, Zuid, West, Centrum)
    """
    known = settings.wijken()
    lookup = {w.lower(): w for w in known}
    key = value.strip().lower()
    if key not in lookup and key.startswith(_PREFIX):
        key = key[len(_PREFIX) :].strip()
    try:
        return lookup[key]
    except KeyError:
        raise InvalidInput(f"onbekende wijk (verwacht {', '.join(known)})") from None


_PREFIX = "brunssum-"


def text_parser(max_len: int) -> Callable[[str], str]:
    """A parser for free text of at most ``max_len`` characters."""

    def parse(value: str) -> str:
        if len(value) > max_len:
            raise InvalidInput(f"te lang (maximaal {max_len} tekens)")
        return value

    parse.max_len = max_len  # type: ignore[attr-defined]  # lets whole columns skip the memo
    return parse
