"""Debt history (schuldstanden, DESIGN 5.2/5.4): the import kind and the one rule for the
amount of a debt on a date (households/periods.py ``debt_amount_on``)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import select

from households.models import Debt, DebtSnapshot
from households.periods import debt_amount_on, debt_amount_on_sql, latest_snapshot
from tests.households.test_importing import BSN_A, BSN_B, count, load, rejection

DEBTS = (
    "bron_id;bsn;schuldeiser;hoofdsom;openstaand;sinds\n"
    f"S1;{BSN_A};ISD BOL terugvordering;1000;400;2024-01-15\n"
    f"S2;{BSN_B};Woonpunt;600;600;2025-06-01\n"
)
STANDEN = (
    "bron_id;peildatum;openstaand\n"
    "S1;2024-01-15;1.000,00\n"
    "S1;31-03-2024;900\n"
    " S1 ;2024-06-30;800.50\n"
)


@pytest.fixture
def debts(base):
    load(base, "schulden", DEBTS)
    return base


def _amounts(session) -> dict[tuple[str, dt.date], int]:
    rows = session.execute(
        select(Debt.bron_id, DebtSnapshot.peildatum, DebtSnapshot.openstaand_cent).join(
            Debt, Debt.id == DebtSnapshot.debt_id
        )
    )
    return {(b, p): c for b, p, c in rows}


def test_schuldstanden_both_date_and_amount_spellings(debts):
    text = (
        "bron_id,peildatum,openstaand\n"
        'S1,2024-01-15,1000\nS1,31-03-2024,"900,00"\nS2,2025-07-31,650.5\n'
    )
    result = load(debts, "schuldstanden", text)
    assert (result.rows, result.inserted) == (3, 3)
    assert _amounts(debts) == {
        ("S1", dt.date(2024, 1, 15)): 100_000,
        ("S1", dt.date(2024, 3, 31)): 90_000,
        ("S2", dt.date(2025, 7, 31)): 65_050,
    }


def test_same_debt_and_peildatum_is_the_same_row(debts):
    text = "bron_id;peildatum;openstaand\nS1;2024-03-31;900\n"
    load(debts, "schuldstanden", text)
    again = load(debts, "schuldstanden", text)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    # the same date spelled otherwise, with a corrected amount: one row, updated
    fixed = load(debts, "schuldstanden", "bron_id;peildatum;openstaand\nS1;31-03-2024;875\n")
    assert (fixed.inserted, fixed.updated) == (0, 1)
    assert count(debts, DebtSnapshot) == 1
    assert _amounts(debts) == {("S1", dt.date(2024, 3, 31)): 87_500}


def test_every_bad_row_is_named_and_nothing_is_written(debts):
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    text = (
        "bron_id;peildatum;openstaand\n"
        "S1;2024-03-31;900\n"  # good
        "S9;2024-03-31;900\n"  # unknown debt
        "S1;2023-12-31;900\n"  # before the debt began
        f"S2;{future};100\n"  # in the future
        "S1;2024-03-31;800\n"  # same debt and date twice
        "S2;2025-07-31;-5\n"  # negative
        "S2;gisteren;5\n"  # not a date
        "S2;2025-08-31;\n"  # empty amount
    )
    exc = rejection(debts, "schuldstanden", text)
    assert sorted((e.line, e.column) for e in exc.errors) == [
        (3, "bron_id"), (4, "peildatum"), (5, "peildatum"), (6, "bron_id"),
        (7, "openstaand"), (8, "peildatum"), (9, "openstaand"),
    ]  # fmt: skip
    reasons = {e.line: e.reason for e in exc.errors}
    assert reasons[3] == "onbekende schuld (bron_id niet geïmporteerd)"
    assert reasons[4] == "peildatum ligt voor het begin van de schuld (15-01-2024)"
    assert reasons[5] == "peildatum ligt in de toekomst"
    assert "regel 2" in reasons[6]
    assert count(debts, DebtSnapshot) == 0


def test_missing_column_is_refused(debts):
    exc = rejection(debts, "schuldstanden", "bron_id;peildatum\nS1;2024-03-31\n")
    assert [(e.line, e.column, e.reason) for e in exc.errors] == [
        (1, "openstaand", "verplichte kolom ontbreekt")
    ]


# --- the amount of a debt on a date --------------------------------------------------------

TODAY = dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 1, 14), 0.0),  # before the debt began
        (dt.date(2024, 1, 15), 100_000.0),  # the snapshot on the day itself
        (dt.date(2024, 3, 30), 100_000.0),  # the day before the next snapshot
        (dt.date(2024, 3, 31), 90_000.0),
        (dt.date(2025, 1, 1), 80_050.0),  # the latest on or before D
    ],
)
def test_amount_on_a_date_is_the_latest_snapshot_sql_and_numpy_agree(debts, day, expected):
    load(debts, "schuldstanden", STANDEN)
    debt = debts.scalars(select(Debt).where(Debt.bron_id == "S1")).one()
    sql = debts.scalar(select(debt_amount_on_sql(Debt, day, TODAY)).where(Debt.id == debt.id))
    rows = debts.execute(
        select(DebtSnapshot.debt_id, DebtSnapshot.peildatum, DebtSnapshot.openstaand_cent)
    ).all()
    snap = latest_snapshot(*zip(*rows, strict=True), [debt.id], day)
    npy = debt_amount_on([debt.sinds], snap, [debt.openstaand_cent], day, TODAY)
    assert float(sql) == expected and npy.tolist() == [expected]


def test_without_snapshots_the_amount_is_known_only_today(debts):
    debt = debts.scalars(select(Debt).where(Debt.bron_id == "S2")).one()
    for day, expected in ((TODAY, 60_000), (dt.date(2025, 6, 29), None)):
        sql = debts.scalar(select(debt_amount_on_sql(Debt, day, TODAY)).where(Debt.id == debt.id))
        npy = debt_amount_on([debt.sinds], [np.nan], [debt.openstaand_cent], day, TODAY)
        assert sql == expected
        assert npy.tolist() == [60_000.0] if expected else np.isnan(npy[0])


def test_kiss_import_schuldstanden_and_progress_for_large_files(db_url, tmp_path, capsys):
    from app.cli import main
    from tests.households.test_importing import HOUSEHOLDS, PERSONS

    for name, text in (("h", HOUSEHOLDS), ("p", PERSONS), ("s", DEBTS)):
        (tmp_path / f"{name}.csv").write_text(text)
    for kind, name in (("huishoudens", "h"), ("personen", "p"), ("schulden", "s")):
        assert main(["import", kind, str(tmp_path / f"{name}.csv")]) == 0
    rows = "".join(
        f"S1;{dt.date(2024, 1, 15) + dt.timedelta(days=k)};{1000 - k % 500}\n" for k in range(600)
    )
    (tmp_path / "ss.csv").write_text("bron_id;peildatum;openstaand\n" + rows)
    fractions: list[float] = []
    from households.actor import SYSTEM
    from households.db import make_engine, session_scope
    from households.importing import import_file

    engine = make_engine(db_url)
    with session_scope(engine) as session:
        result = import_file(session, SYSTEM, "schuldstanden", tmp_path / "ss.csv",
                             progress=fractions.append)  # fmt: skip
    engine.dispose()
    assert result.inserted == 600 and fractions[-1] == 1.0 and len(fractions) > 2
    assert main(["import", "schuldstanden", str(tmp_path / "ss.csv")]) == 0
    assert (
        "600 regels geïmporteerd; 0 nieuw, 0 bijgewerkt, 600 ongewijzigd" in capsys.readouterr().out
    )
    (tmp_path / "bad.csv").write_text("bron_id;peildatum;openstaand\nS9;2024-03-31;1\n")
    assert main(["import", "schuldstanden", str(tmp_path / "bad.csv")]) == 2
    err = capsys.readouterr().err
    assert "regel 2, kolom bron_id: onbekende schuld" in err and "Traceback" not in err


def test_the_fact_loader_takes_the_latest_schuldstand_for_one_date_and_for_a_range(debts):
    # population (per debt the latest on or before the first date, plus those inside the
    # range: a LATERAL probe per debt on PostgreSQL) and one household (indexed lookups)
    from coordination.facts import load_facts
    from coordination.rules import active_rules
    from coordination.stacking import evaluate, household_stacking, stacking_table
    from households.models import Person

    load(debts, "schuldstanden", STANDEN)
    hid = debts.scalar(select(Person.household_id).join(Debt, Debt.person_id == Person.id)
                       .where(Debt.bron_id == "S1"))  # fmt: skip
    cases = [(dt.date(2024, 1, 14), 0), (dt.date(2024, 1, 15), 100_000),
             (dt.date(2024, 3, 30), 100_000), (dt.date(2024, 3, 31), 90_000),
             (dt.date(2024, 6, 29), 90_000), (dt.date(2025, 1, 1), 80_050)]  # fmt: skip
    for day, cents in cases:
        table = stacking_table(debts, day).set_index("household_id")
        assert table.loc[hid, "debt_outstanding_cent"] == cents, day
        assert household_stacking(debts, hid, day).debt_outstanding * 100 == cents, day
    rules = active_rules(debts)
    for first in (dt.date(2024, 1, 14), dt.date(2024, 3, 30)):  # snapshots before and inside
        facts = load_facts(debts, first, dt.date(2025, 1, 1), rules)
        pos = int(np.searchsorted(facts.household_ids, hid))
        for day, cents in cases:
            if day >= first:
                assert evaluate(facts, day, rules)["debt_cent"][pos] == cents, (first, day)
