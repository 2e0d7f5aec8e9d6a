"""The client journey: how a household moved through the doors, and the overview of it.

Per household, a timeline of its help requests: which door, who did the intake,
the handovers (triage, case-table agenda, decision, review, actions, feedback)
and the days until a decision. For KISS, the aggregates that compare the
three-door period (requests through the WMO, JEUGD or ISD door) with the
one-door period (door KISS): median days from request to decision and the
number of separate intakes per household.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.casetables import TAFEL_VEILIGHEID
from coordination.disclosure import Disclosure, disclosure
from coordination.facts import day_number, fetch_columns
from coordination.models import Action, AgendaItem, CaseTable, Decision, Feedback, Review
from coordination.suppression import SECONDARY, SUPPRESSED, is_small, primary
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.categories import known_at
from households.frontdoors import ONE_FRONT_DOOR, front_door_label
from households.models import HelpRequest, Institution

__all__ = ["JourneyStep", "JourneyRequest", "household_journey", "journey_overview", "PERIODS"]

PERIODS = {"drie voordeuren": ("WMO", "JEUGD", "ISD"), "centrale voordeur": (ONE_FRONT_DOOR,)}


@dataclass(frozen=True)
class JourneyStep:
    """One handover on the way of a request."""

    datum: dt.date
    stap: str
    tekst: str


@dataclass(frozen=True)
class JourneyRequest:
    """One request with its door, intake, steps and the days until a decision."""

    request_id: int | None
    ontvangen_op: dt.date | None
    voordeur: str | None
    domein: str | None
    intake_door: str | None
    dagen_tot_besluit: int | None
    stappen: list[JourneyStep] = field(default_factory=list)


def _item_steps(
    session: Session, item: AgendaItem, tables: dict[int, str], seen: Disclosure
) -> list[JourneyStep]:
    table = tables[item.case_table_id]
    if table == TAFEL_VEILIGHEID and not seen.shows("veiligheid"):
        # the Tafel sociale veiligheid works with veiligheid content (DESIGN 8.2): a reader
        # without a ground for it sees that the household is known there, nothing more
        return [JourneyStep(item.toegevoegd_op, "agendapunt", f"{table}: {known_at('veiligheid')}")]
    steps = [
        JourneyStep(item.toegevoegd_op, "agendapunt", f"{tables[item.case_table_id]}: {item.vraag}")
    ]
    for d in session.scalars(select(Decision).where(Decision.agenda_item_id == item.id)):
        steps.append(JourneyStep(d.besloten_op, "besluit", f"{d.soort}: {d.tekst}"))
        for r in session.scalars(select(Review).where(Review.decision_id == d.id)):
            word = "akkoord" if r.akkoord else f"tegenspraak: {r.reden}"
            steps.append(JourneyStep(r.datum, "review", word))
    rows = session.execute(
        select(Action, Institution.naam)
        .outerjoin(Institution, Institution.id == Action.institution_id)
        .where(Action.agenda_item_id == item.id)
    ).all()
    for a, inst in rows:
        to = inst or a.afdeling
        steps.append(
            JourneyStep(
                a.aangemaakt_op, "opdracht", f"{to}: {a.omschrijving} (uiterlijk {a.deadline})"
            )
        )
        for f in session.scalars(select(Feedback).where(Feedback.action_id == a.id)):
            steps.append(JourneyStep(f.datum, "terugkoppeling", f"{f.door}: {f.tekst}"))
    return steps


def household_journey(session: Session, actor: Actor, household_id: int) -> list[JourneyRequest]:
    """The household's requests in date order with every handover (access checked; audited).

    Agenda items that came from no request are listed last, under an empty request.
    """
    reason = require_household_access(session, actor, household_id, audit.Event.KLANTREIS_INZIEN)
    seen = disclosure(session, actor, household_id, reason)
    tables = dict(session.execute(select(CaseTable.id, CaseTable.naam)).all())
    items = list(
        session.scalars(
            select(AgendaItem)
            .where(AgendaItem.household_id == household_id)
            .order_by(AgendaItem.id)
        )
    )
    out = []
    for r in session.scalars(
        select(HelpRequest)
        .where(HelpRequest.household_id == household_id)
        .order_by(HelpRequest.ontvangen_op, HelpRequest.id)
    ):
        door = front_door_label(r.voordeur)
        steps = [JourneyStep(r.ontvangen_op, "aanvraag", f"{r.domein} via {door}")]
        if r.triage_advies:
            redenen = "; ".join(r.triage_redenen or [])
            steps.append(
                JourneyStep(r.ontvangen_op, "triage-advies", f"{r.triage_advies} ({redenen})")
            )
        if r.triage:
            text = r.triage + (f" (afwijking: {r.afwijking_reden})" if r.afwijking_reden else "")
            when = r.besluit_op if r.triage == "standaard" and r.besluit_op else r.ontvangen_op
            steps.append(JourneyStep(when, "triage", text))
        for item in (i for i in items if i.help_request_id == r.id):
            steps.extend(_item_steps(session, item, tables, seen))
        days = (r.besluit_op - r.ontvangen_op).days if r.besluit_op else None
        out.append(JourneyRequest(r.id, r.ontvangen_op, r.voordeur, r.domein, r.intake_door, days,
                                  sorted(steps, key=lambda s: s.datum)))  # fmt: skip
    loose = [s for i in items if i.help_request_id is None
             for s in _item_steps(session, i, tables, seen)]  # fmt: skip
    if loose:
        out.append(
            JourneyRequest(None, None, None, None, None, None, sorted(loose, key=lambda s: s.datum))
        )
    audit.record(
        session, actor, audit.Event.KLANTREIS_INZIEN, "household", household_id, doel=reason
    )
    return out


def journey_overview(
    session: Session, actor: Actor, date_from: dt.date, date_to: dt.date
) -> pd.DataFrame:
    """Per period (three doors vs one door), for requests received in [date_from, date_to].

    Columns: ``periode, aanvragen, huishoudens, intakes_per_huishouden,
    mediaan_dagen_tot_besluit``. Counts of 1 to 4 households are shown as
    ``"<5"``, their requests as ``"<5"`` or (5 and more) ``"x"``, and the row's other
    figures are then left empty (kiss, gbd).
    """
    authorize(session, actor, "klantreis_overzicht")
    dialect = session.get_bind().dialect.name
    cols = fetch_columns(
        session,
        select(
            HelpRequest.household_id,
            HelpRequest.voordeur,
            func.coalesce(
                day_number(HelpRequest.besluit_op, dialect)
                - day_number(HelpRequest.ontvangen_op, dialect),
                -1,
            ),
        ).where(HelpRequest.ontvangen_op >= date_from, HelpRequest.ontvangen_op <= date_to),
        ["hh", "door", "days"],
    )  # one set-based read, then numpy: a million requests stay fast
    hh = cols["hh"].astype(np.int64)
    door = cols["door"].astype(object)
    days = cols["days"].astype(np.int64)
    out = []
    for periode, doors in PERIODS.items():
        mine = np.isin(door, doors)
        households = len(np.unique(hh[mine]))
        decided = days[mine & (days >= 0)]
        if is_small(households):
            # the requests of 1-4 households: "<5" only when they are 1-4 themselves
            requests = primary(int(mine.sum()))
            out.append((periode, SECONDARY if requests != SUPPRESSED else requests,
                        SUPPRESSED, None, None))  # fmt: skip
            continue
        out.append((
            periode, int(mine.sum()), households,
            round(int(mine.sum()) / households, 2) if households else None,
            float(np.median(decided)) if len(decided) else None,
        ))  # fmt: skip
    audit.record(
        session, actor, audit.Event.KLANTREIS_OVERZICHT, "report", f"{date_from}/{date_to}"
    )
    return pd.DataFrame(
        out,
        columns=[
            "periode",
            "aanvragen",
            "huishoudens",
            "intakes_per_huishouden",
            "mediaan_dagen_tot_besluit",
        ],  # fmt: skip
    )
