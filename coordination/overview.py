"""The steering overview: the ``kiss`` role's only view of the data.

Computed server-side from the same facts and evaluation as
:mod:`coordination.stacking`, counted per wijk with ``bincount``, and
suppressed (:mod:`coordination.suppression`) before it leaves this module:
every count is an ``int`` or ``"<5"``; an amount is hidden (``None``) where its
debtor count is suppressed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.actions import feedback_compliance
from coordination.facts import Facts, fetch_columns, load_facts
from coordination.journey import journey_overview
from coordination.overview_amounts import monthly_costs, protected_amounts
from coordination.overview_relations import (
    COMBINATIONS,
    COUNT_KEYS,
    DOORS,
    INSTITUTIONS,
    PER_HOUSEHOLD,
    TOTAL,
    TREND_KEYS,
    relations,
)
from coordination.rules import RuleVersion, active_rules
from coordination.stacking import domains_label, evaluate
from coordination.suppression import (
    suppress_checked,
    suppress_share,
    withhold,
)
from households import audit
from households.access import authorize
from households.actor import Actor
from households.csvwriter import csv_text
from households.errors import InvalidInput
from households.figurecache import served_figures
from households.models import Household, Involvement, Provision
from households.periods import (
    debt_open,
    debt_outstanding,
    in_window,
    provision_active,
    provision_active_sql,
)
from households.synthetic import is_synthetic

__all__ = [
    "COMBINATIONS", "COUNT_KEYS", "TREND_KEYS", "is_month_end", "month_ends", "is_synthetic",
    "may_see_overview", "steering_overview",
    "overview_csv", "overview_to_csv", "quarter_ends",
]  # fmt: skip

MAX_QUARTERS = 20  # five years: the history load dominates at 1M households
T = TOTAL


def quarter_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """Quarter end dates from the quarter of ``first`` up to ``last`` (inclusive).

    >>> quarter_ends(dt.date(2024, 2, 1), dt.date(2024, 12, 31))
    [datetime.date(2024, 3, 31), datetime.date(2024, 6, 30), datetime.date(2024, 9, 30), \
datetime.date(2024, 12, 31)]
    """
    out, year, q = [], first.year, (first.month - 1) // 3
    while True:
        month = 3 * q + 3
        end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if end > last:
            return out
        out.append(end)
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)


def _isd_debtors(facts: Facts, ev: dict, d: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct ISD debtor person: household position and ISD cents open on ``d``."""
    b = facts.debt
    sel = b["isd"] & debt_open(b["sinds"], b["cent"], d, b.get("snap"))
    persons, first, inverse = np.unique(b["person"][sel], return_index=True, return_inverse=True)
    amounts = debt_outstanding(b["cent"], d, b.get("snap"))[sel]
    cents = np.bincount(inverse.reshape(-1), weights=amounts, minlength=len(persons))
    return b["pos"][sel][first], cents.astype(np.int64)


def _institutions_per_household(
    session: Session, facts: Facts, date: dt.date, d: np.datetime64
) -> np.ndarray:
    p = facts.prov
    sel = provision_active(p["start"], p["end"], d) & (p["inst"] >= 0)
    inv = fetch_columns(
        session,
        select(Involvement.household_id, Involvement.institution_id).where(
            Involvement.institution_id.is_not(None), provision_active_sql(Involvement, date)),
        ["hh", "inst"],
    )  # fmt: skip
    pos = np.concatenate(
        [p["pos"][sel], np.searchsorted(facts.household_ids, np.array(inv["hh"], np.int64))]
    )
    inst = np.concatenate([p["inst"][sel], np.array(inv["inst"], dtype=np.int64)])
    pairs = np.unique(pos.astype(np.int64) * (1 << 32) + inst)  # distinct (household, institution)
    return np.bincount(pairs >> 32, minlength=facts.n)


def _doors_per_household(facts: Facts, d: np.datetime64) -> np.ndarray:
    q = facts.req
    sel = in_window(q["day"], d)  # the 12 months up to d
    pairs = np.unique(q["pos"][sel].astype(np.int64) * 8 + q["door"][sel])
    return np.bincount(pairs >> 3, minlength=facts.n)


def _by_group(codes: np.ndarray, k: int, flags: np.ndarray) -> np.ndarray:
    return np.bincount(codes, weights=flags.astype(np.int64), minlength=k).astype(np.int64)


def _raw_counts(ev: dict, wcode: np.ndarray, k: int, debtors) -> dict[str, np.ndarray]:
    """Unsuppressed counts per wijk code (arrays of length k) for the main keys."""
    with_prov = ev["n_provisions"] > 0
    gap = ev["complex"] & ~ev["regie"]
    d_pos, d_cent = debtors
    known = (ev["domain_mask"][d_pos] & 6) > 0  # WMO or JEUGD active in the debtor's household
    out = {
        "households_total": np.bincount(wcode, minlength=k).astype(np.int64),
        "households_with_provision": _by_group(wcode, k, with_prov),
        "stacked": _by_group(wcode, k, ev["stacked"]),
        "stacked_cbs": _by_group(wcode, k, ev["stacked_cbs"]),
        "complex": _by_group(wcode, k, ev["complex"]),
        "regie_gaps": _by_group(wcode, k, gap),
        "isd_debtors": np.bincount(wcode[d_pos], minlength=k).astype(np.int64),
        "isd_debtors_known_elsewhere": np.bincount(wcode[d_pos[known]], minlength=k),
        "isd_debt_cent": np.bincount(wcode[d_pos], weights=d_cent, minlength=k).astype(np.int64),
    }
    for c in COMBINATIONS:
        out[f"comb:{c}"] = _by_group(wcode, k, _COMBO_OF_MASK[ev["cbs_mask"]] == c)
    n = np.minimum(ev["n_provisions"], 6)
    for i, key in enumerate(PER_HOUSEHOLD, start=1):
        out[f"pph:{key}"] = _by_group(wcode, k, n == i)
    return out


_COMBO_OF_MASK = np.array([domains_label(m) for m in range(8)], dtype=object)


def _trend_cells(facts: Facts, rules: RuleVersion, date: dt.date, first: dt.date | None):
    """Raw trend cells ``(quarter end, key) -> count`` and the quarter ends.

    The trend is published with the other tables, so it goes through the same
    suppression (:func:`coordination.overview_relations.relations`).
    """
    cells: dict = {}
    quarters = quarter_ends(first, date)[-MAX_QUARTERS:] if first is not None else []
    for q in quarters:
        ev = evaluate(facts, q, rules)
        d_pos, _ = _isd_debtors(facts, ev, np.datetime64(q, "D"))
        raw = {
            "households_with_provision": int((ev["n_provisions"] > 0).sum()),
            "stacked": int(ev["stacked"].sum()),
            "stacked_cbs": int(ev["stacked_cbs"].sum()),
            "complex": int(ev["complex"].sum()),
            "regie_gaps": int((ev["complex"] & ~ev["regie"]).sum()),
            "isd_debtors": len(d_pos),
        }
        for key, value in raw.items():
            cells[(q, key)] = value
    return quarters, cells


def _trend_rows(quarters: list[dt.date], pub: dict) -> list[dict]:
    return [
        {"kwartaal": f"{q.year}-K{(q.month - 1) // 3 + 1}", "datum": q.isoformat(),
         **{key: pub[(q, key)] for key in TREND_KEYS}}
        for q in quarters
    ]  # fmt: skip


def is_month_end(date: dt.date) -> bool:
    """The last day of a month.

    >>> [is_month_end(dt.date(2025, m, d)) for m, d in ((2, 28), (6, 30), (6, 29), (12, 31))]
    [True, True, False, True]
    """
    return (date + dt.timedelta(days=1)).day == 1


def month_ends(today: dt.date, months: int = 60) -> list[dt.date]:
    """The last ``months`` month ends before ``today`` (newest first): KISS's reference dates.

    >>> month_ends(dt.date(2026, 3, 15), 3)
    [datetime.date(2026, 2, 28), datetime.date(2026, 1, 31), datetime.date(2025, 12, 31)]
    """
    out, first = [], today.replace(day=1)
    for _ in range(months):
        end = first - dt.timedelta(days=1)
        out.append(end)
        first = end.replace(day=1)
    return out


def _implications(rules: RuleVersion) -> dict:
    st = rules.regels["stapeling"]
    # local stacking is fixed (2 domains, or 1 and a debt), so CBS stacking is part of it;
    # it makes complex only when the rule's thresholds are no stricter than that
    lenient = int(st["min_domeinen"]) <= 2 and int(st["min_domeinen_met_schuld"]) <= 1
    return {"stacked_cbs_le_stacked": True,
            "stacked_le_complex": bool(st["actief"]) and lenient}  # fmt: skip


def _protected(cells: dict, wijken: list[str], quarters, date, implications: dict):
    """``(published cells, withheld, published wijken)``: the finest level the audit passes.

    Level 1 publishes everything; when some hidden cell cannot be protected (a small
    population: cells bounded by small cells only), level 2 leaves out the wijk
    breakdown (``withheld = "by_wijk"``) and level 3 hides every positive count
    (``withheld = "all"``), which nothing can be derived from.
    """
    eqs, ineqs = relations(wijken, quarters, date, implications)
    pub, ok = suppress_checked(cells, eqs, ineqs)
    if ok:
        return pub, None, wijken
    rest = {k: v for k, v in cells.items() if k[0] not in set(wijken)}
    eqs, ineqs = relations([], quarters, date, implications)
    pub, ok = suppress_checked(rest, eqs, ineqs)
    return (pub, "by_wijk", []) if ok else (withhold(rest), "all", [])


def may_see_overview(session: Session, actor: Actor) -> None:
    """Refuse (audited) unless the actor may see steering figures: pages ask before any widget."""
    authorize(session, actor, "stuurinformatie_inzien")


def steering_overview(session: Session, actor: Actor, date: dt.date) -> dict:
    """The protected steering aggregates on ``date`` (``kiss`` and the system actor only).

    The ``kiss`` role may choose only month ends, so two overviews a day apart cannot be
    differenced (DESIGN 4.6).
    """
    role = authorize(session, actor, "stuurinformatie_inzien")
    if role == "kiss" and not is_month_end(date):
        raise InvalidInput(f"Peildatum {date.strftime('%d-%m-%Y')}: kies het einde van een maand.")
    authorize(session, actor, "klantreis_overzicht")  # asked inside, but not on a cache hit
    authorize(session, actor, "terugkoppeling_overzicht")
    # protected aggregates only, per reference date and data version (households/figurecache)
    served = served_figures(session, "stuurinformatie", date.isoformat(),
                            lambda s: _protected_figures(s, actor, date), may_lag=True)  # fmt: skip
    result = served.value
    result["synthetic"] = is_synthetic(session)  # the audit trail is no data table
    # when the figures were computed; verouderd: newer data exist, newer figures are coming
    result["stand"] = {"berekend_op": served.berekend_op, "verouderd": served.verouderd}
    audit.record(session, actor, audit.Event.STUURINFORMATIE_INZIEN, "overview", date.isoformat())
    return result


def _protected_figures(session: Session, actor: Actor, date: dt.date) -> dict:
    """Every figure of the overview, suppressed (the caller checked access)."""
    rules = active_rules(session)
    hh = fetch_columns(session, select(Household.id, Household.wijk).order_by(Household.id),
                       ["id", "wijk"])  # fmt: skip
    ids = np.array(hh["id"], dtype=np.int64)
    wcode, wijken = pd.factorize(np.array(hh["wijk"], dtype=object), sort=True)
    wijken, k = [str(w) for w in wijken], len(wijken)
    first = session.scalar(select(func.min(Provision.start)).where(Provision.start <= date))
    since = min([date, *(quarter_ends(first, date)[-MAX_QUARTERS:] if first else [])])
    facts = load_facts(session, since, date, rules, household_ids=ids)
    d = np.datetime64(date, "D")
    ev = evaluate(facts, date, rules)
    debtors = _isd_debtors(facts, ev, d)
    raw = _raw_counts(ev, wcode.astype(np.int64), k, debtors)

    cells: dict = {}
    for key, arr in raw.items():
        if key == "isd_debt_cent":
            continue
        for i, w in enumerate(wijken):
            cells[(w, key)] = int(arr[i])
        cells[(T, key)] = int(arr.sum())
    doors = _doors_per_household(facts, d)
    cells[(T, "frag:with_request")] = int((doors > 0).sum())
    for x, n in zip(DOORS, (doors == 1, doors == 2, doors >= 3), strict=True):
        cells[(T, f"frag:doors:{x}")] = int(n.sum())
    cells[(T, "frag:multiple")] = int((doors >= 2).sum())
    inst = np.minimum(_institutions_per_household(session, facts, date, d), 5)[ev["stacked"]]
    for i, x in enumerate(INSTITUTIONS):
        cells[(T, f"frag:inst:{x}")] = int((inst == i).sum())
    quarters, trend_cells = _trend_cells(facts, rules, date, first)
    cells.update(trend_cells)
    pub, withheld, wijken = _protected(cells, wijken, quarters, date, _implications(rules))
    amounts = protected_amounts(pub, raw["isd_debt_cent"], raw["isd_debtors"], "isd_debtors",
                                wijken)  # fmt: skip
    costs = protected_amounts(pub, monthly_costs(facts, d, wcode, k),
                              raw["households_with_provision"], "households_with_provision",
                              wijken)  # fmt: skip

    def block(g: str) -> dict:
        out = {key: pub[(g, key)] for key in COUNT_KEYS}
        out["combinations"] = {c: pub[(g, f"comb:{c}")] for c in COMBINATIONS}
        out["provisions_per_household"] = {x: pub[(g, f"pph:{x}")] for x in PER_HOUSEHOLD}
        out["isd_debt_outstanding"] = amounts[g]
        out["kosten_per_maand"] = costs[g]  # provisions active on the date, in euros
        return out

    result = {"reference_date": date.isoformat(), "rule_version": rules.versie, **block(T)}
    result["fragmentation"] = {
        "households_with_request": pub[(T, "frag:with_request")],
        "front_doors": {x: pub[(T, f"frag:doors:{x}")] for x in DOORS},
        "multiple_front_doors": pub[(T, "frag:multiple")],
        "institutions_per_stacked_household": {x: pub[(T, f"frag:inst:{x}")] for x in INSTITUTIONS},
    }  # fmt: skip
    result["by_wijk"] = {w: block(w) for w in wijken}
    result["withheld"] = withheld
    result["trend"] = _trend_rows(quarters, pub)
    result["feedback_compliance"] = partner_feedback(session, actor, date)
    journey = journey_overview(session, actor, date - dt.timedelta(days=3 * 365), date)
    journey = journey.astype(object).where(journey.notna(), None)
    result["client_journey"] = journey.to_dict("records")
    return result


def partner_feedback(session: Session, actor: Actor, date: dt.date) -> list[dict]:
    """Feedback compliance per institution on ``date``, suppressed for the steering overview."""
    return suppress_feedback(feedback_compliance(session, actor, date))


def suppress_feedback(compliance: pd.DataFrame) -> list[dict]:
    """Suppress a feedback-compliance table (institution, actions, with_feedback).

    Per institution the actions, those with feedback and the share are protected
    together (:func:`coordination.suppression.suppress_share`).

    >>> df = pd.DataFrame({"institution": ["A", "B", "C"], "actions": [3, 10, 12],
    ...                    "with_feedback": [1, 8, 12]})
    >>> [(r["opdrachten"], r["met_terugkoppeling"], r["aandeel"]) for r in suppress_feedback(df)]
    [('<5', '<5', None), ('x', 'x', None), (12, 12, 1.0)]
    """
    rows = []
    for r in compliance.itertuples(index=False):
        actions, done, share = suppress_share(int(r.actions), int(r.with_feedback))
        rows.append({"instelling": r.institution, "opdrachten": actions,
                     "met_terugkoppeling": done, "aandeel": share})  # fmt: skip
    return rows


def _long_rows(overview: dict):
    scalar = [*COUNT_KEYS, "isd_debt_outstanding", "kosten_per_maand"]
    groups = [("", overview), *overview["by_wijk"].items()]
    for wijk, block in groups:
        section = "totaal" if wijk == "" else "wijk"
        for key in scalar:
            yield section, wijk, key, block[key]
        for c, v in block["combinations"].items():
            yield "combinatie", wijk, c, v
        for c, v in block["provisions_per_household"].items():
            yield "voorzieningen_per_huishouden", wijk, c, v
    frag = overview["fragmentation"]
    yield "fragmentatie", "", "households_with_request", frag["households_with_request"]
    yield "fragmentatie", "", "multiple_front_doors", frag["multiple_front_doors"]
    for x, v in frag["front_doors"].items():
        yield "fragmentatie", "", f"front_doors:{x}", v
    for x, v in frag["institutions_per_stacked_household"].items():
        yield "fragmentatie", "", f"institutions_per_stacked_household:{x}", v
    for row in overview["trend"]:
        for key in TREND_KEYS:
            yield "trend", "", f"{row['kwartaal']}:{key}", row[key]
    for row in overview.get("feedback_compliance", []):
        for key in ("opdrachten", "met_terugkoppeling", "aandeel"):
            yield "terugkoppeling", "", f"{row['instelling']}:{key}", row[key]
    for row in overview.get("client_journey", []):
        for key, value in row.items():
            if key != "periode":
                yield "klantreis", "", f"{row['periode']}:{key}", value


def overview_csv(session: Session, actor: Actor, date: dt.date) -> str:
    """The overview in long CSV format: ``section,wijk,key,value`` (hidden amounts empty)."""
    return overview_to_csv(steering_overview(session, actor, date))


def overview_to_csv(overview: dict) -> str:
    """An already computed (suppressed) overview as the long CSV of :func:`overview_csv`."""
    rows = [
        ("meta", "", "reference_date", overview["reference_date"]),
        *((s, w, k, "" if v is None else v) for s, w, k, v in _long_rows(overview)),
    ]
    return csv_text(["section", "wijk", "key", "value"], rows)
