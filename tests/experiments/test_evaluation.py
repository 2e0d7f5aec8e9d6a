"""Evaluation against a matched comparison group, and the KISS report, on hand-built data."""

import datetime as dt

import pytest

from experiments.evaluation import evaluate_experiment, household_evaluation
from experiments.logbook import log_situation, select_narrative
from experiments.report import anonymise, evaluation_report_html
from households.errors import AccessDenied
from tests import builders as b

ENROL = dt.date(2026, 2, 1)
REF = dt.date(2026, 6, 1)
SCORES = {"bestaanszekerheid": 1, "zorgcontinuiteit": 2, "meedoen": 2, "veiligheid": 3}


def _treated(session, exp, n, wijk="Noord", provision_after=True):
    out = []
    for _ in range(n):
        hh, p = b.household_with_persons(session, wijk=wijk)
        b.add_debt(session, p, 100_000)
        b.enrol_direct(session, exp, hh, datum=ENROL)
        if provision_after:
            b.add_provision(session, p, "ISD", "bijzondere bijstand", start=dt.date(2026, 3, 1))
        out.append((hh, p))
    return out


def _controls(session, n, with_provision=0, wijk="Zuid"):
    out = []
    for i in range(n):
        hh, p = b.household_with_persons(session, wijk=wijk)
        b.add_debt(session, p, 100_000)
        if i < with_provision:
            b.add_provision(session, p, "ISD", "bijzondere bijstand", start=dt.date(2026, 3, 1))
        out.append((hh, p))
    return out


def test_small_groups_estimate_without_interval(session):
    exp, coord, ew = b.team(session)
    treated = _treated(session, exp, 2)
    b.add_regie(session, treated[0][0], coord, start=dt.date(2026, 4, 1))
    _controls(session, 3, with_provision=1)
    b.household_with_persons(
        session, wijk="Zuid", n_persons=3
    )  # other household type: never matched
    b.household_with_persons(session, wijk="Oost")  # experiment wijk: never a control
    kiss = b.make_user(session, "kiss1", "kiss")
    ev = evaluate_experiment(session, kiss, exp.id, REF, n_boot=200)
    prov = ev.did["n_provisions"]
    assert (prov.n_treated, prov.n_control) == (2, 3)
    assert prov.treated_change == pytest.approx(1.0)
    assert prov.control_change == pytest.approx(1 / 3)
    assert prov.estimate == pytest.approx(2 / 3)
    assert prov.ci_low is None and "minder dan 10" in prov.note
    assert ev.did["regie"].estimate == pytest.approx(0.5)
    # no schuldstanden: the debt change is not measured, and the evaluation says so
    assert ev.did["debt_outstanding"].estimate is None
    assert ev.debt_unmeasured == (2, 3)


def test_interval_with_enough_households(session):
    exp, _, _ = b.team(session)
    _treated(session, exp, 12)
    _controls(session, 36, with_provision=9)
    kiss = b.make_user(session, "kiss1", "kiss")
    r = evaluate_experiment(session, kiss, exp.id, REF, n_boot=300, seed=1).did["n_provisions"]
    assert (r.n_treated, r.n_control) == (12, 36)
    assert r.estimate == pytest.approx(1 - 9 / 36)
    assert r.ci_low <= r.estimate <= r.ci_high


def test_corner_changes_and_household_view(session):
    exp, _, ew = b.team(session)
    (hh, _), *_ = _treated(session, exp, 1)
    log_situation(
        session, ew, hh.id, dt.date(2026, 2, 10), **SCORES, stressors=["schulden"], today=REF
    )
    log_situation(
        session,
        ew,
        hh.id,
        dt.date(2026, 5, 10),
        **{**SCORES, "bestaanszekerheid": 4},
        stressors=[],
        today=REF,
    )
    ev = evaluate_experiment(session, b.make_user(session, "k", "kiss"), exp.id, REF, n_boot=100)
    assert ev.corner_changes["bestaanszekerheid"].estimate == pytest.approx(3.0)
    assert ev.corner_changes["n_stressoren"].estimate == pytest.approx(-1.0)
    view = household_evaluation(session, ew, hh.id)
    assert view["n_provisions"].tolist() == [0, 1]
    assert view["debt_outstanding"].tolist() == [None, None]  # no schuldstanden: unknown


def test_evaluation_is_refused_for_ervaringswerker(session):
    exp, _, ew = b.team(session)
    session.commit()
    with pytest.raises(AccessDenied):
        evaluate_experiment(session, ew, exp.id, REF)


def test_report_renders_aggregates_without_identities(session):
    exp, coord, ew = b.team(session)
    treated = _treated(session, exp, 6)
    _controls(session, 18, with_provision=6)
    hh0, p0 = treated[0]
    p0.naam = "Anna Jansen"
    for hh, _ in treated:
        log_situation(session, ew, hh.id, dt.date(2026, 2, 10), **SCORES, today=REF)
        log = log_situation(
            session,
            ew,
            hh.id,
            dt.date(2026, 5, 10),
            **{**SCORES, "meedoen": 4},
            stressors=["werk"],
            verhaal="Anna Jansen van de Teststraat 5: eindelijk rust.",
            today=REF,
        )
        if hh.id == hh0.id:
            select_narrative(session, coord, log.id)
    kiss = b.make_user(session, "kiss1", "kiss")
    html = evaluation_report_html(session, kiss, exp.id, REF, n_boot=100)
    assert "Bestaanszekerheid en preventie" in html
    assert (
        "<td>Meedoen</td><td>2,00</td><td>4,00</td><td>2,00</td><td>geen (n &lt; 10)</td><td>6</td>"
        in html
    )
    # provisions: treated +1, controls +6/18 -> effect 0,67 with n 6 and 18
    assert (
        "<td>1,00</td><td>0,33</td><td>0,67</td><td>geen (n &lt; 10)</td><td>6</td><td>18</td>"
        in html
    )
    assert "<td>werk</td><td>0</td><td>6</td>" in html
    assert "eindelijk rust" in html and "[naam]" in html
    assert "Jansen" not in html and "Anna" not in html and "Teststraat" not in html
    assert not any(hh.huishouden_id in html for hh, _ in treated)
    assert "<svg" in html and "cdn" not in html.lower()


def test_report_suppresses_small_counts(session):
    exp, _, _ = b.team(session)
    _treated(session, exp, 3)
    _controls(session, 9)
    html = evaluation_report_html(
        session, b.make_user(session, "k", "kiss"), exp.id, REF, n_boot=50
    )
    assert "deelnemende huishoudens: &lt;5" in html
    assert "onderdrukt (n &lt; 5)" in html and "0,67" not in html


def test_report_only_for_kiss(session):
    exp, coord, _ = b.team(session)
    session.commit()
    with pytest.raises(AccessDenied):
        evaluation_report_html(session, coord, exp.id, REF)


def test_anonymise_removes_streets_and_postcodes():
    text = "Kees (6444 CD) van de Molenweg 3a belt 0612345678"
    assert anonymise(text, ["Kees Peters"], ["Molenweg"]) == (
        "[naam] ([postcode]) van de [adres] belt [nummer]"
    )


def test_planned_experiment_without_households_reports_no_data(session):
    b.team(session)
    exp = b.experiment(session, "jeugd_context")
    html = evaluation_report_html(
        session, b.make_user(session, "k", "kiss"), exp.id, REF, n_boot=50
    )
    assert "Jeugd en context" in html and "nog geen gegevens" in html
    assert "deelnemende huishoudens: 0" in html
