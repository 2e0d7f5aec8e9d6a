"""Stacking (stapeling) and complexity on a reference date, for every household at once.

The facts (:func:`coordination.facts.load_facts`, one set-based query per table) are
evaluated on any date with ``bincount``-style vectorised operations
(:func:`evaluate`). The same evaluation serves the whole population
(:func:`stacking_table`), one household (:func:`household_stacking`, indexed queries
only) and the quarterly trend of the steering overview. Definitions: DESIGN.md
section 4.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.factcache import cached, read_versions
from coordination.facts import (
    DOMAIN_BITS,
    SORTED_DOMAINS,
    Facts,
    fetch_columns,
    int_column,
    load_facts,
)
from coordination.rules import RULE_CODES, RuleVersion, active_rules
from households import audit
from households.access import authorize
from households.actor import Actor
from households.csvwriter import frame_csv
from households.errors import NotFound
from households.models import Household
from households.periods import (
    MONTHS_12_DAYS,
    debt_outstanding,
    in_window,
    provision_active,
    regie_active,
    signal_open,
)

__all__ = [
    "CSV_COLUMNS", "HouseholdStacking", "domains_label", "evaluate", "household_stacking",
    "heavy_stacking", "is_stacked",
    "stacking_csv", "stacking_table",
]  # fmt: skip

CSV_COLUMNS = ["huishouden_id", "wijk", "n_provisions", "n_domains", "domains",
               "debt_outstanding", "has_debt", "stacked", "complex", "complex_reasons",
               "stacked_cbs"]  # fmt: skip
_DOMAIN_WORDS = {"ISD": "ISD-voorziening", "JEUGD": "jeugdhulp", "WMO": "Wmo-ondersteuning"}


def domains_label(mask: int) -> str:
    """The sorted domain codes of a domain bit mask joined with ``+``.

    >>> domains_label(DOMAIN_BITS["WMO"] | DOMAIN_BITS["ISD"]), domains_label(0)
    ('ISD+WMO', '')
    """
    return "+".join(d for k, d in enumerate(SORTED_DOMAINS) if mask & (1 << k))


def _reasons_label(mask: int) -> str:
    return ";".join(code for k, code in enumerate(RULE_CODES) if mask & (1 << k))


_DOMAIN_LABELS = np.array([domains_label(m) for m in range(8)], dtype=object)
_REASON_LABELS = np.array([_reasons_label(m) for m in range(1 << len(RULE_CODES))], dtype=object)


def _count(pos: np.ndarray, n: int, weights=None) -> np.ndarray:
    return np.bincount(pos, weights=weights, minlength=n)


def _any(pos: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[pos] = True
    return out


def _popcount(mask: np.ndarray) -> np.ndarray:
    return ((mask & 1) > 0).astype(np.int64) + ((mask & 2) > 0) + ((mask & 4) > 0)


def is_stacked(n_domains, has_debt) -> np.ndarray:
    """Local stacking (DESIGN 4.2, fixed): 2 or more domains, or 1 domain and an open debt.

    >>> is_stacked(np.array([2, 1, 1, 0]), np.array([False, True, False, True])).tolist()
    [True, True, False, False]
    """
    n_domains, has_debt = np.asarray(n_domains), np.asarray(has_debt, dtype=bool)
    return (n_domains >= 2) | ((n_domains >= 1) & has_debt)


def heavy_stacking(n_domains, has_debt, rules: RuleVersion) -> np.ndarray:
    """Stacking heavy enough to make a household complex, under the ``stapeling`` rule.

    ``n_domains >= min_domeinen``, or ``n_domains >= min_domeinen_met_schuld`` (at least
    1) and an open debt; by default 3 domains, or 2 and a debt. The rule's ``actief``
    toggle decides whether it makes a household complex at all.

    >>> from coordination.rules import RuleVersion
    >>> heavy_stacking(np.array([3, 2, 2, 1]), np.array([False, True, False, True]),
    ...                RuleVersion(1)).tolist()
    [True, True, False, False]
    """
    st = rules.regels["stapeling"]
    n_domains, has_debt = np.asarray(n_domains), np.asarray(has_debt, dtype=bool)
    with_debt = max(int(st["min_domeinen_met_schuld"]), 1)
    return (n_domains >= st["min_domeinen"]) | ((n_domains >= with_debt) & has_debt)


def evaluate(facts: Facts, date: dt.date, rules: RuleVersion) -> dict[str, np.ndarray]:
    """Stacking and complexity of every household in ``facts`` on ``date`` (arrays of length n).

    Keys: n_provisions, domain_mask, n_domains, debt_cent, has_debt, stacked, safety,
    n_requests, jb, reason_mask, complex, regie, cbs_mask (the CBS domains, DESIGN 4.2)
    and stacked_cbs (two or more CBS domains).
    """
    d = np.datetime64(date, "D")
    n, r = facts.n, rules.regels
    p = facts.prov
    active = provision_active(p["start"], p["end"], d)
    pos, dom = p["pos"][active], p["dom"][active]
    n_prov = _count(pos, n)
    mask = np.zeros(n, dtype=np.int8)
    for bit in DOMAIN_BITS.values():
        mask[pos[dom == bit]] |= bit
    n_dom = _popcount(mask)
    cbs_mask = np.zeros(n, dtype=np.int8)
    cbs = p["cbs"][active]
    for bit in DOMAIN_BITS.values():
        cbs_mask[pos[(dom == bit) & cbs]] |= bit
    jb = _any(pos[p["jb"][active]], n)
    b = facts.debt
    amount = debt_outstanding(b["cent"], d, b.get("snap"))
    open_ = (b["sinds"] <= d) & (amount > 0)  # households.periods.debt_open, amount computed once
    debt_cent = _count(b["pos"][open_], n, amount[open_]).astype(np.int64)
    has_debt = _any(b["pos"][open_], n)
    stacked = is_stacked(n_dom, has_debt)
    s = facts.sig
    safety = _any(s["pos"][signal_open(s["start"], s["end"], d)], n)
    q = facts.req
    n_req = _count(q["pos"][in_window(q["day"], d, r["herhaalde_hulpvragen"]["periode_dagen"])], n)
    g = facts.regie
    regie = _any(g["pos"][regie_active(g["start"], g["end"], d)], n)
    fired = [
        r["stapeling"]["actief"] & heavy_stacking(n_dom, has_debt, rules),
        r["veiligheidssignaal"]["actief"] & safety,
        r["herhaalde_hulpvragen"]["actief"] & (n_req >= r["herhaalde_hulpvragen"]["min_aantal"]),
        r["jeugdbescherming"]["actief"] & jb & ((mask & ~DOMAIN_BITS["JEUGD"]) > 0),
    ]  # fmt: skip
    reason_mask = np.zeros(n, dtype=np.int16)
    for k, f in enumerate(fired):
        reason_mask |= (np.asarray(f, dtype=np.int16) << k).astype(np.int16)
    return {
        "n_provisions": n_prov.astype(np.int64), "domain_mask": mask, "n_domains": n_dom,
        "debt_cent": debt_cent, "has_debt": has_debt, "stacked": stacked, "safety": safety,
        "n_requests": n_req.astype(np.int64), "jb": jb, "reason_mask": reason_mask,
        "complex": reason_mask > 0, "regie": regie,
        "cbs_mask": cbs_mask, "stacked_cbs": _popcount(cbs_mask) >= 2,
    }  # fmt: skip


def _households(session: Session) -> pd.DataFrame:
    stmt = select(Household.id, Household.huishouden_id, Household.wijk).order_by(Household.id)

    def load() -> dict[str, np.ndarray]:
        cols = fetch_columns(session, stmt, ["id", "key", "wijk"])
        return {"household_id": int_column(cols["id"]),
                "huishouden_id": np.array(cols["key"], dtype=object),
                "wijk": np.array(cols["wijk"], dtype=object)}  # fmt: skip

    versions = read_versions(session, ["household"])
    return pd.DataFrame(cached(versions, "households_keys", ["household"], None, load))


def stacking_table(
    session: Session, date: dt.date, rules: RuleVersion | None = None
) -> pd.DataFrame:
    """One row per household with its stacking and complexity on ``date``.

    Columns: huishouden_id, wijk, n_provisions, n_domains, domains, debt_outstanding
    (euros, 2 decimals), has_debt, stacked, complex, complex_reasons (reason codes joined
    with ``;``), stacked_cbs, domains_cbs (the CBS domains), household_id, rule_version,
    debt_outstanding_cent, jeugdbescherming (an active measure of the rule's kind).
    """
    rules = rules or active_rules(session)
    hh = _households(session)
    ids = hh["household_id"].to_numpy(dtype=np.int64)
    ev = evaluate(load_facts(session, date, date, rules, household_ids=ids), date, rules)
    out = pd.DataFrame({
        "huishouden_id": hh["huishouden_id"], "wijk": hh["wijk"],
        "n_provisions": ev["n_provisions"], "n_domains": ev["n_domains"],
        "domains": _DOMAIN_LABELS[ev["domain_mask"]],
        "debt_outstanding": np.round(ev["debt_cent"] / 100.0, 2),
        "has_debt": ev["has_debt"], "stacked": ev["stacked"], "complex": ev["complex"],
        "complex_reasons": _REASON_LABELS[ev["reason_mask"]],
        "stacked_cbs": ev["stacked_cbs"], "domains_cbs": _DOMAIN_LABELS[ev["cbs_mask"]],
        "household_id": hh["household_id"], "rule_version": rules.versie,
        "debt_outstanding_cent": ev["debt_cent"], "jeugdbescherming": ev["jb"],
    })  # fmt: skip
    return out


def _euros(cents: pd.Series) -> pd.Series:
    c = cents.astype(np.int64)
    return (c // 100).astype(str) + "." + (c % 100).astype(str).str.zfill(2)


def stacking_csv(session: Session, actor: Actor, date: dt.date) -> str:
    """The ``kiss report stacking`` CSV (DESIGN.md section 6), rows by huishouden_id."""
    # One row per household (with its key): the command line's system actor only.
    authorize(session, actor, "rapport_stapeling")
    table = stacking_table(session, date).sort_values("huishouden_id", kind="stable")
    out = table[CSV_COLUMNS].copy()
    out["debt_outstanding"] = _euros(table["debt_outstanding_cent"])
    for col in ("has_debt", "stacked", "complex", "stacked_cbs"):
        out[col] = np.where(table[col], "true", "false")
    text = frame_csv(out)
    audit.record(session, actor, audit.Event.RAPPORT_STAPELING, "report", date.isoformat(),
                 nieuw={"rijen": len(out)})  # fmt: skip
    return text


@dataclass(frozen=True)
class HouseholdStacking:
    """Stacking and complexity of one household on one date, with Dutch reasons."""

    household_id: int
    huishouden_id: str
    wijk: str
    reference_date: dt.date
    n_provisions: int
    n_domains: int
    domains: tuple[str, ...]
    debt_outstanding: Decimal
    has_debt: bool
    stacked: bool
    complex: bool
    complex_reasons: tuple[str, ...]
    reasons: tuple[str, ...]
    n_requests: int
    rule_version: int


def _dutch_reasons(ev: dict, rules: RuleVersion) -> list[str]:
    r, mask = rules.regels, int(ev["reason_mask"][0])
    n_dom, dmask = int(ev["n_domains"][0]), int(ev["domain_mask"][0])
    out = []
    if mask & 1:
        if n_dom >= r["stapeling"]["min_domeinen"]:
            out.append(f"voorzieningen in {n_dom} domeinen")
        else:
            words = " en ".join(_DOMAIN_WORDS[d] for d in domains_label(dmask).split("+"))
            out.append(f"schuld én {words}")
    if mask & 2:
        out.append("veiligheidssignaal open")
    if mask & 4:
        days = r["herhaalde_hulpvragen"]["periode_dagen"]
        period = "12 maanden" if days == MONTHS_12_DAYS else f"{days} dagen"
        out.append(f"{int(ev['n_requests'][0])}e aanvraag in {period}")
    if mask & 8:
        out.append("jeugdbescherming naast ander domein")
    return out


def household_stacking(
    session: Session, household_id: int, date: dt.date, rules: RuleVersion | None = None,
    household: Household | None = None,
) -> HouseholdStacking:
    """Stacking of ONE household (indexed queries only). The caller checks access;
    ``household`` is the row when the caller has read it already."""
    rules = rules or active_rules(session)
    household = household or session.get(Household, household_id)
    if household is None:
        raise NotFound("Dit huishouden bestaat niet.")
    ids = np.asarray([household_id], dtype=np.int64)
    facts = load_facts(session, date, date, rules, household_id=household_id, household_ids=ids)
    ev = evaluate(facts, date, rules)
    dmask, rmask = int(ev["domain_mask"][0]), int(ev["reason_mask"][0])
    return HouseholdStacking(
        household_id=household_id,
        huishouden_id=str(household.huishouden_id),
        wijk=str(household.wijk),
        reference_date=date,
        n_provisions=int(ev["n_provisions"][0]),
        n_domains=int(ev["n_domains"][0]),
        domains=tuple(d for d in domains_label(dmask).split("+") if d),
        debt_outstanding=Decimal(int(ev["debt_cent"][0])).scaleb(-2),
        has_debt=bool(ev["has_debt"][0]),
        stacked=bool(ev["stacked"][0]),
        complex=bool(ev["complex"][0]),
        complex_reasons=tuple(c for c in _reasons_label(rmask).split(";") if c),
        reasons=tuple(_dutch_reasons(ev, rules)),
        n_requests=int(ev["n_requests"][0]),
        rule_version=rules.versie,
    )
