"""The experiment registry as ``beheer`` keeps it: new experiments, status, dates, wijken, criteria.

K2's list of proeftuinen "is geen volledige lijst": the registry is data, not code. Every
field is checked before anything is written (Dutch messages) and every change is audited
with the old and new values. ``kiss demo`` seeds the five K2 experiments through
:func:`create_experiment` (:func:`experiments.registry.ensure_experiments`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from experiments.criteria import CRITERIA_LABELS
from experiments.models import EXPERIMENT_STATUSES, Enrolment, Experiment
from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.models import Household

__all__ = [
    "ExperimentRow",
    "create_experiment",
    "experiment_rows",
    "known_wijken",
    "update_experiment",
]

MAX_HYPOTHESES = 20


@dataclass(frozen=True)
class ExperimentRow:
    """An experiment as the registry page shows and edits it (no household data)."""

    id: int
    code: str
    naam: str
    status: str
    wijken: tuple[str, ...]
    start: dt.date | None
    einde: dt.date | None
    criteria: str | None
    beschrijving: str | None
    hypotheses: tuple[str, ...]


def experiment_rows(session: Session) -> list[ExperimentRow]:
    """Every experiment in registry order (names, dates, wijken, criteria: no household data)."""
    rows = session.scalars(select(Experiment).order_by(Experiment.volgorde, Experiment.id))
    return [ExperimentRow(e.id, e.code, e.naam, e.status, tuple(e.wijken or ()), e.start, e.einde,
                          e.criteria, e.beschrijving, tuple(e.hypotheses or ()))
            for e in rows]  # fmt: skip


def known_wijken(session: Session) -> list[str]:
    """The wijken of the households in the hub (names only), sorted."""
    return sorted(session.scalars(select(Household.wijk).distinct()).all())


def _code(naam: str) -> str:
    """A code from a name: lower case ASCII words joined with ``_``.

    >>> _code("Zorgzame wijk Noord (fase 2)")
    'zorgzame_wijk_noord_fase_2'
    """
    ascii_ = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode()
    return "_".join(re.findall(r"[a-z0-9]+", ascii_.lower()))[:40].strip("_")


def _text(value, minimum: int, maximum: int, message: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not minimum <= len(text) <= maximum:
        raise InvalidInput(message)
    return text


def _wijken(session: Session, wijken, strict: bool) -> list[str]:
    names = [w.strip() for w in (wijken or []) if isinstance(w, str) and w.strip()]
    if not names:
        raise InvalidInput("Kies minstens één wijk.")
    if len(set(names)) != len(names):
        raise InvalidInput("Een wijk staat er twee keer in.")
    known = known_wijken(session)
    lowered = {w.lower(): w for w in known}
    unknown = [w for w in names if w.lower() not in lowered]
    if strict and known and unknown:  # before the first import there is nothing to check
        raise InvalidInput(f"Onbekende wijk: {', '.join(unknown)}. Kies uit {', '.join(known)}.")
    return [lowered.get(w.lower(), w) for w in names]


def _period(start, einde, status: str) -> tuple[dt.date | None, dt.date | None]:
    for value in (start, einde):
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise InvalidInput("Geef een geldige datum op.")
    if start and einde and einde < start:
        raise InvalidInput("De einddatum ligt voor de startdatum.")
    if status == "actief" and start is None:
        raise InvalidInput("Een actief experiment heeft een startdatum.")
    if status == "afgerond" and einde is None:
        raise InvalidInput("Een afgerond experiment heeft een einddatum.")
    return start, einde


def _validated(session: Session, actor: Actor, exp_id, naam, wijken, start, einde, status,
               criteria, beschrijving, hypotheses) -> dict:  # fmt: skip
    naam = _text(naam, 3, 120, "Geef het experiment een naam van 3 tot 120 tekens.")
    same = session.scalar(select(Experiment.id).where(func.lower(Experiment.naam) == naam.lower()))
    if same is not None and same != exp_id:
        raise Conflict(f"Er is al een experiment met de naam '{naam}'.")
    if status not in EXPERIMENT_STATUSES:
        raise InvalidInput("Kies een status: gepland, actief of afgerond.")
    criteria = criteria or None
    if criteria is not None and criteria not in CRITERIA_LABELS:
        raise InvalidInput("Kies outreach-criteria uit de lijst (of geen).")
    start, einde = _period(start, einde, status)
    beschrijving = (beschrijving or "").strip() if isinstance(beschrijving, str) else ""
    if len(beschrijving) > 4000:
        raise InvalidInput("De beschrijving is te lang (hoogstens 4000 tekens).")
    hyps = [h.strip() for h in (hypotheses or []) if isinstance(h, str) and h.strip()]
    if len(hyps) > MAX_HYPOTHESES or any(len(h) > 1000 for h in hyps):
        raise InvalidInput(f"Geef hoogstens {MAX_HYPOTHESES} hypothesen van elk 1000 tekens.")
    # the system actor registers K2's own experiments, also where no household lives yet
    wijken = _wijken(session, wijken, not actor.is_system)
    return {"naam": naam, "wijken": wijken, "start": start, "einde": einde,
            "status": status, "criteria": criteria, "beschrijving": beschrijving or None,
            "hypotheses": hyps}  # fmt: skip


def _snapshot(fields: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in fields.items()}


def create_experiment(
    session: Session, actor: Actor, naam: str, wijken: list[str], start: dt.date | None = None,
    einde: dt.date | None = None, status: str = "gepland", criteria: str | None = None,
    beschrijving: str = "", hypotheses: list[str] | None = None, code: str | None = None,
) -> Experiment:  # fmt: skip
    """Register a new experiment (beheer, or the system actor; audited)."""
    authorize(session, actor, "experiment_aanmaken")
    fields = _validated(session, actor, None, naam, wijken, start, einde, status, criteria,
                        beschrijving, hypotheses)  # fmt: skip
    code = code or _code(fields["naam"])
    if not code:
        raise InvalidInput("Geef het experiment een naam met letters of cijfers.")
    if session.scalar(select(Experiment.id).where(Experiment.code == code)) is not None:
        raise Conflict(f"Er is al een experiment met de code '{code}'.")
    last = session.scalar(select(func.max(Experiment.volgorde)))
    exp = Experiment(code=code, volgorde=(last + 1) if last is not None else 0, **fields)
    session.add(exp)
    session.flush()
    audit.record(session, actor, audit.Event.EXPERIMENT_AANMAKEN, "experiment", exp.id,
                 nieuw={"code": code, **_snapshot(fields)})  # fmt: skip
    return exp


def update_experiment(
    session: Session, actor: Actor, experiment_id: int, naam: str, wijken: list[str],
    start: dt.date | None, einde: dt.date | None, status: str, criteria: str | None,
    beschrijving: str = "", hypotheses: list[str] | None = None,
) -> Experiment:  # fmt: skip
    """Change an experiment's name, wijken, dates, status or criteria (beheer; audited).

    An experiment with enrolled households does not go back to ``gepland``.
    """
    authorize(session, actor, "experiment_wijzigen")
    exp = session.get(Experiment, experiment_id) if isinstance(experiment_id, int) else None
    if exp is None:
        raise NotFound("Dit experiment bestaat niet.")
    fields = _validated(session, actor, exp.id, naam, wijken, start, einde, status, criteria,
                        beschrijving, hypotheses)  # fmt: skip
    enrolled = session.scalar(
        select(Enrolment.id).where(Enrolment.experiment_id == exp.id).limit(1)
    )
    if status == "gepland" and exp.status != "gepland" and enrolled is not None:
        raise InvalidInput("Er doen al huishoudens mee: dit experiment kan niet terug naar "
                           "gepland.")  # fmt: skip
    old = _snapshot({k: getattr(exp, k) for k in fields})
    for key, value in fields.items():
        setattr(exp, key, value)
    session.flush()
    audit.record(session, actor, audit.Event.EXPERIMENT_WIJZIGEN, "experiment", exp.id,
                 oud=old, nieuw=_snapshot(fields))  # fmt: skip
    return exp
