"""Difference-in-differences and mean change on hand-built cases with known answers."""

import pandas as pd
import pytest

from experiments.stats import diff_in_diff, match_controls, mean_change


def test_did_known_answer_with_interval():
    # treated improve by 3 on average, controls by 1: the effect is 2.
    tb = [1, 2, 3, 4, 5] * 4
    ta = [4, 5, 6, 7, 8] * 4
    cb = [2] * 12
    ca = [3] * 12
    r = diff_in_diff(tb, ta, cb, ca, n_boot=500, seed=7)
    assert r.estimate == pytest.approx(2.0)
    assert (r.treated_change, r.control_change) == (pytest.approx(3.0), pytest.approx(1.0))
    assert r.ci_low == pytest.approx(2.0) and r.ci_high == pytest.approx(2.0)
    assert (r.n_treated, r.n_control, r.note) == (20, 12, None)


def test_did_interval_contains_estimate_and_is_seeded():
    tb = list(range(20))
    ta = [v + (v % 3) for v in tb]  # changes 0,1,2 -> mean 0.95
    cb = [0] * 15
    ca = [v % 2 for v in range(15)]  # changes 0/1 -> mean 7/15
    a = diff_in_diff(tb, ta, cb, ca, n_boot=1000, seed=3)
    b = diff_in_diff(tb, ta, cb, ca, n_boot=1000, seed=3)
    assert a == b
    assert a.estimate == pytest.approx(0.95 - 7 / 15)
    assert a.ci_low < a.estimate < a.ci_high


@pytest.mark.parametrize(("nt", "nc"), [(9, 20), (20, 9), (3, 3)])
def test_small_groups_get_no_interval(nt, nc):
    r = diff_in_diff([0] * nt, [2] * nt, [0] * nc, [1] * nc)
    assert r.estimate == pytest.approx(1.0)
    assert r.ci_low is None and r.ci_high is None and not r.has_interval
    assert "minder dan 10" in r.note
    assert (r.n_treated, r.n_control) == (nt, nc)


def test_empty_group_has_no_estimate():
    r = diff_in_diff([1], [2], [], [])
    assert r.estimate is None and "leeg" in r.note


def test_mean_change():
    r = mean_change([1] * 10, [3] * 10)
    assert (r.estimate, r.ci_low, r.ci_high, r.n) == (2.0, 2.0, 2.0, 10)
    assert mean_change([1, 2], [2, 2]).ci_low is None


def test_match_controls_exact_and_without_reuse():
    t = pd.DataFrame({"a": [1, 1, 2], "b": [True, True, False]}, index=[1, 2, 3])
    pool = pd.DataFrame(
        {"a": [1, 1, 1, 2, 3], "b": [True] * 3 + [False, False]}, index=[10, 11, 12, 13, 14]
    )
    pairs = match_controls(t, pool, ["a", "b"], k=2, seed=0)
    assert set(pairs.loc[pairs.treated_id.isin([1, 2]), "control_id"]) == {10, 11, 12}
    assert pairs.loc[pairs.treated_id == 3, "control_id"].tolist() == [13]
    assert pairs["control_id"].is_unique
