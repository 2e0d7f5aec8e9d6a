"""KISS sees the schuldhulp pipeline per quarter and wijk, protected (issue 15, DESIGN 4.6).

The layout follows the quarterly report of the sociale dienst (003 §1.7, "Schuldhulp-
verlening 1e kwartaal"): aanmeldingen (here by source), of those *zonder vervolg* (ended
before an eerste gesprek), *intake* (eerste gesprek held) and still waiting; crisis
aanmeldingen; the waiting time aanmelding → eerste gesprek against the norm (share within
the norm against the target share, households/norms.py); started products per step;
running trajectories by step at the quarter's end; budgetbeheer re-assessments due (18
months, the norm ``shv_herbeoordeling_budgetbeheer``); ended trajectories by reason.

Counting rules (one home; :mod:`coordination.shv_read` for "on D"): a quarter counts
trajectories with their aanmelding in the quarter (the cohort rows) or events dated in it,
each measured at the quarter's end. Only complete quarters are published, so two requests
a day apart cannot be differenced.

Protection: every count of the year (4 quarters x rows x wijken and Totaal) goes through
:func:`coordination.suppression.suppress_checked` together with every relation a reader
knows: wijk cells sum to the Totaal, sources sum to the aanmeldingen, zonder vervolg +
intake + wachtend = aanmeldingen, reasons sum to beëindigd, steps sum to lopend, a part is
at most its whole (crisis, binnen de norm, herbeoordeling, zonder vervolg <= beëindigd) and
between consecutive quarters lopend(q) + beëindigd(q) = lopend(q-1) + aanmeldingen(q). When
the audit does not pass, the wijk columns are left out; when that fails too, nothing is
shown (``withheld``). A mean waiting time is shown only for 5 or more intakes, a share only
where its two counts are published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.shv_read import SHV_TABLES, open_on, reached_by, step_on, trajectory_frames
from coordination.shv_rules import (
    NORM_BUDGET_REVIEW,
    NORM_CRISIS,
    NORM_FIRST_CONVERSATION,
    STEP_LABELS,
    deadline_of,
    running_norm,
)
from coordination.shvmodels import END_REASONS, SHV_SOURCES, SHV_STEPS
from coordination.suppression import TOTAL, is_hidden, suppress_checked, too_small, withhold
from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import InvalidInput
from households.figurecache import cached_figures
from households.models import Household
from households.norms import NORMS, norm_days, norm_target

__all__ = [
    "ROWS", "WIJK_ROWS", "PUBLISHED_YEARS", "PipelineFigures", "published_years", "quarter_bounds",
    "first_talk_within_norm", "pipeline_counts", "pipeline_relations", "shv_pipeline",
]  # fmt: skip

SOURCE_LABELS = {"zelf": "zelf", "signaal": "na een signaal", "gbd": "door de GBD-er",
                 "partner": "door een partner"}  # fmt: skip
END_LABELS = {
    "schuldenvrij": "schuldenvrij", "regeling_afgerond": "regeling afgerond",
    "stabiel_zonder_regeling": "stabiel zonder regeling", "geen_vervolg": "geen vervolg",
    "uitgevallen": "uitgevallen", "afgewezen": "afgewezen", "verhuisd": "verhuisd",
    "overleden": "overleden", "doorverwezen": "doorverwezen",
}  # fmt: skip
STARTED = SHV_STEPS[2:-1]  # plan van aanpak .. nazorg: the "gestarte producten"
RUNNING = SHV_STEPS[:-1]  # every step but beëindigd
#: Row key -> Dutch label, in the quarterly report's order.
ROWS: dict[str, str] = {
    "aanmeldingen": "Aanmeldingen",
    **{f"bron_{s}": f"  aangemeld {SOURCE_LABELS[s]}" for s in SHV_SOURCES},
    "crisis": "  waarvan crisis (dreigende ontruiming of afsluiting)",
    "zonder_vervolg": "Zonder vervolg (beëindigd vóór een eerste gesprek)",
    "intake": "Intake (eerste gesprek gehouden)",
    "wachtend": "Wacht nog op een eerste gesprek",
    "binnen_norm": "  eerste gesprek binnen de norm",
    **{f"gestart_{s}": f"Gestart: {STEP_LABELS[s].lower()}" for s in STARTED},
    "lopend": "Lopende trajecten aan het eind van het kwartaal",
    **{f"lopend_{s}": f"  in stap {STEP_LABELS[s].lower()}" for s in RUNNING},
    "herbeoordeling": "Herbeoordeling budgetbeheer verschuldigd",
    "beeindigd": "Beëindigd",
    **{f"einde_{r}": f"  {END_LABELS[r]}" for r in END_REASONS},
}


#: The rows published per wijk; the breakdowns by source, step and reason only for the
#: whole gemeente (per wijk they are mostly cells of 1 to 4 that protection would hide, and
#: every extra cell makes the protection of the three years slower).
WIJK_ROWS = ("aanmeldingen", "crisis", "zonder_vervolg", "intake", "wachtend", "binnen_norm",
             "lopend", "beeindigd")  # fmt: skip


def quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    """First and last day of quarter ``q`` of ``year``.

    >>> quarter_bounds(2026, 4)
    (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    """
    start = dt.date(year, 3 * q - 2, 1)
    nxt = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def first_talk_within_norm(aangemeld: dt.date, gesprek: dt.date, days: int, werkdagen: bool):
    """Whether an eerste gesprek on ``gesprek`` met a norm of ``days`` (working days or not).

    >>> first_talk_within_norm(dt.date(2026, 1, 5), dt.date(2026, 1, 19), 14, False)
    True
    >>> first_talk_within_norm(dt.date(2026, 12, 23), dt.date(2026, 12, 29), 3, True)
    True
    """
    return gesprek <= deadline_of(aangemeld, days, werkdagen)  # the norm's one deadline rule


def _norms(session: Session) -> dict:
    return {n: (norm_days(session, n), NORMS[n].werkdagen)
            for n in (NORM_FIRST_CONVERSATION, NORM_CRISIS, NORM_BUDGET_REVIEW)}  # fmt: skip


def _dated(value) -> bool:
    return value is not None and value == value  # None and NaN (pandas) are "no date"


def pipeline_counts(trajectories, steps, start: dt.date, end: dt.date, norms: dict) -> dict:
    """Unprotected counts of one quarter ``start..end`` for the given trajectories (row -> n),
    plus ``wachtdagen`` (the waiting days of the intakes, a list)."""
    t = trajectories
    out = dict.fromkeys(ROWS, 0)
    in_q = t["aangemeld_op"].map(lambda d: start <= d <= end).astype(bool)
    cohort = t[in_q]
    out["aanmeldingen"] = len(cohort)
    for s in SHV_SOURCES:
        out[f"bron_{s}"] = int((cohort["bron"] == s).sum())
    out["crisis"] = int(cohort["crisis"].sum())
    waits = []
    for r in cohort.itertuples():
        talk = r.eerste_gesprek_op
        if _dated(talk) and talk <= end:
            out["intake"] += 1
            waits.append((talk - r.aangemeld_op).days)
            days, work = norms[running_norm("aanmelding", bool(r.crisis))]
            out["binnen_norm"] += first_talk_within_norm(r.aangemeld_op, talk, days, work)
        elif _dated(r.beeindigd_op) and r.beeindigd_op <= end:
            out["zonder_vervolg"] += 1
        else:
            out["wachtend"] += 1
    ids = set(t["traject_id"])
    when = steps["datum"].map(lambda d: start <= d <= end).astype(bool)  # once per quarter
    for s in STARTED:
        hit = steps[(steps["stap"] == s) & when]
        out[f"gestart_{s}"] = int(hit.loc[hit["traject_id"].isin(ids), "traject_id"].nunique())
    running = t[open_on(t, end)]
    now = step_on(running, steps, end)
    out["lopend"] = len(running)
    for s in RUNNING:
        out[f"lopend_{s}"] = int((now == s).sum())
    review_days, review_workdays = norms[running_norm("budgetbeheer", False)]
    since = reached_by(steps, "budgetbeheer", end)
    in_budget = running.loc[now == "budgetbeheer", "traject_id"]
    out["herbeoordeling"] = sum(
        1 for tid in in_budget if deadline_of(since[tid], review_days, review_workdays) <= end
    )
    ended = t[t["beeindigd_op"].map(lambda d: _dated(d) and start <= d <= end).astype(bool)]
    out["beeindigd"] = len(ended)
    for r in END_REASONS:
        out[f"einde_{r}"] = int((ended["reden_einde"] == r).sum())
    out["wachtdagen"] = waits
    return out


def pipeline_relations(quarters: list[str], columns: list[str]):
    """``(equations, inequalities)`` over cells keyed ``(quarter, row, column)``; a relation
    that names a row a wijk column does not publish (:data:`WIJK_ROWS`) is left out."""
    eqs, ineqs = _all_relations(quarters, columns)

    def has(key) -> bool:
        return key[2] == TOTAL or key[1] in WIJK_ROWS

    eqs = [(t, m) for t, m in eqs if has(t) and all(map(has, m))]
    ineqs = [(a, b) for a, b in ineqs if all(map(has, a)) and all(map(has, b))]
    return eqs, ineqs


def _all_relations(quarters: list[str], columns: list[str]):
    eqs, ineqs = [], []
    wijken = [c for c in columns if c != TOTAL]
    for q in quarters:
        for row in ROWS:
            if wijken:
                eqs.append(((q, row, TOTAL), [(q, row, w) for w in wijken]))
        for c in columns:
            k = lambda row, q=q, c=c: (q, row, c)  # noqa: E731
            eqs.append((k("aanmeldingen"), [k(f"bron_{s}") for s in SHV_SOURCES]))
            eqs.append((k("aanmeldingen"), [k("zonder_vervolg"), k("intake"), k("wachtend")]))
            eqs.append((k("beeindigd"), [k(f"einde_{r}") for r in END_REASONS]))
            eqs.append((k("lopend"), [k(f"lopend_{s}") for s in RUNNING]))
            ineqs += [([k("crisis")], [k("aanmeldingen")]), ([k("binnen_norm")], [k("intake")]),
                      ([k("herbeoordeling")], [k("lopend_budgetbeheer")]),
                      ([k("zonder_vervolg")], [k("beeindigd")])]  # fmt: skip
    for prev, q in zip(quarters, quarters[1:], strict=False):
        for c in columns:
            left = [(q, "lopend", c), (q, "beeindigd", c)]
            right = [(prev, "lopend", c), (q, "aanmeldingen", c)]
            ineqs += [(left, right), (right, left)]
    return eqs, ineqs


@dataclass(frozen=True)
class PipelineFigures:
    """The protected pipeline of one year: ``cellen[(kwartaal, rij, kolom)]`` is an int,
    ``"<5"`` or ``"x"``; ``wachttijd[(kwartaal, kolom)]`` the mean days or None;
    ``aandeel[(kwartaal, kolom)]`` the share within the norm or None."""

    jaar: int
    kwartalen: tuple[str, ...]
    kolommen: tuple[str, ...]
    cellen: dict
    wachttijd: dict
    aandeel: dict
    norm_dagen: int
    norm_doel_pct: int | None
    crisis_werkdagen: int
    herbeoordeling_dagen: int
    withheld: str | None


#: The years KISS can look at (this year and the two before), protected one after the other:
#: the running stock links the last quarter of a year to the first of the next, so a year is
#: protected together with the stock the year before already published or hid.
PUBLISHED_YEARS = 3


def published_years(today: dt.date) -> list[int]:
    """The years the pipeline publishes, newest first."""
    return [today.year - k for k in range(PUBLISHED_YEARS)]


def _year_cells(t, steps, wijken, norms, year: int, today: dt.date):
    quarters, raw, waits = [], {}, {}
    for q in range(1, 5):
        start, end = quarter_bounds(year, q)
        if end >= today:
            break
        label = f"{year}-K{q}"
        quarters.append(label)
        for col in [*wijken, TOTAL]:
            part = t if col == TOTAL else t[t["wijk"] == col]
            counts = pipeline_counts(part, steps, start, end, norms)
            waits[(label, col)] = counts.pop("wachtdagen")
            raw.update({(label, row, col): n for row, n in counts.items()
                        if col == TOTAL or row in WIJK_ROWS})  # fmt: skip
    return quarters, raw, waits


def _protect_year(quarters, raw, columns, before):
    """Protect one year's cells with the stock of the quarter before (``before``: its raw
    values and published cells, or None): that stock keeps the state it was published in."""
    cells, fixed_out, fixed_hidden, chain = dict(raw), set(), set(), list(quarters)
    if before is not None:
        prev_raw, prev_cells, prev_q = before
        for col in columns:
            key = (prev_q, "lopend", col)
            if key in prev_raw and key in prev_cells:
                cells[key] = prev_raw[key]
                (fixed_hidden if is_hidden(prev_cells[key]) else fixed_out).add(key)
        chain = [prev_q, *quarters]
    eqs, ineqs = pipeline_relations(chain, columns)
    known = set(cells)
    eqs = [(a, m) for a, m in eqs if a in known and set(m) <= known]
    ineqs = [(a, b) for a, b in ineqs if set(a) <= known and set(b) <= known]
    out, ok = suppress_checked(cells, eqs, ineqs, fixed_out, fixed_hidden)
    return {k: v for k, v in out.items() if k in raw}, ok


def _totals_hidden(cells: dict, quarters) -> bool:
    """Whether protecting the wijk columns hid a gemeente total of the main flow."""
    main = ("aanmeldingen", "intake", "binnen_norm", "lopend")
    return any(is_hidden(cells[(q, r, TOTAL)]) for q in quarters for r in main)


def _compute(session: Session, today: dt.date) -> dict[int, PipelineFigures]:
    """Every complete quarter of the published years, oldest year first, each protected
    with the stock the year before published (:func:`_protect_year`)."""
    t, steps = trajectory_frames(session)
    wijken = sorted({str(w) for w in session.scalars(select(Household.wijk).distinct())})
    norms = _norms(session)
    out: dict[int, PipelineFigures] = {}
    before = None
    for year in sorted(published_years(today)):
        quarters, raw, waits = _year_cells(t, steps, wijken, norms, year, today)
        columns = [*wijken, TOTAL]
        cells, ok = _protect_year(quarters, raw, columns, before)
        withheld = None
        if not ok or _totals_hidden(cells, quarters):  # per wijk would cost the totals
            columns = [TOTAL]
            raw = {k: v for k, v in raw.items() if k[2] == TOTAL}
            cells, ok = _protect_year(quarters, raw, columns, before)
            withheld = "by_wijk" if ok else "all"
            cells = cells if ok else withhold(raw)
        wait, share = {}, {}
        for q in quarters:
            for col in columns:
                w = waits[(q, col)]
                wait[(q, col)] = None if too_small(len(w)) else round(sum(w) / len(w), 1)
                within, total = cells[(q, "binnen_norm", col)], cells[(q, "intake", col)]
                share[(q, col)] = (None if is_hidden(within) or is_hidden(total) or not total
                                   else round(within / total, 3))  # fmt: skip
        out[year] = PipelineFigures(
            year, tuple(quarters), tuple(columns), cells, wait, share,
            norms[NORM_FIRST_CONVERSATION][0], norm_target(session, NORM_FIRST_CONVERSATION),
            norms[NORM_CRISIS][0], norms[NORM_BUDGET_REVIEW][0], withheld,
        )  # fmt: skip
        before = (raw, cells, quarters[-1]) if quarters else None
    return out


def shv_pipeline(
    session: Session, actor: Actor, year: int, today: dt.date | None = None
) -> PipelineFigures:
    """The protected schuldhulp pipeline of ``year``'s complete quarters (role ``kiss``), a
    year of :func:`published_years` (protected together with the others)."""
    authorize(session, actor, "shv_pipeline_inzien")
    today = today or dt.date.today()
    if year not in published_years(today):
        raise InvalidInput(
            f"Kies een jaar van {min(published_years(today))} tot en met {today.year}."
        )
    years = cached_figures(session, "shv_pijplijn", (today.isoformat(),),
                           lambda s: _compute(s, today), SHV_TABLES)  # fmt: skip
    result = years[year]
    audit.record(session, actor, audit.Event.SHV_PIJPLIJN_INZIEN, "overzicht", str(year),
                 doel="stuurinformatie")  # fmt: skip
    return result


def pipeline_table(fig: PipelineFigures, kwartaal: str) -> pd.DataFrame:
    """One quarter as the report's table: rows in the report's order, a column per wijk."""
    data = {c: [fig.cellen.get((kwartaal, r, c), "") for r in ROWS] for c in fig.kolommen}
    return pd.DataFrame(data, index=list(ROWS.values()), dtype=object)
