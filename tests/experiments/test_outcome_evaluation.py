"""The bestaanszekerheid evaluation on hand-made data: a known effect is recovered within its
interval, no effect is found where there is none, the matching is balanced, and every chart
has one unit per axis (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest

from coordination.shvmodels import DebtTrajectory, DebtTrajectoryStep
from experiments.charts import did_chart
from experiments.evaluation import evaluate_experiment
from experiments.loop import record_experiment_bottleneck
from experiments.models import Lesson
from experiments.report import did_chart_data, evaluation_report_html
from experiments.report_sections import balance_frame
from households.models import DebtSnapshot
from tests import builders as b

ENROL = dt.date(2026, 2, 2)
REF = dt.date(2026, 8, 3)
NOISE = (-150, -50, 50, 150)  # euros; mean 0 over every 4 households


def household(session, wijk, i, debt_drop, arrears_closed, talk_days=None, exp=None):
    """A one-person household with a debt of 2.000 + noise on the enrolment date that drops
    by ``debt_drop`` + noise by REF, an arrears signal open on the enrolment date (closed
    before REF when ``arrears_closed``), and — with ``talk_days`` — a schuldhulp aanmelding
    after the enrolment date, spoken to after ``talk_days`` and with a plan of aanpak."""
    hh, p = b.household_with_persons(session, wijk=wijk)
    debt = b.add_debt(session, p, 200_000, sinds=dt.date(2025, 6, 1))
    noise = NOISE[i % 4] * 100
    for day, cent in (
        (dt.date(2026, 1, 15), 200_000 + noise),
        (dt.date(2026, 7, 15), 200_000 + noise - debt_drop * 100 + noise // 2),
    ):
        session.add(DebtSnapshot(sleutel=f"{debt.bron_id}:{day}", debt_id=debt.id, peildatum=day,
                                 openstaand_cent=cent))  # fmt: skip
    b.add_signal(session, hh, "huurachterstand", gemeld_op=dt.date(2026, 1, 10),
                 gesloten_op=dt.date(2026, 5, 1) if arrears_closed else None)  # fmt: skip
    if talk_days is not None:
        start = dt.date(2026, 3, 2)
        t = DebtTrajectory(household_id=hh.id, bron="gbd", aangemeld_op=start,
                           stap="plan_van_aanpak", stap_sinds=dt.date(2026, 5, 1))  # fmt: skip
        session.add(t)
        session.flush()
        for stap, day in (("aanmelding", start),
                          ("eerste_gesprek", start + dt.timedelta(days=talk_days)),
                          ("plan_van_aanpak", dt.date(2026, 5, 1))):  # fmt: skip
            session.add(DebtTrajectoryStep(traject_id=t.id, stap=stap, datum=day))
    if exp is not None:
        b.enrol_direct(session, exp, hh, datum=ENROL)
    session.flush()


def world(session, effect: bool):
    """20 enrolled households (Noord) and 60 comparison households (Zuid) with the same
    profile. With ``effect``: the enrolled pay off 500 euros more, resolve 80% of their
    arrears (comparison 20%), all reach a plan of aanpak (comparison 1 in 4) and are spoken
    to after 7 days (comparison 21). Without: both groups alike."""
    exp, _, _ = b.team(session)
    for i in range(20):
        household(session, "Noord", i, debt_drop=700 if effect else 200,
                  arrears_closed=(i % 5 != 0) if effect else (i % 5 == 0),
                  talk_days=(7 if effect else 21) if (effect or i % 4 == 0) else None,
                  exp=exp)  # fmt: skip
    for i in range(60):
        household(session, "Zuid", i, debt_drop=200, arrears_closed=i % 5 == 0,
                  talk_days=21 if i % 4 == 0 else None)  # fmt: skip
    session.commit()
    return exp


def evaluate(session, exp):
    kiss = b.make_user(session, "kiss1", "kiss")
    return evaluate_experiment(session, kiss, exp.id, REF, n_boot=1000, seed=3)


def inside(r, value) -> bool:
    return r.ci_low - 1e-9 <= value <= r.ci_high + 1e-9


def test_known_effect_is_recovered_within_its_interval(session):
    ev = evaluate(session, world(session, effect=True))
    debt = ev.did["debt_outstanding"]
    assert (debt.n_treated, debt.n_control) == (20, 60)
    assert debt.estimate == pytest.approx(-500.0)
    assert inside(debt, -500.0) and not inside(debt, 0.0)
    arrears = ev.did["arrears_open"]
    assert arrears.estimate == pytest.approx(-0.6)
    assert inside(arrears, -0.6) and not inside(arrears, 0.0)
    plan = ev.did["shv_plan"]
    assert plan.estimate == pytest.approx(1 - 15 / 60)
    assert inside(plan, 0.75) and not inside(plan, 0.0)
    days = ev.did["dagen_eerste_gesprek"]
    assert (days.n_treated, days.n_control) == (20, 15)
    assert days.estimate == pytest.approx(-14.0) and inside(days, -14.0)
    assert ev.did["crisis_12m"].estimate == pytest.approx(0.0)


def test_no_effect_is_found_where_there_is_none(session):
    ev = evaluate(session, world(session, effect=False))
    for key in ("debt_outstanding", "arrears_open", "shv_plan"):
        r = ev.did[key]
        assert r.has_interval and inside(r, 0.0), key
    assert ev.did["debt_outstanding"].estimate == pytest.approx(0.0)


def test_matching_on_six_variables_is_balanced(session):
    ev = evaluate(session, world(session, effect=True))
    assert ev.match_levels == (60, 0, 0)  # every pair matched on all six variables
    smd_after = dict(zip(ev.balance["variabele"], ev.balance["smd_na"], strict=True))
    assert smd_after["Schuld (ja/nee)"] == 0.0
    assert smd_after["Open betalingsachterstand (ja/nee)"] == 0.0
    shown = balance_frame(ev.balance)
    assert len(shown) >= 6 and "SMD na matching" in shown.columns


def test_every_chart_has_one_unit_per_axis(session):
    ev = evaluate(session, world(session, effect=True))
    data = did_chart_data(ev)
    assert set(data["eenheid"]) == {"euro", "aantal", "aandeel", "dagen"}
    spec = did_chart(data).to_dict()
    panels = spec["vconcat"]
    assert len(panels) == len(data)  # one panel per outcome
    titles = []
    for panel, unit in zip(panels, data["eenheid"], strict=True):
        x_titles = {layer["encoding"]["x"].get("title") for layer in panel["layer"]}
        assert len(x_titles) == 1  # every layer of a panel on the same axis
        titles.append((unit, x_titles.pop()))
    by_unit: dict[str, set] = {}
    for unit, title in titles:
        by_unit.setdefault(unit, set()).add(title)
    assert all(len(t) == 1 for t in by_unit.values())  # one title per unit
    assert len({t.pop() for t in by_unit.values()}) == len(by_unit)  # units never share


def test_report_has_lessons_bottlenecks_balance_and_no_process_effect(session):
    exp = world(session, effect=True)
    coord = b.make_user(session, "coord2", "gbd")
    b.add_member(session, exp, coord, "coordinator")
    session.add(Lesson(experiment_id=exp.id, datum=dt.date(2026, 4, 1),
                       les="Huurachterstand bij Kerkstraat 12 in 6441 AB sneller oppakken.",
                       verandering_werkwijze="Ervaringswerker belt binnen een week.",
                       door_naam="Coördinator"))  # fmt: skip
    session.commit()
    record_experiment_bottleneck(session, coord, exp.id, None,
                                 "Beslagvrije voet wordt te laat herberekend.",
                                 dt.date(2026, 5, 1))  # fmt: skip
    session.commit()
    html = evaluation_report_html(session, b.make_user(session, "kiss1", "kiss"), exp.id, REF,
                                  n_boot=200)  # fmt: skip
    assert "Balans van de matching" in html and "SMD na matching" in html
    assert "sneller oppakken" in html and "[postcode]" in html and "6441 AB" not in html
    assert "Beslagvrije voet" in html and "Coördinator" not in html
    assert "Procesmaten (geen effectmaat)" in html
    assert "Synthetische gegevens" not in html  # hand-made data, not the demo
