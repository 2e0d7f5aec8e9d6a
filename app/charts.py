"""Chart builders: pure functions from small, pre-aggregated tables to ``alt.Chart``.

Altair ships a chart's data to the browser, so the steering charts only ever
receive suppressed aggregates (a ``"<5"`` cell becomes an empty bar with the
label ``<5``). The household charts receive one household's graph tables.
"""

from __future__ import annotations

import datetime as dt  # noqa: F401  (doctests)
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from app.format import MISSING, VEGA_LOCALE, number
from coordination.suppression import is_hidden

__all__ = [
    "counts_frame", "dutch", "graph_chart", "graph_frames", "graph_height", "timeline_chart",
    "timeline_frame", "upset_chart", "wijk_chart", "distribution_chart", "trend_chart",
    "ranking_chart", "NODE_COLOURS", "NODE_SHAPES", "DOMAIN_COLOURS", "STATUS",
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


def _COUNT_TOOLTIP(key: str) -> list:  # noqa: N802  (a constant-like helper)
    return [alt.Tooltip(f"{key}:N", title=key.capitalize()),
            alt.Tooltip("label:N", title="Huishoudens")]  # fmt: skip


def counts_frame(counts: Mapping[str, int | str], key: str = "categorie") -> pd.DataFrame:
    """Counts (some ``"<5"``) as a table: ``key``, ``aantal`` (empty if hidden), ``label``.

    >>> df = counts_frame({"WMO": 12, "ISD": "<5"})
    >>> df["label"].tolist(), df["aantal"].isna().tolist()
    (['12', '<5'], [False, True])
    """
    rows = [{key: k, "aantal": _number(v), "label": _label(v), "tekst_y": _number(v) or 0.0}
            for k, v in counts.items()]  # fmt: skip
    return pd.DataFrame(rows, columns=[key, "aantal", "label", "tekst_y"])


NODE_SHAPES = {
    "huishouden": "square", "persoon": "circle", "voorziening": "diamond",
    "schuldeiser": "triangle-down", "instelling": "cross", "hulpvraag": "triangle-up",
    "signaal": "triangle-left", "regie": "triangle-right",
}  # fmt: skip
STATUS = ("actief", "beëindigd")
#: Where each layout column is drawn: room for the long labels of provisions and creditors.
COLUMN_X = {0.0: 0.0, 1.0: 0.85, 2.0: 1.7, 3.0: 2.75, 4.0: 4.2}
ENDED_SUFFIX = " (beëindigd)"
_ROW_PX = 26


def dutch(chart):
    """The chart with the Dutch locale: 1.234,56 on axes and in tooltips, Dutch month names.

    >>> spec = dutch(alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q")).to_dict()
    >>> spec["config"]["locale"]["number"]["decimal"], spec["config"]["locale"]["time"]["months"][2]
    (',', 'maart')
    """
    return chart.configure(locale=VEGA_LOCALE)


def _status(active) -> str:
    return STATUS[0] if bool(active) else STATUS[1]


def graph_frames(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables ready to draw: a ``status`` and a label that says "beëindigd".

    >>> n = pd.DataFrame({"id": ["v"], "soort": ["voorziening"], "label": ["WMO: hulp"],
    ...                   "x": [3.0], "y": [0.0], "actief": [False]})
    >>> graph_frames(n, pd.DataFrame())[0][["status", "tekst"]].iloc[0].tolist()
    ['beëindigd', 'WMO: hulp (beëindigd)']
    """
    nodes = nodes.copy()
    active = nodes["actief"] if "actief" in nodes else pd.Series(True, index=nodes.index)
    nodes["status"] = [_status(a) for a in active]
    nodes["tekst"] = [
        label + (ENDED_SUFFIX if status == STATUS[1] else "")
        for label, status in zip(nodes["label"], nodes["status"], strict=True)
    ]
    edges = edges.copy()
    if not edges.empty:
        active = edges["actief"] if "actief" in edges else pd.Series(True, index=edges.index)
        edges["status"] = [_status(a) for a in active]
    return nodes, edges


def graph_height(nodes: pd.DataFrame) -> int:
    """Pixels for the drawing: one row of ~26 px per node in the fullest column."""
    rows = int(nodes.groupby("x").size().max()) if len(nodes) else 1
    return max(220, 40 + _ROW_PX * rows)


def graph_chart(nodes: pd.DataFrame, edges: pd.DataFrame) -> alt.LayerChart:
    """One household's graph in columns: every node a shape and a colour per kind, its label
    to the right; what has ended is faded, dashed and labelled "(beëindigd)"; a legend for
    both the kinds and the status."""
    nodes, edges = graph_frames(nodes, edges)
    nodes["x"] = nodes["x"].map(lambda c: COLUMN_X.get(c, c))
    if not edges.empty:
        edges["x"], edges["x2"] = (edges[c].map(lambda v: COLUMN_X.get(v, v)) for c in ("x", "x2"))
    axis = alt.Axis(labels=False, ticks=False, grid=False, title=None, domain=False)
    x = alt.X("x:Q", axis=axis, scale=alt.Scale(domain=[-0.1, 5.4], nice=False))
    y = alt.Y("y:Q", axis=axis, scale=alt.Scale(padding=14))
    kinds = [k for k in NODE_COLOURS if k in set(nodes["soort"])] or list(NODE_COLOURS)
    legend = alt.Legend(orient="bottom", columns=4, title="Soort")
    colour = alt.Color("soort:N", legend=legend, scale=alt.Scale(
        domain=kinds, range=[NODE_COLOURS[k] for k in kinds]))  # fmt: skip
    shape = alt.Shape("soort:N", legend=legend, scale=alt.Scale(
        domain=kinds, range=[NODE_SHAPES[k] for k in kinds]))  # fmt: skip
    status_scale = alt.Scale(domain=list(STATUS), range=[[1, 0], [5, 4]])
    layers = []
    if not edges.empty:
        layers.append(
            alt.Chart(edges).mark_rule(strokeWidth=1.4).encode(
                x=x, y=y, x2="x2:Q", y2="y2:Q",
                strokeDash=alt.StrokeDash("status:N", scale=status_scale, title="Status",
                                          legend=alt.Legend(orient="bottom")),
                color=alt.condition(alt.datum.status == STATUS[0], alt.value("#6b6b6b"),
                                    alt.value("#b0b0b0")),
            )
        )  # fmt: skip
    tooltip = [alt.Tooltip("soort:N", title="Soort"), alt.Tooltip("label:N", title="Naam"),
               alt.Tooltip("status:N", title="Status")]  # fmt: skip
    layers.append(
        alt.Chart(nodes).mark_point(filled=True, size=230, strokeWidth=1.5).encode(
            x=x, y=y, color=colour, shape=shape, tooltip=tooltip,
            opacity=alt.Opacity("status:N", legend=None,
                                scale=alt.Scale(domain=list(STATUS), range=[1.0, 0.35])),
        )
    )  # fmt: skip
    # Labels right of their node, over a white halo so edges never run through the text.
    text = alt.Chart(nodes).encode(x=x, y=y, text="tekst:N")
    style = {"align": "left", "baseline": "middle", "dx": 11, "fontSize": 12, "limit": 240}
    layers.append(text.mark_text(**style, stroke="white", strokeWidth=4, strokeJoin="round"))
    layers.append(
        text.mark_text(**style).encode(
            color=alt.condition(alt.datum.status == STATUS[0], alt.value("#1a1a1a"),
                                alt.value("#595959")),
        )
    )  # fmt: skip
    chart = alt.layer(*layers).properties(height=graph_height(nodes))
    return dutch(chart)


def timeline_frame(rows: Sequence[Mapping]) -> pd.DataFrame:
    """One row per provision for the timeline, with a readable row label and a status.

    >>> df = timeline_frame([{"domein": "WMO", "voorziening": "hulp", "van": dt.date(2024, 1, 1),
    ...     "tot": dt.date(2025, 1, 1), "actief": False, "aanbieder": "MEE"}])
    >>> df[["regel", "status"]].iloc[0].tolist()
    ['Wmo · hulp', 'beëindigd']
    """
    df = pd.DataFrame(list(rows), columns=["domein", "voorziening", "van", "tot", "actief",
                                           "aanbieder"])  # fmt: skip
    df = df.sort_values(["domein", "van"], kind="stable").reset_index(drop=True)
    labels, seen = [], {}
    for domein, soort in zip(df["domein"], df["voorziening"], strict=True):
        label = f"{DOMAIN_NAMES.get(domein, domein)} · {soort or MISSING}"
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    df["regel"] = labels
    df["status"] = [_status(a) for a in df["actief"]]
    df["aanbieder"] = df["aanbieder"].fillna("").replace("", MISSING)
    df["van"], df["tot"] = pd.to_datetime(df["van"]), pd.to_datetime(df["tot"])
    return df


def timeline_chart(rows: Sequence[Mapping]) -> alt.LayerChart:
    """Provisions in time: one bar per provision (domain colour), years on the axis;
    an ended provision is faded with a dashed outline and says "beëindigd <date>"."""
    df = timeline_frame(rows)
    df["domeinnaam"] = [DOMAIN_NAMES.get(d, d) for d in df["domein"]]
    df["einde"] = [
        f"beëindigd {t:%d-%m-%Y}" if status == STATUS[1] else ""
        for t, status in zip(df["tot"], df["status"], strict=True)
    ]
    years = alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, labelAngle=0,
                     grid=True, title="Jaar")  # fmt: skip
    names = [DOMAIN_NAMES[d] for d in DOMAIN_COLOURS]
    domain_scale = alt.Scale(domain=names, range=list(DOMAIN_COLOURS.values()))
    status_legend = alt.Legend(orient="bottom", title="Status")
    y = alt.Y("regel:N", title=None, sort=list(df["regel"]), axis=alt.Axis(labelLimit=260))
    base = alt.Chart(df).encode(y=y)
    bars = base.mark_bar(cornerRadius=3, height=16, strokeWidth=1.5).encode(
        x=alt.X("van:T", axis=years), x2="tot:T",
        color=alt.Color("domeinnaam:N", title="Domein", scale=domain_scale,
                        legend=alt.Legend(orient="bottom")),
        stroke=alt.Color("domeinnaam:N", legend=None, scale=domain_scale),
        opacity=alt.Opacity("status:N", legend=status_legend,
                            scale=alt.Scale(domain=list(STATUS), range=[1.0, 0.3])),
        strokeDash=alt.StrokeDash("status:N", legend=status_legend,
                                  scale=alt.Scale(domain=list(STATUS), range=[[1, 0], [4, 3]])),
        tooltip=[alt.Tooltip("domeinnaam:N", title="Domein"),
                 alt.Tooltip("voorziening:N", title="Voorziening"),
                 alt.Tooltip("aanbieder:N", title="Aanbieder"),
                 alt.Tooltip("van:T", title="Van", format="%d-%m-%Y"),
                 alt.Tooltip("tot:T", title="Tot", format="%d-%m-%Y"),
                 alt.Tooltip("status:N", title="Status")],
    )  # fmt: skip
    ended = base.mark_text(align="left", dx=4, fontSize=11, color="#595959").encode(
        x=alt.X("tot:T", axis=years), text="einde:N"
    )
    return dutch((bars + ended).properties(height=40 + 24 * max(len(df), 1)))


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
    labels = top.mark_text(dy=-6).encode(y=alt.Y("tekst_y:Q", title="Huishoudens"),
                                         text="label:N")  # fmt: skip
    bars_drawn = top.mark_bar(color="#4c78a8").encode(
        y=alt.Y("aantal:Q", title="Huishoudens"), tooltip=_COUNT_TOOLTIP("combinatie")
    )
    layers = (bars_drawn, labels) if bars["aantal"].notna().any() else (labels,)
    top = alt.layer(*layers).properties(height=220)
    # Membership is told by a filled dark dot against an empty ring, not by colour alone.
    dots = alt.Chart(matrix).mark_point(size=160, strokeWidth=1.5).encode(
        x=x, y=alt.Y("domein:N", title=None),
        fill=alt.condition("datum.lid", alt.value("#1f3a5f"), alt.value("transparent")),
        color=alt.condition("datum.lid", alt.value("#1f3a5f"), alt.value("#8a8a8a")),
        tooltip=[alt.Tooltip("combinatie:N", title="Combinatie"),
                 alt.Tooltip("domein:N", title="Domein")],
    ).properties(height=90)  # fmt: skip
    return dutch(alt.vconcat(top, dots, spacing=4))


def wijk_chart(by_wijk: Mapping[str, Mapping], measures: Sequence[str]) -> alt.Chart:
    """Grouped bars per wijk for the given count measures (suppressed cells are empty)."""
    rows = [{"wijk": w, "maat": MEASURE_NAMES.get(m, m), "aantal": _number(b[m]),
             "label": _label(b[m])} for w, b in by_wijk.items() for m in measures]  # fmt: skip
    df = pd.DataFrame(rows, columns=["wijk", "maat", "aantal", "label"])
    return dutch(
        alt.Chart(df).mark_bar()
        .encode(x=alt.X("wijk:N", title="Wijk"), xOffset="maat:N",
                y=alt.Y("aantal:Q", title="Huishoudens"), color=alt.Color("maat:N", title="Maat"),
                tooltip=[alt.Tooltip("wijk:N", title="Wijk"), alt.Tooltip("maat:N", title="Maat"),
                         alt.Tooltip("label:N", title="Huishoudens")])
        .properties(height=280)
    )  # fmt: skip


def distribution_chart(counts: Mapping[str, int | str], title: str = "Huishoudens") -> alt.Chart:
    """Bars of a small distribution (e.g. provisions per household), in the given order."""
    df = counts_frame(counts)
    base = alt.Chart(df).encode(x=alt.X("categorie:N", sort=list(df["categorie"]), title=None))
    bars = base.mark_bar(color="#72b7b2").encode(
        y=alt.Y("aantal:Q", title=title), tooltip=_COUNT_TOOLTIP("categorie")
    )
    text = base.mark_text(dy=-6).encode(y=alt.Y("tekst_y:Q", title=title), text="label:N")
    # A layer without one drawable item (every bar withheld) would be an unnamed image in the
    # SVG (axe: svg-img-alt): then only the labels are drawn.
    layers = (bars, text) if df["aantal"].notna().any() else (text,)
    return dutch(alt.layer(*layers).properties(height=220))


def trend_chart(trend: Sequence[Mapping], measures: Sequence[str]) -> alt.Chart:
    """Lines per measure over the quarters; suppressed points are left out."""
    rows = [{"kwartaal": t["kwartaal"], "maat": MEASURE_NAMES.get(m, m),
             "aantal": _number(t[m])} for t in trend for m in measures]  # fmt: skip
    df = pd.DataFrame(rows, columns=["kwartaal", "maat", "aantal"])
    return dutch(
        alt.Chart(df).mark_line(point=True)
        .encode(x=alt.X("kwartaal:N", title="Kwartaal"),
                y=alt.Y("aantal:Q", title="Huishoudens"), color=alt.Color("maat:N", title="Maat"),
                shape=alt.Shape("maat:N", title="Maat"), strokeDash=alt.StrokeDash(
                    "maat:N", title="Maat"),
                tooltip=[alt.Tooltip("kwartaal:N", title="Kwartaal"),
                         alt.Tooltip("maat:N", title="Maat"),
                         alt.Tooltip("aantal:Q", title="Huishoudens")])
        .properties(height=280)
    )  # fmt: skip


def ranking_chart(ranking: pd.DataFrame, top: int = 15) -> alt.Chart:
    """Horizontal bars of the households each institution reaches (top ``top``)."""
    df = ranking.head(top)[["naam", "huishoudens", "co_instellingen"]].copy()
    df["label"] = [_label(v) for v in df["huishoudens"]]
    df["huishoudens"] = [_number(v) for v in df["huishoudens"]]
    return dutch(
        alt.Chart(df).mark_bar(color="#f58518")
        .encode(y=alt.Y("naam:N", sort=list(df["naam"]), title=None),
                x=alt.X("huishoudens:Q", title="Huishoudens bereikt"),
                tooltip=[alt.Tooltip("naam:N", title="Instelling"),
                         alt.Tooltip("label:N", title="Huishoudens bereikt"),
                         alt.Tooltip("co_instellingen:Q", title="Samenwerkende instellingen")])
        .properties(height=24 * max(len(df), 1))
    )  # fmt: skip
