"""How urgent a regie gap is: the one urgency score of a complex household without regie.

A regie gap (DESIGN 4.2) is ranked first by its **level** — the first of these that holds:

1. ``veiligheid``: an open safety signal (politie, huiselijk geweld, Veilig Thuis, or a
   veiligheid score of 1 in a stability log) — someone may be in danger now;
2. ``acuut``: an open help request marked *acuut*;
3. ``jeugdbescherming``: an active jeugdbeschermingsmaatregel (a child under a court order);
4. ``achterstand``: an open Wgs arrears signal (huur, energie, water, zorgverzekering) —
   a threatened eviction or disconnection;
5. ``overig``: complex for other reasons (stacking, repeated requests).

Within a level (DESIGN 4.2: safety, then acute, then the age of the oldest open request):
the oldest open help request first (none last), then more domains, then the larger open
debt, then the household id (a stable order). :func:`gap_urgency` is the only place this
order is written; the Regie page's list of gaps (:func:`coordination.regie.regie_gaps`)
sorts by its ``key`` and shows its ``reden``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from households.formatting import date as nl_date
from households.formatting import euro

__all__ = ["LEVELS", "GapFacts", "Urgency", "gap_urgency"]

#: The levels in order, with how each is named on screen.
LEVELS = (
    ("veiligheid", "open veiligheidssignaal"),
    ("acuut", "acute hulpvraag open"),
    ("jeugdbescherming", "jeugdbeschermingsmaatregel"),
    ("achterstand", "dreigende uitzetting of afsluiting"),
    ("overig", "complex"),
)
_ARREARS_WORDS = {
    "huurachterstand": "huur",
    "energieachterstand": "energie",
    "waterachterstand": "water",
    "zorgverzekeringsachterstand": "zorgverzekering",
}


@dataclass(frozen=True)
class GapFacts:
    """What makes one regie gap urgent, on the reference date."""

    household_id: int
    veiligheidssignaal: bool = False
    acuut: bool = False
    jeugdbescherming: bool = False
    achterstanden: tuple[str, ...] = ()  # open arrears signal kinds
    oudste_open_aanvraag: dt.date | None = None
    n_domeinen: int = 0
    schuld_open: float = 0.0


@dataclass(frozen=True)
class Urgency:
    """The urgency of a gap: its level (1 most urgent), the reason in Dutch, the sort key."""

    niveau: int
    code: str
    reden: str
    key: tuple


def _level(f: GapFacts) -> str:
    if f.veiligheidssignaal:
        return "veiligheid"
    if f.acuut:
        return "acuut"
    if f.jeugdbescherming:
        return "jeugdbescherming"
    if f.achterstanden:
        return "achterstand"
    return "overig"


def gap_urgency(f: GapFacts) -> Urgency:
    """The urgency of one regie gap (see the module docstring for the order).

    >>> u = gap_urgency(GapFacts(7, achterstanden=("huurachterstand",), n_domeinen=2,
    ...                          oudste_open_aanvraag=dt.date(2026, 11, 3), schuld_open=4500))
    >>> u.niveau, u.reden
    (4, 'dreigende uitzetting of afsluiting (huur); aanvraag open sinds 03-11-2026; 2 domeinen; schuld € 4.500')
    >>> gap_urgency(GapFacts(1, veiligheidssignaal=True)).key < u.key
    True
    """  # noqa: E501
    code = _level(f)
    niveau = [c for c, _ in LEVELS].index(code) + 1
    main = dict(LEVELS)[code]
    if code == "achterstand":
        main += f" ({', '.join(_ARREARS_WORDS.get(k, k) for k in f.achterstanden)})"
    parts = [main]
    if f.oudste_open_aanvraag is not None:
        parts.append(f"aanvraag open sinds {nl_date(f.oudste_open_aanvraag)}")
    if f.n_domeinen:
        parts.append(f"{f.n_domeinen} {'domein' if f.n_domeinen == 1 else 'domeinen'}")
    if f.schuld_open > 0:
        parts.append(f"schuld {euro(f.schuld_open, 0)}")
    key = (niveau, f.oudste_open_aanvraag or dt.date.max, -f.n_domeinen, -f.schuld_open,
           f.household_id)  # fmt: skip
    return Urgency(niveau, code, "; ".join(parts), key)
