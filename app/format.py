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
    VEGA_LOCALE,
    date,
    date_time,
    euro,
    euro_cents,
    long_date,
    number,
    percentage,
)

__all__ = [
    "MISSING",
    "VEGA_LOCALE",
    "date",
    "date_time",
    "euro",
    "euro_cents",
    "long_date",
    "number",
    "percentage",
    "table",
]


def table(rows, columns: dict[str, str] | list[str] | None = None):
    """Rows (frozen dataclasses or mappings) as a DataFrame ready to show, in Dutch notation.

    Dates become ``dd-mm-jjjj`` (moments ``dd-mm-jjjj uu:mm``), booleans ``ja``/``nee``,
    fractions ``2,02`` and empty cells ``—``, so no ``None``, ``nan``, ``True``, ISO date
    or Python number reaches a user. ``columns`` picks and renames columns
    (``{"field": "Kop"}``), in that order; for rows that are tuples it is the list of
    headers.

    >>> import dataclasses
    >>> @dataclasses.dataclass(frozen=True)
    ... class R:
    ...     naam: str | None
    ...     sinds: dt.date
    ...     open: bool
    >>> table([R(None, dt.date(2026, 1, 5), True)]).iloc[0].tolist()
    ['—', '05-01-2026', 'ja']
    >>> table([{"a": 2.0, "b": 2.025, "c": dt.datetime(2026, 1, 5, 9, 30), "d": float("nan")}]
    ...       ).iloc[0].tolist()
    ['2', '2,02', '05-01-2026 09:30', '—']
    """
    import numpy as np
    import pandas as pd

    if columns is not None and not isinstance(columns, dict):  # tuples with their headers
        frame = pd.DataFrame(list(rows), columns=list(columns))
    else:
        frame = pd.DataFrame(list(rows))
        if columns is not None:
            frame = frame.reindex(columns=list(columns)).rename(columns=columns)

    def cell(value):
        if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
            return MISSING
        if isinstance(value, bool | np.bool_):
            return "ja" if value else "nee"
        if isinstance(value, dt.datetime):
            return date_time(value)
        if isinstance(value, dt.date):
            return date(value)
        if isinstance(value, float):
            return number(value, 0 if value == int(value) else 2)
        return value

    return frame.map(cell) if not frame.empty else frame
