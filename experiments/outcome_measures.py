"""Measures of the bestaanszekerheid evaluation beyond the before/after profile (issue 15).

- :data:`MATCH_VARIABLES` and :data:`MATCH_LEVELS`: the comparison households are matched
  exactly on six variables on the enrolment date (the stacking profile: number of domains
  and debt yes/no; household size band; an active Participatiewet benefit; an open arrears
  signal; an open schuldhulp trajectory); a household without any exact match is matched on
  the first four, then on the first three (coarsened matching, :func:`experiments.stats.
  match_levels`).
- :func:`balance_table`: means of the enrolled, all candidates and the matched comparison
  group, with the standardized mean difference before and after matching.
- :func:`days_to_first_talk`: days from aanmelding to the eerste gesprek of schuldhulp
  trajectories registered after the enrolment date (both groups; a post-period outcome).
- :func:`stressors_resolved`, :func:`stability_days`: from the stability logs (enrolled
  households only: the comparison group has no logs).

Pure functions on frames; the evaluation protects what it publishes.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from experiments.stats import smd

__all__ = [
    "MATCH_VARIABLES", "MATCH_LEVELS", "BALANCE_VARIABLES", "balance_table",
    "days_to_first_talk", "stressors_resolved", "stability_days", "STABLE_FROM",
]  # fmt: skip

#: Matching key -> Dutch label (the balance table's rows).
MATCH_VARIABLES = {
    "n_domains": "Aantal domeinen met een voorziening",
    "has_debt": "Schuld (ja/nee)",
    "size_band": "Huishoudgrootte (klasse)",
    "benefit": "Bijstand of IOAW (ja/nee)",
    "arrears_any": "Open betalingsachterstand (ja/nee)",
    "in_shv": "In schuldhulp (ja/nee)",
}
MATCH_LEVELS = [list(MATCH_VARIABLES), list(MATCH_VARIABLES)[:4], list(MATCH_VARIABLES)[:3]]
#: Balance rows: the matching variables (size as persons) and two not matched on.
BALANCE_VARIABLES = {
    **{k: v for k, v in MATCH_VARIABLES.items() if k != "size_band"},
    "n_persons": "Aantal personen",
    "debt_outstanding": "Openstaande schuld (€, niet gematcht)",
    "n_provisions": "Actieve voorzieningen (niet gematcht)",
}
#: A stability log is "stable" when every corner and veiligheid scores at least this.
STABLE_FROM = 3


def _values(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col], errors="coerce").astype(float).dropna()


def balance_table(treated: pd.DataFrame, pool: pd.DataFrame, controls: pd.DataFrame):
    """Rows ``variabele``, ``deelnemers``, ``kandidaten``, ``vergelijking`` (means),
    ``smd_voor``, ``smd_na``, and the group sizes ``n_deelnemers``, ``n_kandidaten``,
    ``n_vergelijking`` (profiles on the enrolment date, one row per household)."""
    rows = []
    for key, label in BALANCE_VARIABLES.items():
        t, p, c = (_values(f, key) if len(f) else pd.Series(dtype=float)
                   for f in (treated, pool, controls))  # fmt: skip
        rows.append({
            "variabele": label,
            "deelnemers": t.mean() if len(t) else None,
            "kandidaten": p.mean() if len(p) else None,
            "vergelijking": c.mean() if len(c) else None,
            "smd_voor": smd(t, p), "smd_na": smd(t, c),
        })  # fmt: skip
    frame = pd.DataFrame(rows)
    return frame.assign(n_deelnemers=len(treated), n_kandidaten=len(pool),
                        n_vergelijking=len(controls))  # fmt: skip


def days_to_first_talk(trajectories: pd.DataFrame, since: dict[int, dt.date], until: dt.date):
    """Household -> mean days aanmelding → eerste gesprek over its trajectories registered
    after ``since[household]`` and spoken to by ``until`` (households without: absent)."""
    if trajectories.empty:
        return {}
    out: dict[int, list[int]] = {}
    for r in trajectories.itertuples():
        start = since.get(int(r.household_id))
        talk = r.eerste_gesprek_op
        if start is None or talk is None or talk != talk:
            continue
        if start < r.aangemeld_op and talk <= until:
            out.setdefault(int(r.household_id), []).append((talk - r.aangemeld_op).days)
    return {h: sum(v) / len(v) for h, v in out.items()}


def stressors_resolved(logs: pd.DataFrame) -> pd.Series:
    """Per household: stressors at its first log that are gone at its latest log."""
    if logs.empty:
        return pd.Series(dtype=float)
    ordered = logs.sort_values(["household_id", "datum"], kind="stable")
    first = ordered.groupby("household_id")["stressoren"].first()
    last = ordered.groupby("household_id")["stressoren"].last()
    return pd.Series({h: float(len(set(first[h] or []) - set(last[h] or []))) for h in first.index})


def stability_days(logs: pd.DataFrame, scores=("bestaanszekerheid", "zorgcontinuiteit",
                                               "meedoen", "veiligheid")) -> pd.Series:  # fmt: skip
    """Per household with a stable log: days from its first stable log (every score at least
    :data:`STABLE_FROM`) to the first later log that is not stable, or to its latest log."""
    if logs.empty:
        return pd.Series(dtype=float)
    out = {}
    for hid, group in logs.sort_values(["household_id", "datum"], kind="stable").groupby(
        "household_id"
    ):
        stable = (group[list(scores)] >= STABLE_FROM).all(axis=1).tolist()
        dates = group["datum"].tolist()
        if True not in stable:
            continue
        i = stable.index(True)
        j = next((n for n in range(i + 1, len(stable)) if not stable[n]), None)
        end = dates[j] if j is not None else dates[-1]
        out[hid] = float((end - dates[i]).days)
    return pd.Series(out, dtype=float)
