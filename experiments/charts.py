"""Charts of the evaluation: Altair builders for the app, inline SVG for the HTML report.

The report must be one self-contained file (no CDN): when ``vl-convert-python``
is installed Altair can inline its scripts; otherwise :func:`svg_lines` and
:func:`svg_did` draw simple static SVG charts from the same aggregated data.
"""

from __future__ import annotations

from html import escape

import altair as alt
import pandas as pd

from experiments.vocabulary import SCORE_LABELS

__all__ = [
    "COLOURS",
    "triangle_chart",
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


def triangle_chart(trend: pd.DataFrame) -> alt.Chart:
    """A household's four scores over time (lines with points, 1–5 scale)."""
    long = trend[["datum", *COLOURS]].melt("datum", var_name="score", value_name="waarde")
    long["score"] = long["score"].map(SCORE_LABELS)
    long["datum"] = pd.to_datetime(long["datum"])
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("datum:T", title="Datum"),
            y=alt.Y(
                "waarde:Q", title="Score (1 = crisis, 5 = stabiel)", scale=alt.Scale(domain=[1, 5])
            ),  # fmt: skip
            color=alt.Color(
                "score:N", title=None, scale=_SCALE, legend=alt.Legend(orient="bottom")
            ),
            strokeDash=alt.condition(
                alt.datum.score == SCORE_LABELS["veiligheid"], alt.value([4, 3]), alt.value([1, 0])
            ),
            tooltip=["datum:T", "score:N", "waarde:Q"],
        )
        .properties(height=260)
    )


def monthly_chart(monthly: pd.DataFrame) -> alt.Chart:
    """Mean score per month over the experiment's households (aggregated, suppressed)."""
    data = monthly.assign(score=monthly["score"].map(SCORE_LABELS))
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("maand:O", title="Maand"),
            y=alt.Y("gemiddelde:Q", title="Gemiddelde score", scale=alt.Scale(domain=[1, 5])),
            color=alt.Color(
                "score:N", title=None, scale=_SCALE, legend=alt.Legend(orient="bottom")
            ),
            tooltip=["maand:O", "score:N", alt.Tooltip("gemiddelde:Q", format=".2f"), "n:Q"],
        )
        .properties(height=280)
    )


def did_chart(did: pd.DataFrame) -> alt.Chart:
    """DiD estimate per outcome with its interval (rows without interval show the point)."""
    base = alt.Chart(did).encode(y=alt.Y("uitkomst:N", title=None))
    points = base.mark_point(filled=True, size=80).encode(
        x=alt.X("effect:Q", title="Verschil-in-verschillen"), tooltip=list(did.columns)
    )
    bars = base.mark_rule().encode(x="ci_laag:Q", x2="ci_hoog:Q")
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[3, 3]).encode(x="x:Q")
    return (bars + points + zero).properties(height=140)


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
