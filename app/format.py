"""Dutch money, numbers, dates and percentages for the pages (one place).

The implementation lives in :mod:`households.formatting` so that reports and
messages of the domain packages (which may not import ``app``) use the very
same functions; pages import them from here.

>>> euro(1234.56), number(1234), date(dt.date(2026, 11, 26)), long_date(dt.date(2026, 11, 26))
('€ 1.234,56', '1.234', '26-11-2026', '26 november 2026')
"""

from __future__ import annotations

import datetime as dt  # noqa: F401  (used by the doctest)

from households.formatting import (
    MISSING,
    date,
    euro,
    euro_cents,
    long_date,
    number,
    percentage,
)

__all__ = ["MISSING", "date", "euro", "euro_cents", "long_date", "number", "percentage"]
