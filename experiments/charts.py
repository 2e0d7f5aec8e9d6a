"""Charts of the evaluation: Altair builders for the app, inline SVG for the HTML report.

The report must be one self-contained file (no CDN): when ``vl-convert-python``
is installed Altair can inline its scripts; otherwise :func:`svg_lines` and
:func:`svg_did` draw simple static SVG charts from the same aggregated data.
"""

from __future__ import annotations

import datetime as dt  # noqa: F401  (doctests)
import math
from html import escape

import altair as alt
import pandas as pd

from experiments.vocabulary import SCORE_LABELS
from households.formatting import VEGA_LOCALE
from households.formatting import date as nl_date

__all__ = [
    "COLOURS",
    "CORNERS",
    "DID_UNITS",
    "unit_of",
    "triangle_chart",
    "triangle_frame",
    "verloop_chart",
    "monthly_chart",
    "did_chart",
    "svg_lines",
    "svg_did",
    "altair_inline_html",
]

COLOURS = {
    "bestaanszekerheid": "#1f77b4",
    "zorgcontinuiteit": "#2ca02c",
    "meedoen": "#ff7f0e",
    "veiligheid": "#7f7f7f",
}
_SCALE = alt.Scale(domain=[SCORE_LABELS[k] for k in COLOURS], range=list(COLOURS.values()))
# A shape per corner as well as a colour (one merged legend: same field, title and domain).
_SHAPES = alt.Scale(domain=[SCORE_LABELS[k] for k in COLOURS],
                    range=["circle", "square", "triangle-up", "diamond"])  # fmt: skip


def _dutch(chart):
    # The Dutch locale travels in the spec (axes, tooltips: 1.234,56 and Dutch months).
    return chart.configure(locale=VEGA_LOCALE)


#: Where each corner of the triangle sits (unit circle; 5 = on the outer triangle).
CORNERS = {
    "bestaanszekerheid": (0.0, 1.0),
    "zorgcontinuiteit": (-math.sqrt(3) / 2, -0.5),
    "meedoen": (math.sqrt(3) / 2, -0.5),
}
TRIANGLE_LOGS = ("eerste log", "laatste log")


def triangle_frame(trend: pd.DataFrame) -> pd.DataFrame:
    """The first and the last log as closed triangles: one row per corner (plus the first again).

    A corner's distance from the centre is its score / 5.

    >>> t = pd.DataFrame({"datum": [dt.date(2026, 1, 5), dt.date(2026, 6, 1)],
    ...     "bestaanszekerheid": [1, 5], "zorgcontinuiteit": [2, 4], "meedoen": [3, 3],
    ...     "veiligheid": [2, 4]})
    >>> f = triangle_frame(t)
    >>> f.groupby("log")["score"].apply(list).to_dict()
    {'eerste log': [1, 2, 3, 1], 'laatste log': [5, 4, 3, 5]}
    >>> float(f.iloc[4]["y"])
    1.0
    """
    rows = []
    picks = [(TRIANGLE_LOGS[0], trend.iloc[0]), (TRIANGLE_LOGS[1], trend.iloc[-1])]
    for log, row in picks:
        for order, corner in enumerate([*CORNERS, next(iter(CORNERS))]):
            cx, cy = CORNERS[corner]
            score = int(row[corner])
            rows.append({"log": log,
                         "datum": nl_date(row["datum"]), "hoek": SCORE_LABELS[corner],
                         "score": score, "x": cx * score / 5, "y": cy * score / 5,
                         "volgorde": order})  # fmt: skip
    return pd.DataFrame(rows)


def triangle_chart(trend: pd.DataFrame) -> alt.LayerChart:
    """The stability triangle: the last log (solid, dark) against the first (dashed, grey).

    The grid shows the levels 1–5; every corner is named and carries both scores.
    """
    frame = triangle_frame(trend)
    grid = pd.DataFrame([
        {"niveau": level, "x": CORNERS[c][0] * level / 5, "y": CORNERS[c][1] * level / 5,
         "volgorde": i}
        for level in range(1, 6) for i, c in enumerate([*CORNERS, next(iter(CORNERS))])
    ])  # fmt: skip
    axis = alt.Axis(labels=False, ticks=False, grid=False, title=None, domain=False)
    x = alt.X("x:Q", axis=axis, scale=alt.Scale(domain=[-1.55, 1.55]))
    y = alt.Y("y:Q", axis=axis, scale=alt.Scale(domain=[-1.05, 1.25]))
    rings = (
        alt.Chart(grid)
        .mark_line(color="#d0d0d0", strokeWidth=1)
        .encode(x=x, y=y, order="volgorde:O", detail="niveau:N")
    )
    style = alt.Scale(domain=list(TRIANGLE_LOGS), range=["#8a8a8a", "#1f3a5f"])
    dash = alt.Scale(domain=list(TRIANGLE_LOGS), range=[[6, 4], [1, 0]])
    logs = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=60), strokeWidth=2.5).encode(
        x=x, y=y, order="volgorde:O",
        color=alt.Color("log:N", scale=style, title=None, legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("log:N", scale=dash, legend=None),
        tooltip=[alt.Tooltip("log:N", title="Log"), alt.Tooltip("datum:N", title="Datum"),
                 alt.Tooltip("hoek:N", title="Hoek"), alt.Tooltip("score:Q", title="Score")],
    )  # fmt: skip
    first, last = trend.iloc[0], trend.iloc[-1]
    where = {"bestaanszekerheid": (0.0, 1.13), "zorgcontinuiteit": (-0.87, -0.68),
             "meedoen": (0.87, -0.68)}  # fmt: skip
    labels = pd.DataFrame(
        [{"x": wx, "y": wy, "tekst": f"{SCORE_LABELS[c]}\n{int(first[c])} → {int(last[c])}"}
         for c, (wx, wy) in where.items()]
        + [{"x": 0.0, "y": -0.98, "tekst": f"{SCORE_LABELS['veiligheid']} (basis): "
            f"{int(first['veiligheid'])} → {int(last['veiligheid'])}"}]
    )  # fmt: skip
    names = (
        alt.Chart(labels)
        .mark_text(fontSize=12, color="#1a1a1a", lineBreak="\n")
        .encode(x=x, y=y, text="tekst:N")
    )
    return _dutch(alt.layer(rings, logs, names).properties(width=520, height=420))


def verloop_chart(trend: pd.DataFrame) -> alt.Chart:
    """A household's four scores over time (lines with points, 1–5 scale, Dutch months)."""
    long = trend[["datum", *COLOURS]].melt("datum", var_name="score", value_name="waarde")
    long["score"] = long["score"].map(SCORE_LABELS)
    long["datum"] = pd.to_datetime(long["datum"])
    return _dutch(
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("datum:T", title="Datum van het gesprek",
                    axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("waarde:Q", title="Score (1–5)", scale=alt.Scale(domain=[1, 5]),
                    axis=alt.Axis(values=[1, 2, 3, 4, 5], titleLimit=0)),
            color=alt.Color("score:N", title=None, scale=_SCALE,
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=0)),
            shape=alt.Shape("score:N", title=None, scale=_SHAPES,
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=0)),
            strokeDash=alt.condition(
                alt.datum.score == SCORE_LABELS["veiligheid"], alt.value([4, 3]), alt.value([1, 0])
            ),
            tooltip=[alt.Tooltip("datum:T", title="Datum", format="%d-%m-%Y"),
                     alt.Tooltip("score:N", title="Hoek"), alt.Tooltip("waarde:Q", title="Score")],
        )
        .properties(height=320)
    )  # fmt: skip


def monthly_chart(monthly: pd.DataFrame) -> alt.Chart:
    """Mean score per month over the experiment's households (aggregated, suppressed)."""
    data = monthly.assign(score=monthly["score"].map(SCORE_LABELS),
                          maand=pd.to_datetime(monthly["maand"] + "-01"))  # fmt: skip
    return _dutch(
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("maand:T", title="Maand", axis=alt.Axis(format="%b %Y", labelAngle=0,
                                                            tickCount="month")),
            y=alt.Y("gemiddelde:Q", title="Gemiddelde score (1–5)", scale=alt.Scale(domain=[1, 5])),
            color=alt.Color("score:N", title=None, scale=_SCALE,
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=0)),
            shape=alt.Shape("score:N", title=None, scale=_SHAPES,
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=0)),
            tooltip=[alt.Tooltip("maand:T", title="Maand", format="%B %Y"),
                     alt.Tooltip("score:N", title="Hoek"),
                     alt.Tooltip("gemiddelde:Q", title="Gemiddelde", format=".2f"),
                     alt.Tooltip("n:Q", title="Huishoudens")],
        )
        .properties(height=300)
    )  # fmt: skip


#: Per unit (experiments/outcomes.py UNITS): the axis title and the number format.
DID_UNITS = {
    "aantal": ("verschil in aantal", ",.1f"),
    "euro": ("verschil in euro's", "$,.0f"),
    "aandeel": ("verschil in aandeel (procentpunten)", ".0%"),
    "dagen": ("verschil in dagen", ",.0f"),
}


def unit_of(label: str) -> str:
    """The unit of an outcome label (when the data carry no ``eenheid`` column).

    >>> [unit_of(x) for x in ("Openstaande schuld (€)", "Regie aanwezig (aandeel)", "Dagen tot")]
    ['euro', 'aandeel', 'dagen']
    """
    low = label.lower()
    if "€" in label:
        return "euro"
    if "aandeel" in low:
        return "aandeel"
    return "dagen" if low.startswith("dagen") else "aantal"


def did_chart(did: pd.DataFrame) -> alt.VConcatChart:
    """DiD estimate per outcome with its interval: one small chart per outcome, each with
    its own axis titled by its unit (counts, euros, shares, days never share an axis)."""
    charts = []
    for label in did["uitkomst"]:
        one = did[did["uitkomst"] == label]
        unit = one["eenheid"].iloc[0] if "eenheid" in one else unit_of(label)
        title, fmt = DID_UNITS[unit]
        lo = min(0.0, *[v for v in one[["effect", "ci_laag", "ci_hoog"]].to_numpy().ravel()
                        if v == v and v is not None])  # fmt: skip
        hi = max(0.0, *[v for v in one[["effect", "ci_laag", "ci_hoog"]].to_numpy().ravel()
                        if v == v and v is not None])  # fmt: skip
        pad = (hi - lo) * 0.15 or 1.0
        x = alt.X("effect:Q", title=title, axis=alt.Axis(format=fmt, titleLimit=0),
                  scale=alt.Scale(domain=[lo - pad, hi + pad]))  # fmt: skip
        base = alt.Chart(one).encode(y=alt.Y("uitkomst:N", title=None, axis=None))
        points = base.mark_point(filled=True, size=90, shape="diamond").encode(
            x=x, tooltip=[alt.Tooltip("uitkomst:N", title="Uitkomst"),
                          alt.Tooltip("effect:Q", title="Effect", format=fmt),
                          alt.Tooltip("ci_laag:Q", title="Interval van", format=fmt),
                          alt.Tooltip("ci_hoog:Q", title="Interval tot", format=fmt)])  # fmt: skip
        bars = base.mark_rule(strokeWidth=2).encode(
            x=alt.X("ci_laag:Q", title=title), x2="ci_hoog:Q"
        )
        zero = (
            alt.Chart(pd.DataFrame({"nul": [0.0]}))
            .mark_rule(strokeDash=[3, 3])
            .encode(x=alt.X("nul:Q", title=title))
        )
        charts.append((bars + points + zero).properties(height=50, title=label))
    return _dutch(alt.vconcat(*charts, spacing=18).resolve_scale(x="independent"))


def altair_inline_html(chart: alt.Chart) -> str | None:
    """The chart as self-contained HTML (needs ``vl-convert-python``), else None."""
    try:
        import vl_convert  # noqa: F401
    except ImportError:
        return None
    return chart.to_html(inline=True)


def svg_lines(monthly: pd.DataFrame, width: int = 640, height: int = 260) -> str:
    """A static SVG line chart of the monthly mean scores (1–5)."""
    months = sorted(monthly["maand"].unique())
    if not months:
        return "<p><em>Nog te weinig gegevens voor een grafiek.</em></p>"
    left, right, top, bottom = 40, 160, 10, 30
    pw, ph = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (pw * i / max(len(months) - 1, 1))

    def y(v: float) -> float:
        return top + ph * (5 - v) / 4

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="Gemiddelde scores per maand">']  # fmt: skip
    for level in range(1, 6):
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
                     f'stroke="#ddd"/><text x="{left - 8}" y="{y(level) + 4:.1f}" '
                     f'font-size="11" text-anchor="end">{level}</text>')  # fmt: skip
    for i, m in enumerate(months):
        if i % max(1, len(months) // 6) == 0 or i == len(months) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" font-size="10" '
                         f'text-anchor="middle">{escape(m)}</text>')  # fmt: skip
    for j, (score, colour) in enumerate(COLOURS.items()):
        sub = monthly[monthly["score"] == score].set_index("maand")["gemiddelde"]
        pts = [(x(i), y(float(sub[m]))) for i, m in enumerate(months) if m in sub.index]
        if pts:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            dash = ' stroke-dasharray="4 3"' if score == "veiligheid" else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"{dash}/>')  # fmt: skip
        ly = top + 14 + 18 * j
        parts.append(f'<rect x="{left + pw + 12}" y="{ly - 9}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{left + pw + 26}" y="{ly}" font-size="11">'
                     f'{escape(SCORE_LABELS[score])}</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def svg_did(rows: list[tuple[str, float | None, float | None, float | None]],
            width: int = 640) -> str:  # fmt: skip
    """A static SVG of DiD estimates (point) with intervals (line), one row per outcome.

    Each outcome has its own scale (units differ), centred on zero.
    """
    row_h, left, pad = 46, 230, 20
    height = row_h * len(rows) + 10
    pw = width - left - pad
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="Effect per uitkomst">']  # fmt: skip
    for i, (label, est, lo, hi) in enumerate(rows):
        cy = 10 + row_h * i + row_h / 2
        parts.append(f'<text x="{left - 10}" y="{cy + 4:.1f}" font-size="12" '
                     f'text-anchor="end">{escape(label)}</text>')  # fmt: skip
        mid = left + pw / 2
        parts.append(f'<line x1="{mid}" x2="{mid}" y1="{cy - 14:.1f}" y2="{cy + 14:.1f}" '
                     f'stroke="#999" stroke-dasharray="3 3"/>')  # fmt: skip
        if est is None:
            parts.append(
                f'<text x="{mid + 6}" y="{cy + 4:.1f}" font-size="11">geen schatting</text>'
            )
            continue
        span = max(abs(v) for v in (est, lo, hi) if v is not None) or 1.0

        def sx(v: float, span: float = span, mid: float = mid) -> float:
            return mid + (pw / 2 - 10) * v / span

        if lo is not None and hi is not None:
            parts.append(f'<line x1="{sx(lo):.1f}" x2="{sx(hi):.1f}" y1="{cy:.1f}" y2="{cy:.1f}" '
                         f'stroke="#1f77b4" stroke-width="3"/>')  # fmt: skip
        parts.append(f'<circle cx="{sx(est):.1f}" cy="{cy:.1f}" r="5" fill="#1f77b4"/>')
    parts.append("</svg>")
    return "".join(parts)
