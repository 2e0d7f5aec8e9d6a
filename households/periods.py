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
from sqlalchemy import ColumnElement, and_, case, exists, func, null, or_, select, union
from sqlalchemy.orm import Session, aliased

from households.models import DebtSnapshot, HelpRequest, Person, Residence
from households.snapshots import Schuldstanden, latest_snapshot

__all__ = [
    "MONTHS_12_DAYS", "Schuldstanden", "as_days", "debt_amount_on", "debt_amount_on_sql",
    "debt_open", "debt_open_sql", "debt_outstanding", "debt_outstanding_sql", "household_of_person",
    "household_of_person_sql", "in_window", "latest_snapshot", "in_window_sql",
    "member_of_household", "member_of_household_sql", "history_flags", "provision_active",
    "provision_active_sql", "regie_active", "regie_active_sql",
    "repeat_count", "requests_in_12_months", "signal_open", "signal_open_sql", "window_start"]

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


# Debt open on D (stacking, the overview, enrolment): sinds <= D and the debt's current
# amount > 0 (version 1). The amount of a debt ON a date, from its history, is
# debt_amount_on(_sql) below; the evaluation measures debt over time with that one.


def _latest_snapshot_sql(entity, d) -> ColumnElement:
    return (
        select(DebtSnapshot.openstaand_cent)
        .where(DebtSnapshot.debt_id == entity.id, DebtSnapshot.peildatum <= d)
        .order_by(DebtSnapshot.peildatum.desc())
        .limit(1)
        .scalar_subquery()
    )


def debt_outstanding_sql(entity, d, history: bool = True) -> ColumnElement[int]:
    """SQL: the amount (cents) that decides whether the debt is open on ``d``: its latest
    schuldstand on or before ``d``, else its current amount (DESIGN 4.1; ``history=False``
    when no schuldstand exists at all, see :func:`history_flags`)."""
    if not history:
        return entity.openstaand_cent
    return func.coalesce(_latest_snapshot_sql(entity, d), entity.openstaand_cent)


def debt_outstanding(openstaand_cent, d, snapshots=None) -> np.ndarray:
    """The amount that decides whether a debt is open on ``d``: its latest schuldstand on or
    before ``d``, else its current amount.

    ``snapshots`` is ``(debt_ids, snap_debt_ids, snap_dates, snap_cents)``: the ids of the
    debts in ``openstaand_cent`` and their schuldstanden (None: no history).

    >>> D = dt.date(2025, 3, 31)
    >>> debt_outstanding([0, 500], D, ([1, 2], [1, 1], [dt.date(2025, 1, 31), D], [70, 0])).tolist()
    [0, 500]
    >>> F = dt.date(2025, 2, 1)
    >>> debt_outstanding([0, 500], F, ([1, 2], [1], [dt.date(2025, 1, 31)], [70])).tolist()
    [70, 500]
    """
    amounts = np.asarray(openstaand_cent).astype(np.int64)
    if snapshots is None or not len(snapshots[1]):
        return amounts
    if isinstance(snapshots, Schuldstanden):  # key built once, each date searched once
        latest = snapshots.latest_on(d)
    else:
        latest = latest_snapshot(snapshots[1], snapshots[2], snapshots[3], snapshots[0], d)
    return np.where(np.isnan(latest), amounts, np.nan_to_num(latest)).astype(np.int64)


# The outstanding amount of a debt on D (DESIGN 4.1, 5.4) — the one rule:
#   1. D before the debt's ``sinds``: 0 (the debt did not exist yet);
#   2. else the latest schuldstand (DebtSnapshot) with peildatum <= D;
#   3. else, only when D is today: the debt's current ``openstaand``;
#   4. else unknown (SQL NULL, numpy NaN). A past amount is never invented from today's:
#      a household whose debt has no history has no measurable debt change.


def debt_amount_on_sql(entity, d: dt.date, today: dt.date | None = None) -> ColumnElement:
    """SQL: the amount (cents) of the debt ``entity`` on ``d``, NULL when unknown (rules 1-4).

    ``d`` is a date (not a bound parameter): rule 3 compares it with ``today``.
    """
    latest = (
        select(DebtSnapshot.openstaand_cent)
        .where(DebtSnapshot.debt_id == entity.id, DebtSnapshot.peildatum <= d)
        .order_by(DebtSnapshot.peildatum.desc())
        .limit(1)
        .scalar_subquery()
    )
    current = entity.openstaand_cent if d == (today or dt.date.today()) else null()
    return case((entity.sinds > d, 0), else_=func.coalesce(latest, current))


def debt_amount_on(sinds, snapshot_cent, openstaand_cent, d, today=None) -> np.ndarray:
    """The amount (cents, float) of each debt on ``d``; NaN when unknown (rules 1-4 above).

    ``snapshot_cent`` is each debt's latest snapshot on or before ``d`` (NaN: none; see
    :func:`latest_snapshot`).

    >>> D, T = dt.date(2025, 3, 1), dt.date(2025, 6, 30)
    >>> debt_amount_on([dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2025, 1, 1)],
    ...                [400, np.nan, np.nan], [100, 900, 100], D, today=T).tolist()
    [400.0, 0.0, nan]
    >>> debt_amount_on([dt.date(2025, 1, 1)], [np.nan], [100], T, today=T).tolist()
    [100.0]
    """
    today = today or dt.date.today()
    snap = np.asarray(snapshot_cent, dtype=float)
    current = np.asarray(openstaand_cent, dtype=float)
    is_today = bool(as_days(d) == as_days(today))
    amount = np.where(np.isnan(snap), current if is_today else np.nan, snap)
    return np.where(as_days(sinds) > as_days(d), 0.0, amount)


def debt_open_sql(entity, d, until=None, history: bool = True) -> ColumnElement[bool]:
    """SQL: the debt of ``entity`` is open on ``d`` (.. ``until``: on some day of the range,
    a superset the numpy rule narrows per date)."""
    if until is None:
        return and_(entity.sinds <= d, debt_outstanding_sql(entity, d, history) > 0)
    opened_in_range = (
        exists()
        .where(DebtSnapshot.debt_id == entity.id, DebtSnapshot.peildatum > d,
               DebtSnapshot.peildatum <= until, DebtSnapshot.openstaand_cent > 0)
    )  # fmt: skip
    open_on_d = debt_outstanding_sql(entity, d, history) > 0
    return and_(entity.sinds <= until, or_(open_on_d, opened_in_range) if history else open_on_d)


def debt_open(sinds, openstaand_cent, d, snapshots=None) -> np.ndarray:
    """Open on ``d``: ``sinds <= d`` and the amount outstanding on ``d`` is above 0
    (:func:`debt_outstanding`; ``snapshots`` as there).

    >>> debt_open([dt.date(2025, 3, 1)] * 3, [100, 0, 100],
    ...           [dt.date(2025, 3, 1), dt.date(2025, 3, 1), dt.date(2025, 2, 28)]).tolist()
    [True, False, False]
    """
    return (as_days(sinds) <= as_days(d)) & (debt_outstanding(openstaand_cent, d, snapshots) > 0)


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
    checked :func:`history_flags`): every person lives in their current household.
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


def history_flags(session: Session) -> tuple[bool, bool]:
    """(any bewoning row, any schuldstand row), in one query. Without bewoning every person
    lives in their current household, and without schuldstanden a debt's amount is its
    current one on every date: the cheaper SQL forms hold."""
    residence, debt = session.execute(
        select(exists().where(Residence.id.is_not(None)),
               exists().where(DebtSnapshot.id.is_not(None)))
    ).one()  # fmt: skip
    return bool(residence), bool(debt)


_PERSON = aliased(Person)  # the person table inside a subquery about persons (no correlation)


def member_of_household_sql(household_id, d) -> ColumnElement[bool]:
    """SQL: the person (``Person``) was a member of ``household_id`` on ``d``."""
    # an IN over a UNION uses both indexes; "household_id = h OR id IN (...)" scanned persons
    ever_there = Person.id.in_(
        union(select(_PERSON.id).where(_PERSON.household_id == household_id),
              select(Residence.person_id).where(Residence.household_id == household_id))
    )  # fmt: skip
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
