"""Schuldhulpverlening (Wgs) as a process per household (issue 15): the writing services.

A GBD-er with access to the household (:func:`~households.access.require_household_access`)
registers it for schuldhulp (:func:`aanmelden`), records each step with its date
(:func:`stap_zetten`) and takes the household's debts into the arrangement
(:func:`schuld_opnemen`). Reading: :func:`traject_van` (one household, with its history,
debts and deadlines) and :func:`deadlines` (the GBD-er's open trajectories with their next
norm deadline) live in :mod:`coordination.shv_view`; the plain rows for KISS reports in
:mod:`coordination.shv_data`. Which step may follow which, the norms and their deadlines:
:mod:`coordination.shv_rules` (the one home).

Rules kept here:

- **One open trajectory** per household (a second aanmelding is refused; the partial unique
  index catches a concurrent one).
- **Source**: ``signaal`` needs an arrears signal of that household reported on or before
  the aanmelding; ``partner`` needs the referring institution. Other sources carry neither.
- **Dates**: no date in the future, none before the previous step.
- **Optimistic versions**: a step or a debt names the ``versie`` the user saw; a stale one
  is a :class:`~households.errors.Conflict` and nothing is written.
- **Debts**: only a debt of a person who is a member of the household on the date, still
  open, and only from the plan van aanpak up to and including the arrangement steps
  (:func:`~coordination.shv_rules.debt_refusal`); an arrangement step needs at least one
  debt in it (:func:`~coordination.shv_rules.arrangement_refusal`). The imported
  ``debt.in_regeling`` flag is the source's and is left as it is.
- **Who**: role ``gbd`` with household access. A ``partner`` never sees a trajectory: the
  Wgs asks the gemeente to keep the schuldhulp file, and a partner's referral already
  reaches it through the verwijzing; a partner's part is recorded as the source.

Every write and every refusal writes an audit row, with the access reason as ``doel``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coordination.plan_input import checked_date
from coordination.shv_rules import (
    STEP_LABELS,
    arrangement_refusal,
    debt_refusal,
    transition_refusal,
)
from coordination.shv_view import deadlines, mijn_trajecten, traject_van
from coordination.shvmodels import (
    CRISIS_KINDS,
    END_REASONS,
    SHV_SOURCES,
    DebtInArrangement,
    DebtTrajectory,
    DebtTrajectoryStep,
)
from households import audit
from households.access import authorize, require_household_access, valid_id
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.formatting import date as nl_date
from households.models import ARREARS_SIGNAL_KINDS, Debt, Household, Institution, Person, Signal
from households.periods import member_of_household_sql
from households.validation import clean_text

__all__ = [
    "aanmelden", "stap_zetten", "schuld_opnemen", "traject_van", "deadlines", "mijn_trajecten",
]  # fmt: skip

ALREADY_OPEN = (
    "Dit huishouden heeft al een lopend schuldhulptraject. Zet daar de volgende stap, "
    "of beëindig het eerst."
)
STALE = (
    "Dit traject is intussen gewijzigd door iemand anders. Er is niets opgeslagen; "
    "bekijk de nieuwe stand en probeer het opnieuw."
)


def _day(value, label: str, today: dt.date) -> dt.date:
    day = checked_date(value, label)
    if day > today:
        raise InvalidInput(f"{label} ligt in de toekomst: kies vandaag of eerder.")
    return day


def _note(value) -> str | None:
    return clean_text(value, "De toelichting", 0, 1000) or None if value is not None else None


def _open_id(session: Session, household_id: int) -> int | None:
    return session.scalar(
        select(DebtTrajectory.id).where(
            DebtTrajectory.household_id == household_id, DebtTrajectory.beeindigd_op.is_(None)
        )
    )


def _source_links(session, household_id, bron, signal_id, institution_id, datum):
    """The signal and institution the source needs (InvalidInput in Dutch otherwise)."""
    if bron not in SHV_SOURCES:
        raise InvalidInput("Kies hoe het huishouden is aangemeld.")
    if bron != "signaal" and signal_id is not None:
        raise InvalidInput("Een signaal hoort alleen bij een aanmelding na een signaal.")
    if bron != "partner" and institution_id is not None:
        raise InvalidInput("Een instelling hoort alleen bij een aanmelding door een partner.")
    if bron == "signaal":
        signal = session.get(Signal, signal_id) if valid_id(signal_id) else None
        if (
            signal is None
            or signal.household_id != household_id
            or signal.soort not in ARREARS_SIGNAL_KINDS
        ):
            raise InvalidInput("Kies een signaal van betalingsachterstand van dit huishouden.")
        if signal.gemeld_op > datum:
            raise InvalidInput(
                f"Het signaal is gemeld op {nl_date(signal.gemeld_op)}, na de aanmelding."
            )
    if bron == "partner" and (
        not valid_id(institution_id) or session.get(Institution, institution_id) is None
    ):
        raise InvalidInput("Kies de partner die het huishouden aanmeldde.")


def aanmelden(
    session: Session,
    actor: Actor,
    household_id: int,
    bron: str,
    datum: dt.date,
    signal_id: int | None = None,
    institution_id: int | None = None,
    crisis_soort: str | None = None,
    toelichting: str | None = None,
) -> int:
    """Register the household for schuldhulp on ``datum``; returns the trajectory id.

    ``crisis_soort`` (threatened eviction or disconnection, :data:`CRISIS_KINDS`) flags a
    crisis aanmelding with its own short norm. Refused: a second open trajectory.
    """
    authorize(session, actor, "schuldhulp_aanmelden")
    event = audit.Event.SCHULDHULP_AANMELDEN
    if not valid_id(household_id) or session.get(Household, household_id) is None:
        raise NotFound("Huishouden niet gevonden.")
    reason = require_household_access(session, actor, household_id, event)
    datum = _day(datum, "De datum van aanmelding", dt.date.today())
    if crisis_soort is not None and crisis_soort not in CRISIS_KINDS:
        raise InvalidInput("Kies de soort crisis (dreigende ontruiming of afsluiting).")
    _source_links(session, household_id, bron, signal_id, institution_id, datum)
    note = _note(toelichting)
    if _open_id(session, household_id) is not None:
        raise Conflict(ALREADY_OPEN)
    traject = DebtTrajectory(
        household_id=household_id, bron=bron, signal_id=signal_id,
        institution_id=institution_id, aangemeld_op=datum, aangemeld_door=actor.user_id,
        stap="aanmelding", stap_sinds=datum, crisis=crisis_soort is not None,
        crisis_soort=crisis_soort, versie=1,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(traject)
            session.flush()
    except IntegrityError:  # registered by someone else at the same moment
        raise Conflict(ALREADY_OPEN) from None
    session.add(DebtTrajectoryStep(traject_id=traject.id, stap="aanmelding", datum=datum,
                                   door_user_id=actor.user_id, toelichting=note))  # fmt: skip
    session.flush()
    audit.record(session, actor, event, "household", household_id, doel=reason,
                 nieuw={"traject": traject.id, "bron": bron, "datum": datum.isoformat(),
                        "crisis": crisis_soort, "signaal": signal_id,
                        "instelling": institution_id})  # fmt: skip
    return traject.id


def _trajectory(session: Session, actor: Actor, traject_id, event) -> tuple[DebtTrajectory, str]:
    traject = session.get(DebtTrajectory, traject_id) if valid_id(traject_id) else None
    if traject is None:
        raise NotFound("Schuldhulptraject niet gevonden.")
    reason = require_household_access(session, actor, traject.household_id, event)
    return traject, reason


def _bump(session: Session, traject: DebtTrajectory, versie, **values) -> None:
    """Write ``values`` and the next version, only if the version is still ``versie``."""
    if isinstance(versie, bool) or not isinstance(versie, int) or versie != traject.versie:
        raise Conflict(STALE)
    done = session.execute(
        update(DebtTrajectory)
        .where(DebtTrajectory.id == traject.id, DebtTrajectory.versie == versie)
        .values(versie=versie + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise Conflict(STALE)
    session.expire(traject)


def _debts_in(session: Session, traject_id: int) -> int:
    return int(session.scalar(
        select(func.count()).where(DebtInArrangement.traject_id == traject_id)
    ) or 0)  # fmt: skip


def stap_zetten(
    session: Session,
    actor: Actor,
    traject_id: int,
    versie: int,
    stap: str,
    datum: dt.date,
    toelichting: str | None = None,
    reden_einde: str | None = None,
) -> int:
    """Record that the trajectory reached ``stap`` on ``datum``; returns the new version.

    The step must follow the current one (:func:`transition_refusal`), the date may not lie
    before the current step's date or in the future, ``beeindigd`` needs a reason
    (:data:`END_REASONS`) and only ``beeindigd`` takes one.
    """
    authorize(session, actor, "schuldhulp_stap")
    event = audit.Event.SCHULDHULP_STAP
    traject, reason = _trajectory(session, actor, traject_id, event)
    if isinstance(versie, bool) or not isinstance(versie, int) or versie != traject.versie:
        raise Conflict(STALE)
    refusal = transition_refusal(traject.stap, stap)
    if refusal is None:
        refusal = arrangement_refusal(stap, _debts_in(session, traject.id))
    if refusal is not None:
        raise InvalidInput(refusal)
    datum = _day(datum, "De datum van de stap", dt.date.today())
    if datum < traject.stap_sinds:
        raise InvalidInput(
            f"De datum ligt vóór de vorige stap ({STEP_LABELS[traject.stap].lower()} op "
            f"{nl_date(traject.stap_sinds)})."
        )
    if stap == "beeindigd" and reden_einde not in END_REASONS:
        raise InvalidInput("Kies de reden waarom het traject eindigt.")
    if stap != "beeindigd" and reden_einde is not None:
        raise InvalidInput("Een reden van beëindiging hoort alleen bij het einde.")
    note = _note(toelichting)
    old = {"stap": traject.stap, "sinds": traject.stap_sinds.isoformat()}
    ended = stap == "beeindigd"
    _bump(
        session,
        traject,
        versie,
        stap=stap,
        stap_sinds=datum,
        beeindigd_op=datum if ended else None,
        reden_einde=reden_einde if ended else None,
    )
    session.add(DebtTrajectoryStep(traject_id=traject.id, stap=stap, datum=datum,
                                   door_user_id=actor.user_id, toelichting=note))  # fmt: skip
    session.flush()
    audit.record(session, actor, event, "household", traject.household_id, doel=reason,
                 oud=old, nieuw={"traject": traject.id, "stap": stap,
                                 "datum": datum.isoformat(), "reden": reden_einde})  # fmt: skip
    return versie + 1


def schuld_opnemen(
    session: Session,
    actor: Actor,
    traject_id: int,
    versie: int,
    debt_ids: Iterable[int],
    datum: dt.date,
) -> int:
    """Take debts of the household into the trajectory's arrangement; returns the new version.

    Only open debts of a person who is a member of the household on ``datum``, not already
    in it, and only in the steps :func:`debt_refusal` allows (from the plan van aanpak up to
    and including the arrangement). ``datum`` lies between the aanmelding and today.
    """
    authorize(session, actor, "schuldhulp_schuld_opnemen")
    event = audit.Event.SCHULDHULP_SCHULD_OPNEMEN
    traject, reason = _trajectory(session, actor, traject_id, event)
    if isinstance(versie, bool) or not isinstance(versie, int) or versie != traject.versie:
        raise Conflict(STALE)
    refusal = debt_refusal(traject.stap)
    if refusal is not None:
        raise InvalidInput(refusal)
    ids = list(dict.fromkeys(debt_ids or ()))
    if not ids or not all(valid_id(i) for i in ids):
        raise InvalidInput("Kies de schulden die in de regeling komen.")
    datum = _day(datum, "De datum", dt.date.today())
    if datum < traject.aangemeld_op:
        raise InvalidInput("De datum ligt vóór de aanmelding.")
    found = set(session.scalars(
        select(Debt.id)
        .join(Person, Person.id == Debt.person_id)
        .where(Debt.id.in_(ids), Debt.openstaand_cent > 0,
               member_of_household_sql(traject.household_id, datum))
    ))  # fmt: skip
    if found != set(ids):
        raise InvalidInput(
            "Alleen openstaande schulden van de leden van dit huishouden kunnen in de regeling."
        )
    already = session.scalar(
        select(exists().where(DebtInArrangement.traject_id == traject.id,
                              DebtInArrangement.debt_id.in_(ids)))
    )  # fmt: skip
    if already:
        raise InvalidInput("Een van deze schulden zit al in de regeling.")
    _bump(session, traject, versie)
    session.add_all(DebtInArrangement(traject_id=traject.id, debt_id=i, opgenomen_op=datum)
                    for i in ids)  # fmt: skip
    session.flush()
    audit.record(session, actor, event, "household", traject.household_id, doel=reason,
                 nieuw={"traject": traject.id, "schulden": ids,
                        "datum": datum.isoformat()})  # fmt: skip
    return versie + 1
