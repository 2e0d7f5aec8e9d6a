"""Dutch notation for money, numbers, dates and percentages: the one implementation.

Every layer may use it (it is pure and imports nothing of the project);
``app/format.py`` re-exports it for the pages. Nothing here ever returns
``None`` or English: a missing value is shown as ``—``, and a published
count that is already protected (``"<5"``, ``"x"``) is passed through as is.

>>> euro(1234.5), number(1234567), date(dt.date(2026, 11, 26))
('€ 1.234,50', '1.234.567', '26-11-2026')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

__all__ = [
    "MISSING", "MONTHS", "VEGA_LOCALE", "date", "date_time", "euro", "euro_cents", "long_date",
    "number", "percentage",
]  # fmt: skip

MISSING = "—"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
DAYS = ("zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")

#: The same notation for charts: a Vega(-Lite) ``config.locale`` (d3-format and
#: d3-time-format definitions), so axes, legends and tooltips read 1.234,56 and
#: Dutch month names. Streamlit keeps a spec's own config; it drops most
#: ``usermeta.embedOptions``, so the locale travels in the spec itself.
VEGA_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
    "time": {
        "dateTime": "%A %e %B %Y %X", "date": "%d-%m-%Y", "time": "%H:%M:%S",
        "periods": ["", ""], "days": list(DAYS), "shortDays": [d[:2] for d in DAYS],
        "months": list(MONTHS), "shortMonths": list(SHORT_MONTHS),
    },
}  # fmt: skip


def _dutch(value: float | int | Decimal, decimals: int) -> str:
    # Python writes 1,234.56; Dutch writes 1.234,56 (swap the two separators).
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def number(value: float | int | Decimal | str | None, decimals: int = 0) -> str:
    """A number with Dutch separators; a protected count (``"<5"``) stays as it is.

    >>> number(1234), number(-1.256, 2), number(0.5, 1), number("<5"), number(None)
    ('1.234', '-1,26', '0,5', '<5', '—')
    """
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    return _dutch(value, decimals)


def euro(amount: float | int | Decimal | None, decimals: int = 2) -> str:
    """An amount in euros: ``€ 1.234,56`` (``decimals=0`` for whole euros).

    >>> euro(1234.56), euro(Decimal("0.5")), euro(-12), euro(98765.4, 0), euro(None)
    ('€ 1.234,56', '€ 0,50', '€ -12,00', '€ 98.765', '—')
    """
    if amount is None:
        return MISSING
    return "€ " + _dutch(amount, decimals)


def euro_cents(cents: int | None, decimals: int = 2) -> str:
    """An amount held in cents, in euros.

    >>> euro_cents(123456), euro_cents(5)
    ('€ 1.234,56', '€ 0,05')
    """
    return MISSING if cents is None else euro(Decimal(int(cents)).scaleb(-2), decimals)


def percentage(fraction: float | None, decimals: int = 0) -> str:
    """A fraction (0.25 = a quarter) as a Dutch percentage.

    >>> percentage(0.25), percentage(0.1234, 1), percentage(1), percentage(None)
    ('25%', '12,3%', '100%', '—')
    """
    if fraction is None:
        return MISSING
    return _dutch(fraction * 100, decimals) + "%"


def date(day: dt.date | None) -> str:
    """A date as ``dd-mm-jjjj``.

    >>> date(dt.date(2026, 1, 5)), date(dt.datetime(2026, 11, 26, 13, 5)), date(None)
    ('05-01-2026', '26-11-2026', '—')
    """
    return MISSING if day is None else f"{day:%d-%m-%Y}"


def date_time(moment: dt.datetime | None) -> str:
    """A moment as ``dd-mm-jjjj uu:mm`` (the clock as stored; UTC in the audit trail).

    >>> date_time(dt.datetime(2026, 11, 26, 13, 5, 59, 123)), date_time(None)
    ('26-11-2026 13:05', '—')
    """
    return MISSING if moment is None else f"{moment:%d-%m-%Y %H:%M}"


def long_date(day: dt.date | None) -> str:
    """A date with the Dutch month name: ``26 november 2026``.

    >>> long_date(dt.date(2026, 11, 26)), long_date(dt.date(2026, 3, 1)), long_date(None)
    ('26 november 2026', '1 maart 2026', '—')
    """
    return MISSING if day is None else f"{day.day} {MONTHS[day.month - 1]} {day.year}"
