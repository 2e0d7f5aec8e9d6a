"""Dutch money, numbers, dates and percentages for the pages (one place).

The implementation lives in :mod:`households.formatting` so that reports and
messages of the domain packages (which may not import ``app``) use the very
same functions; pages import them from here.

>>> euro(1234.56), number(1234), date(dt.date(2026, 11, 26)), long_date(dt.date(2026, 11, 26))
('€ 1.234,56', '1.234', '26-11-2026', '26 november 2026')
"""

from __future__ import annotations

import datetime as dt

from households.formatting import (
    MISSING,
    date,
    euro,
    euro_cents,
    long_date,
    number,
    percentage,
)

__all__ = [
    "MISSING",
    "date",
    "euro",
    "euro_cents",
    "long_date",
    "number",
    "percentage",
    "table",
]


def table(rows, columns: dict[str, str] | None = None):
    """Rows (frozen dataclasses or mappings) as a DataFrame ready to show, in Dutch notation.

    Dates become ``dd-mm-jjjj``, booleans ``ja``/``nee`` and empty cells ``—``, so no
    ``None``, ``True`` or ISO date reaches a user. ``columns`` picks and renames
    columns (``{"field": "Kop"}``), in that order.

    >>> import dataclasses
    >>> @dataclasses.dataclass(frozen=True)
    ... class R:
    ...     naam: str | None
    ...     sinds: dt.date
    ...     open: bool
    >>> table([R(None, dt.date(2026, 1, 5), True)]).iloc[0].tolist()
    ['—', '05-01-2026', 'ja']
    """
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    if columns is not None:
        frame = frame.reindex(columns=list(columns)).rename(columns=columns)

    def cell(value):
        if value is None or (isinstance(value, float) and value != value):
            return MISSING
        if isinstance(value, bool):
            return "ja" if value else "nee"
        if isinstance(value, dt.date):
            return date(value)
        return value

    return frame.map(cell) if not frame.empty else frame
