"""The evaluation's debt comparison measured from schuldstanden (DESIGN 5.4), on hand-made
snapshots: a change is measured only where the debt is known on both dates."""

import datetime as dt

import pytest

from experiments.evaluation import evaluate_experiment, household_evaluation
from experiments.logbook import log_situation
from experiments.report import debt_note, did_frame
from households.models import DebtSnapshot
from tests import builders as b

ENROL = dt.date(2026, 2, 1)
REF = dt.date(2026, 6, 1)
SCORES = {"bestaanszekerheid": 2, "zorgcontinuiteit": 2, "meedoen": 2, "veiligheid": 3}


def _snap(session, debt, day: dt.date, cent: int) -> None:
    session.add(DebtSnapshot(sleutel=f"{debt.bron_id}:{day}", debt_id=debt.id, peildatum=day,
                             openstaand_cent=cent))  # fmt: skip


def _household(session, wijk, history, exp=None):
    hh, p = b.household_with_persons(session, wijk=wijk)
    debt = b.add_debt(session, p, 100_000, sinds=dt.date(2025, 6, 1))
    session.flush()
    for day, cent in history:
        _snap(session, debt, day, cent)
    if exp is not None:
        b.enrol_direct(session, exp, hh, datum=ENROL)
    return hh


def test_debt_change_from_snapshots_and_unmeasured_households_said(session):
    exp, _, _ = b.team(session)
    # payment plan: 1.000 on enrolment (snapshot a month before) down to 600 at REF
    for _ in range(2):
        _household(session, "Noord", [(dt.date(2026, 1, 1), 100_000), (REF, 60_000)], exp)
    _household(session, "Noord", [], exp)  # no schuldstanden: left out, and said
    for _ in range(6):  # comparison: arrears grow from 1.000 to 1.200
        _household(session, "Zuid", [(dt.date(2026, 1, 31), 100_000), (dt.date(2026, 5, 31),
                                                                           120_000)])  # fmt: skip
    kiss = b.make_user(session, "kiss1", "kiss")
    ev = evaluate_experiment(session, kiss, exp.id, REF, n_boot=100)
    debt = ev.did["debt_outstanding"]
    assert (debt.n_treated, debt.n_control) == (2, 6)
    assert debt.treated_change == pytest.approx(-400.0)
    assert debt.control_change == pytest.approx(200.0)
    assert debt.estimate == pytest.approx(-600.0)
    assert ev.debt_unmeasured == (1, 0)
    assert ev.did["n_provisions"].n_treated == 3  # other outcomes keep every household
    note = debt_note(ev)
    assert note.startswith("Schuld: <5 deelnemende en 0 vergelijkingshuishoudens zijn niet")


def test_no_snapshots_at_all_is_not_measured_and_the_table_says_so(session):
    exp, _, _ = b.team(session)
    for _ in range(5):
        _household(session, "Noord", [], exp)
    for _ in range(15):
        _household(session, "Zuid", [])
    ev = evaluate_experiment(session, b.make_user(session, "k", "kiss"), exp.id, REF, n_boot=50)
    assert ev.did["debt_outstanding"].estimate is None
    assert ev.debt_unmeasured == (5, 15)
    row = did_frame(ev).iloc[0].tolist()  # debt comes first (issue 15)
    assert row[0] == "Openstaande schuld (€)" and row[3] == "niet gemeten: geen schuldstanden"
    assert "5 deelnemende en 15 vergelijkingshuishoudens" in debt_note(ev)


def test_household_view_shows_the_amount_on_each_log_date(session):
    exp, _, ew = b.team(session)
    hh = _household(session, "Noord", [(dt.date(2026, 1, 1), 100_000),
                                       (dt.date(2026, 4, 1), 70_000)], exp)  # fmt: skip
    for day in (dt.date(2026, 2, 10), dt.date(2026, 5, 10)):
        log_situation(session, ew, hh.id, day, **SCORES, today=REF)
    view = household_evaluation(session, ew, hh.id)
    assert view["debt_outstanding"].tolist() == [1000.0, 700.0]
