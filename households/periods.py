"""Every "on date D" rule of DESIGN.md section 4.1, in SQL and in numpy, side by side.

Each rule is stated once here, twice over: a SQLAlchemy expression builder
(``*_sql``, for a ``WHERE`` clause) and a vectorised numpy function (for the
fact columns the stacking, the overview and the evaluation compute with). Both
take the same arguments in the same order; ``tests/households/test_periods.py``
checks that they agree on the edges (the day itself, the day before, the day
after, open ends).

The numpy functions accept scalars or arrays: ``datetime.date``, ``None`` or
``numpy.datetime64`` values; an open end is ``None`` / ``NaT`` (a far-future
date such as 9999-12-31 works too). The SQL builders take the mapped entity
(or an alias) first, because a rule is about a kind of row; ``d`` may be a
date or a bound parameter. ``until`` (SQL only) widens "on D" to "on some day
of ``d .. until``", for loading the rows a range of dates needs at once.

>>> import datetime as dt
>>> D = dt.date(2025, 6, 30)
>>> bool(provision_active(dt.date(2025, 1, 1), D, D)), bool(regie_active(dt.date(2025, 1, 1), D, D))
(True, False)
>>> window_start(D), bool(in_window(D - dt.timedelta(days=365), D))
(datetime.date(2024, 7, 1), False)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from households.models import HelpRequest, Person, Residence

__all__ = [
    "MONTHS_12_DAYS",
    "as_days",
    "debt_open",
    "debt_open_sql",
    "debt_outstanding",
    "debt_outstanding_sql",
    "household_of_person",
    "household_of_person_sql",
    "in_window",
    "in_window_sql",
    "member_of_household",
    "member_of_household_sql",
    "has_residence_history",
    "provision_active",
    "provision_active_sql",
    "regie_active",
    "regie_active_sql",
    "repeat_count",
    "requests_in_12_months",
    "signal_open",
    "signal_open_sql",
    "window_start",
]

MONTHS_12_DAYS = 365
"""The 12 months up to D are the 365 days ``D-364 .. D``, both included."""


def as_days(values: Any) -> np.ndarray:
    """Dates (scalar or array; ``None``/``NaT`` = open) as ``datetime64[D]``.

    >>> as_days([dt.date(2025, 1, 2), None]).tolist()
    [datetime.date(2025, 1, 2), None]
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[D]", copy=False)
    if isinstance(values, np.ndarray) and values.dtype == object:
        values = [None if v is None or v != v else v for v in values]  # NaN (pandas) is open
    return np.asarray(values, dtype="datetime64[D]")


def _open_or(end: np.ndarray, cond: np.ndarray) -> np.ndarray:
    return np.isnat(end) | cond


# Active provision on D: start <= D and (einde empty or einde >= D).
# An involvement (betrokkenheid) has the same period shape and follows the same rule.


def provision_active_sql(entity, d, until=None) -> ColumnElement[bool]:
    """SQL: the provision (or involvement) of ``entity`` is active on ``d`` (.. ``until``)."""
    return and_(
        entity.start <= (d if until is None else until),
        or_(entity.einde.is_(None), entity.einde >= d),
    )


def provision_active(start, einde, d) -> np.ndarray:
    """Active on ``d``: ``start <= d`` and (``einde`` open or ``einde >= d``).

    >>> provision_active([dt.date(2025, 1, 1)] * 3, [None, dt.date(2025, 3, 1),
    ...                  dt.date(2025, 2, 28)], dt.date(2025, 3, 1)).tolist()
    [True, True, False]
    """
    start, einde, d = as_days(start), as_days(einde), as_days(d)
    return (start <= d) & _open_or(einde, einde >= d)


# Debt open on D: sinds <= D and the outstanding amount on D > 0. There are no debt
# snapshots yet (DESIGN 5.3); when they come, only debt_outstanding(_sql) changes: the
# amount on D becomes the latest snapshot on or before D, else the current amount.


def debt_outstanding_sql(entity, d) -> ColumnElement[int]:
    """SQL: the outstanding amount (cents) of the debt on ``d`` (today: its current amount)."""
    return entity.openstaand_cent


def debt_outstanding(openstaand_cent, d) -> np.ndarray:
    """The outstanding amount on ``d`` (today: the current amount, for every ``d``)."""
    amounts = np.asarray(openstaand_cent)
    return amounts.astype(np.int64) if amounts.dtype == object else amounts


def debt_open_sql(entity, d, until=None) -> ColumnElement[bool]:
    """SQL: the debt of ``entity`` is open on ``d`` (.. ``until``)."""
    return and_(
        entity.sinds <= (d if until is None else until), debt_outstanding_sql(entity, d) > 0
    )


def debt_open(sinds, openstaand_cent, d) -> np.ndarray:
    """Open on ``d``: ``sinds <= d`` and the amount outstanding on ``d`` is above 0.

    >>> debt_open([dt.date(2025, 3, 1)] * 3, [100, 0, 100],
    ...           [dt.date(2025, 3, 1), dt.date(2025, 3, 1), dt.date(2025, 2, 28)]).tolist()
    [True, False, False]
    """
    return (as_days(sinds) <= as_days(d)) & (debt_outstanding(openstaand_cent, d) > 0)


# Signal open on D: gemeld_op <= D and (gesloten_op empty or gesloten_op > D).


def signal_open_sql(entity, d, until=None) -> ColumnElement[bool]:
    """SQL: the signal of ``entity`` is open on ``d`` (.. ``until``)."""
    return and_(
        entity.gemeld_op <= (d if until is None else until),
        or_(entity.gesloten_op.is_(None), entity.gesloten_op > d),
    )


def signal_open(gemeld_op, gesloten_op, d) -> np.ndarray:
    """Open on ``d``: reported on or before ``d`` and not closed on or before ``d``.

    >>> signal_open([dt.date(2025, 1, 1)] * 2, [None, dt.date(2025, 3, 1)],
    ...             dt.date(2025, 3, 1)).tolist()
    [True, False]
    """
    gemeld_op, gesloten_op, d = as_days(gemeld_op), as_days(gesloten_op), as_days(d)
    return (gemeld_op <= d) & _open_or(gesloten_op, gesloten_op > d)


# Regie active on D: start <= D and (einde empty or einde > D). A transfer on D ends
# the old regie on D and starts the new one on D, so exactly one is active on D. The
# ``actief`` flag of a regie row is not part of this rule: it marks the one open row
# (einde empty) that the partial unique index allows per household, i.e. the regie
# that end/transfer act on now.


def regie_active_sql(entity, d, until=None) -> ColumnElement[bool]:
    """SQL: the regie of ``entity`` (``coordination.models.Regie``) is active on ``d``."""
    return and_(
        entity.start <= (d if until is None else until),
        or_(entity.einde.is_(None), entity.einde > d),
    )


def regie_active(start, einde, d) -> np.ndarray:
    """Active on ``d``: ``start <= d`` and (``einde`` open or ``einde > d``).

    >>> regie_active([dt.date(2025, 1, 1)] * 2, [None, dt.date(2025, 3, 1)],
    ...              dt.date(2025, 3, 1)).tolist()
    [True, False]
    """
    start, einde, d = as_days(start), as_days(einde), as_days(d)
    return (start <= d) & _open_or(einde, einde > d)


# Member of a household on D (DESIGN 4.1, 5.4): the person's bewoning period that contains D
# (``vanaf`` <= D < ``tot``). A person without any bewoning row lives in their current
# household (``person.household_id``) on every date; one with rows lives nowhere on a date
# no row covers (before they came, after they left).


def household_of_person_sql(d, history: bool = True) -> ColumnElement[int]:
    """SQL: the household a person (``Person``, joined in the query) belonged to on ``d``.

    ``history=False`` is the same rule for a database without any bewoning row (a caller that
    checked :func:`has_residence_history`): every person lives in their current household.
    """
    if not history:
        return Person.household_id
    covering = (
        select(Residence.household_id)
        .where(
            Residence.person_id == Person.id,
            Residence.vanaf <= d,
            or_(Residence.tot.is_(None), Residence.tot > d),
        )
        .order_by(Residence.vanaf.desc())
        .limit(1)
        .scalar_subquery()
    )
    has_history = exists().where(Residence.person_id == Person.id)
    return case((has_history, covering), else_=Person.household_id)


def has_residence_history(session: Session) -> bool:
    """Whether any bewoning row exists (else the cheaper form of the membership rule holds)."""
    return session.scalar(select(exists().where(Residence.id.is_not(None)))) or False


def member_of_household_sql(household_id, d) -> ColumnElement[bool]:
    """SQL: the person (``Person``) was a member of ``household_id`` on ``d``."""
    ever_there = or_(
        Person.household_id == household_id,
        Person.id.in_(select(Residence.person_id).where(Residence.household_id == household_id)),
    )
    return and_(ever_there, household_of_person_sql(d) == household_id)


def household_of_person(current_household_ids, d) -> np.ndarray:
    """The household of each person on ``d`` for persons without bewoning history.

    (Persons with history are resolved in SQL by :func:`household_of_person_sql`.)
    """
    return np.asarray(current_household_ids, dtype=np.int64)


def member_of_household(current_household_ids, household_id, d) -> np.ndarray:
    """Whether each person was a member of ``household_id`` on ``d``.

    >>> member_of_household([7, 8], 7, dt.date(2025, 1, 1)).tolist()
    [True, False]
    """
    return household_of_person(current_household_ids, d) == household_id


# The 12 months up to D: the 365 days D-364 .. D, both included. An editable period of
# N days (the complexity rule herhaalde_hulpvragen) is the N days D-(N-1) .. D.


def window_start(d: dt.date, days: int = MONTHS_12_DAYS) -> dt.date:
    """The first day of the ``days``-day window up to ``d`` (``d`` is its last day)."""
    return d - dt.timedelta(days=int(days) - 1)


def in_window_sql(column, d: dt.date, days: int = MONTHS_12_DAYS) -> ColumnElement[bool]:
    """SQL: ``column`` lies in the ``days`` days up to ``d`` (both ends included)."""
    return and_(column >= window_start(d, days), column <= d)


def in_window(dates, d, days: int = MONTHS_12_DAYS) -> np.ndarray:
    """Whether each date lies in the ``days`` days up to ``d`` (``d-(days-1) .. d``).

    >>> D = dt.date(2025, 6, 30)
    >>> in_window([D, D - dt.timedelta(days=364), D - dt.timedelta(days=365),
    ...            D + dt.timedelta(days=1)], D).tolist()
    [True, True, False, False]
    """
    dates, d = as_days(dates), as_days(d)
    return (dates <= d) & (dates > d - np.timedelta64(int(days), "D"))


def repeat_count(request_dates, r, days: int = MONTHS_12_DAYS) -> int:
    """ "Aanvraag N in 12 maanden": the household's requests in the window up to ``r``.

    ``request_dates`` are the household's request dates, the request on ``r`` included.

    >>> repeat_count([dt.date(2024, 6, 30), dt.date(2024, 7, 1), dt.date(2025, 6, 30)],
    ...              dt.date(2025, 6, 30))
    2
    """
    return int(in_window(request_dates, r, days).sum())


def requests_in_12_months(
    session: Session, household_id: int, d: dt.date, days: int = MONTHS_12_DAYS
) -> int:
    """Requests of the household in the 12 months up to ``d`` (a request on ``d`` included)."""
    return int(
        session.scalar(
            select(func.count()).where(
                HelpRequest.household_id == household_id,
                in_window_sql(HelpRequest.ontvangen_op, d, days),
            )
        )
        or 0
    )
