"""What every chart says, in words and as a table: pure functions, one per chart.

Each chart on a page gets a short Dutch summary beside it (what it shows and the
key numbers; also its text alternative for a screen reader) and a table view on
request, so nothing is told by colour or position alone. The household graph
can be read as a list (:func:`graph_outline`). Counts that are published
protected (``"<5"``, ``"x"``) stay as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from app.format import MISSING, date, number, table

__all__ = [
    "DOMAIN_NAMES", "counts_summary", "counts_table", "graph_outline", "graph_summary",
    "ranking_summary", "timeline_summary", "timeline_table", "trend_summary", "trend_table",
    "wijk_summary", "triangle_summary", "triangle_table", "monthly_summary", "monthly_table",
    "did_summary", "plural",
]  # fmt: skip

DOMAIN_NAMES = {"ISD": "ISD", "JEUGD": "Jeugd", "WMO": "Wmo"}
KIND_NAMES = {
    "huishouden": ("huishouden", "huishoudens"), "persoon": ("persoon", "personen"),
    "voorziening": ("voorziening", "voorzieningen"), "schuldeiser": ("schuldeiser", "schuldeisers"),
    "instelling": ("instelling", "instellingen"), "hulpvraag": ("hulpvraag", "hulpvragen"),
    "signaal": ("signaal", "signalen"), "regie": ("regiehouder", "regiehouders"),
}  # fmt: skip


def plural(n: int, one: str, many: str) -> str:
    """``1 persoon``, ``3 personen`` (Dutch separators).

    >>> plural(1, "persoon", "personen"), plural(1200, "persoon", "personen")
    ('1 persoon', '1.200 personen')
    """
    return f"{number(n)} {one if n == 1 else many}"


def _domain_counts(labels: Sequence[str]) -> str:
    counts = Counter(DOMAIN_NAMES.get(d, d) for d in labels)
    return ", ".join(f"{n} {d}" for d, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _domain_of(label: str) -> str:
    return label.split(":", 1)[0].strip()


# --- the household graph ---------------------------------------------------------------------


def graph_summary(nodes: Sequence) -> str:
    """The household graph in one paragraph: persons, provisions (active per domain, ended),
    creditors, institutions, open signals, regie.

    ``nodes`` are the picture's graph nodes (``soort``, ``label``, ``actief``).

    >>> from types import SimpleNamespace as N
    >>> nodes = [N(soort="huishouden", label="H1", actief=True),
    ...          N(soort="persoon", label="Anna", actief=True),
    ...          N(soort="voorziening", label="WMO: hulp", actief=True),
    ...          N(soort="voorziening", label="WMO: vervoer", actief=True),
    ...          N(soort="voorziening", label="JEUGD: jeugdhulp", actief=True),
    ...          N(soort="voorziening", label="ISD: bijstand", actief=False),
    ...          N(soort="signaal", label="politie", actief=True)]
    >>> print(graph_summary(nodes).replace(". ", ".\\n"))
    Huishouden H1 met 1 persoon.
    4 voorzieningen: 3 actief (2 Wmo, 1 Jeugd), 1 beëindigd (1 ISD).
    1 open signaal.
    """
    by_kind: dict[str, list] = {}
    for node in nodes:
        by_kind.setdefault(node.soort, []).append(node)
    home = by_kind.get("huishouden", [])
    persons = by_kind.get("persoon", [])
    parts = [f"Huishouden {home[0].label if home else MISSING} met "
             f"{plural(len(persons), 'persoon', 'personen')}."]  # fmt: skip
    provisions = by_kind.get("voorziening", [])
    if provisions:
        active = [_domain_of(p.label) for p in provisions if p.actief]
        ended = [_domain_of(p.label) for p in provisions if not p.actief]
        text = plural(len(provisions), "voorziening", "voorzieningen")
        text += f": {number(len(active))} actief"
        text += f" ({_domain_counts(active)})" if active else ""
        text += f", {number(len(ended))} beëindigd"
        text += f" ({_domain_counts(ended)})" if ended else ""
        parts.append(text + ".")
    else:
        parts.append("Geen voorzieningen.")
    creditors = by_kind.get("schuldeiser", [])
    if creditors:
        still = sum(1 for c in creditors if c.actief)
        parts.append(f"{plural(len(creditors), 'schuldeiser', 'schuldeisers')} "
                     f"({number(still)} met openstaande schuld).")  # fmt: skip
    institutions = by_kind.get("instelling", [])
    if institutions:
        parts.append(f"{plural(len(institutions), 'instelling', 'instellingen')} betrokken.")
    signals = [s for s in by_kind.get("signaal", []) if s.actief]
    if signals:
        parts.append(f"{plural(len(signals), 'open signaal', 'open signalen')}.")
    regie = by_kind.get("regie", [])
    if regie:
        parts.append("Regie: " + ", ".join(r.label or MISSING for r in regie) + ".")
    return " ".join(parts)


def _line(node) -> str:
    one = KIND_NAMES.get(node.soort, (node.soort, node.soort))[0]
    status = "" if node.actief else " — beëindigd"
    if node.soort == "schuldeiser":
        status = " — openstaande schuld" if node.actief else " — afgelost"
    if node.soort == "signaal":
        status = " — open" if node.actief else " — gesloten"
    return f"{one.capitalize()}: {node.label}{status}"


def graph_outline(nodes: Sequence) -> list[str]:
    """The household graph as a nested Markdown list (household, persons with what they
    receive and owe; then institutions, help requests, signals and regie).

    ``nodes`` have ``id``, ``soort``, ``label``, ``actief`` and ``ouder``.

    >>> from types import SimpleNamespace as N
    >>> nodes = [N(id="h", soort="huishouden", label="H1", actief=True, ouder=None),
    ...          N(id="p", soort="persoon", label="Anna", actief=True, ouder="h"),
    ...          N(id="v", soort="voorziening", label="WMO: hulp", actief=False, ouder="p"),
    ...          N(id="i", soort="instelling", label="Radar", actief=False, ouder="v")]
    >>> print("\\n".join(graph_outline(nodes)))
    - Huishouden: H1
      - Persoon: Anna
        - Voorziening: WMO: hulp — beëindigd
    - Instelling: Radar — beëindigd
    """
    children: dict[str | None, list] = {}
    for node in nodes:
        children.setdefault(node.ouder, []).append(node)
    lines: list[str] = []

    def walk(node, depth: int) -> None:
        lines.append("  " * depth + "- " + _line(node))
        for child in children.get(node.id, []):
            if child.soort in ("persoon", "voorziening", "schuldeiser"):
                walk(child, depth + 1)

    for root in [n for n in nodes if n.soort == "huishouden"]:
        walk(root, 0)
    for soort in ("instelling", "regie", "hulpvraag", "signaal"):
        for node in [n for n in nodes if n.soort == soort]:
            lines.append("- " + _line(node))
    return lines


# --- the timeline ----------------------------------------------------------------------------


def timeline_summary(rows: Sequence, on: dt.date | None = None) -> str:
    """Provisions in time: the span in years, active (per domain) and ended.

    >>> from types import SimpleNamespace as N
    >>> rows = [N(domein="WMO", van=dt.date(2021, 3, 1), tot=dt.date(2026, 11, 1), actief=True),
    ...         N(domein="ISD", van=dt.date(2023, 1, 1), tot=dt.date(2025, 6, 30), actief=False)]
    >>> timeline_summary(rows)
    '2 voorzieningen van 2021 tot 2026: 1 actief (1 Wmo), 1 beëindigd (laatste einde 30-06-2025).'
    """
    if not rows:
        return "Geen voorzieningen."
    start = min(r.van for r in rows).year
    end = max(r.tot for r in rows).year
    active = [r.domein for r in rows if r.actief]
    ended = [r for r in rows if not r.actief]
    text = f"{plural(len(rows), 'voorziening', 'voorzieningen')} van {start} tot {end}: "
    text += f"{number(len(active))} actief" + (f" ({_domain_counts(active)})" if active else "")
    if ended:
        last = max(r.tot for r in ended)
        text += f", {number(len(ended))} beëindigd (laatste einde {date(last)})"
    return text + "."


def timeline_table(rows: Sequence) -> pd.DataFrame:
    """The timeline as a table: domain, provision, provider, from, to, status."""
    return table(
        [{"Domein": DOMAIN_NAMES.get(r.domein, r.domein), "Voorziening": r.voorziening,
          "Aanbieder": r.aanbieder or None, "Van": r.van,
          "Tot": "loopt nog" if getattr(r, "lopend", False) else r.tot,
          "Status": "actief" if r.actief else "beëindigd"} for r in rows]
    )  # fmt: skip


# --- steering counts -------------------------------------------------------------------------


def _visible(value) -> bool:
    return not isinstance(value, str)


def counts_summary(counts: Mapping[str, int | str], what: str, unit: str = "huishoudens") -> str:
    """A protected distribution in words: the largest visible group and what is hidden.

    >>> counts_summary({"WMO": 120, "ISD+WMO": "<5", "ISD": 40}, "combinaties")
    '3 combinaties; de grootste: WMO met 120 huishoudens; 1 te klein om te tonen (<5).'
    >>> counts_summary({}, "combinaties")
    'Geen combinaties.'
    """
    if not counts:
        return f"Geen {what}."
    shown = {k: v for k, v in counts.items() if _visible(v)}
    hidden = len(counts) - len(shown)
    text = f"{number(len(counts))} {what}"
    if shown:
        top = max(shown, key=lambda k: shown[k])
        text += f"; de grootste: {top} met {number(shown[top])} {unit}"
    if hidden:
        marks = " of ".join(sorted({v for v in counts.values() if not _visible(v)}))
        text += f"; {number(hidden)} te klein om te tonen ({marks})"
    return text + "."


def counts_table(counts: Mapping[str, int | str], key: str, unit: str = "Huishoudens"):
    """A distribution as a table in Dutch notation (``<5`` stays ``<5``)."""
    return pd.DataFrame([(k, number(v)) for k, v in counts.items()], columns=[key, unit])


def wijk_summary(by_wijk: Mapping[str, Mapping], measures: Mapping[str, str]) -> str:
    """Per measure the wijk with the most households (visible counts only).

    >>> by_wijk = {"Noord": {"stacked": 12}, "Oost": {"stacked": "<5"}}
    >>> wijk_summary(by_wijk, {"stacked": "gestapeld"})
    'Meeste huishoudens per maat: gestapeld in Noord (12).'
    """
    parts = []
    for key, name in measures.items():
        shown = {w: b[key] for w, b in by_wijk.items() if _visible(b.get(key, "x"))}
        if shown:
            top = max(shown, key=lambda w: shown[w])
            parts.append(f"{name} in {top} ({number(shown[top])})")
    return ("Meeste huishoudens per maat: " + "; ".join(parts) + ".") if parts else (
        "Alle aantallen per wijk zijn te klein om te tonen.")  # fmt: skip


def trend_summary(trend: Sequence[Mapping], measures: Mapping[str, str]) -> str:
    """First and last quarter of every measure.

    >>> trend_summary([{"kwartaal": "2025-K1", "stacked": 9}, {"kwartaal": "2025-K2",
    ...                 "stacked": 12}], {"stacked": "gestapeld"})
    'Van 2025-K1 tot 2025-K2: gestapeld 9 → 12.'
    """
    if not trend:
        return "Nog geen historie."
    first, last = trend[0], trend[-1]
    parts = [f"{name} {number(first[k])} → {number(last[k])}" for k, name in measures.items()]
    return f"Van {first['kwartaal']} tot {last['kwartaal']}: " + ", ".join(parts) + "."


def trend_table(trend: Sequence[Mapping], measures: Mapping[str, str]) -> pd.DataFrame:
    """The trend as a table: one row per quarter, one column per measure."""
    return pd.DataFrame(
        [[t["kwartaal"], *(number(t[k]) for k in measures)] for t in trend],
        columns=["Kwartaal", *(name.capitalize() for name in measures.values())],
    )


def ranking_summary(ranking: pd.DataFrame) -> str:
    """The institutions with the largest reach.

    >>> ranking_summary(pd.DataFrame({"naam": ["Radar", "MEE", "GGD"],
    ...                               "huishoudens": [40, 12, "<5"]}))
    '3 instellingen; grootste bereik: Radar (40 huishoudens), MEE (12 huishoudens).'
    """
    shown = [(n, h) for n, h in zip(ranking["naam"], ranking["huishoudens"], strict=True)
             if _visible(h)][:3]  # fmt: skip
    text = plural(len(ranking), "instelling", "instellingen")
    if shown:
        text += "; grootste bereik: " + ", ".join(
            f"{n} ({number(h)} huishoudens)" for n, h in shown
        )
    return text + "."


# --- the stability triangle ------------------------------------------------------------------


def triangle_summary(trend: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """The first log against the last, per corner (and the number of logs).

    >>> t = pd.DataFrame({"datum": [dt.date(2026, 1, 5), dt.date(2026, 6, 1)],
    ...                   "meedoen": [2, 4], "veiligheid": [3, 3]})
    >>> print(triangle_summary(t, {"meedoen": "Meedoen", "veiligheid": "Veiligheid"}))
    ... # doctest: +NORMALIZE_WHITESPACE
    2 logs, van 05-01-2026 tot 01-06-2026. Eerste → laatste: meedoen 2 → 4 (beter),
    veiligheid 3 → 3 (gelijk).
    """
    if trend.empty:
        return "Nog geen logregels."
    first, last = trend.iloc[0], trend.iloc[-1]
    parts = []
    for key, label in labels.items():
        a, b = int(first[key]), int(last[key])
        how = "beter" if b > a else ("slechter" if b < a else "gelijk")
        parts.append(f"{label.lower()} {a} → {b} ({how})")
    return (f"{plural(len(trend), 'log', 'logs')}, van {date(first['datum'])} tot "
            f"{date(last['datum'])}. Eerste → laatste: " + ", ".join(parts) + ".")  # fmt: skip


def triangle_table(trend: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Every log as a row: date and the scores per corner."""
    return table([{"Datum": r["datum"], **{label: int(r[k]) for k, label in labels.items()}}
                  for _, r in trend.iterrows()])  # fmt: skip


def monthly_summary(monthly: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """Mean score per corner, first month against the last shown month.

    >>> m = pd.DataFrame({"maand": ["2026-01", "2026-03"], "score": ["meedoen"] * 2,
    ...                   "gemiddelde": [2.0, 3.26], "n": [6, 7]})
    >>> print(monthly_summary(m, {"meedoen": "Meedoen"}))  # doctest: +NORMALIZE_WHITESPACE
    Gemiddelde score van januari 2026 tot maart 2026 (maanden met minstens 5 huishoudens):
    meedoen 2,0 → 3,3.
    """
    from app.format import long_date

    if monthly.empty:
        return "Nog te weinig logs voor een gemiddelde per maand."
    months = sorted(monthly["maand"].unique())

    def month(m: str) -> str:
        return long_date(dt.date(int(m[:4]), int(m[5:7]), 1)).split(" ", 1)[1]

    parts = []
    for key, label in labels.items():
        sub = monthly[monthly["score"] == key].set_index("maand")["gemiddelde"]
        if len(sub):
            parts.append(f"{label.lower()} {number(float(sub.iloc[0]), 1)} → "
                         f"{number(float(sub.iloc[-1]), 1)}")  # fmt: skip
    return (f"Gemiddelde score van {month(months[0])} tot {month(months[-1])} (maanden met "
            "minstens 5 huishoudens): " + ", ".join(parts) + ".")  # fmt: skip


def monthly_table(monthly: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The monthly means as a table (Dutch decimals)."""
    return pd.DataFrame(
        [[r.maand, labels.get(r.score, r.score), number(float(r.gemiddelde), 2), number(int(r.n))]
         for r in monthly.itertuples()],
        columns=["Maand", "Hoek", "Gemiddelde", "Huishoudens"],
    )  # fmt: skip


def did_summary(did: pd.DataFrame) -> str:
    """Every shown effect with its interval, in its own unit.

    >>> did_summary(pd.DataFrame({"uitkomst": ["Openstaande schuld (€)"], "effect": [-1234.6],
    ...                           "ci_laag": [-2000.0], "ci_hoog": [None]}))
    'Effect tegenover de vergelijkingsgroep: openstaande schuld (€) € -1.235 (geen interval).'
    """
    from app.format import euro, percentage

    if did.empty:
        return "Geen effect te tonen: de groepen zijn te klein."

    def show(label: str, value) -> str:
        if value is None or value != value:
            return MISSING
        if "€" in label:
            return euro(value, 0)
        if "aandeel" in label:
            return percentage(value)
        return number(value, 1)

    parts = []
    for r in did.itertuples():
        text = f"{r.uitkomst.lower()} {show(r.uitkomst, r.effect)}"
        if (
            r.ci_laag is None
            or r.ci_hoog is None
            or r.ci_laag != r.ci_laag
            or r.ci_hoog != r.ci_hoog
        ):
            text += " (geen interval)"
        else:
            text += (
                f" (95%-interval {show(r.uitkomst, r.ci_laag)} tot {show(r.uitkomst, r.ci_hoog)})"
            )
        parts.append(text)
    return "Effect tegenover de vergelijkingsgroep: " + "; ".join(parts) + "."
