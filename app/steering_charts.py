"""Charts of the steering page (Doelen en middelen): pure functions of protected values.

Each chart has one unit per axis: a goal's chart the indicator's unit (households or
percent), the money charts euros. Hidden values are left out, never drawn as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from app.charts import dutch
from app.format import date, euro

__all__ = ["UNIT_TITLES", "amounts_chart", "amounts_summary", "budget_chart", "goal_chart",
           "goal_frame", "goal_summary"]  # fmt: skip

UNIT_TITLES = {"huishoudens": "Huishoudens", "%": "Procent van de hulpvragen"}
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_SERIES = {"gemeten": "gemeten", "pad": "gepland pad", "doel": "tussendoel en doel"}


def goal_frame(reeks: Sequence, pad: Sequence, tussendoelen: Sequence) -> pd.DataFrame:
    """Rows ``datum, reeks, waarde``: measured points, the planned path, the targets.

    >>> import datetime as dt
    >>> from coordination.indicators import Point
    >>> f = goal_frame([Point(dt.date(2025, 3, 31), 5.0, "5"), Point(dt.date(2025, 6, 30),
    ...                 None, "x")], [(dt.date(2025, 3, 31), 5.0), (dt.date(2025, 12, 31),
    ...                 2.5)], [])
    >>> f["reeks"].tolist(), f["waarde"].tolist()
    (['gemeten', 'gepland pad', 'gepland pad', 'tussendoel en doel'], [5.0, 5.0, 2.5, 2.5])
    """
    rows = [{"datum": p.datum, "reeks": _SERIES["gemeten"], "waarde": p.waarde}
            for p in reeks if p.waarde is not None]  # fmt: skip
    rows += [{"datum": d, "reeks": _SERIES["pad"], "waarde": v} for d, v in pad]
    targets = [(m.datum, m.doel) for m in tussendoelen if m.doel is not None]
    if pad:
        targets.append(pad[-1])
    rows += [{"datum": d, "reeks": _SERIES["doel"], "waarde": v} for d, v in targets]
    df = pd.DataFrame(rows, columns=["datum", "reeks", "waarde"])
    df["datum"] = pd.to_datetime(df["datum"])
    return df


def goal_chart(progress) -> alt.LayerChart:
    """The measured values against the planned path, tussendoelen and target of one goal."""
    df = goal_frame(progress.reeks, progress.pad, progress.tussendoelen)
    unit = UNIT_TITLES.get(progress.eenheid, progress.eenheid)
    base = alt.Chart(df).encode(
        x=alt.X("datum:T", title="Datum"), y=alt.Y("waarde:Q", title=unit),
        color=alt.Color("reeks:N", title=None, sort=list(_SERIES.values())),
        tooltip=[alt.Tooltip("reeks:N", title="Reeks"),
                 alt.Tooltip("datum:T", title="Datum", format="%d-%m-%Y"),
                 alt.Tooltip("waarde:Q", title=unit, format=",.1f")],
    )  # fmt: skip
    measured = base.transform_filter(alt.datum.reeks == _SERIES["gemeten"]).mark_line(point=True)
    path = base.transform_filter(alt.datum.reeks == _SERIES["pad"]).mark_line(strokeDash=[6, 4])
    marks = base.transform_filter(alt.datum.reeks == _SERIES["doel"]).mark_point(
        shape="diamond", size=90, filled=True)  # fmt: skip
    return dutch(alt.layer(path, measured, marks).properties(height=260))


def budget_chart(budget: float, months: Sequence) -> alt.LayerChart:
    """Bars: spent per month (shown months); line: cumulative use; rule: the year's budget."""
    rows = [{"maand": m.maand, "besteed": None if m.besteed is None else float(m.besteed),
             "cumulatief": None if m.cumulatief is None else float(m.cumulatief)}
            for m in months]  # fmt: skip
    df = pd.DataFrame(rows, columns=["maand", "besteed", "cumulatief"])
    df["maand"] = [f"{MONTHS[m.month - 1]} {m.year}" for m in df["maand"]]
    x = alt.X("maand:O", title="Maand", sort=list(df["maand"]), axis=alt.Axis(labelAngle=0))
    euros = alt.Y("besteed:Q", title="Euro")
    tips = [alt.Tooltip("maand:O", title="Maand"),
            alt.Tooltip("besteed:Q", title="Besteed (€)", format=",.0f")]  # fmt: skip
    bars = alt.Chart(df).mark_bar(opacity=0.6).encode(x=x, y=euros, tooltip=tips)
    line = alt.Chart(df.dropna(subset=["cumulatief"])).mark_line(point=True, color="#1f3a5f")\
        .encode(x=x, y=alt.Y("cumulatief:Q", title="Euro"),
                tooltip=[alt.Tooltip("cumulatief:Q", title="Totaal besteed (€)",
                                     format=",.0f")])  # fmt: skip
    rule = alt.Chart(pd.DataFrame({"budget": [float(budget)]})).mark_rule(
        color="#e45756", strokeDash=[4, 4]).encode(y=alt.Y("budget:Q", title="Euro"))  # fmt: skip
    return dutch(alt.layer(bars, line, rule).properties(height=260))


def amounts_chart(amounts: Mapping[str, float | None], title: str) -> alt.Chart:
    """Horizontal bars of amounts per group (euros); hidden amounts show as "niet getoond"."""
    rows = [{"groep": g, "bedrag": v, "label": "niet getoond" if v is None else euro(v, 0)}
            for g, v in amounts.items()]  # fmt: skip
    df = pd.DataFrame(rows, columns=["groep", "bedrag", "label"])
    return dutch(
        alt.Chart(df).mark_bar(color="#4c78a8")
        .encode(y=alt.Y("groep:N", title=title, sort=list(amounts)),
                x=alt.X("bedrag:Q", title="Euro per maand"),
                tooltip=[alt.Tooltip("groep:N", title=title),
                         alt.Tooltip("label:N", title="Kosten")])
        .properties(height=alt.Step(30))
    )  # fmt: skip


def amounts_summary(amounts: Mapping[str, float | None], what: str) -> str:
    """The amounts in words (the chart's text alternative).

    >>> amounts_summary({"WMO": 1100.0, "ISD": None}, "per domein")
    'Kosten per maand per domein: WMO € 1.100; ISD niet getoond (groep kleiner dan 5).'
    """
    parts = [f"{g} {euro(v, 0)}" if v is not None else f"{g} niet getoond (groep kleiner dan 5)"
             for g, v in amounts.items()]  # fmt: skip
    return f"Kosten per maand {what}: " + "; ".join(parts) + "."


def goal_summary(p) -> str:
    """One goal's progress in words (the chart's text alternative)."""
    unit = "%" if p.eenheid == "%" else " huishoudens"

    def fmt(v):
        return "—" if v is None else f"{v:.1f}".replace(".", ",") + unit

    return (f"{p.goal.titel}: beginwaarde {fmt(p.basiswaarde)} op {date(p.basisdatum)}, "
            f"nu {p.stand_tekst if p.stand is None else fmt(p.stand)} op {date(p.peildatum)}, "
            f"doel {fmt(p.streefwaarde)} op {date(p.goal.deadline)}; {p.status}.")  # fmt: skip
