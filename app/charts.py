"""Chart builders: pure functions from small, pre-aggregated tables to ``alt.Chart``.

Altair ships a chart's data to the browser, so the steering charts only ever
receive suppressed aggregates (a ``"<5"`` cell becomes an empty bar with the
label ``<5``). The household charts receive one household's graph tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from app.format import number
from coordination.suppression import is_hidden

__all__ = [
    "counts_frame", "graph_chart", "timeline_chart", "upset_chart", "wijk_chart",
    "distribution_chart", "trend_chart", "ranking_chart", "NODE_COLOURS", "DOMAIN_COLOURS",
]  # fmt: skip

NODE_COLOURS = {
    "huishouden": "#1f3a5f", "persoon": "#4c78a8", "voorziening": "#54a24b",
    "schuldeiser": "#e45756", "instelling": "#f58518", "hulpvraag": "#b279a2",
    "signaal": "#9d755d", "regie": "#000000",
}  # fmt: skip
DOMAIN_COLOURS = {"ISD": "#e45756", "JEUGD": "#72b7b2", "WMO": "#54a24b"}
DOMAIN_NAMES = {"ISD": "ISD", "JEUGD": "Jeugd", "WMO": "Wmo"}
MEASURE_NAMES = {
    "households_with_provision": "met voorziening", "stacked": "gestapeld",
    "complex": "complex", "regie_gaps": "zonder regie", "isd_debtors": "ISD-debiteuren",
    "stacked_cbs": "gestapeld (CBS)",
}  # fmt: skip


def _number(value) -> float | None:
    return None if value is None or is_hidden(value) else float(value)


def _label(value) -> str:
    return value if is_hidden(value) else number(int(value))


def counts_frame(counts: Mapping[str, int | str], key: str = "categorie") -> pd.DataFrame:
    """Counts (some ``"<5"``) as a table: ``key``, ``aantal`` (empty if hidden), ``label``.

    >>> df = counts_frame({"WMO": 12, "ISD": "<5"})
    >>> df["label"].tolist(), df["aantal"].isna().tolist()
    (['12', '<5'], [False, True])
    """
    rows = [{key: k, "aantal": _number(v), "label": _label(v), "tekst_y": _number(v) or 0.0}
            for k, v in counts.items()]  # fmt: skip
    return pd.DataFrame(rows, columns=[key, "aantal", "label", "tekst_y"])


def graph_chart(nodes: pd.DataFrame, edges: pd.DataFrame) -> alt.LayerChart:
    """One household's graph: edges as rules, nodes as coloured circles with labels."""
    axis = alt.Axis(labels=False, ticks=False, grid=False, title=None, domain=False)
    x, y = alt.X("x:Q", axis=axis), alt.Y("y:Q", axis=axis)
    colour = alt.Color(
        "soort:N", title="Soort", legend=alt.Legend(orient="bottom", columns=4),
        scale=alt.Scale(domain=list(NODE_COLOURS), range=list(NODE_COLOURS.values())),
    )  # fmt: skip
    lines = alt.Chart(edges).mark_rule(color="#bbbbbb").encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    points = (
        alt.Chart(nodes)
        .mark_circle(size=420, opacity=0.9)
        .encode(x=x, y=y, color=colour, tooltip=["soort:N", "label:N"])
    )
    labels = alt.Chart(nodes).mark_text(dy=-16, fontSize=11).encode(x=x, y=y, text="label:N")
    return (lines + points + labels).properties(height=420)


def timeline_chart(rows: Sequence[Mapping]) -> alt.Chart:
    """A Gantt-like chart of provisions: one bar per provision, one row per domain."""
    df = pd.DataFrame(list(rows), columns=["domein", "voorziening", "van", "tot", "aanbieder"])
    df["van"], df["tot"] = pd.to_datetime(df["van"]), pd.to_datetime(df["tot"])
    return (
        alt.Chart(df)
        .mark_bar(cornerRadius=3, height=14)
        .encode(
            x=alt.X("van:T", title="Periode"), x2="tot:T",
            y=alt.Y("domein:N", title="Domein", sort=list(DOMAIN_COLOURS)),
            color=alt.Color("domein:N", legend=None, scale=alt.Scale(
                domain=list(DOMAIN_COLOURS), range=list(DOMAIN_COLOURS.values()))),
            tooltip=["domein:N", "voorziening:N", "aanbieder:N",
                     alt.Tooltip("van:T", title="van"), alt.Tooltip("tot:T", title="tot")],
        )
        .properties(height=40 + 40 * max(df["domein"].nunique(), 1))
    )  # fmt: skip


def upset_chart(combinations: Mapping[str, int | str]) -> alt.VConcatChart:
    """Domain combinations in an UpSet-like layout: bars on top, a membership matrix below.

    >>> spec = upset_chart({"WMO": 9, "ISD+WMO": "<5"}).to_dict()
    >>> sorted(spec["datasets"][next(iter(spec["datasets"]))][0])
    ['aantal', 'combinatie', 'label', 'tekst_y']
    """
    bars = counts_frame(combinations, "combinatie")
    order = list(bars["combinatie"])
    matrix = pd.DataFrame(
        [{"combinatie": c, "domein": DOMAIN_NAMES[d], "lid": d in c.split("+")}
         for c in order for d in DOMAIN_COLOURS],
    )  # fmt: skip
    x = alt.X("combinatie:N", sort=order, axis=None)
    top = alt.Chart(bars).encode(x=x)
    top = (top.mark_bar(color="#4c78a8").encode(y=alt.Y("aantal:Q", title="Huishoudens"))
           + top.mark_text(dy=-6).encode(y=alt.Y("tekst_y:Q"), text="label:N")).properties(
        height=220)  # fmt: skip
    dots = alt.Chart(matrix).mark_circle(size=160).encode(
        x=x, y=alt.Y("domein:N", title=None),
        color=alt.condition("datum.lid", alt.value("#1f3a5f"), alt.value("#dddddd")),
    ).properties(height=90)  # fmt: skip
    return alt.vconcat(top, dots, spacing=4)


def wijk_chart(by_wijk: Mapping[str, Mapping], measures: Sequence[str]) -> alt.Chart:
    """Grouped bars per wijk for the given count measures (suppressed cells are empty)."""
    rows = [{"wijk": w, "maat": MEASURE_NAMES.get(m, m), "aantal": _number(b[m]),
             "label": _label(b[m])} for w, b in by_wijk.items() for m in measures]  # fmt: skip
    df = pd.DataFrame(rows, columns=["wijk", "maat", "aantal", "label"])
    return (
        alt.Chart(df).mark_bar()
        .encode(x=alt.X("wijk:N", title="Wijk"), xOffset="maat:N",
                y=alt.Y("aantal:Q", title="Huishoudens"), color=alt.Color("maat:N", title="Maat"),
                tooltip=["wijk:N", "maat:N", "label:N"])
        .properties(height=280)
    )  # fmt: skip


def distribution_chart(counts: Mapping[str, int | str], title: str = "Huishoudens") -> alt.Chart:
    """Bars of a small distribution (e.g. provisions per household), in the given order."""
    df = counts_frame(counts)
    base = alt.Chart(df).encode(x=alt.X("categorie:N", sort=list(df["categorie"]), title=None))
    bars = base.mark_bar(color="#72b7b2").encode(y=alt.Y("aantal:Q", title=title))
    text = base.mark_text(dy=-6).encode(y="tekst_y:Q", text="label:N")
    return (bars + text).properties(height=220)


def trend_chart(trend: Sequence[Mapping], measures: Sequence[str]) -> alt.Chart:
    """Lines per measure over the quarters; suppressed points are left out."""
    rows = [{"kwartaal": t["kwartaal"], "maat": MEASURE_NAMES.get(m, m),
             "aantal": _number(t[m])} for t in trend for m in measures]  # fmt: skip
    df = pd.DataFrame(rows, columns=["kwartaal", "maat", "aantal"])
    return (
        alt.Chart(df).mark_line(point=True)
        .encode(x=alt.X("kwartaal:N", title="Kwartaal"),
                y=alt.Y("aantal:Q", title="Huishoudens"), color=alt.Color("maat:N", title="Maat"),
                tooltip=["kwartaal:N", "maat:N", "aantal:Q"])
        .properties(height=280)
    )  # fmt: skip


def ranking_chart(ranking: pd.DataFrame, top: int = 15) -> alt.Chart:
    """Horizontal bars of the households each institution reaches (top ``top``)."""
    df = ranking.head(top)[["naam", "huishoudens", "co_instellingen"]].copy()
    df["label"] = [_label(v) for v in df["huishoudens"]]
    df["huishoudens"] = [_number(v) for v in df["huishoudens"]]
    return (
        alt.Chart(df).mark_bar(color="#f58518")
        .encode(y=alt.Y("naam:N", sort=list(df["naam"]), title=None),
                x=alt.X("huishoudens:Q", title="Huishoudens bereikt"),
                tooltip=["naam:N", "label:N", "co_instellingen:Q"])
        .properties(height=24 * max(len(df), 1))
    )  # fmt: skip
