"""The one-click evaluation report for KISS: one self-contained HTML page.

Aggregates only, never a household identity; every count and every estimate is
protected through :mod:`coordination.suppression` (counts of 1–4 households as
``<5``; no estimate for a group too small to publish).
"Verhalen met data": narratives the coordinator selected (flag on the log), with
names, addresses and postcodes of the household removed.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.overview import is_synthetic
from coordination.suppression import THRESHOLD, count_text, too_small
from experiments.charts import altair_inline_html, did_chart, monthly_chart, svg_did, svg_lines
from experiments.evaluation import ExperimentEvaluation, evaluate_experiment
from experiments.models import SCORES, StabilityLog
from experiments.outcomes import OUTCOMES, POST_OUTCOMES, PROCESS_MEASURES, UNITS
from experiments.registry import get_experiment
from experiments.report_sections import (
    balance_frame,
    lessons_and_bottlenecks,
    match_note,
    treated_only_frame,
)
from experiments.stats import MIN_N_INTERVAL
from experiments.vocabulary import SCORE_LABELS
from households import audit
from households.access import authorize
from households.actor import Actor
from households.formatting import date as nl_date
from households.formatting import number
from households.models import Household, Person
from households.validation import scrub_identifiers

__all__ = [
    "evaluation_report_html",
    "anonymise",
    "selected_narratives",
    "corner_frame",
    "debt_note",
    "did_frame",
    "process_frame",
    "did_chart_data",
    "stressor_frame",
]

CORNER_COLUMNS = ["Hoek", "Baseline", "Laatste", "Verandering", "95%-interval", "Huishoudens"]
DID_COLUMNS = [
    "Uitkomst", "Verandering deelnemers", "Verandering vergelijkingsgroep",
    "Effect (verschil-in-verschillen)", "95%-interval", "n deelnemers", "n vergelijkingsgroep",
]  # fmt: skip
MAX_NARRATIVES = 6


def _n(n: int) -> str:
    return escape(count_text(n))


_POSTCODE = re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b")
_ADDRESS = re.compile(
    r"\b[A-Z][\w'.-]*(?:\s[A-Z][\w'.-]*)*(?:straat|laan|weg|plein|hof|singel|dreef|pad)"
    r"\s*\d+\s*[a-zA-Z]?\b"
)


def anonymise(text: str, names: list[str] = (), streets: list[str] = ()) -> str:
    """Remove the household's names and streets, postcodes, addresses, and (through
    :func:`households.validation.scrub_identifiers`) dates, phone numbers and BSNs.

    >>> anonymise("Anna uit 6443 AB, Kennedylaan 12, zegt: het gaat beter.", ["Anna de Vries"])
    '[naam] uit [postcode], [adres], zegt: het gaat beter.'
    """
    out = _POSTCODE.sub("[postcode]", text)
    out = _ADDRESS.sub("[adres]", out)
    for street in streets:
        if street:
            out = re.sub(rf"\b{re.escape(street)}\b(\s*\d+\s*[a-zA-Z]?\b)?", "[adres]", out,
                         flags=re.IGNORECASE)  # fmt: skip
    tokens = {t for n in names if n for t in re.split(r"[\s,]+", n) if len(t) >= 3}
    for token in sorted(tokens, key=len, reverse=True):
        if token.lower() in {"van", "der", "den", "de"}:
            continue
        out = re.sub(rf"\b{re.escape(token)}\b", "[naam]", out, flags=re.IGNORECASE)
    return scrub_identifiers(out)


def selected_narratives(session: Session, experiment_id: int, date: dt.date) -> list[str]:
    """Selected narratives of the experiment up to ``date``, anonymised (no identities)."""
    logs = session.scalars(
        select(StabilityLog)
        .where(
            StabilityLog.experiment_id == experiment_id,
            StabilityLog.verhaal_geselecteerd.is_(True),
            StabilityLog.datum <= date,
        )
        .order_by(StabilityLog.datum.desc(), StabilityLog.id)
        .limit(MAX_NARRATIVES)
    ).all()
    out = []
    for log in logs:
        names = session.scalars(select(Person.naam).where(Person.household_id == log.household_id))
        hh = session.get(Household, log.household_id)
        streets = [hh.straat] if hh is not None and hh.straat else []
        out.append(anonymise(log.verhaal or "", [n for n in names if n], streets))
    return [n for n in out if n.strip()]


def _interval(lo, hi, n_small: bool, decimals: int = 2) -> str:
    if lo is None:
        return "geen (n < 10)" if n_small else "—"
    return f"{number(lo, decimals)} tot {number(hi, decimals)}"


def corner_frame(ev: ExperimentEvaluation) -> pd.DataFrame:
    """Change per corner, veiligheid and stressor count, as display strings (suppressed)."""
    rows = []
    for key in [*SCORES, "n_stressoren"]:
        r = ev.corner_changes[key]
        label = SCORE_LABELS.get(key, "Aantal stressoren")
        if too_small(r.n):
            status = "nog geen gegevens" if r.n == 0 else "onderdrukt"
            rows.append([label, "—", "—", status, "—", count_text(r.n)])
            continue
        rows.append([
            label, number(r.mean_before, 2), number(r.mean_after, 2), number(r.estimate, 2),
            _interval(r.ci_low, r.ci_high, r.n < MIN_N_INTERVAL), count_text(r.n),
        ])  # fmt: skip
    return pd.DataFrame(rows, columns=CORNER_COLUMNS)


def _did_hidden(r) -> bool:
    return r.estimate is None or too_small(r.n_treated) or too_small(r.n_control)


def did_frame(ev: ExperimentEvaluation, measures: dict | None = None) -> pd.DataFrame:
    """The difference-in-differences per outcome as display strings, with group sizes.

    ``measures`` (key -> label) defaults to the outcomes that matter (OUTCOMES and the
    post-enrolment POST_OUTCOMES); :func:`process_frame` passes the process measures.
    """
    rows = []
    for key, label in (measures or {**OUTCOMES, **POST_OUTCOMES}).items():
        if key not in ev.did:
            continue
        r = ev.did[key]
        if _did_hidden(r):
            status = "nog geen gegevens" if r.estimate is None else f"onderdrukt (n < {THRESHOLD})"
            if key == "debt_outstanding" and r.estimate is None and any(ev.debt_unmeasured):
                status = "niet gemeten: geen schuldstanden"
            rows.append([label, "—", "—", status, "—",
                         count_text(r.n_treated), count_text(r.n_control)])  # fmt: skip
            continue
        small = r.n_treated < MIN_N_INTERVAL or r.n_control < MIN_N_INTERVAL
        rows.append([
            label, number(r.treated_change, 2), number(r.control_change, 2), number(r.estimate, 2),
            _interval(r.ci_low, r.ci_high, small), count_text(r.n_treated),
            count_text(r.n_control),
        ])  # fmt: skip
    return pd.DataFrame(rows, columns=DID_COLUMNS)


def process_frame(ev: ExperimentEvaluation) -> pd.DataFrame:
    """The demoted process measures (regie present, active provisions): not an effect."""
    return did_frame(ev, PROCESS_MEASURES)


def debt_note(ev: ExperimentEvaluation) -> str | None:
    """A sentence on the households left out of the debt comparison (no schuldstanden), or None.

    Their debt on the enrolment date or the peildatum is unknown: the hub does not invent a
    change from today's amounts. Counts are protected (1-4 as ``<5``).
    """
    treated, controls = ev.debt_unmeasured
    if not (treated or controls):
        return None
    return (
        f"Schuld: {count_text(treated)} deelnemende en {count_text(controls)} vergelijkings"
        "huishoudens zijn niet meegeteld, omdat er geen schuldstanden zijn op de inschrijfdatum "
        "of de peildatum. Zonder schuldstanden meten we geen verandering van de schuld."
    )


def did_chart_data(ev: ExperimentEvaluation) -> pd.DataFrame:
    """Estimates and intervals of the outcomes that may be shown (for a chart)."""
    rows = [
        {
            "uitkomst": label,
            "effect": r.estimate,
            "ci_laag": r.ci_low,
            "ci_hoog": r.ci_high,
            "eenheid": UNITS[key],
        }
        for key, label in {**OUTCOMES, **POST_OUTCOMES}.items()
        if key in ev.did and not _did_hidden(r := ev.did[key])
    ]
    return pd.DataFrame(rows, columns=["uitkomst", "effect", "ci_laag", "ci_hoog", "eenheid"])


def stressor_frame(ev: ExperimentEvaluation) -> pd.DataFrame:
    """Households per stressor at the start and now (suppressed)."""
    counts = ev.stressor_counts
    return pd.DataFrame(
        [[r.stressor, count_text(int(r.baseline)), count_text(int(r.laatste))]
         for r in counts.itertuples()],
        columns=["Stressor", "Huishoudens bij start", "Huishoudens nu"],
    )  # fmt: skip


def _html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _frame(document: str) -> str:
    # Altair returns a whole HTML document; keep it isolated in an inline frame.
    return (
        (
            f'<iframe style="width:100%;height:380px;border:0" '
            f'srcdoc="{escape(document, quote=True)}"></iframe>'
        )
        if document
        else ""
    )


_CSS = """body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;
color:#222}table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #ccc;
padding:4px 8px;text-align:left}th{background:#f3f3f3}blockquote{border-left:4px solid #1f77b4;
margin:1em 0;padding:.3em 1em;background:#f7f9fc}.note{color:#555;font-size:.9em}"""


def _lessons_html(lessons: list, bottlenecks: list) -> str:
    les = (
        "".join(
            f"<li>{nl_date(d)}: {escape(text)}"
            + (f" — <em>werkwijze: {escape(change)}</em>" if change else "")
            + "</li>"
            for d, text, change in lessons
        )
        or "<li>Nog geen lessen vastgelegd.</li>"
    )
    kn = (
        "".join(
            f"<li>{nl_date(d)} · {escape(regel)}: {escape(text)}</li>"
            for d, regel, text in bottlenecks
        )
        or "<li>Nog geen systeemknelpunten.</li>"
    )
    return f"<h3>Lessen</h3><ul>{les}</ul><h3>Systeemknelpunten</h3><ul>{kn}</ul>"


def evaluation_report_html(
    session: Session, actor: Actor, experiment_id: int, date: dt.date,
    n_boot: int = 2000, seed: int = 0, evaluation: ExperimentEvaluation | None = None,
) -> str:  # fmt: skip
    """The experiment's evaluation as one self-contained HTML page (role ``kiss``).

    Pass ``evaluation`` (from :func:`evaluate_experiment` for the same experiment and
    date) to avoid computing it twice.
    """
    authorize(session, actor, "evaluatierapport")
    exp = get_experiment(session, experiment_id)
    ev = evaluation
    if ev is None or ev.experiment_id != experiment_id or ev.reference_date != date:
        ev = evaluate_experiment(session, actor, experiment_id, date, n_boot=n_boot, seed=seed)
    visible = did_chart_data(ev)
    interactive = altair_inline_html(monthly_chart(ev.monthly)) if not ev.monthly.empty else None
    if interactive is not None:  # self-contained Altair (vl-convert-python installed)
        charts = _frame(interactive)
        effect_chart = _frame(altair_inline_html(did_chart(visible)) or "") if len(visible) else ""
    else:
        charts = svg_lines(ev.monthly)
        rows = list(visible[["uitkomst", "effect", "ci_laag", "ci_hoog"]].itertuples(
            index=False, name=None))  # fmt: skip
        effect_chart = svg_did(rows) if rows else ""
    stressors = (
        _html_table(stressor_frame(ev))
        if len(ev.stressor_counts)
        else "<p>Nog geen stressoren vastgelegd.</p>"
    )
    stories = selected_narratives(session, experiment_id, date)
    lessons_html = _lessons_html(*lessons_and_bottlenecks(session, experiment_id, date, anonymise))
    synthetic = (
        '<p class="note"><strong>Synthetische gegevens:</strong> deze resultaten zijn berekend '
        "op gegenereerde demogegevens, niet op echte huishoudens.</p>"
        if is_synthetic(session) else ""
    )  # fmt: skip
    hyp = "".join(f"<li>{escape(h)}</li>" for h in exp.hypotheses or [])
    verhalen = (
        "".join(f"<blockquote>“{escape(s)}”</blockquote>" for s in stories)
        or "<p>Nog geen verhalen geselecteerd door de coördinatoren.</p>"
    )
    html = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Evaluatie {escape(exp.naam)} — peildatum {nl_date(date)}</title><style>{_CSS}</style></head>
<body>
<h1>Evaluatie: {escape(exp.naam)}</h1>
{synthetic}
<p>Peildatum {nl_date(date)} · wijken: {escape(", ".join(exp.wijken))}
· status: {escape(exp.status)}
· deelnemende huishoudens: {_n(ev.n_enrolled)} · met logboek: {_n(ev.n_logged)}</p>
<h2>Hypothesen</h2><ul>{hyp}</ul>
<h2>Stabiliteitsdriehoek: van start (eerste log) tot nu</h2>
{_html_table(corner_frame(ev))}
<h2>Gemiddelde scores per maand</h2>
{charts}
<h2>Effect tegenover een vergelijkingsgroep</h2>
<p class="note">{escape(match_note(ev.match_levels))} Vergelijkingsgroep: huishoudens in andere
wijken, niet ingeschreven. Verandering tussen inschrijfdatum en peildatum, als
verschil-in-verschillen; 95%-interval met bootstrap. Bij minder dan 10 huishoudens in een groep
geven we geen interval; onder de 5 tonen we niets.</p>
<h3>Balans van de matching</h3>
<p class="note">Gemiddelden op de inschrijfdatum; SMD = gestandaardiseerd verschil in
gemiddelden (onder 0,1 geldt als goed in balans).</p>
{_html_table(balance_frame(ev.balance))}
<h3>Uitkomsten</h3>
{_html_table(did_frame(ev))}
{f'<p class="note">{escape(note)}</p>' if (note := debt_note(ev)) else ""}
{effect_chart}
<h3>Alleen bij deelnemers (uit het logboek)</h3>
{_html_table(treated_only_frame(ev.treated_only))}
<h3>Procesmaten (geen effectmaat)</h3>
<p class="note">Regie ontstaat door de aanpak zelf, en meer voorzieningen kan ook minder
niet-gebruik betekenen: deze maten zeggen niets over het effect.</p>
{_html_table(process_frame(ev))}
<h2>Lessen en systeemknelpunten</h2>
{lessons_html}
<h2>Stressoren</h2>
{stressors}
<h2>Verhalen met data</h2>
{verhalen}
<p class="note">Aantallen van 1 tot 4 huishoudens zijn weergegeven als &lt;5. Dit rapport bevat
geen namen, adressen of huishoudnummers.</p>
</body></html>
"""
    audit.record(session, actor, audit.Event.EVALUATIERAPPORT, "experiment", experiment_id,
                 doel=f"peildatum {date.isoformat()}")  # fmt: skip
    return html
