"""Household outcomes on a date, from provisions, debts and regie (DESIGN §4).

:func:`load_frames` reads the few columns needed once; :func:`profile_on` is
pure and vectorised: for every household the stacking profile and the outcomes
the evaluation compares (active provisions, debt outstanding, regie coverage).

Every "on D" rule is :mod:`households.periods`. Debts carry only their current
``openstaand`` (no snapshots yet): debt outstanding on D is the sum over the debts
open on D, so a change over time reflects new debts and debts that have been paid
off (``openstaand`` 0), not partial repayments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.facts import fetch_columns
from coordination.models import Regie
from households.models import Debt, Household, Person, Provision
from households.periods import debt_open, debt_outstanding, provision_active, regie_active

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
    debts: pd.DataFrame  # household_id, sinds, openstaand_cent
    regie: pd.DataFrame  # household_id, start, einde


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
            select(Person.household_id, Debt.sinds, Debt.openstaand_cent).join(
                Person, Person.id == Debt.person_id
            ),
            Person.household_id,
        ),
        ["household_id", "sinds", "openstaand_cent"],
    )
    regie = _frame(
        session,
        only(select(Regie.household_id, Regie.start, Regie.einde), Regie.household_id),
        ["household_id", "start", "einde"],
    )
    return Frames(households, provisions, debts, regie)


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


def profile_on(frames: Frames, date: dt.date, household_ids=None) -> pd.DataFrame:
    """Stacking profile and outcomes of households on ``date``, indexed by ``household_id``.

    Columns: ``n_provisions``, ``n_domains``, ``has_debt``, ``debt_outstanding``
    (euros), ``regie`` (1 when a regie is active on D, else 0), ``size_band``, ``wijk``.
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
    debts = _on(debts, debt_open, date, ("sinds", "openstaand_cent"))
    if not debts.empty:
        debts = debts.assign(openstaand_cent=debt_outstanding(debts["openstaand_cent"], date))
    cents = (
        debts.groupby("household_id")["openstaand_cent"].sum()
        if not debts.empty
        else pd.Series(dtype="int64")
    )
    out["debt_outstanding"] = cents.reindex(out.index, fill_value=0).astype(float) / 100.0
    out["has_debt"] = out["debt_outstanding"] > 0
    regie = _on(regie, regie_active, date)
    with_regie = set(regie["household_id"]) if not regie.empty else set()
    out["regie"] = out.index.isin(list(with_regie)).astype(int)
    out["n_provisions"] = out["n_provisions"].astype(int)
    out["n_domains"] = pd.Series(out["n_domains"], index=out.index).astype(int)
    return out
