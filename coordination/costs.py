"""What the provisions cost per month: per domain, per combination of domains and per wijk.

From ``kosten_per_maand_cent`` of the provisions active on the reference date (DESIGN
4.1), through the amount protection of :mod:`coordination.overview_amounts`: an amount
only for a group of 5 or more households, and never one that the total minus the
published amounts would give for a group of 1 to 4. The wijk amounts are the steering
overview's own (one computation, one protection). Combinations are the **local**
domains (every provision kind, minima and schuldhulp included: everything costs money),
so they are labelled as such and not as the CBS combinations of the overview.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.facts import DOMAIN_BITS, load_facts
from coordination.overview import steering_overview
from coordination.overview_amounts import protected_breakdown
from coordination.rules import active_rules
from coordination.stacking import domains_label, evaluate
from households import audit
from households.access import authorize
from households.actor import Actor
from households.figurecache import cached_figures
from households.models import Household
from households.periods import provision_active

__all__ = ["LOCAL_COMBINATIONS", "cost_breakdown", "steering_costs"]

LOCAL_COMBINATIONS = tuple(domains_label(m) for m in range(1, 8))


def cost_breakdown(session: Session, date: dt.date) -> dict:
    """Protected monthly costs (euros) on ``date`` per domain and per local combination.

    ``{"per_domein": {domain: euros | None}, "per_combinatie": {...}}``; no access check
    (callers authorize): the result holds protected amounts only.
    """
    rules = active_rules(session)
    ids = np.array(session.scalars(select(Household.id).order_by(Household.id)).all(), np.int64)
    facts = load_facts(session, date, date, rules, household_ids=ids)
    p, d = facts.prov, np.datetime64(date, "D")
    active = provision_active(p["start"], p["end"], d)
    members, counts, cents = {}, {}, {}
    for dom, bit in DOMAIN_BITS.items():
        sel = active & (p["dom"] == bit)
        members[dom] = np.unique(p["pos"][sel])
        counts[dom], cents[dom] = len(members[dom]), int(p["cost"][sel].sum())

    def union(names) -> int:
        found = [members[n] for n in names]
        return len(np.unique(np.concatenate(found))) if found else 0

    per_household = np.bincount(p["pos"][active], weights=p["cost"][active], minlength=facts.n)
    mask = evaluate(facts, date, rules)["domain_mask"]
    combo_counts = {c: int((mask == m).sum()) for m, c in enumerate(LOCAL_COMBINATIONS, 1)}
    combo_cents = {c: int(per_household[mask == m].sum())
                   for m, c in enumerate(LOCAL_COMBINATIONS, 1)}  # fmt: skip
    return {"per_domein": protected_breakdown(counts, cents, union),
            "per_combinatie": protected_breakdown(combo_counts, combo_cents)}  # fmt: skip


def steering_costs(session: Session, actor: Actor, date: dt.date) -> dict:
    """Monthly costs on ``date`` for KISS: total, per domain, per combination, per wijk.

    The total and the wijk amounts come from the (protected, cached) steering overview,
    which also refuses a date that is not a month end for ``kiss``. Amounts in euros;
    None where the group is too small or its amount could be derived.
    """
    authorize(session, actor, "stuurkosten_inzien")
    overview = steering_overview(session, actor, date)
    parts = cached_figures(session, "stuurkosten", date.isoformat(),
                           lambda s: cost_breakdown(s, date))  # fmt: skip
    audit.record(session, actor, audit.Event.STUURKOSTEN_INZIEN, "overview", date.isoformat())
    return {
        "peildatum": date.isoformat(),
        "totaal": overview["kosten_per_maand"],
        **parts,
        "per_wijk": {w: b["kosten_per_maand"] for w, b in overview["by_wijk"].items()},
    }
