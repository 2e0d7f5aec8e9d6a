"""Household outcomes on a date, from provisions, debts, signals, schuldhulp and regie (DESIGN §4).

:func:`load_frames` reads the few columns needed once; :func:`profile_on` is
pure and vectorised: for every household the stacking profile, the matching variables and
the outcomes the evaluation compares (:data:`OUTCOMES`: debt outstanding, open arrears
signals, threatened evictions and disconnections, schuldhulp step reached; the demoted
:data:`PROCESS_MEASURES`: active provisions, regie coverage).

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
from coordination.shv_read import trajectory_frames
from coordination.shvmodels import SHV_STEPS
from households.models import (
    ARREARS_SIGNAL_KINDS,
    Debt,
    DebtSnapshot,
    Household,
    Person,
    Provision,
    Signal,
)
from households.periods import (
    as_days,
    debt_amount_on,
    debt_open,
    latest_snapshot,
    provision_active,
    regie_active,
    signal_open,
)

__all__ = [
    "Frames",
    "load_frames",
    "profile_on",
    "size_band",
    "OUTCOMES",
    "PROCESS_MEASURES",
    "POST_OUTCOMES",
    "UNITS",
]

#: The outcomes that matter for bestaanszekerheid (issue 15), each with its unit. Measured on
#: the enrolment date and the reference date, compared as a difference-in-differences.
OUTCOMES = {
    "debt_outstanding": "Openstaande schuld (€)",
    "arrears_open": "Openstaande betalingsachterstanden (aantal)",
    "crisis_12m": "Dreigende ontruiming of afsluiting in 12 maanden (aantal)",
    "shv_plan": "Schuldhulp met plan van aanpak of verder (aandeel)",
}
#: Outcomes measured after enrolment only (no "before"): a difference of means.
POST_OUTCOMES = {
    "dagen_eerste_gesprek": "Dagen van aanmelding tot eerste gesprek schuldhulp (na inschrijving)",
}
#: Process measures, demoted: the intervention itself creates regie, and more provisions can
#: mean less non-take-up as well as more need. Shown apart, never as an effect.
PROCESS_MEASURES = {
    "n_provisions": "Actieve voorzieningen (aantal)",
    "regie": "Regie aanwezig (aandeel)",
}
#: Unit of every measure (charts never put two units on one axis).
UNITS = {"debt_outstanding": "euro", "arrears_open": "aantal", "crisis_12m": "aantal",
         "shv_plan": "aandeel", "n_provisions": "aantal", "regie": "aandeel",
         "dagen_eerste_gesprek": "dagen"}  # fmt: skip
#: Schuldhulp step "plan van aanpak or further" (coordination/shvmodels.py SHV_STEPS).
PLAN_OR_LATER = SHV_STEPS[2:-1]
BENEFIT_KINDS = ("bijstand", "IOAW")


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
    signals: pd.DataFrame = field(  # household_id, gemeld_op, gesloten_op (arrears kinds)
        default_factory=lambda: pd.DataFrame(columns=["household_id", "gemeld_op", "gesloten_op"])
    )
    trajectories: pd.DataFrame = field(default_factory=pd.DataFrame)  # coordination/shv_read
    steps: pd.DataFrame = field(default_factory=pd.DataFrame)


_DATE_COLUMNS = ("start", "einde", "sinds", "gemeld_op", "gesloten_op")


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
            select(
                Person.household_id,
                Provision.domein,
                Provision.soort,
                Provision.start,
                Provision.einde,
            ).join(Person, Person.id == Provision.person_id),
            Person.household_id,
        ),
        ["household_id", "domein", "soort", "start", "einde"],
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
    ).sort_values(["debt_id", "peildatum"], kind="stable", ignore_index=True)  # searched per date
    snapshots["peildatum"] = as_days(snapshots["peildatum"].to_numpy())  # once, not per date
    regie = _frame(
        session,
        only(select(Regie.household_id, Regie.start, Regie.einde), Regie.household_id),
        ["household_id", "start", "einde"],
    )
    signals = _frame(
        session,
        only(select(Signal.household_id, Signal.gemeld_op, Signal.gesloten_op)
             .where(Signal.soort.in_(ARREARS_SIGNAL_KINDS)), Signal.household_id),
        ["household_id", "gemeld_op", "gesloten_op"],
    )  # fmt: skip
    trajectories, steps = trajectory_frames(session)
    if household_ids is not None:
        trajectories = trajectories[trajectories["household_id"].isin(list(household_ids))]
    return Frames(households, provisions, debts, regie, snapshots, signals, trajectories, steps)


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
        snaps["debt_id"].to_numpy(dtype=np.int64),
        as_days(snaps["peildatum"].to_numpy()),  # datetime64 already: no per-value objects
        snaps["openstaand_cent"].to_numpy(dtype=float),
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
    out["n_persons"] = hh["n_persons"].astype(int)
    benefit = prov[prov["soort"].isin(BENEFIT_KINDS)] if not prov.empty else prov
    out["benefit"] = out.index.isin(list(set(benefit["household_id"]))).astype(int)
    sig = frames.signals
    sig = sig[sig["household_id"].isin(out.index)] if not sig.empty else sig
    sig = _on(sig, signal_open, date, ("gemeld_op", "gesloten_op"))
    out["arrears_open"] = (sig.groupby("household_id").size().reindex(out.index, fill_value=0)
                           .astype(int) if not sig.empty else 0)  # fmt: skip
    out["arrears_any"] = (out["arrears_open"] > 0).astype(int)
    _shv_columns(frames, out, date)
    return out


def _shv_columns(frames: Frames, out: pd.DataFrame, date: dt.date) -> None:
    """Schuldhulp on ``date``: ``in_shv`` (an open trajectory), ``shv_plan`` (a trajectory
    reached plan van aanpak or further by D) and ``crisis_12m`` (crisis aanmeldingen —
    threatened eviction or disconnection — in the 12 months up to D)."""
    t = frames.trajectories
    out["in_shv"], out["shv_plan"], out["crisis_12m"] = 0, 0, 0
    if t.empty:
        return
    t = t[t["household_id"].isin(out.index)]
    started = t["aangemeld_op"].map(lambda d: d <= date).astype(bool)
    ended = t["beeindigd_op"].map(lambda d: d is not None and d == d and d <= date).astype(bool)
    out["in_shv"] = out.index.isin(list(set(t.loc[started & ~ended, "household_id"]))).astype(int)
    st = frames.steps
    hit = st[st["stap"].isin(PLAN_OR_LATER) & st["datum"].map(lambda d: d <= date).astype(bool)]
    plan_ids = set(hit["traject_id"])
    planned = set(t.loc[t["traject_id"].isin(plan_ids), "household_id"])
    out["shv_plan"] = out.index.isin(list(planned)).astype(int)
    lo = date - dt.timedelta(days=365)
    crisis = t[t["crisis"] & t["aangemeld_op"].map(lambda d: lo < d <= date).astype(bool)]
    out["crisis_12m"] = (crisis.groupby("household_id").size().reindex(out.index, fill_value=0)
                         .astype(int))  # fmt: skip
