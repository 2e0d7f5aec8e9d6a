"""The interval attack on the published steering overview (DESIGN 4.6), property-based.

An attacker holds only the JSON of one overview. They know every relation between its
figures (wijk sums, the partitions of the households with a provision, CBS stacking as
the sum of the multi-domain combinations, parts at most their whole, fragmentation,
the trend and its quarter on the reference date) and that only positive cells are
hidden. For every hidden cell they compute the lowest and highest value consistent with
everything published (linear programming). Over generated populations and reference
dates: no ``<5`` cell is pinned to one value, no ``x`` cell is narrowed below a range of
5, no ``<5`` cell is provably 5 or more, and amounts are published only for groups of
5 or more. The attacker's relations are written here from the published JSON alone,
independently of the relations the suppression uses.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from sqlalchemy import delete

from coordination.models import Regie
from coordination.overview import steering_overview
from coordination.stacking import stacking_table
from households.actor import SYSTEM
from households.bsn import hash_bsn
from households.errors import InvalidInput
from households.models import Debt, HelpRequest, Household, Person, Provision, Signal

PLUS = ("ISD+JEUGD", "ISD+WMO", "JEUGD+WMO", "ISD+JEUGD+WMO")
HH_KEYS = ("households_with_provision", "stacked", "stacked_cbs", "complex", "regie_gaps")
DATES = [dt.date(2025, 3, 31), dt.date(2025, 4, 30), dt.date(2025, 6, 30), dt.date(2025, 12, 31)]
KINDS = {
    "ISD": ["bijstand", "minimaregelingen", "schuldhulpverlening", "IOAW"],
    "WMO": ["begeleiding", "hulpmiddel"],
    "JEUGD": ["ambulante jeugdhulp", "jeugd-ggz"],
}


class Attack:
    """Cells as LP variables (published ones fixed) and the attacker's relations."""

    def __init__(self) -> None:
        self.value: dict = {}  # published cells: key -> int
        self.hidden: dict = {}  # hidden cells: key -> "<5" | "x"
        self.rows: list = []  # (coef dict, sense)

    def cell(self, key, v) -> None:
        if v in ("<5", "x"):
            self.hidden[key] = v
        else:
            assert isinstance(v, int) and (v == 0 or v >= 5), (key, v)
            self.value[key] = v

    def eq(self, total, parts) -> None:
        coef = {total: 1}
        for p in parts:
            coef[p] = coef.get(p, 0) - 1
        self.rows.append((coef, "="))

    def le(self, small, large) -> None:
        coef = {}
        for p in small:
            coef[p] = coef.get(p, 0) + 1
        for p in large:
            coef[p] = coef.get(p, 0) - 1
        self.rows.append((coef, "<="))

    def intervals(self, small_upper: float | None) -> dict:
        keys = list(self.hidden)
        idx = {k: i for i, k in enumerate(keys)}
        a_eq, b_eq, a_ub, b_ub = [], [], [], []
        for coef, sense in self.rows:
            if not any(k in idx for k in coef):
                continue
            row, rhs = np.zeros(len(keys)), 0.0
            for k, c in coef.items():
                if k in idx:
                    row[idx[k]] += c
                else:
                    rhs -= c * self.value[k]
            (a_eq if sense == "=" else a_ub).append(row)
            (b_eq if sense == "=" else b_ub).append(rhs)
        bounds = [(1, small_upper if self.hidden[k] == "<5" else None) for k in keys]
        kw = {"A_eq": np.array(a_eq) if a_eq else None, "b_eq": b_eq or None,
              "A_ub": np.array(a_ub) if a_ub else None, "b_ub": b_ub or None,
              "bounds": bounds, "method": "highs"}  # fmt: skip
        out = {}
        for k, i in idx.items():
            c = np.zeros(len(keys))
            c[i] = 1
            lo, hi = linprog(c, **kw), linprog(-c, **kw)
            assert lo.status in (0, 3) and hi.status in (0, 3), "published figures inconsistent"
            out[k] = (
                np.ceil(lo.fun - 1e-6) if lo.status == 0 else -np.inf,
                np.floor(-hi.fun + 1e-6) if hi.status == 0 else np.inf,
            )
        return out


def read(ov: dict) -> Attack:
    """Every published count and every relation the attacker can see in ``ov``."""
    a = Attack()
    groups = {"T": ov, **{f"w:{w}": b for w, b in ov["by_wijk"].items()}}
    keys = [k for k in ov if isinstance(ov[k], (int, str)) and k not in
            ("reference_date", "rule_version", "withheld", "synthetic")]  # fmt: skip
    for g, b in groups.items():
        for k in keys:
            a.cell((g, k), b[k])
        for c, v in b["combinations"].items():
            a.cell((g, "c", c), v)
        for x, v in b["provisions_per_household"].items():
            a.cell((g, "p", x), v)
        pph = [(g, "p", x) for x in b["provisions_per_household"]]
        a.eq((g, "households_with_provision"), pph)
        a.eq((g, "stacked_cbs"), [(g, "c", c) for c in PLUS])
        a.le([(g, "c", c) for c in b["combinations"]], [(g, "households_with_provision")])
        a.le([(g, "stacked_cbs")], pph[1:])
        a.le([(g, "c", "ISD+JEUGD+WMO")], pph[2:])
        for k in HH_KEYS:
            a.le([(g, k)], [(g, "households_total")])
        a.le([(g, "stacked")], [(g, "households_with_provision")])
        a.le([(g, "stacked_cbs")], [(g, "stacked")])  # local stacking includes CBS
        a.le([(g, "regie_gaps")], [(g, "complex")])
        a.le([(g, "isd_debtors_known_elsewhere")], [(g, "isd_debtors")])
    wijken = [g for g in groups if g != "T"]
    if wijken:
        for k in keys:
            a.eq(("T", k), [(w, k) for w in wijken])
        for c in ov["combinations"]:
            a.eq(("T", "c", c), [(w, "c", c) for w in wijken])
        for x in ov["provisions_per_household"]:
            a.eq(("T", "p", x), [(w, "p", x) for w in wijken])
    f = ov["fragmentation"]
    a.cell(("f", "req"), f["households_with_request"])
    a.cell(("f", "multi"), f["multiple_front_doors"])
    for x, v in f["front_doors"].items():
        a.cell(("f", "door", x), v)
    for x, v in f["institutions_per_stacked_household"].items():
        a.cell(("f", "inst", x), v)
    a.eq(("f", "req"), [("f", "door", x) for x in f["front_doors"]])
    a.eq(("f", "multi"), [("f", "door", "2"), ("f", "door", "3+")])
    a.eq(("T", "stacked"), [("f", "inst", x) for x in f["institutions_per_stacked_household"]])
    a.le([("f", "req")], [("T", "households_total")])
    for row in ov["trend"]:
        q = ("q", row["datum"])
        for k, v in row.items():
            if k not in ("kwartaal", "datum"):
                a.cell((q, k), v)
                if row["datum"] == ov["reference_date"]:
                    a.eq(("T", k), [(q, k)])
        a.le([(q, "stacked")], [(q, "households_with_provision")])
        a.le([(q, "stacked_cbs")], [(q, "stacked")])
        a.le([(q, "regie_gaps")], [(q, "complex")])
    return a


def assert_protected(ov: dict) -> None:
    """The three properties of DESIGN 4.6 and the amounts rule, on one overview."""
    attack = read(ov)
    for key, (lo, hi) in attack.intervals(small_upper=4).items():
        if attack.hidden[key] == "<5":
            assert hi > lo, f"{key} pinned to {lo}"
        else:
            assert hi - lo >= 5, f"{key} narrowed to [{lo}, {hi}]"
    # a "<5" is never provably 5 or more (attacker ignores the label's upper bound)
    for key, (lo, _) in attack.intervals(small_upper=None).items():
        if attack.hidden[key] == "<5":
            assert lo <= 4, f"{key} labelled <5 but at least {lo}"
    for amount, count in (("isd_debt_outstanding", "isd_debtors"),
                          ("kosten_per_maand", "households_with_provision")):  # fmt: skip
        for block in [ov, *ov["by_wijk"].values()]:
            if block[amount] is not None:
                assert isinstance(block[count], int) and block[count] >= 5, amount
        if ov[amount] is not None and ov["by_wijk"]:
            hidden = [b for b in ov["by_wijk"].values() if b[amount] is None]
            known = sum(b[count] for b in ov["by_wijk"].values() if b[amount] is not None)
            rest = ov[count] - known
            assert rest == 0 or rest >= 5 or not hidden, f"total {amount} gives a group away"


household = st.fixed_dictionaries({
    "wijk": st.sampled_from(["Centrum", "Noord", "Oost", "Zuid"]),
    "domains": st.lists(st.sampled_from(["ISD", "WMO", "JEUGD"]), max_size=3, unique=True),
    "kind": st.integers(0, 3),
    "extra": st.integers(0, 3),  # extra provisions in the first domain
    "start": st.integers(-600, 200),  # days before 2025-06-30 (negative: after)
    "ends": st.booleans(),
    "isd_debt": st.booleans(),
    "regie": st.booleans(),
    "safety": st.booleans(),
    "doors": st.lists(st.sampled_from(["WMO", "JEUGD", "ISD"]), max_size=3),
})  # fmt: skip


def build(session, spec: list[dict]) -> None:
    """Replace the population by ``spec`` (bulk: one flush per table)."""
    for model in (Provision, Debt, Signal, Regie, HelpRequest, Person, Household):
        session.execute(delete(model))
    base = dt.date(2025, 6, 30)
    hhs = [Household(huishouden_id=f"A{i:04d}", wijk=s["wijk"], postcode="6441AA",
                     huisnummer=str(i)) for i, s in enumerate(spec)]  # fmt: skip
    session.add_all(hhs)
    session.flush()
    people = [Person(bsn_hash=hash_bsn(f"{100000000 + i}"), household_id=h.id,
                     geboortejaar=1980, rol="hoofdbewoner") for i, h in enumerate(hhs)]  # fmt: skip
    session.add_all(people)
    session.flush()
    rows = []
    for i, (s, h, p) in enumerate(zip(spec, hhs, people, strict=True)):
        start = base - dt.timedelta(days=s["start"])
        end = start + dt.timedelta(days=300) if s["ends"] else None
        for j, d in enumerate(s["domains"] * (1 + (s["extra"] if s["domains"] else 0))):
            kind = KINDS[d][(s["kind"] + j) % len(KINDS[d])]
            rows.append(Provision(bron_id=f"V{i}-{j}", person_id=p.id, domein=d, soort=kind,
                                  start=start, einde=end))  # fmt: skip
        if s["isd_debt"]:
            rows.append(
                Debt(
                    bron_id=f"S{i}",
                    person_id=p.id,
                    schuldeiser="ISD BOL",
                    hoofdsom_cent=500_00,
                    openstaand_cent=123_45 + i,
                    sinds=start,
                )
            )
        if s["regie"]:
            rows.append(Regie(household_id=h.id, houder_contact="GBD-er", doel="stabiliteit",
                              start=start, actief=True))  # fmt: skip
        if s["safety"]:
            rows.append(Signal(household_id=h.id, soort="politie", bron="test", gemeld_op=start))
        for k, door in enumerate(s["doors"]):
            rows.append(
                HelpRequest(
                    household_id=h.id,
                    domein="WMO",
                    voordeur=door,
                    ontvangen_op=base - dt.timedelta(days=20 + 40 * k),
                )
            )
    session.add_all(rows)
    session.flush()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=st.lists(household, min_size=0, max_size=70), date=st.sampled_from(DATES))
def test_interval_attack_recovers_nothing(session, spec, date):
    build(session, spec)
    ov = steering_overview(session, SYSTEM, date)
    assert_protected(ov)
    truth = stacking_table(session, date)
    if isinstance(ov["stacked_cbs"], int):
        assert ov["stacked_cbs"] == int(truth["stacked_cbs"].sum())


@pytest.mark.slow
def test_interval_attack_on_the_demo_population(engine):
    from data.demo import run_demo
    from households.db import session_scope

    run_demo(engine, households=2000, seed=7)
    with session_scope(engine) as s:
        for date in (dt.date(2025, 12, 31), dt.date(2026, 5, 31)):
            assert_protected(steering_overview(s, SYSTEM, date))


def test_kiss_may_choose_only_month_ends(session, account):
    kiss = account("kim", "kiss")
    with pytest.raises(InvalidInput, match="einde van een maand"):
        steering_overview(session, kiss, dt.date(2025, 6, 29))
    assert steering_overview(session, kiss, dt.date(2025, 6, 30))["households_total"] == 0
