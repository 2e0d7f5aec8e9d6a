"""The ervaringswerker in the loop (DESIGN 4.4, K2 "Voorbeeld experiment Noord en Oost").

- :func:`stability_view`: the household's stability logs (trend of the corners, stressors,
  acute problems, the story) for the GBD-er with regie, the members of a table where the
  household is on the agenda (:func:`coordination.loop.loop_reason`) and the members of
  the household's experiment; audited with that reason, refusals too.
- :func:`route_safety`: a log with veiligheid 1 opens a ``veiligheid_logboek`` signal
  (``bron_id`` ``logboek:<log id>``: once per log) and puts the household on the agenda of
  the Tafel sociale veiligheid, in the log's own transaction.
- :func:`bring_to_table`: an ervaringswerker puts a household enrolled in their experiment
  on a table's agenda with a question; :func:`my_decisions` shows what the tables decided
  for their enrolled households (and only those);
  :func:`record_experiment_bottleneck` records a systeemknelpunt for their experiment.
- :func:`lessons_log`: the experiments' lessons for KISS, without who wrote them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination import casetables as ct
from coordination.knelpunten import write_bottleneck
from coordination.loop import loop_reason
from coordination.loopmodels import SystemBottleneck
from coordination.models import AgendaItem, CaseTable, Decision, Review
from coordination.plan_view import PlanView, plan_view
from experiments.access import enrolled_in_own_experiment, require_member
from experiments.models import (
    SCORES,
    Enrolment,
    Experiment,
    ExperimentMember,
    Lesson,
    StabilityLog,
)
from households import audit
from households.access import authorize, refuse, valid_id
from households.actor import Actor
from households.errors import InvalidInput, NotFound
from households.models import Household, Signal
from households.validation import clean_text, scrub_identifiers

__all__ = [
    "SAFETY_KIND", "SAFETY_QUESTION", "LogRow", "StabilityView", "may_see_stability",
    "stability_view", "route_safety", "table_choices", "bring_to_table", "DecisionSeen",
    "my_decisions", "plan_goals", "record_experiment_bottleneck", "LessonRow", "lessons_log",
]  # fmt: skip

SAFETY_KIND = "veiligheid_logboek"
SAFETY_QUESTION = (
    "Ervaringswerker scoorde veiligheid 1 (acuut onveilig) in het logboek van {datum}. "
    "Wat is nu nodig voor de veiligheid van dit huishouden?"
)
MSG_NO_LOGS = "U heeft geen toegang tot het logboek van dit huishouden (geen need-to-know)."


def _reason(session: Session, actor: Actor, household_id: int) -> str | None:
    return loop_reason(session, actor, household_id) or enrolled_in_own_experiment(
        session, actor, household_id
    )


def may_see_stability(session: Session, actor: Actor, household_id: int) -> bool:
    """Whether the actor may read the household's stability logs (no audit row)."""
    return _reason(session, actor, household_id) is not None


@dataclass(frozen=True)
class LogRow:
    """One stability log as the regie holder and the table read it."""

    log_id: int
    datum: dt.date
    bestaanszekerheid: int
    zorgcontinuiteit: int
    meedoen: int
    veiligheid: int
    stressoren: tuple[str, ...]
    acute_problemen: str | None
    wat_gedaan: str | None
    verhaal: str | None


@dataclass(frozen=True)
class StabilityView:
    """A household's logs (oldest first) and why the reader may see them."""

    reden: str
    logs: tuple[LogRow, ...]

    def trend(self) -> pd.DataFrame:
        """The logs as the trend frame the charts take (``datum`` and the four scores)."""
        return pd.DataFrame([{"datum": g.datum, **{s: getattr(g, s) for s in SCORES}}
                             for g in self.logs], columns=["datum", *SCORES])  # fmt: skip


def stability_view(session: Session, actor: Actor, household_id: int) -> StabilityView:
    """The stability logs of a household (regie holder, table member, experiment member)."""
    authorize(session, actor, "stabiliteit_inzien")
    reason = _reason(session, actor, household_id)
    if reason is None:
        refuse(session, actor, audit.Event.STABILITEIT_INZIEN, "household", household_id,
               MSG_NO_LOGS)  # fmt: skip
    logs = session.scalars(
        select(StabilityLog)
        .where(StabilityLog.household_id == household_id)
        .order_by(StabilityLog.datum, StabilityLog.id)
    )
    rows = tuple(
        LogRow(g.id, g.datum, g.bestaanszekerheid, g.zorgcontinuiteit, g.meedoen, g.veiligheid,
               tuple(g.stressoren or ()), g.acute_problemen, g.wat_gedaan, g.verhaal)
        for g in logs
    )  # fmt: skip
    audit.record(session, actor, audit.Event.STABILITEIT_INZIEN, "household", household_id,
                 doel=reason)  # fmt: skip
    return StabilityView(reason, rows)


def route_safety(session: Session, actor: Actor, log: StabilityLog) -> Signal | None:
    """Veiligheid 1: open a safety signal and put the household on the veiligheid table.

    Called in the transaction that writes the log. Once per log (the signal's ``bron_id``
    is ``logboek:<log id>``); the agenda item is added unless the household already waits
    (no decision yet) on that table's agenda. Returns the signal, or None when nothing
    was opened.
    """
    if log.veiligheid != 1:
        return None
    bron_id = f"logboek:{log.id}"
    if session.scalar(select(Signal.id).where(Signal.bron_id == bron_id)) is not None:
        return None
    signal = Signal(
        bron_id=bron_id, household_id=log.household_id, soort=SAFETY_KIND,
        bron="Logboek ervaringswerker", gemeld_op=log.datum, created_by=actor.user_id,
        toelichting="Veiligheid 1 (acuut onveilig) gescoord door de ervaringswerker.",
    )  # fmt: skip
    session.add(signal)
    session.flush()
    table = ct.table_by_name(session, ct.TAFEL_VEILIGHEID)
    waiting = session.scalar(
        select(AgendaItem.id)
        .outerjoin(Decision, Decision.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.case_table_id == table.id, AgendaItem.household_id == log.household_id,
               Decision.id.is_(None))
        .limit(1)
    )  # fmt: skip
    item_id = waiting
    if waiting is None:
        vraag = SAFETY_QUESTION.format(datum=log.datum.strftime("%d-%m-%Y"))
        item_id = ct.put_on_agenda(session, actor, table, log.household_id, vraag, None,
                                   log.datum).id  # fmt: skip
    audit.record(session, actor, audit.Event.VEILIGHEIDSSIGNAAL_LOGBOEK, "household",
                 log.household_id, nieuw={"signal": signal.id, "log_id": log.id,
                                          "agenda_item": item_id})  # fmt: skip
    return signal


def table_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The active case tables as (id, name) for a picker (gbd, ervaringswerker)."""
    authorize(session, actor, "tafels_kiezen")
    ct.ensure_tables(session)
    return [(t.id, t.naam) for t in session.scalars(
        select(CaseTable).where(CaseTable.actief.is_(True)).order_by(CaseTable.id))]  # fmt: skip


def _enrolled(session: Session, actor: Actor, household_id: int, event: audit.Event) -> str:
    reason = enrolled_in_own_experiment(session, actor, household_id) if valid_id(
        household_id) else None  # fmt: skip
    if reason is None:
        refuse(session, actor, event, "household", household_id,
               "Dit huishouden doet niet mee aan een van uw experimenten.")  # fmt: skip
    return reason


def bring_to_table(
    session: Session,
    actor: Actor,
    table_id: int,
    household_id: int,
    vraag: str,
    date: dt.date | None = None,
) -> AgendaItem:
    """An ervaringswerker puts a household of their experiment on a table's agenda."""
    authorize(session, actor, "agendapunt_inbrengen")
    table = session.get(CaseTable, table_id) if valid_id(table_id) else None
    if table is None or not table.actief:
        raise InvalidInput("Kies een casustafel.")
    vraag = clean_text(vraag, "De vraag aan de tafel", 5)
    _enrolled(session, actor, household_id, audit.Event.AGENDAPUNT_INBRENGEN)
    return ct.put_on_agenda(session, actor, table, household_id, vraag, None,
                            date or dt.date.today())  # fmt: skip


@dataclass(frozen=True)
class DecisionSeen:
    """A decision a table took for one of the ervaringswerker's households."""

    household_id: int
    huishouden: str
    tafel: str
    vraag: str
    besluit: str
    soort: str
    besloten_op: dt.date
    status: str
    vervangen: bool


def my_decisions(session: Session, actor: Actor) -> list[DecisionSeen]:
    """Decisions for the households enrolled in the actor's experiments (and only those)."""
    authorize(session, actor, "besluiten_volgen")
    mine = (
        select(Enrolment.household_id)
        .join(ExperimentMember, ExperimentMember.experiment_id == Enrolment.experiment_id)
        .where(ExperimentMember.user_id == actor.user_id, Enrolment.actief.is_(True))
    )
    rows = session.execute(
        select(Decision, AgendaItem, CaseTable.naam, Household.huishouden_id, Review)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .join(CaseTable, CaseTable.id == AgendaItem.case_table_id)
        .join(Household, Household.id == AgendaItem.household_id)
        .outerjoin(Review, Review.decision_id == Decision.id)
        .where(AgendaItem.household_id.in_(mine))
        .order_by(Decision.besloten_op.desc(), Decision.id.desc())
    ).all()
    replaced = set(session.scalars(select(Decision.vervangt_id).where(
        Decision.vervangt_id.is_not(None))))  # fmt: skip
    reasons: dict[int, str | None] = {}
    out = []
    for d, item, tafel, hh, rev in rows:
        if item.household_id not in reasons:
            reasons[item.household_id] = enrolled_in_own_experiment(
                session, actor, item.household_id)  # fmt: skip
        if reasons[item.household_id] is None:
            continue
        out.append(DecisionSeen(item.household_id, hh, tafel, item.vraag, d.tekst, d.soort,
                                d.besloten_op, ct.decision_status(d, rev),
                                d.id in replaced))  # fmt: skip
    audit.record_list(session, actor, audit.Event.BESLUITEN_VOLGEN, "household",
                      ((h, reason) for h, reason in reasons.items() if reason is not None))
    return out


def plan_goals(
    session: Session, actor: Actor, household_id: int, today: dt.date | None = None
) -> PlanView:
    """The plan goals of a household enrolled in the actor's experiment, to read (audited).

    The ervaringswerker sees the goals they contribute to (DESIGN 2); changing them stays
    with the regie holder. Any other household is refused and audited.
    """
    authorize(session, actor, "plandoelen_volgen")
    event = audit.Event.PLANDOELEN_VOLGEN
    reason = _enrolled(session, actor, household_id, event)
    view = plan_view(session, household_id, today or dt.date.today())
    audit.record(session, actor, event, "household", household_id, doel=reason)
    return view


def record_experiment_bottleneck(
    session: Session,
    actor: Actor,
    experiment_id: int,
    regel_id: int | None,
    omschrijving: str,
    date: dt.date | None = None,
) -> SystemBottleneck:
    """An ervaringswerker (or coordinator) of the experiment records a systeemknelpunt."""
    authorize(session, actor, "knelpunt_vastleggen")
    if not valid_id(experiment_id) or session.get(Experiment, experiment_id) is None:
        raise NotFound("Experiment niet gevonden.")
    require_member(session, actor, experiment_id, event=audit.Event.KNELPUNT_VASTLEGGEN)
    return write_bottleneck(session, actor, regel_id, omschrijving, date,
                            experiment_id=experiment_id)  # fmt: skip


@dataclass(frozen=True)
class LessonRow:
    """A lesson of an experiment as KISS reads it: no author."""

    experiment: str
    datum: dt.date
    les: str
    verandering_werkwijze: str | None


def lessons_log(session: Session, actor: Actor) -> list[LessonRow]:
    """The lessons log of every experiment, newest first (kiss)."""
    authorize(session, actor, "lessen_inzien")
    rows = session.execute(
        select(Experiment.naam, Lesson.datum, Lesson.les, Lesson.verandering_werkwijze)
        .join(Experiment, Experiment.id == Lesson.experiment_id)
        .order_by(Lesson.datum.desc(), Lesson.id.desc())
    ).all()
    audit.record(session, actor, audit.Event.LESSEN_INZIEN, None, None,
                 nieuw={"lessen": len(rows)})  # fmt: skip
    return [
        LessonRow(naam, datum, scrub_identifiers(les), w and scrub_identifiers(w))
        for naam, datum, les, w in rows
    ]
