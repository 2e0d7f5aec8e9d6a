"""Sections of the evaluation report added for bestaanszekerheid (issue 15), as display frames.

- :func:`balance_frame`: the balance table of the matching (means and standardized mean
  differences before and after matching; a mean only for groups of 5 or more);
- :func:`process_frame`: the demoted process measures (regie, active provisions);
- :func:`treated_only_frame`: stressors resolved and days of stability (enrolled only);
- :func:`lessons_and_bottlenecks`: the experiment's lessons and systeemknelpunten,
  without author or household, scrubbed like the narratives
  (:func:`experiments.report.anonymise`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.loopmodels import BlockingRule, SystemBottleneck
from coordination.suppression import count_text, too_small
from experiments.models import Lesson
from experiments.outcome_measures import MATCH_LEVELS, MATCH_VARIABLES
from households.formatting import number

__all__ = [
    "BALANCE_COLUMNS", "balance_frame", "match_note", "treated_only_frame",
    "lessons_and_bottlenecks", "TREATED_ONLY",
]  # fmt: skip

BALANCE_COLUMNS = ["Variabele", "Deelnemers", "Alle kandidaten", "Vergelijkingsgroep",
                   "SMD vóór matching", "SMD na matching"]  # fmt: skip
TREATED_ONLY = {
    "stressoren_opgelost": "Opgeloste stressoren per huishouden (aantal)",
    "stabiel_dagen": "Duur van stabiliteit: alle hoeken 3 of hoger (dagen)",
}


def _mean(value, n: int) -> str:
    if value is None or value != value or too_small(n):
        return "—"
    return number(float(value), 2)


def _smd(value) -> str:
    return "—" if value is None or value != value else number(float(value), 2)


def balance_frame(balance: pd.DataFrame) -> pd.DataFrame:
    """The balance table for display (Dutch decimals; means hidden for groups under 5)."""
    if balance.empty:
        return pd.DataFrame(columns=BALANCE_COLUMNS)
    rows = []
    for r in balance.itertuples():
        small = too_small(int(r.n_deelnemers)) or too_small(int(r.n_vergelijking))
        rows.append([
            r.variabele, _mean(r.deelnemers, r.n_deelnemers), _mean(r.kandidaten, r.n_kandidaten),
            _mean(r.vergelijking, r.n_vergelijking),
            "—" if small else _smd(r.smd_voor), "—" if small else _smd(r.smd_na),
        ])  # fmt: skip
    return pd.DataFrame(rows, columns=BALANCE_COLUMNS)


def match_note(levels: tuple[int, ...]) -> str:
    """How the comparison households were matched, with the pairs per level (protected)."""
    names = [v[0].lower() + v[1:] for v in MATCH_VARIABLES.values()]
    text = (
        f"Gematcht op {len(names)} kenmerken op de inschrijfdatum: {', '.join(names)}. "
        "Zonder exacte match op alle zes: op de eerste vier, daarna op de eerste drie."
    )
    if levels:
        parts = [f"{count_text(n)} op {len(MATCH_LEVELS[i])} kenmerken"
                 for i, n in enumerate(levels)]  # fmt: skip
        text += " Paren: " + ", ".join(parts) + "."
    return text


def treated_only_frame(results: dict) -> pd.DataFrame:
    """Stressors resolved and days of stability of the enrolled households."""
    rows = []
    for key, label in TREATED_ONLY.items():
        r = results.get(key)
        if r is None or too_small(r.n):
            rows.append([label, "—", "—", count_text(r.n if r else 0)])
            continue
        interval = ("geen (n < 10)" if r.ci_low is None
                    else f"{number(r.ci_low, 1)} tot {number(r.ci_high, 1)}")  # fmt: skip
        rows.append([label, number(r.estimate, 1), interval, count_text(r.n)])
    return pd.DataFrame(rows, columns=["Uitkomst", "Gemiddelde", "95%-interval", "Huishoudens"])


def lessons_and_bottlenecks(session: Session, experiment_id: int, date: dt.date, scrub):
    """``(lessons, bottlenecks)`` of the experiment up to ``date``, scrubbed by ``scrub``:
    lessons as ``(datum, les, verandering werkwijze)``, knelpunten as ``(datum, regel,
    omschrijving)``; never who wrote them."""
    lessons = session.execute(
        select(Lesson.datum, Lesson.les, Lesson.verandering_werkwijze)
        .where(Lesson.experiment_id == experiment_id, Lesson.datum <= date)
        .order_by(Lesson.datum, Lesson.id)
    ).all()
    knelpunten = session.execute(
        select(SystemBottleneck.datum, BlockingRule.naam, SystemBottleneck.omschrijving)
        .outerjoin(BlockingRule, BlockingRule.id == SystemBottleneck.regel_id)
        .where(SystemBottleneck.experiment_id == experiment_id, SystemBottleneck.datum <= date)
        .order_by(SystemBottleneck.datum, SystemBottleneck.id)
    ).all()
    return (
        [(d, scrub(les or ""), scrub(change) if change else None) for d, les, change in lessons],
        [(d, regel or "—", scrub(text or "")) for d, regel, text in knelpunten],
    )
