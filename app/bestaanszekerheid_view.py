"""Pure pieces of the Bestaanszekerheid page: display tables, chart data, charts, summaries.

Every chart has one unit on its axis: the counts of the pipeline in one chart, the share
within the norm in another (with the target as a rule).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from coordination.non_take_up import REGELINGEN
from coordination.shv_pipeline import PipelineFigures, pipeline_table
from coordination.suppression import TOTAL, is_hidden
from households.formatting import VEGA_LOCALE, number, percentage

__all__ = [
    "shown", "quarter_frame", "flow_data", "flow_chart", "flow_summary", "norm_data",
    "norm_chart", "norm_summary", "non_take_up_frame",
]  # fmt: skip

FLOW_ROWS = {"aanmeldingen": "Aanmeldingen", "intake": "Intake (eerste gesprek)",
             "zonder_vervolg": "Zonder vervolg", "beeindigd": "Beëindigd"}  # fmt: skip
NTU_ROWS = {"laag_inkomen": "Huishoudens met een laag-inkomenssignaal",
            "niet_gebruik": "  waarvan waarschijnlijk een regeling niet gebruikt",
            **{k: f"    {v}" for k, v in REGELINGEN.items()}}  # fmt: skip


def shown(value) -> str:
    """A published count as text: ``<5`` and ``x`` as they are, numbers in Dutch notation.

    >>> [shown(v) for v in (1234, "<5", "x", 0)]
    ['1.234', '<5', 'x', '0']
    """
    if value == "":  # a breakdown published only for the whole gemeente (WIJK_ROWS)
        return ""
    return value if is_hidden(value) else number(int(value))


def quarter_frame(fig: PipelineFigures, kwartaal: str) -> pd.DataFrame:
    """The quarter's table as text (first column the figure), plus the waiting-time rows."""
    table = pipeline_table(fig, kwartaal).map(shown)
    table.insert(0, "Cijfer", table.index)
    wait = {c: ("—" if (w := fig.wachttijd[(kwartaal, c)]) is None else number(w, 1))
            for c in fig.kolommen}  # fmt: skip
    share = {c: percentage(a) if (a := fig.aandeel[(kwartaal, c)]) is not None else "—"
             for c in fig.kolommen}  # fmt: skip
    extra = pd.DataFrame(
        [{"Cijfer": "Gemiddelde wachttijd tot eerste gesprek (dagen)", **wait},
         {"Cijfer": f"Aandeel eerste gesprek binnen de norm (doel {fig.norm_doel_pct}%)", **share}]
    )  # fmt: skip
    return pd.concat([table.reset_index(drop=True), extra], ignore_index=True)


def flow_data(fig: PipelineFigures) -> pd.DataFrame:
    """Published counts (Totaal) per quarter and figure; hidden cells left out."""
    rows = [{"kwartaal": q, "cijfer": label, "aantal": int(v)}
            for q in fig.kwartalen for key, label in FLOW_ROWS.items()
            if not is_hidden(v := fig.cellen[(q, key, TOTAL)])]  # fmt: skip
    return pd.DataFrame(rows, columns=["kwartaal", "cijfer", "aantal"])


def flow_chart(data: pd.DataFrame) -> alt.Chart:
    """Counts per quarter (one unit: trajectories), a bar per figure."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("kwartaal:N", title="Kwartaal", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("cijfer:N", sort=list(FLOW_ROWS.values())),
            y=alt.Y("aantal:Q", title="Aantal trajecten"),
            color=alt.Color("cijfer:N", title=None, sort=list(FLOW_ROWS.values()),
                            legend=alt.Legend(orient="bottom", labelLimit=0)),
            tooltip=[alt.Tooltip("kwartaal:N", title="Kwartaal"),
                     alt.Tooltip("cijfer:N", title="Cijfer"),
                     alt.Tooltip("aantal:Q", title="Aantal", format=",d")],
        )
        .properties(height=280)
        .configure(locale=VEGA_LOCALE)
    )  # fmt: skip


def flow_summary(data: pd.DataFrame) -> str:
    """The flow chart in words."""
    if data.empty:
        return "Nog geen gepubliceerde aantallen in dit jaar."
    parts = [f"{r.kwartaal}: {r.cijfer.lower()} {number(r.aantal)}" for r in data.itertuples()]
    return "Schuldhulp per kwartaal (alle wijken): " + "; ".join(parts) + "."


def norm_data(fig: PipelineFigures) -> pd.DataFrame:
    """Share within the norm per quarter (Totaal), where both counts are published."""
    rows = [{"kwartaal": q, "aandeel": a} for q in fig.kwartalen
            if (a := fig.aandeel[(q, TOTAL)]) is not None]  # fmt: skip
    return pd.DataFrame(rows, columns=["kwartaal", "aandeel"])


def norm_chart(data: pd.DataFrame, target_pct: int | None) -> alt.LayerChart:
    """Share spoken to within the norm per quarter (one unit: share), the target as a rule."""
    y = alt.Y("aandeel:Q", title="Aandeel binnen de norm", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format=".0%"))  # fmt: skip
    bars = alt.Chart(data).mark_bar(color="#1f77b4").encode(
        x=alt.X("kwartaal:N", title="Kwartaal", axis=alt.Axis(labelAngle=0)), y=y,
        tooltip=[alt.Tooltip("kwartaal:N", title="Kwartaal"),
                 alt.Tooltip("aandeel:Q", title="Binnen de norm", format=".0%")],
    )  # fmt: skip
    layers = [bars]
    if target_pct is not None:
        goal = pd.DataFrame({"aandeel": [target_pct / 100]})
        layers.append(alt.Chart(goal).mark_rule(color="#b22222", strokeDash=[6, 4], size=2)
                      .encode(y=y))  # fmt: skip
    return alt.layer(*layers).properties(height=240).configure(locale=VEGA_LOCALE)


def norm_summary(data: pd.DataFrame, target_pct: int | None, days: int) -> str:
    """The norm chart in words."""
    if data.empty:
        return "Nog geen aandeel binnen de norm te tonen (te weinig intakes)."
    parts = [f"{r.kwartaal} {percentage(r.aandeel)}" for r in data.itertuples()]
    goal = f" (doel {target_pct}%)" if target_pct is not None else ""
    return (f"Eerste gesprek binnen {days} dagen na aanmelding{goal}: "
            + ", ".join(parts) + ".")  # fmt: skip


def non_take_up_frame(fig: dict) -> pd.DataFrame:
    """The protected non-take-up counts as a table (rows: indicator, any, per regeling)."""
    rows = [{"Huishoudens": NTU_ROWS[r], **{c: shown(fig["rijen"][r][c]) for c in fig["kolommen"]}}
            for r in NTU_ROWS]  # fmt: skip
    return pd.DataFrame(rows)
