"""Each DESIGN 4.1 rule: the SQL builder and the numpy function agree on the edges.

Rows are written to the real test database (SQLite or PostgreSQL), selected with
the SQL builder on a date, and compared with the numpy function on the same values
as arrays (NaT for open ends). Edges: the day itself, the day before, the day after,
open ends.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import select

from coordination.models import Regie
from households import periods
from households.models import Debt, HelpRequest, Household, Person, Provision, Signal

D = dt.date(2026, 3, 15)
DAY = dt.timedelta(days=1)
EDGES = [D - DAY, D, D + DAY]
ENDS = [None, D - DAY, D, D + DAY]


@pytest.fixture
def person(session):
    h = Household(huishouden_id="P1", wijk="Noord")
    session.add(h)
    session.flush()
    p = Person(bsn_hash="h1", household_id=h.id, geboortejaar=1980, rol="hoofd")
    session.add(p)
    session.flush()
    return p


def _agree(session, entity, rows, sql_rule, np_rule, columns):
    """Select the ids the SQL rule keeps on each date; compare with the numpy rule."""
    ids = np.array([r.id for r in rows])
    values = [np.array([getattr(r, c) for r in rows], dtype=object) for c in columns]
    for d in [D - 2 * DAY, *EDGES, D + 2 * DAY]:
        by_sql = set(session.scalars(select(entity.id).where(sql_rule(entity, d))))
        by_numpy = set(ids[np_rule(*values, d)].tolist())
        assert by_sql == by_numpy, d
        if d in EDGES:  # on the edge dates some rows are in and some are out
            assert by_sql and by_sql != set(ids.tolist()), d


def _periods(make, first: str, second: str):
    return [make(**{first: s, second: e}) for s in EDGES for e in ENDS if e is None or e >= s]


def test_provision_active_agrees(session, person):
    rows = _periods(
        lambda start, einde: Provision(bron_id=f"v{start}{einde}", person_id=person.id,
                                       domein="WMO", soort="hulp", start=start, einde=einde),
        "start", "einde",
    )  # fmt: skip
    session.add_all(rows)
    session.flush()
    _agree(session, Provision, rows, periods.provision_active_sql, periods.provision_active,
           ["start", "einde"])  # fmt: skip
    assert periods.provision_active(D, D, D) and not periods.provision_active(D, D - DAY, D)


def test_signal_open_agrees(session, person):
    rows = _periods(
        lambda gemeld_op, gesloten_op: Signal(household_id=person.household_id, soort="politie",
                                              gemeld_op=gemeld_op, gesloten_op=gesloten_op),
        "gemeld_op", "gesloten_op",
    )  # fmt: skip
    session.add_all(rows)
    session.flush()
    _agree(session, Signal, rows, periods.signal_open_sql, periods.signal_open,
           ["gemeld_op", "gesloten_op"])  # fmt: skip
    assert periods.signal_open(D, None, D) and not periods.signal_open(D - DAY, D, D)


def test_regie_active_agrees(session, person):
    rows = _periods(
        lambda start, einde: Regie(household_id=person.household_id, houder_contact="x",
                                   doel="d", start=start, einde=einde, actief=einde is None),
        "start", "einde",
    )  # fmt: skip
    # the partial unique index allows one open (actief) regie per household
    for k, r in enumerate(r for r in rows if r.actief):
        if k:
            h = Household(huishouden_id=f"R{k}", wijk="Oost")
            session.add(h)
            session.flush()
            r.household_id = h.id
    session.add_all(rows)
    session.flush()
    _agree(session, Regie, rows, periods.regie_active_sql, periods.regie_active,
           ["start", "einde"])  # fmt: skip
    # a transfer on D: the old regie ends on D, the new one starts on D; one is active
    assert not periods.regie_active(D - DAY, D, D) and periods.regie_active(D, None, D)


def test_debt_open_agrees(session, person):
    rows = [
        Debt(bron_id=f"s{s}{c}", person_id=person.id, schuldeiser="ISD", hoofdsom_cent=500,
             openstaand_cent=c, sinds=s)
        for s in EDGES for c in (0, 1, 250)
    ]  # fmt: skip
    session.add_all(rows)
    session.flush()
    _agree(session, Debt, rows, periods.debt_open_sql, periods.debt_open,
           ["sinds", "openstaand_cent"])  # fmt: skip
    amounts = session.scalars(select(periods.debt_outstanding_sql(Debt, D)).order_by(Debt.id)).all()
    assert amounts == periods.debt_outstanding([r.openstaand_cent for r in rows], D).tolist()


def test_member_of_household_agrees(session, person):
    other = Household(huishouden_id="P2", wijk="Zuid")
    session.add(other)
    session.flush()
    session.add(Person(bsn_hash="h2", household_id=other.id, geboortejaar=1990, rol="hoofd"))
    session.flush()
    people = session.scalars(select(Person).order_by(Person.id)).all()
    for d in EDGES:
        for hh in (person.household_id, other.id):
            by_sql = session.scalars(
                select(Person.id).where(periods.member_of_household_sql(hh, d))
            ).all()
            mask = periods.member_of_household([p.household_id for p in people], hh, d)
            assert by_sql == [p.id for p, m in zip(people, mask, strict=True) if m] != []
        assert (
            session.scalars(select(periods.household_of_person_sql(d)).order_by(Person.id)).all()
            == periods.household_of_person([p.household_id for p in people], d).tolist()
        )


@pytest.mark.parametrize("days", [periods.MONTHS_12_DAYS, 30])
def test_window_agrees(session, person, days):
    first = periods.window_start(D, days)
    dates = [first - DAY, first, first + DAY, D - DAY, D, D + DAY]
    rows = [HelpRequest(household_id=person.household_id, domein="WMO", voordeur="CENTRAAL",
                        ontvangen_op=x) for x in dates]  # fmt: skip
    session.add_all(rows)
    session.flush()
    by_sql = session.scalars(
        select(HelpRequest.ontvangen_op)
        .where(periods.in_window_sql(HelpRequest.ontvangen_op, D, days))
        .order_by(HelpRequest.ontvangen_op)
    ).all()
    by_numpy = [x for x, m in zip(dates, periods.in_window(dates, D, days), strict=True) if m]
    assert by_sql == by_numpy == [first, first + DAY, D - DAY, D]
    assert first == D - dt.timedelta(days=days - 1)


def test_twelve_months_is_d_minus_364_to_d(session, person):
    session.add_all([
        HelpRequest(household_id=person.household_id, domein="WMO", voordeur="CENTRAAL",
                    ontvangen_op=x)
        for x in (D - dt.timedelta(days=365), D - dt.timedelta(days=364), D, D + DAY)
    ])  # fmt: skip
    session.flush()
    # aanvraag N in 12 maanden at a request on D: D-364 and D itself count, D-365 does not
    assert periods.requests_in_12_months(session, person.household_id, D) == 2
    dates = [D - dt.timedelta(days=365), D - dt.timedelta(days=364), D, D + DAY]
    assert periods.repeat_count(dates, D) == 2
    assert periods.window_start(D) == dt.date(2025, 3, 16)


def test_numpy_rules_take_pandas_style_open_ends():
    start = np.array([dt.date(2026, 1, 1), dt.date(2026, 1, 1)], dtype=object)
    einde = np.array([None, float("nan")], dtype=object)
    assert periods.provision_active(start, einde, D).tolist() == [True, True]
