"""Household outcomes on a date, from provisions, debts and regie (DESIGN §4).

:func:`load_frames` reads the few columns needed once; :func:`profile_on` is
pure and vectorised: for every household the stacking profile and the outcomes
the evaluation compares (active provisions, debt outstanding, regie coverage).

Every "on D" rule is :mod:`households.periods`. Debt outstanding on D is the sum of the
household's debts' amounts on D (:func:`households.periods.debt_amount_on`: the latest
schuldstand on or before D). When a debt's amount on D is unknown (no schuldstand on or
before D, and D is not today) the household's debt on D is unknown (NaN): the evaluation
then says the change cannot be measured instead of inventing one from today's amounts.
``has_debt`` (a matching key) stays "a debt open on D" by its current amount.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.facts import fetch_columns
from coordination.models import Regie
from households.models import Debt, DebtSnapshot, Household, Person, Provision
from households.periods import (
    debt_amount_on,
    debt_open,
    latest_snapshot,
    provision_active,
    regie_active,
)

__all__ = ["Frames", "load_frames", "profile_on", "size_band", "OUTCOMES"]

OUTCOMES = {
    "n_provisions": "Actieve voorzieningen (aantal)",
    "debt_outstanding": "Openstaande schuld (€)",
    "regie": "Regie aanwezig (aandeel)",
}


@dataclass(frozen=True)
class Frames:
    """The raw columns the outcomes are computed from (one load per evaluation)."""

    households: pd.DataFrame  # household_id, wijk, n_persons
    provisions: pd.DataFrame  # household_id, domein, start, einde
    debts: pd.DataFrame  # household_id, debt_id, sinds, openstaand_cent
    regie: pd.DataFrame  # household_id, start, einde
    snapshots: pd.DataFrame = field(  # debt_id, peildatum, openstaand_cent
        default_factory=lambda: pd.DataFrame(columns=["debt_id", "peildatum", "openstaand_cent"])
    )


_DATE_COLUMNS = ("start", "einde", "sinds")


def _frame(session: Session, stmt, columns: list[str]) -> pd.DataFrame:
    """Rows as columns (raw driver rows, no ORM rows); dates as ``datetime64`` (open = NaT)."""
    cols = fetch_columns(session, stmt, columns)
    for name in _DATE_COLUMNS:
        if name in cols:
            cols[name] = np.array(cols[name], dtype="datetime64[D]")
    return pd.DataFrame({name: cols[name] for name in columns})


def load_frames(session: Session, household_ids: list[int] | None = None) -> Frames:
    """Read households, provisions, debts and regie periods (no names, no BSN).

    With ``household_ids`` only those households are read (one household's view).
    """

    def only(stmt, column):
        return stmt if household_ids is None else stmt.where(column.in_(list(household_ids)))

    size = (
        only(select(Person.household_id, func.count().label("n")), Person.household_id)
        .group_by(Person.household_id)
        .subquery()
    )
    households = _frame(
        session,
        only(
            select(Household.id, Household.wijk, func.coalesce(size.c.n, 0)).outerjoin(
                size, size.c.household_id == Household.id
            ),
            Household.id,
        ),
        ["household_id", "wijk", "n_persons"],
    )
    provisions = _frame(
        session,
        only(
            select(Person.household_id, Provision.domein, Provision.start, Provision.einde).join(
                Person, Person.id == Provision.person_id
            ),
            Person.household_id,
        ),
        ["household_id", "domein", "start", "einde"],
    )
    debts = _frame(
        session,
        only(
            select(Person.household_id, Debt.id, Debt.sinds, Debt.openstaand_cent).join(
                Person, Person.id == Debt.person_id
            ),
            Person.household_id,
        ),
        ["household_id", "debt_id", "sinds", "openstaand_cent"],
    )
    snapshots = _frame(
        session,
        only(
            select(DebtSnapshot.debt_id, DebtSnapshot.peildatum, DebtSnapshot.openstaand_cent)
            .join(Debt, Debt.id == DebtSnapshot.debt_id)
            .join(Person, Person.id == Debt.person_id),
            Person.household_id,
        ),
        ["debt_id", "peildatum", "openstaand_cent"],
    )
    regie = _frame(
        session,
        only(select(Regie.household_id, Regie.start, Regie.einde), Regie.household_id),
        ["household_id", "start", "einde"],
    )
    return Frames(households, provisions, debts, regie, snapshots)


def size_band(n_persons: int) -> str:
    """Household type by size: ``1``, ``2``, ``3-4`` or ``5+`` persons.

    >>> [size_band(n) for n in (1, 2, 4, 7)]
    ['1', '2', '3-4', '5+']
    """
    if n_persons <= 1:
        return "1"
    if n_persons == 2:
        return "2"
    return "3-4" if n_persons <= 4 else "5+"


def _on(frame: pd.DataFrame, rule, date: dt.date, columns=("start", "einde")) -> pd.DataFrame:
    """The rows of ``frame`` for which the periods ``rule`` holds on ``date``."""
    if frame.empty:
        return frame
    values = [frame[c].to_numpy() for c in columns]
    return frame[rule(*values, date)]


def _debt_on(frames: Frames, debts: pd.DataFrame, date: dt.date, today) -> pd.Series:
    """Cents per household on ``date`` (NaN when a debt's amount on ``date`` is unknown)."""
    if debts.empty:
        return pd.Series(dtype=float)
    snaps = frames.snapshots
    latest = latest_snapshot(
        snaps["debt_id"].to_numpy(dtype=object),
        snaps["peildatum"].to_numpy(dtype=object),
        snaps["openstaand_cent"].to_numpy(dtype=object),
        debts["debt_id"].to_numpy(dtype=np.int64),
        date,
    )
    current = debts["openstaand_cent"].to_numpy(dtype=object)
    amounts = debt_amount_on(debts["sinds"].to_numpy(dtype=object), latest, current, date, today)
    per_debt = pd.Series(amounts, index=debts["household_id"].to_numpy())
    total = per_debt.groupby(level=0).sum()
    # One debt whose amount on D is unknown makes the household's debt on D unknown.
    total[per_debt.isna().groupby(level=0).any()] = np.nan
    return total


def profile_on(
    frames: Frames, date: dt.date, household_ids=None, today: dt.date | None = None
) -> pd.DataFrame:
    """Stacking profile and outcomes of households on ``date``, indexed by ``household_id``.

    Columns: ``n_provisions``, ``n_domains``, ``has_debt``, ``debt_outstanding``
    (euros; NaN when unknown on ``date``, see the module docstring), ``regie`` (1 when a
    regie is active on D, else 0), ``size_band``, ``wijk``.
    """
    hh = frames.households.set_index("household_id")
    provisions, debts, regie = frames.provisions, frames.debts, frames.regie
    if household_ids is not None:
        wanted = pd.Index(list(household_ids))
        hh = hh.loc[hh.index.intersection(wanted)]
        provisions = provisions[provisions["household_id"].isin(wanted)]
        debts = debts[debts["household_id"].isin(wanted)]
        regie = regie[regie["household_id"].isin(wanted)]
    out = pd.DataFrame(index=hh.index)
    out["wijk"] = hh["wijk"]
    out["size_band"] = hh["n_persons"].map(size_band)
    prov = _on(provisions, provision_active, date)
    out["n_provisions"] = prov.groupby("household_id").size().reindex(out.index, fill_value=0)
    out["n_domains"] = (
        prov.groupby("household_id")["domein"].nunique().reindex(out.index, fill_value=0)
        if not prov.empty
        else 0
    )
    cents = _debt_on(frames, debts, date, today)
    out["debt_outstanding"] = cents.reindex(out.index, fill_value=0.0).astype(float) / 100.0
    open_debts = _on(debts, debt_open, date, ("sinds", "openstaand_cent"))
    out["has_debt"] = out.index.isin(list(set(open_debts["household_id"])))
    regie = _on(regie, regie_active, date)
    with_regie = set(regie["household_id"]) if not regie.empty else set()
    out["regie"] = out.index.isin(list(with_regie)).astype(int)
    out["n_provisions"] = out["n_provisions"].astype(int)
    out["n_domains"] = pd.Series(out["n_domains"], index=out.index).astype(int)
    return out
