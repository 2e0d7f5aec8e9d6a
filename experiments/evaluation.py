"""Evaluation of an experiment: the triangle over time and the effect against a comparison group.

- Per household (:func:`household_evaluation`): the logs with, at each log date,
  the household's active provisions, debt outstanding and regie.
- Per experiment (:func:`evaluate_experiment`): change from baseline (first log)
  to latest log in each corner and in the stressor count, stressors resolved and how
  long stability lasted; and for enrolled vs a matched comparison group (other wijken,
  not enrolled in any experiment, matched exactly on six variables on the enrolment date,
  coarser where no exact match exists: :data:`experiments.outcome_measures.MATCH_LEVELS`,
  with a balance table) the change in the outcomes that matter (:data:`experiments.
  outcomes.OUTCOMES`: debt, open arrears, threatened evictions and disconnections,
  schuldhulp step reached) between the enrolment date and the reference date, as a
  difference-in-differences with a bootstrap interval (:mod:`experiments.stats`); the days
  to an eerste gesprek of schuldhulp after enrolment as a difference of means. Active
  provisions and regie are kept as demoted process measures.
  Debt change is measured from schuldstanden only: households whose debt on either date
  is unknown are left out of that comparison and counted (``debt_unmeasured``).

Comparison households have no stability logs; their outcomes come from
provisions, debts and regie only. Results hold aggregates, never identities.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from experiments.logbook import household_trend
from experiments.models import SCORES, Enrolment, StabilityLog
from experiments.outcome_measures import (
    MATCH_LEVELS,
    balance_table,
    days_to_first_talk,
    stability_days,
    stressors_resolved,
)
from experiments.outcomes import (
    OUTCOMES,
    POST_OUTCOMES,
    PROCESS_MEASURES,
    load_frames,
    profile_on,
)
from experiments.registry import get_experiment
from experiments.stats import (
    ChangeResult,
    DidResult,
    diff_in_diff,
    match_levels,
    mean_change,
)
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.figurecache import cached_figures

__all__ = [
    "DidResult",
    "ChangeResult",
    "diff_in_diff",
    "ExperimentEvaluation",
    "evaluate_experiment",
    "household_evaluation",
    "changes_from_logs",
    "monthly_triangle",
    "MATCH_KEYS",
]

MATCH_KEYS = MATCH_LEVELS[0]
#: The data tables an evaluation reads (households/dataversion.py).
EVALUATION_TABLES = ("bewoning", "debt", "experiment", "experiment_enrolment", "household",
                     "person", "provision", "regie", "schuldstand", "stability_log", "signal",
                     "schuldhulptraject", "schuldhulp_stap")  # fmt: skip
CONTROLS_PER_TREATED = 3


@dataclass
class ExperimentEvaluation:
    """Aggregates only: changes per corner, DiD per outcome, group sizes, monthly means."""

    experiment_id: int
    experiment: str
    reference_date: dt.date
    n_enrolled: int
    n_logged: int
    corner_changes: dict[str, ChangeResult] = field(default_factory=dict)
    did: dict[str, DidResult] = field(default_factory=dict)
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    stressor_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Households (enrolled, comparison) left out of the debt comparison: their debt on the
    # enrolment date or the reference date is unknown (no schuldstanden; see outcomes.py).
    debt_unmeasured: tuple[int, int] = (0, 0)
    # Enrolled households only (no logs in the comparison group): stressors resolved per
    # household and days of stability (experiments/outcome_measures.py).
    treated_only: dict[str, ChangeResult] = field(default_factory=dict)
    # Means, standardized mean differences before and after matching (outcome_measures).
    balance: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Matched pairs per matching level (0 = all six variables).
    match_levels: tuple[int, ...] = ()


def changes_from_logs(logs: pd.DataFrame, n_boot: int = 2000, seed: int = 0) -> dict:
    """Baseline (first log) to latest change per corner, veiligheid and stressor count.

    ``logs`` has ``household_id``, ``datum``, the four scores and ``n_stressoren``;
    households with a single log count with change 0 (baseline is latest).
    """
    cols = [*SCORES, "n_stressoren"]
    if logs.empty:
        return {c: mean_change([], [], n_boot, seed) for c in cols}
    ordered = logs.sort_values(["household_id", "datum"], kind="stable")
    first = ordered.groupby("household_id").first()
    last = ordered.groupby("household_id").last()
    return {c: mean_change(first[c], last[c], n_boot, seed) for c in cols}


def monthly_triangle(logs: pd.DataFrame, min_households: int = 5) -> pd.DataFrame:
    """Mean of each score per month (last log per household per month).

    Months with fewer than ``min_households`` households are left out
    (suppression). Columns: ``maand`` (YYYY-MM), ``score``, ``gemiddelde``, ``n``.
    """
    if logs.empty:
        return pd.DataFrame(columns=["maand", "score", "gemiddelde", "n"])
    frame = logs.copy()
    frame["maand"] = frame["datum"].map(lambda d: f"{d.year:04d}-{d.month:02d}")
    frame = frame.sort_values(["household_id", "datum"]).groupby(["maand", "household_id"]).last()
    grouped = frame.groupby("maand")
    n = grouped.size()
    means = grouped[list(SCORES)].mean()
    means = means[n >= min_households]
    long = means.reset_index().melt(id_vars="maand", var_name="score", value_name="gemiddelde")
    long["n"] = long["maand"].map(n).astype(int)
    return long.sort_values(["maand", "score"]).reset_index(drop=True)


def _stressor_counts(logs: pd.DataFrame) -> pd.DataFrame:
    """Households per stressor at baseline and at the latest log (not yet suppressed)."""
    if logs.empty:
        return pd.DataFrame(columns=["stressor", "baseline", "laatste"])
    ordered = logs.sort_values(["household_id", "datum"], kind="stable")
    first = ordered.groupby("household_id")["stressoren"].first()
    last = ordered.groupby("household_id")["stressoren"].last()
    terms = sorted({t for lst in ordered["stressoren"] for t in (lst or [])})
    return pd.DataFrame(
        {
            "stressor": terms,
            "baseline": [int(sum(t in (x or []) for x in first)) for t in terms],
            "laatste": [int(sum(t in (x or []) for x in last)) for t in terms],
        }
    )


def _enrolled_ids(session: Session) -> set[int]:
    return set(session.scalars(select(Enrolment.household_id)))


def _did_frames(session, exp, enrolments: pd.DataFrame, date: dt.date, seed: int):
    """Before/after outcomes of treated and matched controls (one row per household), the
    balance profiles ``(treated, pool, controls)``, the pairs' matching levels, the
    enrolment date per household (controls: their treated's) and the frames."""
    frames = load_frames(session)
    wijken = {w.lower() for w in exp.wijken}
    excluded = _enrolled_ids(session)
    hh = frames.households
    outside = ~hh["wijk"].str.lower().isin(wijken) & ~hh["household_id"].isin(excluded)
    pool_ids = [int(h) for h in hh.loc[outside, "household_id"]]
    after_all = profile_on(frames, date, set(pool_ids) | set(enrolments["household_id"]))
    treated_rows, control_rows = [], []
    used: set[int] = set()
    prof: dict[str, list] = {"t": [], "p": [], "c": []}
    levels: list[int] = []
    since: dict[int, dt.date] = {}
    for i, (when, group) in enumerate(enrolments.groupby("datum", sort=True)):
        ids = group["household_id"].tolist()
        t_before = profile_on(frames, when, ids)
        pool = profile_on(frames, when, [p for p in pool_ids if p not in used])
        pairs = match_levels(t_before, pool, MATCH_LEVELS, CONTROLS_PER_TREATED, seed + 10 * i)
        used.update(pairs["control_id"])
        levels += [int(n) for n in pairs["niveau"]]
        for hid in ids:
            treated_rows.append((hid, t_before.loc[hid], after_all.loc[hid]))
            since[int(hid)] = when
        for cid in pairs["control_id"]:
            control_rows.append((cid, pool.loc[cid], after_all.loc[cid]))
            since[int(cid)] = when
        prof["t"].append(t_before)
        prof["p"].append(pool)
        prof["c"].append(pool.loc[pairs["control_id"].tolist()])
    groups = tuple(pd.concat(v) if v else pd.DataFrame() for v in prof.values())
    return treated_rows, control_rows, groups, levels, since, frames


def _measured(rows, outcome: str) -> tuple[list[float], list[float]]:
    """Before and after values of the households whose outcome is known on both dates."""
    pairs = [(float(b[outcome]), float(a[outcome])) for _, b, a in rows]
    kept = [(b, a) for b, a in pairs if not (math.isnan(b) or math.isnan(a))]
    return [b for b, _ in kept], [a for _, a in kept]


def evaluate_experiment(
    session: Session, actor: Actor, experiment_id: int, date: dt.date,
    n_boot: int = 2000, seed: int = 0,
) -> ExperimentEvaluation:  # fmt: skip
    """Evaluate an experiment on ``date`` (roles ``kiss`` and ``gbd``; aggregates only)."""
    authorize(session, actor, "experiment_evalueren")
    exp = get_experiment(session, experiment_id)
    result = cached_figures(
        session, "evaluatie", (experiment_id, date.isoformat(), n_boot, seed),
        lambda s: _evaluate(s, exp, date, n_boot, seed), EVALUATION_TABLES,
    )  # fmt: skip
    audit.record(
        session, actor, audit.Event.EXPERIMENT_EVALUEREN, "experiment", experiment_id,
        doel=f"peildatum {date.isoformat()}",
    )  # fmt: skip
    return result


def _evaluate(session: Session, exp, date: dt.date, n_boot: int, seed: int):
    """The evaluation's aggregates (the caller checked access and writes the audit row)."""
    experiment_id = exp.id
    enr = pd.DataFrame(
        session.execute(
            select(Enrolment.household_id, Enrolment.datum).where(
                Enrolment.experiment_id == experiment_id, Enrolment.datum <= date
            )
        ).all(),
        columns=["household_id", "datum"],
    )
    logs = pd.DataFrame(
        session.execute(
            select(
                StabilityLog.household_id, StabilityLog.datum,
                *(getattr(StabilityLog, s) for s in SCORES), StabilityLog.stressoren,
            ).where(StabilityLog.experiment_id == experiment_id, StabilityLog.datum <= date)
        ).all(),
        columns=["household_id", "datum", *SCORES, "stressoren"],
    )  # fmt: skip
    logs["n_stressoren"] = logs["stressoren"].map(lambda x: len(x or []))
    result = ExperimentEvaluation(
        experiment_id, exp.naam, date, len(enr), int(logs["household_id"].nunique())
    )
    result.corner_changes = changes_from_logs(logs, n_boot, seed)
    result.monthly = monthly_triangle(logs)
    result.stressor_counts = _stressor_counts(logs)
    resolved = stressors_resolved(logs)
    stable = stability_days(logs)
    result.treated_only = {
        "stressoren_opgelost": mean_change([0.0] * len(resolved), resolved, n_boot, seed),
        "stabiel_dagen": mean_change([0.0] * len(stable), stable, n_boot, seed),
    }
    if not len(enr):
        for outcome in [*OUTCOMES, *POST_OUTCOMES, *PROCESS_MEASURES]:
            result.did[outcome] = diff_in_diff([], [], [], [])
        return result
    treated, controls, groups, levels, since, frames = _did_frames(session, exp, enr, date, seed)
    result.balance = balance_table(*groups)
    result.match_levels = tuple(levels.count(n) for n in range(len(MATCH_LEVELS)))
    for outcome in [*OUTCOMES, *PROCESS_MEASURES]:
        tb, ta = _measured(treated, outcome)
        cb, ca = _measured(controls, outcome)
        result.did[outcome] = diff_in_diff(tb, ta, cb, ca, n_boot=n_boot, seed=seed)
    days = days_to_first_talk(frames.trajectories, since, date)
    td = [days[h] for h, _, _ in treated if h in days]
    cd = [days[h] for h, _, _ in controls if h in days]
    # A post-period outcome: the "before" is 0, so the estimate is the difference of means.
    result.did["dagen_eerste_gesprek"] = diff_in_diff([0.0] * len(td), td, [0.0] * len(cd), cd,
                                                      n_boot=n_boot, seed=seed)  # fmt: skip
    result.debt_unmeasured = (
        len(treated) - len(_measured(treated, "debt_outstanding")[0]),
        len(controls) - len(_measured(controls, "debt_outstanding")[0]),
    )
    return result


def household_evaluation(session: Session, actor: Actor, household_id: int) -> pd.DataFrame:
    """The household's triangle over time with provisions, debt and regie at each log date.

    ``debt_outstanding`` is None on a log date on which the debt is unknown (no schuldstand).
    """
    require_household_access(session, actor, household_id, audit.Event.HUISHOUDEN_EVALUEREN)
    trend = household_trend(session, actor, household_id)
    if trend.empty:
        return trend.assign(n_provisions=[], debt_outstanding=[], regie=[])
    frames = load_frames(session, [household_id])
    rows = []
    for d in trend["datum"]:
        p = profile_on(frames, d, [household_id]).iloc[0]
        debt = float(p["debt_outstanding"])
        rows.append((int(p["n_provisions"]), None if math.isnan(debt) else debt, int(p["regie"])))
    # debt_outstanding is None on a date without schuldstanden (unknown, not 0).
    extra = pd.DataFrame(rows, columns=["n_provisions", "debt_outstanding", "regie"], dtype=object)
    return pd.concat([trend.reset_index(drop=True), extra], axis=1)
