"""Amounts in the steering overview, published only for groups of 5 or more (DESIGN 4.6).

An amount belongs to a group of households (or debtors) whose count is a cell of the
overview: it is published only when that count is published and at least 5, and the
total only when the total minus the published parts would not give away the amount of
a group of 1 to 4.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.facts import fetch_columns
from coordination.overview_relations import TOTAL
from coordination.suppression import is_hidden, too_small
from households.models import Person, Provision
from households.periods import provision_active_sql

__all__ = ["monthly_costs", "protected_amounts"]


def protected_amounts(pub: dict, raw_cents, raw_counts, key: str, wijken: list[str]) -> dict:
    """Published amounts (euros) per group: only for a published group (``key``) of >= 5.

    The total is hidden as well when it minus the published wijk amounts would give the
    amount of a group of 1 to 4.
    """
    out = {}
    for i, w in enumerate(wijken):
        n = pub[(w, key)]
        out[w] = None if is_hidden(n) or too_small(n) else round(int(raw_cents[i]) / 100, 2)
    n = pub[(TOTAL, key)]
    rest = sum(int(raw_counts[i]) for i, w in enumerate(wijken) if out[w] is None)
    hidden_total = is_hidden(n) or too_small(n) or (wijken and too_small(rest) and rest > 0)
    out[TOTAL] = None if hidden_total else round(int(raw_cents.sum()) / 100, 2)
    return out


def monthly_costs(session: Session, date: dt.date, ids: np.ndarray, wcode, k: int):
    """Monthly cost (cents) of the provisions active on ``date``, per wijk code."""
    cols = fetch_columns(
        session,
        select(Person.household_id, func.sum(Provision.kosten_per_maand_cent))
        .join(Person, Person.id == Provision.person_id)
        .where(provision_active_sql(Provision, date), Provision.kosten_per_maand_cent.is_not(None))
        .group_by(Person.household_id),
        ["hh", "cent"],
    )  # fmt: skip
    pos = np.searchsorted(ids, np.array(cols["hh"], dtype=np.int64))
    cents = np.array(cols["cent"], dtype=np.int64)
    return np.bincount(wcode[pos], weights=cents, minlength=k).astype(np.int64)
