"""Demo seeding on a small hand-built population: deterministic, idempotent, evaluable."""

import datetime as dt

from sqlalchemy import func, select

from data.demo_experiments import seed_experiments
from experiments.evaluation import evaluate_experiment
from experiments.models import Enrolment, Experiment, ExperimentMember, Lesson, StabilityLog
from experiments.registry import experiment_by_code
from tests import builders as b

REF = dt.date(2026, 6, 1)


def _population(session):
    for wijk in ("Noord", "Oost", "Zuid", "Zuid"):
        for i in range(8):
            _, p = b.household_with_persons(session, wijk=wijk, n_persons=1 + i % 2)
            b.add_debt(session, p, (500 + 10 * i) * 100, sinds=dt.date(2024, 1, 1))


def _snapshot(session):
    logs = session.execute(
        select(StabilityLog.household_id, StabilityLog.datum, StabilityLog.meedoen).order_by(
            StabilityLog.id
        )
    ).all()
    return [(r.datum, r.meedoen) for r in logs]


def test_seed_is_deterministic_and_idempotent(session):
    _population(session)
    logins = seed_experiments(session, seed=5, reference_date=REF, n_households=12)
    assert sorted(x.rol for x in logins) == ["ervaringswerker"] * 4 + ["gbd"] * 2
    assert session.scalar(select(func.count()).select_from(Experiment)) == 5
    assert session.scalar(select(func.count()).select_from(Enrolment)) == 12
    n_logs = session.scalar(select(func.count()).select_from(StabilityLog))
    assert n_logs >= 12 * 10
    assert session.scalar(select(func.count()).select_from(Lesson)) == 4
    assert (
        session.scalar(select(func.count()).where(StabilityLog.verhaal_geselecteerd.is_(True))) >= 1
    )
    first = _snapshot(session)
    seed_experiments(session, seed=5, reference_date=REF, n_households=12)
    assert session.scalar(select(func.count()).select_from(StabilityLog)) == n_logs
    assert session.scalar(select(func.count()).select_from(ExperimentMember)) >= 6
    assert first[:5] == _snapshot(session)[:5]


def test_seeded_experiment_can_be_evaluated(session):
    _population(session)
    seed_experiments(session, seed=1, reference_date=REF, n_households=12)
    exp = experiment_by_code(session, "bestaanszekerheid")
    ev = evaluate_experiment(session, b.make_user(session, "k", "kiss"), exp.id, REF, n_boot=100)
    assert ev.n_enrolled == 12 and ev.n_logged == 12
    assert ev.did["n_provisions"].n_treated == 12
    assert 0 < ev.did["n_provisions"].n_control <= 16
