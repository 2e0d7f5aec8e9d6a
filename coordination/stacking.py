"""Stacking (stapeling) and complexity on a reference date, for every household at once.

The facts are fetched with a handful of set-based queries (one per table, never
one per household) into numpy arrays, then evaluated on any date with
``bincount``-style vectorised operations (:func:`evaluate`). The same
evaluation serves the whole population (:func:`stacking_table`), one
household (:func:`household_stacking`, indexed queries only) and the
quarterly trend of the steering overview. Definitions: DESIGN.md section 4.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from operator import itemgetter

import numpy as np
import pandas as pd
from sqlalchemy import (
    Date,
    Integer,
    String,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    text,
)  # fmt: skip
from sqlalchemy.orm import Session

from coordination.access import require_role
from coordination.models import Regie
from coordination.rules import RULE_CODES, RuleVersion, active_rules
from households import audit
from households.actor import Actor
from households.errors import NotFound
from households.models import DOMAINS, Debt, HelpRequest, Household, Person, Provision, Signal

__all__ = [
    "CSV_COLUMNS", "DOMAIN_BITS", "Facts", "HouseholdStacking", "domains_label",
    "evaluate", "fetch_columns", "household_stacking", "load_facts", "stacking_csv",
    "stacking_table",
]  # fmt: skip

CSV_COLUMNS = ["huishouden_id", "wijk", "n_provisions", "n_domains", "domains",
               "debt_outstanding", "has_debt", "stacked", "complex", "complex_reasons"]  # fmt: skip
SORTED_DOMAINS = tuple(sorted(DOMAINS))  # ISD, JEUGD, WMO: bit k <-> SORTED_DOMAINS[k]
DOMAIN_BITS = {d: 1 << k for k, d in enumerate(SORTED_DOMAINS)}
FRONT_DOOR_CODES = ("WMO", "JEUGD", "ISD", "KISS")
_FAR = np.datetime64("9999-12-31", "D")
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


def _days(values) -> np.ndarray:
    """Days since 1970-01-01 (or ISO date strings, or None) -> datetime64[D]; None is NaT."""
    if len(values) and isinstance(values[0], int):
        return np.array(values, dtype=np.int64).view("datetime64[D]")
    return np.array(values, dtype="datetime64[D]").reshape(-1)


def _ends(values) -> np.ndarray:
    """End dates; an open end (None) becomes 9999-12-31 so ``end >= d`` holds."""
    days = _days(values)
    return np.where(np.isnat(days), _FAR, days)


Table = dict[str, np.ndarray]


@dataclass
class Facts:
    """Per-table fact columns (numpy arrays); ``pos`` indexes into ``household_ids``."""

    household_ids: np.ndarray
    prov: Table  # pos, dom (bit), jb, start, end, inst (-1 = none)
    debt: Table  # pos, person, isd, cent, sinds
    sig: Table  # pos, start, end (safety kinds of the rules only)
    req: Table  # pos, day, door
    regie: Table  # pos, start, end, actief

    @property
    def n(self) -> int:
        """Number of households."""
        return len(self.household_ids)


def fetch_columns(session: Session, stmt, names: list[str], params: dict | None = None) -> dict:
    """Run ``stmt`` and return its columns as lists (raw driver rows: no ORM, no Row objects).

    Only for plain values (ints, strings, booleans): dates are cast to strings in SQL.
    """
    result = session.connection().execute(stmt, params or {})
    rows = result.cursor.fetchall()
    result.close()
    return {name: list(map(itemgetter(k), rows)) for k, name in enumerate(names)}


def _ints(values) -> np.ndarray:
    return np.array(values, dtype=np.int64).reshape(-1)


def _flag(cond):
    return case((cond, 1), else_=0)


_D_FROM, _D_TO = bindparam("d_from", type_=Date), bindparam("d_to", type_=Date)
_HH = bindparam("hh", type_=Integer)


_FAR_DAYS = int(_FAR.astype(np.int64))
_SQLITE_DAYS = "CAST(julianday({}) AS INTEGER) - 2440587"  # days since 1970-01-01

# SQLite's planner picks ix_provision_period for a date range that covers most rows and
# then reads the table in random order (3x slower at 1M households than a plain scan).
_SQLITE_POPULATION_PROVISIONS = text(f"""
SELECT person.household_id,
       CASE provision.domein WHEN 'ISD' THEN 1 WHEN 'JEUGD' THEN 2 ELSE 4 END,
       CASE WHEN provision.domein = 'JEUGD' AND provision.soort = :jb_soort THEN 1 ELSE 0 END,
       {_SQLITE_DAYS.format("provision.start")},
       coalesce({_SQLITE_DAYS.format("provision.einde")}, {_FAR_DAYS}),
       coalesce(provision.institution_id, -1)
FROM provision NOT INDEXED JOIN person ON person.id = provision.person_id
WHERE provision.start <= :d_to AND (provision.einde IS NULL OR provision.einde >= :d_from)
""").bindparams(_D_FROM, _D_TO, bindparam("jb_soort", type_=String))


@cache
def _statements(one: bool, dialect: str) -> dict:
    """The fact queries, built once, with their parameter names; ``one`` = for one household."""
    stmts = _build_statements(one, dialect)
    if dialect == "sqlite" and not one:
        stmts["prov"] = _SQLITE_POPULATION_PROVISIONS
    return {name: (stmt, frozenset(stmt.compile().binds)) for name, stmt in stmts.items()}


def _day_expr(col, dialect: str, open_end: bool = False):
    """A date column as days since 1970-01-01 (an open end as 9999-12-31)."""
    if dialect == "sqlite":
        expr = cast(func.julianday(col), Integer) - 2440587
    elif dialect == "postgresql":
        expr = col - literal_column("DATE '1970-01-01'")
    else:  # any other database: ISO strings, parsed by _days
        return cast(col, String)
    return func.coalesce(expr, _FAR_DAYS) if open_end else expr


def _build_statements(one: bool, dialect: str) -> dict:
    def day(col):
        return _day_expr(col, dialect)

    def end(col):
        return _day_expr(col, dialect, open_end=True)

    per_person = [Person.household_id == _HH] if one else []
    isd, jeugd = SORTED_DOMAINS[0], SORTED_DOMAINS[1]
    bit = case((Provision.domein == isd, 1), (Provision.domein == jeugd, 2), else_=4)
    jb = _flag((Provision.domein == "JEUGD") & (Provision.soort == bindparam("jb_soort")))
    door = case(*[(HelpRequest.voordeur == d, k) for k, d in enumerate(FRONT_DOOR_CODES)],
                else_=0)  # fmt: skip
    return {
        "households": select(Household.id).where(*([Household.id == _HH] if one else []))
        .order_by(Household.id),
        "prov": select(Person.household_id, bit, jb, day(Provision.start),
                       end(Provision.einde), func.coalesce(Provision.institution_id, -1))
        .join(Person, Person.id == Provision.person_id)
        .where(*per_person, Provision.start <= _D_TO,
               or_(Provision.einde.is_(None), Provision.einde >= _D_FROM)),
        "debt": select(Person.household_id, Debt.person_id,
                       _flag(func.upper(Debt.schuldeiser).like("ISD%")), Debt.openstaand_cent,
                       day(Debt.sinds))
        .join(Person, Person.id == Debt.person_id)
        .where(*per_person, Debt.sinds <= _D_TO, Debt.openstaand_cent > 0),
        "sig": select(Signal.household_id, day(Signal.gemeld_op),
                      end(Signal.gesloten_op))
        .where(*([Signal.household_id == _HH] if one else []),
               Signal.soort.in_(bindparam("soorten", expanding=True)), Signal.gemeld_op <= _D_TO,
               or_(Signal.gesloten_op.is_(None), Signal.gesloten_op > _D_FROM)),
        "req": select(HelpRequest.household_id, day(HelpRequest.ontvangen_op), door)
        .where(*([HelpRequest.household_id == _HH] if one else []),
               HelpRequest.ontvangen_op <= _D_TO,
               HelpRequest.ontvangen_op >= bindparam("first_request", type_=Date)),
        "regie": select(Regie.household_id, day(Regie.start), end(Regie.einde),
                        _flag(Regie.actief.is_(True)))
        .where(*([Regie.household_id == _HH] if one else []),
               Regie.start <= _D_TO, or_(Regie.einde.is_(None), Regie.einde >= _D_FROM)),
    }  # fmt: skip


def load_facts(
    session: Session,
    date_from: dt.date,
    date_to: dt.date,
    rules: RuleVersion,
    household_id: int | None = None,
    household_ids: np.ndarray | None = None,
) -> Facts:
    """Fetch everything stacking and complexity need for dates in ``[date_from, date_to]``.

    One set-based query per table. With ``household_id`` only that household's rows
    are read (indexed lookups). ``household_ids`` (sorted) saves the query for the ids.
    """
    r = rules.regels
    window = dt.timedelta(days=int(r["herhaalde_hulpvragen"]["periode_dagen"]) - 1)
    stmts = _statements(household_id is not None, session.get_bind().dialect.name)
    params = {
        "d_from": date_from, "d_to": date_to, "hh": household_id,
        "jb_soort": r["jeugdbescherming"]["soort"],
        "soorten": list(r["veiligheidssignaal"]["soorten"]),
        "first_request": min(date_from - window, date_to - dt.timedelta(days=364)),
    }  # fmt: skip

    def fetch(name: str, names: list[str]) -> dict:
        stmt, binds = stmts[name]
        return fetch_columns(session, stmt, names, {k: params[k] for k in binds if k in params})

    if household_ids is None:
        household_ids = _ints(fetch("households", ["id"])["id"])
    prov = fetch("prov", ["hh", "dom", "jb", "start", "end", "inst"])
    debt = fetch("debt", ["hh", "person", "isd", "cent", "sinds"])
    sig = fetch("sig", ["hh", "start", "end"])
    req = fetch("req", ["hh", "day", "door"])
    regie = fetch("regie", ["hh", "start", "end", "actief"])

    first, n = (int(household_ids[0]), len(household_ids)) if len(household_ids) else (0, 0)
    dense = n > 0 and int(household_ids[-1]) - first == n - 1

    def pos(cols: dict) -> np.ndarray:
        ids = _ints(cols["hh"])
        return ids - first if dense else np.searchsorted(household_ids, ids)

    return Facts(
        household_ids=household_ids,
        prov={"pos": pos(prov), "dom": _ints(prov["dom"]).astype(np.int8),
              "jb": _ints(prov["jb"]) > 0, "start": _days(prov["start"]),
              "end": _ends(prov["end"]), "inst": _ints(prov["inst"])},
        debt={"pos": pos(debt), "person": _ints(debt["person"]), "isd": _ints(debt["isd"]) > 0,
              "cent": _ints(debt["cent"]), "sinds": _days(debt["sinds"])},
        sig={"pos": pos(sig), "start": _days(sig["start"]), "end": _ends(sig["end"])},
        req={"pos": pos(req), "day": _days(req["day"]), "door": _ints(req["door"])},
        regie={"pos": pos(regie), "start": _days(regie["start"]), "end": _ends(regie["end"]),
               "actief": _ints(regie["actief"]) > 0},
    )  # fmt: skip


def _count(pos: np.ndarray, n: int, weights=None) -> np.ndarray:
    return np.bincount(pos, weights=weights, minlength=n)


def _any(pos: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[pos] = True
    return out


def evaluate(facts: Facts, date: dt.date, rules: RuleVersion) -> dict[str, np.ndarray]:
    """Stacking and complexity of every household in ``facts`` on ``date`` (arrays of length n).

    Keys: n_provisions, domain_mask, n_domains, debt_cent, has_debt, stacked, safety,
    n_requests, jb, reason_mask, complex, regie.
    """
    d = np.datetime64(date, "D")
    n, r = facts.n, rules.regels
    p = facts.prov
    active = (p["start"] <= d) & (p["end"] >= d)
    pos, dom = p["pos"][active], p["dom"][active]
    n_prov = _count(pos, n)
    mask = np.zeros(n, dtype=np.int8)
    for bit in DOMAIN_BITS.values():
        mask[pos[dom == bit]] |= bit
    n_dom = ((mask & 1) > 0).astype(np.int64) + ((mask & 2) > 0) + ((mask & 4) > 0)
    jb = _any(pos[p["jb"][active]], n)
    b = facts.debt
    open_ = b["sinds"] <= d
    debt_cent = _count(b["pos"][open_], n, b["cent"][open_]).astype(np.int64)
    has_debt = _any(b["pos"][open_], n)
    stacked = (n_dom >= 2) | ((n_dom >= 1) & has_debt)
    s = facts.sig
    safety = _any(s["pos"][(s["start"] <= d) & (s["end"] > d)], n)
    q = facts.req
    first = d - np.timedelta64(int(r["herhaalde_hulpvragen"]["periode_dagen"]) - 1, "D")
    n_req = _count(q["pos"][(q["day"] <= d) & (q["day"] >= first)], n)
    g = facts.regie
    reg_on = (g["start"] <= d) & (g["end"] >= d) & (g["actief"] | (g["end"] < _FAR))
    regie = _any(g["pos"][reg_on], n)
    st = r["stapeling"]
    fired = [
        st["actief"] & ((n_dom >= st["min_domeinen"])
                        | ((n_dom >= max(st["min_domeinen_met_schuld"], 1)) & has_debt)),
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
    }  # fmt: skip


def _households(session: Session, household_id: int | None = None) -> pd.DataFrame:
    where = [] if household_id is None else [Household.id == household_id]
    stmt = select(Household.id, Household.huishouden_id, Household.wijk).where(*where)
    cols = fetch_columns(session, stmt.order_by(Household.id), ["id", "key", "wijk"])
    return pd.DataFrame({"household_id": _ints(cols["id"]),
                         "huishouden_id": np.array(cols["key"], dtype=object),
                         "wijk": np.array(cols["wijk"], dtype=object)})  # fmt: skip


def stacking_table(
    session: Session, date: dt.date, rules: RuleVersion | None = None
) -> pd.DataFrame:
    """One row per household with its stacking and complexity on ``date``.

    Columns: huishouden_id, wijk, n_provisions, n_domains, domains, debt_outstanding
    (euros, 2 decimals), has_debt, stacked, complex, complex_reasons (reason codes joined
    with ``;``), household_id, rule_version, debt_outstanding_cent.
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
        "household_id": hh["household_id"], "rule_version": rules.versie,
        "debt_outstanding_cent": ev["debt_cent"],
    })  # fmt: skip
    return out


def _euros(cents: pd.Series) -> pd.Series:
    c = cents.astype(np.int64)
    return (c // 100).astype(str) + "." + (c % 100).astype(str).str.zfill(2)


def stacking_csv(session: Session, actor: Actor, date: dt.date) -> str:
    """The ``kiss report stacking`` CSV (DESIGN.md section 6), rows by huishouden_id."""
    # One row per household (with its key): the command line's system actor only.
    require_role(session, actor, actie="rapport_stapeling")
    table = stacking_table(session, date).sort_values("huishouden_id", kind="stable")
    out = table[CSV_COLUMNS].copy()
    out["debt_outstanding"] = _euros(table["debt_outstanding_cent"])
    for col in ("has_debt", "stacked", "complex"):
        out[col] = np.where(table[col], "true", "false")
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    audit.record(session, actor, "rapport_stapeling", "report", date.isoformat(),
                 nieuw={"rijen": len(out)})  # fmt: skip
    return buf.getvalue()


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
        period = "12 maanden" if days == 365 else f"{days} dagen"
        out.append(f"{int(ev['n_requests'][0])}e aanvraag in {period}")
    if mask & 8:
        out.append("jeugdbescherming naast ander domein")
    return out


def household_stacking(
    session: Session, household_id: int, date: dt.date, rules: RuleVersion | None = None
) -> HouseholdStacking:
    """Stacking of ONE household (indexed queries only). The caller checks access."""
    rules = rules or active_rules(session)
    hh = _households(session, household_id)
    if hh.empty:
        raise NotFound("Dit huishouden bestaat niet.")
    ids = np.asarray([household_id], dtype=np.int64)
    facts = load_facts(session, date, date, rules, household_id=household_id, household_ids=ids)
    ev = evaluate(facts, date, rules)
    dmask, rmask = int(ev["domain_mask"][0]), int(ev["reason_mask"][0])
    return HouseholdStacking(
        household_id=household_id,
        huishouden_id=str(hh["huishouden_id"][0]),
        wijk=str(hh["wijk"][0]),
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
