"""The indicators a KISS goal can be bound to: one named function each, computed from data.

Every value leaves this module protected (DESIGN 4.6). The counts (regiegaten, CBS
stacking, complex households) are read from the protected steering overview
(:func:`coordination.overview.steering_overview`): its trend per quarter and its
reference date, exactly as the KISS-overzicht publishes them, so a goal never shows a
count the overview hides. The share of help requests through the central front door
is defined here (:func:`central_door_share`) and protected with
:func:`coordination.suppression.suppress_share`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.facts import fetch_columns
from coordination.suppression import is_hidden, suppress_share
from households.models import IMPORT_FRONT_DOORS, HelpRequest
from households.periods import MONTHS_12_DAYS, in_window, window_start

__all__ = ["CENTRAL_DOOR", "INDICATORS", "Indicator", "Point", "central_door_share",
           "indicator_points"]  # fmt: skip

CENTRAL_DOOR = IMPORT_FRONT_DOORS["CENTRAAL"]  # the stored code of the one front door


@dataclass(frozen=True)
class Point:
    """One published value of an indicator: the number (None when hidden) and its text."""

    datum: dt.date
    waarde: float | None
    tekst: str


@dataclass(frozen=True)
class Indicator:
    """A measure a goal can be bound to, with its unit and a one-line explanation."""

    key: str
    naam: str
    eenheid: str  # "huishoudens" or "%"
    uitleg: str
    points: Callable[[Session, dict], list[Point]]


def _count_points(key: str) -> Callable[[Session, dict], list[Point]]:
    """Points of an overview count: the trend's quarter ends and the reference date."""

    def points(_session: Session, overview: dict) -> list[Point]:
        ref = dt.date.fromisoformat(overview["reference_date"])
        values = {dt.date.fromisoformat(r["datum"]): r[key] for r in overview["trend"]}
        values[ref] = overview[key]
        return [_count_point(d, values[d]) for d in sorted(values)]

    return points


def _count_point(d: dt.date, value) -> Point:
    if is_hidden(value) or value is None:
        return Point(d, None, str(value or "x"))
    return Point(d, float(value), str(int(value)))


def central_door_share(days: np.ndarray, central: np.ndarray, d: dt.date):
    """Help requests in the 12 months up to ``d`` and those via the central front door.

    The one definition of "hulpvragen via de centrale voordeur": requests received in
    the window of :func:`households.periods.in_window`, counted per request. Returns
    ``(total, via_central, share)`` protected by :func:`suppress_share` (share None when
    hidden).

    >>> days = np.array(["2025-01-10", "2025-06-01", "2025-06-02"], dtype="datetime64[D]")
    >>> central_door_share(days, np.array([False, True, True]), dt.date(2025, 6, 30))
    ('<5', '<5', None)
    """
    sel = in_window(days, d)
    return suppress_share(int(sel.sum()), int((sel & central).sum()))


def _central_points(session: Session, overview: dict) -> list[Point]:
    ref = dt.date.fromisoformat(overview["reference_date"])
    dates = sorted({*(dt.date.fromisoformat(r["datum"]) for r in overview["trend"]), ref})
    cols = fetch_columns(
        session,
        select(HelpRequest.ontvangen_op, HelpRequest.voordeur).where(
            HelpRequest.ontvangen_op >= window_start(dates[0], MONTHS_12_DAYS),
            HelpRequest.ontvangen_op <= ref,
        ),
        ["day", "door"],
    )
    days = np.array([str(x)[:10] for x in cols["day"]], dtype="datetime64[D]")
    central = np.array(cols["door"], dtype=object) == CENTRAL_DOOR
    out = []
    for d in dates:
        _total, _part, share = central_door_share(days, central, d)
        value = None if share is None else round(100 * share, 1)
        out.append(Point(d, value, "x" if value is None else f"{value:.1f}%".replace(".", ",")))
    return out


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator("regiegaten", "Regiegaten (complex, zonder regie)", "huishoudens",
                  "Complexe huishoudens zonder actieve regie op de peildatum.",
                  _count_points("regie_gaps")),
        Indicator("centrale_voordeur", "Hulpvragen via de centrale voordeur", "%",
                  "Aandeel van de hulpvragen in de 12 maanden tot de peildatum dat binnenkwam "
                  "via de centrale voordeur.", _central_points),
        Indicator("gestapeld_cbs", "Gestapelde huishoudens (CBS)", "huishoudens",
                  "Huishoudens in 2 of 3 CBS-domeinen (Jeugd, Wmo, Participatiewet).",
                  _count_points("stacked_cbs")),
        Indicator("complex", "Complexe huishoudens", "huishoudens",
                  "Huishoudens die de actieve regelset complex noemt (veiligheid eerst).",
                  _count_points("complex")),
    )
}  # fmt: skip


def indicator_points(session: Session, key: str, overview: dict) -> list[Point]:
    """The published values of indicator ``key`` at the overview's quarter ends and date."""
    return INDICATORS[key].points(session, overview)
