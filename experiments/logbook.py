"""The ervaringswerkers' logbook: one observation of the stability triangle per visit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from experiments.access import require_member
from experiments.loop import route_safety
from experiments.models import SCORES, Enrolment, Experiment, ExperimentMember, StabilityLog
from experiments.vocabulary import SCORE_LABELS, stressor_vocabulary
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.errors import InvalidInput, NotFound
from households.formatting import date as dutch_date
from households.models import Household
from households.validation import clean_text

__all__ = [
    "MyHousehold",
    "my_households",
    "log_situation",
    "household_logs",
    "household_trend",
    "select_narrative",
    "validate_scores",
    "narratives",
    "NarrativeView",
]

TREND_COLUMNS = ["datum", *SCORES, "n_stressoren", "stressoren"]


@dataclass(frozen=True)
class MyHousehold:
    """A household an ervaringswerker works with (enrolled in one of their experiments)."""

    household_id: int
    huishouden_id: str
    wijk: str
    buurt: str | None
    experiment_id: int
    experiment: str
    ingeschreven_op: dt.date

    @property
    def label(self) -> str:
        """Short label for a picker."""
        return f"{self.huishouden_id} — {self.buurt or self.wijk} ({self.experiment})"


def my_households(session: Session, actor: Actor) -> list[MyHousehold]:
    """Households actively enrolled in the actor's experiments (ervaringswerker or gbd)."""
    authorize(session, actor, "mijn_huishoudens")
    rows = session.execute(
        select(Enrolment, Household, Experiment, ExperimentMember.wijk)
        .join(Household, Household.id == Enrolment.household_id)
        .join(Experiment, Experiment.id == Enrolment.experiment_id)
        .join(ExperimentMember, ExperimentMember.experiment_id == Enrolment.experiment_id)
        .where(ExperimentMember.user_id == actor.user_id, Enrolment.actief.is_(True))
        .order_by(Household.wijk, Household.huishouden_id)
    ).all()
    # Households in the worker's own wijk first: those are the ones they visit.
    rows = sorted(rows, key=lambda r: r[3] is not None and r[1].wijk != r[3])
    out = [
        MyHousehold(hh.id, hh.huishouden_id, hh.wijk, hh.buurt, exp.id, exp.naam, enr.datum)
        for enr, hh, exp, _ in rows
    ]
    if out:
        audit.record(
            session, actor, audit.Event.MIJN_HUISHOUDENS, None, None, nieuw={"aantal": len(out)}
        )
    return out


def validate_scores(scores: dict[str, object]) -> dict[str, int]:
    """Check that every score is an integer 1–5; return them as ints (Dutch errors).

    >>> validate_scores({"bestaanszekerheid": 2, "zorgcontinuiteit": 3, "meedoen": 4,
    ...                  "veiligheid": 5})["meedoen"]
    4
    """
    out = {}
    for name in SCORES:
        value = scores.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidInput(
                f"De score voor {SCORE_LABELS[name].lower()} moet een heel getal van 1 tot en "
                f"met 5 zijn (ontvangen: {value!r})."
            )
        out[name] = value
    return out


def _enrolment_for(session: Session, actor: Actor, household_id: int) -> Enrolment:
    query = (
        select(Enrolment)
        .join(ExperimentMember, ExperimentMember.experiment_id == Enrolment.experiment_id)
        .where(Enrolment.household_id == household_id, Enrolment.actief.is_(True))
        .order_by(Enrolment.datum)
    )
    if not actor.is_system:
        query = query.where(ExperimentMember.user_id == actor.user_id)
    enrolment = session.scalars(query).first()
    if enrolment is None:
        raise NotFound("Dit huishouden doet niet mee aan een van uw experimenten.")
    return enrolment


def log_situation(
    session: Session, actor: Actor, household_id: int, date: dt.date,
    bestaanszekerheid: int, zorgcontinuiteit: int, meedoen: int, veiligheid: int,
    stressors: list[str] | tuple[str, ...] = (), acute_problemen: str | None = None,
    wat_gedaan: str | None = None, verhaal: str | None = None,
    today: dt.date | None = None,
) -> StabilityLog:  # fmt: skip
    """Record one observation of a household's situation (ervaringswerker of its experiment).

    Everything is validated before anything is written: scores integers 1–5,
    stressors from the vocabulary, date not in the future and not before the
    enrolment. ``today`` is for tests only. A veiligheid score of 1 opens a safety signal
    routed to the Tafel sociale veiligheid in the same transaction
    (:func:`experiments.loop.route_safety`).
    """
    authorize(session, actor, "logboek_schrijven")
    require_household_access(session, actor, household_id, audit.Event.LOGBOEK_SCHRIJVEN)
    enrolment = _enrolment_for(session, actor, household_id)
    scores = validate_scores(
        {"bestaanszekerheid": bestaanszekerheid, "zorgcontinuiteit": zorgcontinuiteit,
         "meedoen": meedoen, "veiligheid": veiligheid}
    )  # fmt: skip
    vocabulary = stressor_vocabulary(session)
    stressors = list(dict.fromkeys(stressors or ()))
    unknown = [s for s in stressors if s not in vocabulary]
    if unknown:
        raise InvalidInput(
            f"Onbekende stressor(en): {', '.join(unknown)}. Kies uit de lijst van het logboek."
        )
    today = today or dt.date.today()
    if not isinstance(date, dt.date):
        raise InvalidInput("Geef een geldige datum op.")
    if date > today:
        raise InvalidInput("De datum van een logregel kan niet in de toekomst liggen.")
    if date < enrolment.datum:
        raise InvalidInput(
            "De datum ligt vóór de inschrijving van dit huishouden "
            f"({dutch_date(enrolment.datum)})."
        )
    texts = {
        "acute_problemen": clean_text(acute_problemen, "Acute problemen", 0, 10_000) or None,
        "wat_gedaan": clean_text(wat_gedaan, "Wat er gedaan is", 0, 10_000) or None,
        "verhaal": clean_text(verhaal, "Het verhaal", 0, 10_000) or None,
    }
    if any(t and len(t) > 4000 for t in texts.values()):
        raise InvalidInput("Een tekstveld is te lang (maximaal 4000 tekens).")
    row = StabilityLog(
        experiment_id=enrolment.experiment_id, household_id=household_id, datum=date,
        door_user_id=actor.user_id, stressoren=stressors, verhaal_geselecteerd=False,
        **scores, **texts,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(
        session, actor, audit.Event.LOGBOEK_SCHRIJVEN, "household", household_id,
        nieuw={"log_id": row.id, "datum": date.isoformat(), **scores},
    )  # fmt: skip
    route_safety(session, actor, row)  # veiligheid 1: signal + Tafel sociale veiligheid
    return row


def household_logs(session: Session, actor: Actor, household_id: int) -> list[StabilityLog]:
    """All logs of a household, oldest first (access checked and audited)."""
    reason = require_household_access(session, actor, household_id, audit.Event.LOGBOEK_INZIEN)
    rows = list(
        session.scalars(
            select(StabilityLog)
            .where(StabilityLog.household_id == household_id)
            .order_by(StabilityLog.datum, StabilityLog.id)
        )
    )
    audit.record(session, actor, audit.Event.LOGBOEK_INZIEN, "household", household_id, doel=reason)
    return rows


def household_trend(session: Session, actor: Actor, household_id: int) -> pd.DataFrame:
    """The household's logs as a frame: ``datum``, the four scores, stressor count and list."""
    logs = household_logs(session, actor, household_id)
    return pd.DataFrame(
        [
            {
                "datum": log.datum,
                **{s: getattr(log, s) for s in SCORES},
                "n_stressoren": len(log.stressoren or []),
                "stressoren": ", ".join(log.stressoren or []),
            }
            for log in logs
        ],
        columns=TREND_COLUMNS,
    )


def select_narrative(session: Session, actor: Actor, log_id: int, selected: bool = True) -> None:
    """Mark a log's narrative for the evaluation report (coordinators of the experiment)."""
    authorize(session, actor, "verhaal_selecteren")
    log = session.get(StabilityLog, log_id)
    if log is None:
        raise NotFound("Deze logregel bestaat niet.")
    require_member(
        session, actor, log.experiment_id, "coordinator", event=audit.Event.VERHAAL_SELECTEREN
    )
    if selected and not log.verhaal:
        raise InvalidInput("Deze logregel heeft geen verhaal om te selecteren.")
    log.verhaal_geselecteerd = bool(selected)
    audit.record(session, actor, audit.Event.VERHAAL_SELECTEREN, "stability_log", log_id,
                 nieuw={"geselecteerd": bool(selected)})  # fmt: skip


@dataclass(frozen=True)
class NarrativeView:
    """A narrative from a log, as a coordinator sees it when selecting stories."""

    log_id: int
    datum: dt.date
    verhaal: str
    geselecteerd: bool


def narratives(session: Session, actor: Actor, experiment_id: int) -> list[NarrativeView]:
    """The experiment's logged narratives, newest first (coordinators of the experiment)."""
    authorize(session, actor, "verhalen_inzien")
    require_member(session, actor, experiment_id, "coordinator", event=audit.Event.VERHALEN_INZIEN)
    rows = session.execute(
        select(StabilityLog.id, StabilityLog.datum, StabilityLog.verhaal,
               StabilityLog.verhaal_geselecteerd)
        .where(StabilityLog.experiment_id == experiment_id, StabilityLog.verhaal.is_not(None))
        .order_by(StabilityLog.datum.desc(), StabilityLog.id.desc())
    ).all()  # fmt: skip
    audit.record(session, actor, audit.Event.VERHALEN_INZIEN, "experiment", experiment_id)
    return [NarrativeView(i, d, v, bool(g)) for i, d, v, g in rows]
