"""Stacking and complexity on hand-built households (exact expected values).

The small builders at the top (``hh``, ``person``, ``prov``, ...) are reused by the
other tests of issue 4.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import numpy as np
import pytest

from coordination.facts import load_facts
from coordination.models import Regie
from coordination.rules import active_rules, save_rules
from coordination.stacking import evaluate, household_stacking, stacking_csv, stacking_table
from households.actor import SYSTEM, Actor
from households.bsn import hash_bsn
from households.errors import AccessDenied
from households.models import (
    Debt,
    HelpRequest,
    Household,
    Institution,
    Involvement,
    Person,
    Provision,
    Signal,
)
from households.names import name_key

D = dt.date(2025, 6, 30)
_seq = itertools.count(1)


def _bsn() -> str:
    """A fresh valid BSN (elfproef) per call."""
    while True:
        n = 100_000_000 + next(_seq) * 7
        digits = [int(c) for c in f"{n:09d}"]
        total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
        if total % 11 == 0:
            return f"{n:09d}"


def hh(session, key: str, wijk: str = "Noord") -> Household:
    """Insert a household."""
    h = Household(huishouden_id=key, wijk=wijk, postcode="6441AA", huisnummer=str(next(_seq)))
    session.add(h)
    session.flush()
    return h


def person(session, household: Household, rol: str = "hoofdbewoner", naam: str = "") -> Person:
    """Insert a person in ``household`` (BSN only as its keyed hash)."""
    p = Person(bsn_hash=hash_bsn(_bsn()), household_id=household.id, geboortejaar=1980,
               rol=rol, naam=naam or None, naam_zoek=name_key(naam))  # fmt: skip
    session.add(p)
    session.flush()
    return p


def prov(session, p: Person, domein: str, start: dt.date, einde: dt.date | None = None,
         soort: str = "begeleiding", institution: Institution | None = None):  # fmt: skip
    """Insert a provision for person ``p``."""
    v = Provision(bron_id=f"V{next(_seq)}", person_id=p.id, domein=domein, soort=soort,
                  start=start, einde=einde, institution_id=institution.id if institution else None,
                  aanbieder=institution.naam if institution else None)  # fmt: skip
    session.add(v)
    session.flush()
    return v


def debt(session, p: Person, cent: int, sinds: dt.date, schuldeiser: str = "Woonpunt") -> Debt:
    """Insert a debt with ``cent`` outstanding."""
    b = Debt(bron_id=f"S{next(_seq)}", person_id=p.id, schuldeiser=schuldeiser,
             hoofdsom_cent=max(cent, 100_00), openstaand_cent=cent, sinds=sinds)  # fmt: skip
    session.add(b)
    session.flush()
    return b


def signal(session, h: Household, soort: str, gemeld: dt.date, gesloten=None) -> Signal:
    """Insert a signal."""
    s = Signal(household_id=h.id, soort=soort, bron="test", gemeld_op=gemeld, gesloten_op=gesloten)
    session.add(s)
    session.flush()
    return s


def request(session, h: Household, day: dt.date, voordeur: str = "WMO") -> HelpRequest:
    """Insert a help request received on ``day`` through ``voordeur``."""
    r = HelpRequest(household_id=h.id, domein="WMO", voordeur=voordeur, ontvangen_op=day)
    session.add(r)
    session.flush()
    return r


def institution(session, naam: str, type_: str = "zorgaanbieder") -> Institution:
    """Insert an institution."""
    i = Institution(instelling_id=f"I{next(_seq)}", naam=naam, type=type_)
    session.add(i)
    session.flush()
    return i


def involvement(session, h: Household, inst: Institution, start: dt.date, einde=None):
    """Insert an involvement of ``inst`` with household ``h``."""
    v = Involvement(household_id=h.id, institution_id=inst.id, soort="bemoeizorg",
                    start=start, einde=einde)  # fmt: skip
    session.add(v)
    session.flush()
    return v


def regie(session, h: Household, start: dt.date, actief: bool = True, einde=None) -> Regie:
    """Insert a regie for household ``h`` held by a named contact."""
    r = Regie(household_id=h.id, houder_contact="GBD-er", doel="stabiliteit", start=start,
              einde=einde, actief=actief)  # fmt: skip
    session.add(r)
    session.flush()
    return r


def row(table, key: str) -> dict:
    """The stacking row of household ``key`` as a dict."""
    return table.set_index("huishouden_id").loc[key].to_dict()


DAY = dt.timedelta(days=1)


def test_provision_active_on_start_and_end_dates(session):
    h = hh(session, "H1")
    p = person(session, h)
    prov(session, p, "WMO", start=D)  # starts on D: active
    prov(session, p, "ISD", start=D - 400 * DAY, einde=D)  # ends on D: active
    prov(session, p, "JEUGD", start=D + DAY)  # starts after D: not active
    prov(session, p, "JEUGD", start=D - 90 * DAY, einde=D - DAY)  # ended before D
    r = row(stacking_table(session, D), "H1")
    assert (r["n_provisions"], r["n_domains"], r["domains"]) == (2, 2, "ISD+WMO")
    # two domains: stacked (local), not complex under the default rules (3 domains, or 2
    # and a debt)
    assert r["stacked"] and not r["complex"] and r["complex_reasons"] == ""


def test_debts_zero_outstanding_or_future_are_not_open(session):
    h = hh(session, "H1")
    p = person(session, h)
    prov(session, p, "WMO", start=D - 10 * DAY)
    debt(session, p, 0, D - 100 * DAY)  # nothing outstanding
    debt(session, p, 500_00, D + DAY)  # sinds after D
    r = row(stacking_table(session, D), "H1")
    assert (r["has_debt"], r["debt_outstanding"], r["stacked"]) == (False, 0.0, False)
    debt(session, p, 123_45, D)  # sinds on D: open
    debt(session, p, 10_00, D - 5 * DAY, schuldeiser="ISD BOL terugvordering")
    r = row(stacking_table(session, D), "H1")
    assert (r["has_debt"], r["debt_outstanding"], r["stacked"]) == (True, 133.45, True)


def test_debts_of_all_members_add_up(session):
    h = hh(session, "H1")
    a, b = person(session, h), person(session, h, rol="partner")
    debt(session, a, 100_01, D - DAY)
    debt(session, b, 50_50, D - DAY)
    r = row(stacking_table(session, D), "H1")
    assert r["debt_outstanding"] == 150.51 and r["debt_outstanding_cent"] == 150_51
    assert not r["stacked"]  # a debt without a provision is not stacking


def test_person_moving_between_households(session):
    h1, h2 = hh(session, "H1"), hh(session, "H2", wijk="Oost")
    p = person(session, h1)
    prov(session, p, "WMO", start=D - 30 * DAY)
    debt(session, p, 200_00, D - 30 * DAY)
    assert row(stacking_table(session, D), "H1")["stacked"]
    p.household_id = h2.id  # the person moves: provisions and debts follow the person
    session.flush()
    table = stacking_table(session, D)
    assert (row(table, "H1")["n_provisions"], row(table, "H1")["has_debt"]) == (0, False)
    assert (row(table, "H2")["n_provisions"], row(table, "H2")["stacked"]) == (1, True)


def test_empty_household_has_a_row(session):
    hh(session, "H0", wijk="Zuid")
    r = row(stacking_table(session, D), "H0")
    assert r == {**r, "n_provisions": 0, "n_domains": 0, "domains": "", "has_debt": False,
                 "stacked": False, "complex": False, "complex_reasons": "", "wijk": "Zuid",
                 "rule_version": 1}  # fmt: skip


def _single(session, setup) -> tuple[str, tuple[str, ...]]:
    h = hh(session, "H1")
    p = person(session, h)
    setup(session, h, p)
    table = stacking_table(session, D)
    one = household_stacking(session, h.id, D)
    assert one.complex_reasons == tuple(
        filter(None, row(table, "H1")["complex_reasons"].split(";"))
    )
    return row(table, "H1")["complex_reasons"], one.reasons


def _two_domains(s, h, p):
    prov(s, p, "WMO", D - 5 * DAY)
    prov(s, p, "JEUGD", D - 5 * DAY)


def _three_domains(s, h, p):
    _two_domains(s, h, p)
    prov(s, p, "ISD", D - 5 * DAY, soort="bijstand")


def _debt_and_youth(s, h, p):
    prov(s, p, "JEUGD", D - 5 * DAY)
    prov(s, p, "WMO", D - 5 * DAY)
    debt(s, p, 10_00, D - 5 * DAY)


def _safety(s, h, p):
    signal(s, h, "politie", D - 10 * DAY)
    signal(s, h, "huiselijk_geweld", D - 100 * DAY, gesloten=D)  # closed on D: not open
    signal(s, h, "huurachterstand", D - 10 * DAY)  # not a safety signal


def _requests(s, h, p):
    request(s, h, D)
    request(s, h, D - 200 * DAY)
    request(s, h, D - 364 * DAY)  # first day of the 365-day window
    request(s, h, D - 365 * DAY)  # outside


def _youth_protection(s, h, p):
    # jeugdbescherming + ISD (no debt): only one domain besides? no: two domains also
    # stack, so turn stacking off and check the rule alone.
    prov(s, p, "JEUGD", D - 5 * DAY, soort="jeugdbescherming")
    prov(s, p, "ISD", D - 5 * DAY, soort="bijstand")


@pytest.mark.parametrize(
    ("setup", "codes", "reasons"),
    [
        (_three_domains, "stapeling", ("voorzieningen in 3 domeinen",)),
        (_debt_and_youth, "stapeling", ("schuld én jeugdhulp en Wmo-ondersteuning",)),
        (_safety, "veiligheidssignaal", ("veiligheidssignaal open",)),
        (_requests, "herhaalde_hulpvragen", ("3e aanvraag in 12 maanden",)),
    ],
)
def test_each_rule_fires_alone(session, setup, codes, reasons):
    assert _single(session, setup) == (codes, reasons)


def test_youth_protection_rule_alone(session):
    regels = active_rules(session).regels
    regels["stapeling"]["actief"] = False
    save_rules(session, SYSTEM, regels, "alleen jeugdbescherming testen")
    codes, reasons = _single(session, _youth_protection)
    assert (codes, reasons) == ("jeugdbescherming", ("jeugdbescherming naast ander domein",))
    assert row(stacking_table(session, D), "H1")["rule_version"] == 2


def test_youth_protection_alone_is_not_complex(session):
    h = hh(session, "H1")
    prov(session, person(session, h), "JEUGD", D - 5 * DAY, soort="jeugdbescherming")
    one = household_stacking(session, h.id, D)
    assert (one.complex, one.stacked, one.domains) == (False, False, ("JEUGD",))


def test_two_requests_are_not_complex(session):
    h = hh(session, "H1")
    request(session, h, D)
    request(session, h, D - 10 * DAY)
    request(session, h, D + DAY)  # after D
    one = household_stacking(session, h.id, D)
    assert (one.complex, one.n_requests) == (False, 2)


def test_rule_thresholds_are_data(session):
    h = hh(session, "H1")
    request(session, h, D)
    request(session, h, D - 10 * DAY)
    regels = active_rules(session).regels
    regels["herhaalde_hulpvragen"]["min_aantal"] = 2
    v = save_rules(session, SYSTEM, regels, "drempel verlaagd naar 2")
    one = household_stacking(session, h.id, D)
    assert (one.complex, one.rule_version, v.versie) == (True, 2, 2)
    assert one.reasons == ("2e aanvraag in 12 maanden",)


def test_household_stacking_fields(session):
    h = hh(session, "H7", wijk="Oost")
    p = person(session, h)
    prov(session, p, "ISD", D - 5 * DAY, soort="bijstand")
    prov(session, p, "ISD", D - 5 * DAY, soort="minimaregeling")
    debt(session, p, 99_99, D - 5 * DAY, schuldeiser="isd BOL")
    one = household_stacking(session, h.id, D)
    assert one.domains == ("ISD",) and one.n_provisions == 2 and one.n_domains == 1
    assert one.debt_outstanding == Decimal("99.99") and one.has_debt and one.stacked
    assert one.reasons == () and not one.complex  # one domain and a debt: not heavy
    assert (one.huishouden_id, one.wijk, one.reference_date) == ("H7", "Oost", D)


def test_stacking_csv_exact(session):
    a, b, c = hh(session, "A1", "Noord"), hh(session, "B2", "Oost"), hh(session, "C3", "Zuid")
    pa, pb = person(session, a), person(session, b)
    prov(session, pa, "WMO", D - 5 * DAY)
    prov(session, pa, "ISD", D - 5 * DAY, soort="bijstand")
    debt(session, pa, 1234_50, D - 5 * DAY)
    prov(session, pb, "JEUGD", D - 5 * DAY)
    request(session, c, D)
    signal(session, b, "politie", D - DAY)
    text = stacking_csv(session, SYSTEM, D)
    assert text == (
        "huishouden_id,wijk,n_provisions,n_domains,domains,debt_outstanding,has_debt,"
        "stacked,complex,complex_reasons,stacked_cbs\n"
        "A1,Noord,2,2,ISD+WMO,1234.50,true,true,true,stapeling,true\n"
        "B2,Oost,1,1,JEUGD,0.00,false,false,true,veiligheidssignaal,false\n"
        "C3,Zuid,0,0,,0.00,false,false,false,,false\n"
    )


def test_stacking_csv_is_for_the_system_actor_only(session):
    with pytest.raises(AccessDenied):
        stacking_csv(session, Actor(1, "kim", "kiss"), D)


def test_regie_does_not_change_stacking(session):
    h = hh(session, "H1")
    _three_domains(session, h, person(session, h))
    regie(session, h, D - 10 * DAY)
    assert row(stacking_table(session, D), "H1")["complex"]


def test_household_ids_with_gaps(session):
    a = Household(id=5, huishouden_id="G5", wijk="Noord")
    b = Household(id=90, huishouden_id="G90", wijk="Oost")
    session.add_all([a, b])
    session.flush()
    prov(session, person(session, b), "WMO", D - DAY)
    table = stacking_table(session, D)
    assert (row(table, "G5")["n_provisions"], row(table, "G90")["n_provisions"]) == (0, 1)


@pytest.mark.parametrize(
    ("change", "key", "before", "after"),
    [
        ({"min_domeinen": 2}, "TWO", False, True),
        ({"min_domeinen_met_schuld": 1}, "DEBT", False, True),
        ({"min_domeinen": 1}, "ONE", False, True),
    ],
)
def test_complex_follows_the_rule_thresholds_stacked_does_not(session, change, key, before, after):
    two, debt_one, one = hh(session, "TWO"), hh(session, "DEBT"), hh(session, "ONE")
    _two_domains(session, two, person(session, two))
    p = person(session, debt_one)
    prov(session, p, "WMO", D - 5 * DAY)
    debt(session, p, 50_00, D - 5 * DAY)
    prov(session, person(session, one), "JEUGD", D - 5 * DAY)
    target = {"TWO": two, "DEBT": debt_one, "ONE": one}[key]
    stacked = bool(row(stacking_table(session, D), key)["stacked"])
    assert stacked is (key != "ONE")  # local stacking: 2 domains, or 1 and a debt
    assert bool(row(stacking_table(session, D), key)["complex"]) is before
    save_rules(session, SYSTEM, {"stapeling": change}, "andere drempel voor stapeling")
    assert bool(row(stacking_table(session, D), key)["complex"]) is after
    assert household_stacking(session, target.id, D).complex is after
    assert bool(row(stacking_table(session, D), key)["stacked"]) is stacked  # unchanged


def test_stacked_is_counted_when_the_rule_is_switched_off(session):
    h = hh(session, "H1")
    _two_domains(session, h, person(session, h))
    save_rules(session, SYSTEM, {"stapeling": {"actief": False}}, "stapeling telt niet mee")
    r = row(stacking_table(session, D), "H1")
    assert (bool(r["stacked"]), bool(r["complex"])) == (True, False)


def test_requests_in_the_12_months_are_d_minus_364_to_d(session):
    h = hh(session, "H1")
    for days in (365, 364, 0):
        request(session, h, D - days * DAY)
    assert household_stacking(session, h.id, D).n_requests == 2


@pytest.mark.parametrize(("day", "active"), [(D - DAY, True), (D, False), (D + DAY, False)])
def test_regie_ended_on_d_is_not_active_on_d(session, day, active):
    h = hh(session, "H1")
    regie(session, h, D - 30 * DAY, actief=False, einde=D)
    rules = active_rules(session)
    facts = load_facts(session, day, day, rules, household_ids=np.array([h.id]))
    assert bool(evaluate(facts, day, rules)["regie"][0]) is active
