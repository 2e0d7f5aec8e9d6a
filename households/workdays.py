"""Dutch working days (werkdagen): the one home for deadlines counted in working days.

A working day is a day that is not a Saturday, a Sunday or a day the Algemene termijnenwet
(art. 3) treats as a Sunday: Nieuwjaarsdag, tweede Paasdag, Hemelvaartsdag, tweede
Pinksterdag, eerste en tweede Kerstdag, Koningsdag (27 April; 26 April when the 27th is a
Sunday) and Bevrijdingsdag (5 May). Goede Vrijdag is not on that list and counts as a
working day. Used for the referral escalation (5 working days) and every norm that is
stated in working days.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

__all__ = [
    "easter",
    "public_holidays",
    "is_working_day",
    "add_working_days",
    "working_days_between",
]


def easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian, Meeus/Jones/Butcher).

    >>> easter(2027), easter(2026)
    (datetime.date(2027, 3, 28), datetime.date(2026, 4, 5))
    """
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    x = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * x) // 451
    month, day = divmod(h + x - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    """The days of ``year`` the Algemene termijnenwet treats as Sundays (named in the module).

    >>> sorted(d.isoformat() for d in public_holidays(2027))[:4]
    ['2027-01-01', '2027-03-29', '2027-04-27', '2027-05-05']
    """
    sunday = easter(year)
    koningsdag = dt.date(year, 4, 27)
    if koningsdag.weekday() == 6:
        koningsdag = dt.date(year, 4, 26)
    return frozenset(
        {
            dt.date(year, 1, 1),
            sunday + dt.timedelta(days=1),  # tweede Paasdag
            sunday + dt.timedelta(days=39),  # Hemelvaartsdag
            sunday + dt.timedelta(days=50),  # tweede Pinksterdag
            koningsdag,
            dt.date(year, 5, 5),
            dt.date(year, 12, 25),
            dt.date(year, 12, 26),
        }
    )


def is_working_day(day: dt.date) -> bool:
    """True for Monday–Friday outside the public holidays.

    >>> is_working_day(dt.date(2026, 12, 25)), is_working_day(dt.date(2026, 12, 28))
    (False, True)
    """
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count).

    >>> add_working_days(dt.date(2026, 12, 22), 5)  # Tue: Wed, Thu, (Christmas, weekend) Mon–Wed
    datetime.date(2026, 12, 30)
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    while days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

    >>> working_days_between(dt.date(2026, 12, 22), dt.date(2026, 12, 30))
    5
    """
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count
