"""Triage at the one front door: *standaard* or *maatwerk*, with reasons in plain Dutch.

The advice is maatwerk when the household is complex under the active,
versioned rules (:func:`coordination.stacking.household_stacking`; the
definitions live there, not here) or when the request is urgent or acute;
otherwise standaard. Staff may deviate from the advice only with a reason.
A standaard request goes to its domain's normal process; a maatwerk request
goes onto a case-table agenda:

- "Tafel sociale veiligheid" when a safety signal is open (a signal of a kind the
  active rule ``veiligheidssignaal`` lists);
- "Tafel Noord en Oost" for households in the Noord and Oost districts;
- otherwise "Brede tafel publiek domein".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from coordination import casetables
from coordination.models import AgendaItem
from coordination.rules import active_rules
from coordination.stacking import household_stacking
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.models import HelpRequest, Household, Signal
from households.periods import signal_open_sql
from households.validation import clean_text

__all__ = [
    "TriageAdvice", "TriageDecision", "advice_for", "triage_advice", "decide_triage",
    "table_for_household", "URGENT", "TRIAGE_CHOICES",
]  # fmt: skip

URGENT = ("hoog", "acuut")
TRIAGE_CHOICES = ("standaard", "maatwerk")
NOORD_OOST = ("noord", "oost")


@dataclass(frozen=True)
class TriageAdvice:
    """The advice (``standaard`` or ``maatwerk``), its Dutch reasons and the rule version."""

    advies: str
    redenen: tuple[str, ...]
    regelset_versie: int | None


def triage_advice(
    complex_: bool, complex_reasons, urgentie: str, regelset_versie: int | None = None
) -> TriageAdvice:
    """The advice for a household's complexity and a request's urgency (pure).

    >>> triage_advice(False, [], "normaal", 1)
    TriageAdvice(advies='standaard', redenen=('geen complexiteit gevonden: standaardproces',), regelset_versie=1)
    >>> triage_advice(True, ["veiligheidssignaal open"], "acuut", 2).redenen
    ('veiligheidssignaal open', 'urgentie: acuut')
    """  # noqa: E501
    redenen = list(complex_reasons) if complex_ else []
    if urgentie in URGENT:
        redenen.append(f"urgentie: {urgentie}")
    if redenen:
        return TriageAdvice("maatwerk", tuple(redenen), regelset_versie)
    return TriageAdvice(
        "standaard", ("geen complexiteit gevonden: standaardproces",), regelset_versie
    )


def advice_for(session: Session, household_id: int, date: dt.date, urgentie: str) -> TriageAdvice:
    """Compute the advice for a household on ``date`` under the active rules."""
    st = household_stacking(session, household_id, date)
    return triage_advice(st.complex, st.reasons, urgentie, st.rule_version)


def _safety_signal_open(session: Session, household_id: int, date: dt.date) -> bool:
    # The kinds are the active rule set's own list (rule veiligheidssignaal); its
    # on/off toggle only decides complexity: an open safety signal always routes here.
    kinds = active_rules(session).regels["veiligheidssignaal"]["soorten"]
    return bool(
        session.scalar(
            select(
                exists().where(
                    Signal.household_id == household_id,
                    Signal.soort.in_(list(kinds)),
                    signal_open_sql(Signal, date),
                )
            )
        )
    )


def table_for_household(session: Session, household_id: int, date: dt.date):
    """The case table a maatwerk request of this household goes to (see module docstring)."""
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound("Huishouden niet gevonden.")
    if _safety_signal_open(session, household_id, date):
        return casetables.table_by_name(session, casetables.TAFEL_VEILIGHEID)
    if (household.wijk or "").strip().lower() in NOORD_OOST:
        return casetables.table_by_name(session, casetables.TAFEL_NOORD_OOST)
    return casetables.table_by_name(session, casetables.BREDE_TAFEL)


@dataclass(frozen=True)
class TriageDecision:
    """What happened with a request: the choice, whether it deviates, and where it went."""

    request_id: int
    keuze: str
    advies: str | None
    afwijking_reden: str | None
    route: str
    agenda_item_id: int | None
    tafel: str | None


def decide_triage(
    session: Session,
    actor: Actor,
    request_id: int,
    keuze: str,
    reden: str | None = None,
    date: dt.date | None = None,
) -> TriageDecision:
    """Accept or override the triage advice of a request (voordeur, gbd; audited).

    An override needs a reason. ``standaard`` records the request as going to
    the domain's normal process (``besluit_op`` = ``date``); ``maatwerk`` puts
    the household on the agenda of the case table chosen by
    :func:`table_for_household`.
    """
    authorize(session, actor, "triage_besluit")
    req = session.get(HelpRequest, request_id) if isinstance(request_id, int) else None
    if req is None:
        raise NotFound("Hulpvraag niet gevonden.")
    if keuze not in TRIAGE_CHOICES:
        raise InvalidInput("Kies standaard of maatwerk.")
    date = date or dt.date.today()
    reden = clean_text(reden, "De reden", 0) or None
    deviates = req.triage_advies is not None and keuze != req.triage_advies
    if deviates and (reden is None or len(reden) < 5):
        raise InvalidInput(
            f"U wijkt af van het advies ({req.triage_advies}): "
            "geef een reden op (minstens 5 tekens)."
        )
    if reden is not None and len(reden) > 4000:
        raise InvalidInput("De reden is te lang (hoogstens 4000 tekens).")
    if req.triage is not None:
        raise Conflict(f"Over deze hulpvraag is al besloten ({req.triage}).")
    require_household_access(session, actor, req.household_id)
    req.triage = keuze
    req.afwijking_reden = reden if deviates else None
    item = table = None
    if keuze == "standaard":
        req.besluit_op = date
        route = f"normaal proces {req.domein}"
    else:
        table = table_for_household(session, req.household_id, date)
        already = session.scalar(select(AgendaItem.id).where(AgendaItem.help_request_id == req.id))
        if already is None:
            vraag = f"Maatwerk: {req.omschrijving or 'hulpvraag ' + req.domein}"
            item = casetables.put_on_agenda(
                session, actor, table, req.household_id, vraag[:4000], req.id, date
            )
        route = f"agenda {table.naam}"
    session.flush()
    audit.record(
        session, actor, audit.Event.TRIAGE_BESLUIT, "household", req.household_id,
        oud={"advies": req.triage_advies},
        nieuw={"request": req.id, "keuze": keuze, "afwijking": deviates},
        doel=reden if deviates else None,
    )  # fmt: skip
    return TriageDecision(
        req.id, keuze, req.triage_advies, req.afwijking_reden, route,
        item.id if item else None, table.naam if table else None,
    )  # fmt: skip
