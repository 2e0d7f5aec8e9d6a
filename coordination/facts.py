"""The facts stacking and complexity are computed from, loaded as numpy columns.

A handful of set-based queries (one per table, never one per household) read the
provisions, debts, safety signals, help requests and regie of every household (or of
one, with indexed lookups) for a date window into a :class:`Facts`. Dates arrive as
days since 1970-01-01 so no per-row Python objects are built. The evaluation on a
date lives in :mod:`coordination.stacking`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

import numpy as np
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
    true,
    union_all,
)  # fmt: skip
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session, aliased

from coordination.factcache import cached, read_versions
from coordination.models import Regie
from coordination.rules import RuleVersion
from households.frontdoors import FRONT_DOORS
from households.models import (
    DOMAINS,
    Debt,
    DebtSnapshot,
    HelpRequest,
    Household,
    Person,
    Provision,
    Signal,
)
from households.periods import (
    Schuldstanden,
    history_flags,
    household_of_person_sql,
    member_of_household_sql,
    provision_active_sql,
    regie_active_sql,
    signal_open_sql,
    window_start,
)

__all__ = [
    "CBS_PARTICIPATIEWET_KINDS", "DOMAIN_BITS", "FRONT_DOOR_CODES", "OPEN_END", "SORTED_DOMAINS",
    "Facts", "Table",
    "day_number", "fetch_columns", "int_column", "load_facts",
]  # fmt: skip

SORTED_DOMAINS = tuple(sorted(DOMAINS))  # ISD, JEUGD, WMO: bit k <-> SORTED_DOMAINS[k]
DOMAIN_BITS = {d: 1 << k for k, d in enumerate(SORTED_DOMAINS)}
FRONT_DOOR_CODES = FRONT_DOORS  # households.frontdoors: the one list of front-door codes
# The ISD kinds in CBS's Participatiewet domain (DESIGN 4.2): bijstand-type benefits and
# re-integratie. Minima, bijzondere bijstand, IIT and schuldhulpverlening are not.
CBS_PARTICIPATIEWET_KINDS = ("bijstand", "IOAW", "IOAZ", "loonkostensubsidie",
                             "beschut werk", "re-integratietraject")  # fmt: skip
OPEN_END = np.datetime64("9999-12-31", "D")


def _days(values) -> np.ndarray:
    """Days since 1970-01-01 (or ISO date strings, or None) -> datetime64[D]; None is NaT."""
    if len(values) and isinstance(values[0], int):
        return np.array(values, dtype=np.int64).view("datetime64[D]")
    return np.array(values, dtype="datetime64[D]").reshape(-1)


def _ends(values) -> np.ndarray:
    """End dates; an open end (None) becomes 9999-12-31 so ``end >= d`` holds."""
    days = _days(values)
    return np.where(np.isnat(days), OPEN_END, days)


Table = dict[str, np.ndarray]


@dataclass
class Facts:
    """Per-table fact columns (numpy arrays); ``pos`` indexes into ``household_ids``."""

    household_ids: np.ndarray
    prov: Table  # pos, dom (bit), jb, start, end, inst (-1 = none), cbs (in a CBS domain),
    # cost (kosten per maand in cents, 0 = unknown)
    debt: Table  # pos, person, isd, cent, sinds, id, snap (schuldstanden: debt_ids,
    # snap_debt_ids, snap_dates, snap_cents for households.periods.debt_outstanding; None: none)
    sig: Table  # pos, start, end (safety kinds of the rules only)
    req: Table  # pos, day, door
    regie: Table  # pos, start, end

    @property
    def n(self) -> int:
        """Number of households."""
        return len(self.household_ids)


def fetch_columns(
    session: Session, stmt, names: list[str], params: dict | None = None, chunk: int = 200_000
) -> dict[str, np.ndarray]:
    """Run ``stmt`` and return its columns as numpy arrays (raw driver rows: no ORM objects).

    Rows are fetched in chunks and turned into arrays chunk by chunk, so a million-row
    result never sits in memory as Python tuples all at once. Only for plain values
    (ints, strings, booleans): dates are cast to day numbers or strings in SQL.
    """
    result = session.connection().execute(stmt, params or {})
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    while rows := result.cursor.fetchmany(chunk):
        for k, name in enumerate(names):
            parts[name].append(np.array(list(map(itemgetter(k), rows))))
    result.close()
    return {
        name: np.concatenate(p) if len(p) > 1 else (p[0] if p else np.array([], dtype=object))
        for name, p in parts.items()
    }


def int_column(values) -> np.ndarray:
    """A list of ints (or one int) as a flat int64 array."""
    return np.array(values, dtype=np.int64).reshape(-1)


def _flag(cond):
    return case((cond, 1), else_=0)


_D_FROM, _D_TO = bindparam("d_from", type_=Date), bindparam("d_to", type_=Date)
_HH = bindparam("hh", type_=Integer)


_OPEN_END_DAYS = int(OPEN_END.astype(np.int64))
_SQLITE_DAYS = "CAST(julianday({}) AS INTEGER) - 2440587"  # days since 1970-01-01

# SQLite's planner picks ix_provision_period for a date range that covers most rows and
# then reads the table in random order (3x slower at 1M households than a plain scan).
# SQLAlchemy has no SQLite table hints, so the population's provision query is compiled
# from the same statement and gets ``NOT INDEXED`` on the provision table.
_SQLITE_NAMED = sqlite.dialect(paramstyle="named")
_FROM = "FROM provision JOIN person ON person.id = provision.person_id"


def _sqlite_not_indexed(stmt):
    compiled = stmt.compile(dialect=_SQLITE_NAMED)
    sql = str(compiled)
    assert sql.count(_FROM) == 1, "the provision query changed: update _FROM"
    open_binds = (_D_FROM, _D_TO, bindparam("jb_soort", type_=String))
    fixed = {k: v for k, v in compiled.params.items() if k not in {b.key for b in open_binds}}
    return text(sql.replace(_FROM, _FROM.replace("provision JOIN", "provision NOT INDEXED JOIN")))\
        .bindparams(*open_binds, **fixed)  # fmt: skip


@cache
def _statements(one: bool, dialect: str, history: bool = True, debts: bool = True) -> dict:
    """The fact queries, built once, with their parameter names; ``one`` = for one household;
    ``history`` = whether bewoning rows exist, ``debts`` = whether schuldstanden exist
    (households/periods.py)."""
    stmts = _build_statements(one, dialect, history, debts)
    if dialect == "sqlite" and not one:
        stmts["prov"] = _sqlite_not_indexed(stmts["prov"])
    return {name: (stmt, frozenset(stmt.compile().binds)) for name, stmt in stmts.items()}


def day_number(col, dialect: str, open_end: bool = False):
    """A date column as days since 1970-01-01 (an open end as 9999-12-31)."""
    if dialect == "sqlite":
        expr = cast(func.julianday(col), Integer) - 2440587
    elif dialect == "postgresql":
        expr = col - literal_column("DATE '1970-01-01'")
    else:  # any other database: ISO strings, parsed by _days
        return cast(col, String)
    return func.coalesce(expr, _OPEN_END_DAYS) if open_end else expr


def _build_statements(one: bool, dialect: str, history: bool = True, debts: bool = True) -> dict:
    def day(col):
        return day_number(col, dialect)

    def end(col):
        return day_number(col, dialect, open_end=True)

    # the persons' household on the dates (periods: membership); on the last date of the range
    member = household_of_person_sql(_D_TO, history)
    per_person = [member_of_household_sql(_HH, _D_TO)] if one else []
    isd, jeugd = SORTED_DOMAINS[0], SORTED_DOMAINS[1]
    bit = case((Provision.domein == isd, 1), (Provision.domein == jeugd, 2), else_=4)
    jb = _flag((Provision.domein == "JEUGD") & (Provision.soort == bindparam("jb_soort")))
    # the CBS flag (below) compares kind by kind: an expanding IN would not survive the
    # SQLite text query (_sqlite_not_indexed)
    door = case(*[(HelpRequest.voordeur == d, k) for k, d in enumerate(FRONT_DOOR_CODES)],
                else_=0)  # fmt: skip
    return {
        "households": select(Household.id).where(*([Household.id == _HH] if one else []))
        .order_by(Household.id),
        "prov": select(member, bit, jb, day(Provision.start),
                       end(Provision.einde), func.coalesce(Provision.institution_id, -1),
                       _flag((Provision.domein != isd)
                             | or_(*(Provision.soort == k for k in CBS_PARTICIPATIEWET_KINDS))),
                       func.coalesce(Provision.kosten_per_maand_cent, 0))
        .join(Person, Person.id == Provision.person_id)
        .where(*per_person, provision_active_sql(Provision, _D_FROM, _D_TO)),
        "debt": select(member, Debt.person_id,
                       _flag(func.upper(Debt.schuldeiser).like("ISD%")), Debt.openstaand_cent,
                       day(Debt.sinds), Debt.id)
        .join(Person, Person.id == Debt.person_id)
        # every debt that existed by the last date: the numpy rule (debt_open with the
        # schuldstanden loaded below) decides per date; a per-debt SQL subquery for "open
        # somewhere in the range" cost more than the few extra rows (1 s at 135,000)
        .where(*per_person, Debt.sinds <= _D_TO),
        "snap": _snapshots(day, one, per_person, dialect),
        "sig": select(Signal.household_id, day(Signal.gemeld_op),
                      end(Signal.gesloten_op))
        .where(*([Signal.household_id == _HH] if one else []),
               Signal.soort.in_(bindparam("soorten", expanding=True)),
               signal_open_sql(Signal, _D_FROM, _D_TO)),
        "req": select(HelpRequest.household_id, day(HelpRequest.ontvangen_op), door)
        .where(*([HelpRequest.household_id == _HH] if one else []),
               HelpRequest.ontvangen_op <= _D_TO,
               HelpRequest.ontvangen_op >= bindparam("first_request", type_=Date)),
        "regie": select(Regie.household_id, day(Regie.start), end(Regie.einde))
        .where(*([Regie.household_id == _HH] if one else []),
               regie_active_sql(Regie, _D_FROM, _D_TO)),
    }  # fmt: skip


def _snapshots(day, one: bool, per_person: list, dialect: str):
    """The schuldstanden a range needs: those inside ``(d_from, d_to]`` and, per debt, the
    latest on or before ``d_from`` (not its whole history: 66,000 rows instead of 914,000
    for one date at 135,000 households)."""
    s = DebtSnapshot
    cols = (s.debt_id, day(s.peildatum), s.openstaand_cent)
    mine = ([s.debt_id.in_(select(Debt.id).join(Person, Person.id == Debt.person_id)
                           .where(*per_person))] if one else [])  # fmt: skip
    # (for one date the range is empty: the constant test spares PostgreSQL a full scan)
    inside = select(*cols).where(_D_FROM < _D_TO, s.peildatum > _D_FROM, s.peildatum <= _D_TO,
                                 *mine)  # fmt: skip
    if dialect == "postgresql" and not one:
        # per debt one backward probe of ix_schuldstand_debt_peildatum (LATERAL): the
        # GROUP BY below read and grouped every schuldstand up to d_from (0.57 s at
        # 135,000 households; this 0.17 s). A debt with two schuldstanden on one date
        # cannot occur (sleutel: the debt's bron_id and the date)
        x = aliased(DebtSnapshot)
        last = (select(x.debt_id, x.peildatum, x.openstaand_cent)
                .where(x.debt_id == Debt.id, x.peildatum <= _D_FROM)
                .order_by(x.peildatum.desc()).limit(1).lateral())  # fmt: skip
        before = select(last.c.debt_id, day(last.c.peildatum), last.c.openstaand_cent)\
            .select_from(Debt).join(last, true())  # fmt: skip
        return union_all(inside, before)
    latest = (select(s.debt_id, func.max(s.peildatum).label("peil"))
              .where(s.peildatum <= _D_FROM, *mine).group_by(s.debt_id).subquery())  # fmt: skip
    before = select(*cols).join(latest, (latest.c.debt_id == s.debt_id)
                                & (latest.c.peil == s.peildatum))  # fmt: skip
    return union_all(inside, before)


# The data tables each fact query reads (their write counters key coordination.factcache)
_TABLES = {
    "households": ("household",), "prov": ("provision", "person", "bewoning"),
    "debt": ("debt", "person", "bewoning"), "snap": ("schuldstand", "debt", "person"),
    "sig": ("signal",), "req": ("help_request",), "regie": ("regie",),
}  # fmt: skip
_ALL_TABLES = sorted({t for tables in _TABLES.values() for t in tables})


def _prov(c: dict) -> Table:
    return {"hh": int_column(c["hh"]), "dom": int_column(c["dom"]).astype(np.int8),
            "jb": int_column(c["jb"]) > 0, "start": _days(c["start"]), "end": _ends(c["end"]),
            "inst": int_column(c["inst"]), "cbs": int_column(c["cbs"]) > 0,
            "cost": int_column(c["cost"])}  # fmt: skip


def _debt(c: dict) -> Table:
    """By debt id: the schuldstand lookups per date search in order."""
    order = np.argsort(int_column(c["id"]), kind="stable")
    return {"hh": int_column(c["hh"])[order], "person": int_column(c["person"])[order],
            "isd": (int_column(c["isd"]) > 0)[order], "cent": int_column(c["cent"])[order],
            "sinds": _days(c["sinds"])[order], "id": int_column(c["id"])[order]}  # fmt: skip


def _snap(c: dict) -> Table:
    """Sorted once by debt and date: every date's lookup is a binary search."""
    debt, day, cent = int_column(c["debt"]), _days(c["day"]), int_column(c["cent"])
    order = np.lexsort((day.astype(np.int64), debt))
    return {"debt": debt[order], "day": day[order], "cent": cent[order]}


def _period(c: dict) -> Table:
    return {"hh": int_column(c["hh"]), "start": _days(c["start"]), "end": _ends(c["end"])}


def _request(c: dict) -> Table:
    return {"hh": int_column(c["hh"]), "day": _days(c["day"]), "door": int_column(c["door"])}


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
    repeat_days = int(r["herhaalde_hulpvragen"]["periode_dagen"])
    history, debt_history = history_flags(session)
    stmts = _statements(household_id is not None, session.get_bind().dialect.name, history,
                        debt_history)  # fmt: skip
    params = {
        "d_from": date_from, "d_to": date_to, "hh": household_id,
        "jb_soort": r["jeugdbescherming"]["soort"],
        "soorten": list(r["veiligheidssignaal"]["soorten"]),
        # the rule's window on the first date and the 12 months (overview) on the last
        "first_request": min(window_start(date_from, repeat_days), window_start(date_to)),
    }  # fmt: skip

    one = household_id is not None
    versions = None if one else read_versions(session, _ALL_TABLES)
    flags = (history, debt_history)

    def fetch(name: str, names: list[str], convert) -> Table:
        stmt, binds = stmts[name]
        used = {k: params[k] for k in binds if k in params}
        key = (flags, tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                                   for k, v in used.items())))  # fmt: skip
        return cached(versions, name, _TABLES[name], key,
                      lambda: convert(fetch_columns(session, stmt, names, used)))  # fmt: skip

    if household_ids is None:
        household_ids = fetch("households", ["id"], lambda c: int_column(c["id"]))
    prov = fetch("prov", ["hh", "dom", "jb", "start", "end", "inst", "cbs", "cost"], _prov)
    debt = fetch("debt", ["hh", "person", "isd", "cent", "sinds", "id"], _debt)
    if debt_history:
        snap = fetch("snap", ["debt", "day", "cent"], _snap)
        found = cached(
            versions,
            "schuldstanden",
            _TABLES["debt"] + _TABLES["snap"],
            (flags, date_from, date_to),
            lambda: Schuldstanden(debt["id"], snap["debt"], snap["day"], snap["cent"]),
        )
        debt = {**debt, "snap": found}  # (one object: its search key is built once)
    sig = fetch("sig", ["hh", "start", "end"], _period)
    req = fetch("req", ["hh", "day", "door"], _request)
    regie = fetch("regie", ["hh", "start", "end"], _period)

    first, n = (int(household_ids[0]), len(household_ids)) if len(household_ids) else (0, 0)
    dense = n > 0 and int(household_ids[-1]) - first == n - 1

    def placed(cols: Table) -> Table:
        """The columns with ``pos`` (the household's place in household_ids) for ``hh``."""
        ids = cols["hh"]
        out = {k: v for k, v in cols.items() if k != "hh"}
        out["pos"] = ids - first if dense else np.searchsorted(household_ids, ids)
        return out

    debt = placed(debt)
    debt.setdefault("snap", None)
    return Facts(
        household_ids=household_ids,
        prov=placed(prov),
        debt=debt,
        sig=placed(sig),
        req=placed(req),
        regie=placed(regie),
    )
