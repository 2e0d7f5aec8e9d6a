"""The experiment registry: the five proeftuinen of the K2 report, members and lessons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from experiments.access import require_member
from experiments.models import MEMBER_ROLES, Experiment, ExperimentMember, Lesson
from experiments.registry_edit import create_experiment, known_wijken
from experiments.vocabulary import ensure_vocabulary
from households import audit
from households.access import authorize
from households.actor import SYSTEM, Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.models import User
from households.validation import clean_text

__all__ = [
    "EXPERIMENTS",
    "ensure_experiments",
    "list_experiments",
    "get_experiment",
    "experiment_by_code",
    "add_member",
    "members",
    "member_role",
    "my_experiments",
    "add_lesson",
    "lessons",
    "MemberView",
]

# The five experiments of the K2 report ("Proeftuinen Noord en Oost"); the first is active.
EXPERIMENTS: tuple[dict, ...] = (
    {
        "code": "bestaanszekerheid",
        "naam": "Bestaanszekerheid en preventie",
        "wijken": ["Noord", "Oost"],
        "start": dt.date(2026, 1, 1),
        "einde": dt.date(2027, 12, 31),
        "status": "actief",
        "criteria": "bestaanszekerheid",
        "hypotheses": [
            "Door actief (dreigende) problemen op te zoeken worden huishoudens eerder bereikt "
            "dan via de voordeur.",
            "Ervaringswerkers bouwen vertrouwen op, zodat huishoudens hulp aanvaarden.",
            "Kijken naar de leefsituatie van het hele huishouden verhoogt de stabiliteit "
            "(bestaanszekerheid, zorgcontinuïteit, meedoen) meer dan losse voorzieningen.",
            "Eerst stressoren en acute problemen aanpakken verlaagt schulden en "
            "voorkomt nieuwe achterstanden.",
        ],
        "beschrijving": "Twee ervaringswerkers in Noord en twee in Oost brengen in kaart wat "
        "stress in het huishouden aanjaagt en wat stabiliteit zou brengen. GBD-ers bepalen met "
        "hen wat regulier kan en wat maatwerk vraagt; KISS is vraagbaak en evalueert. Lessen "
        "worden vastgelegd voordat iets in regels wordt vastgelegd.",
    },
    {
        "code": "jeugd_context",
        "naam": "Jeugd en context",
        "wijken": ["Noord", "Oost"],
        "status": "gepland",
        "criteria": "jeugd_en_inkomen",
        "hypotheses": [
            "Jeugdhulp werkt beter als de context van het gezin (inkomen, wonen, netwerk) "
            "meegenomen wordt."
        ],
        "beschrijving": "Jeugdvragen bekijken in de context van het hele huishouden.",
    },
    {
        "code": "bouwfonds",
        "naam": "Bouwfonds: jongeren en toekomst",
        "wijken": ["Noord", "Oost"],
        "status": "gepland",
        "criteria": "jongeren_bijstand",
        "hypotheses": ["Een eigen fonds voor jongeren vergroot hun kansen op school en werk."],
        "beschrijving": "Jongeren bouwen met een fonds aan hun toekomst (opleiding, werk).",
    },
    {
        "code": "leefomgeving",
        "naam": "Impact leefomgeving",
        "wijken": ["Noord", "Oost"],
        "status": "gepland",
        "criteria": "leefomgeving",
        "hypotheses": ["Een betere leefomgeving vermindert stress en vergroot meedoen."],
        "beschrijving": "De invloed van woning en buurt op stabiliteit van huishoudens.",
    },
    {
        "code": "zorgzame_wijk_noord",
        "naam": "Zorgzame wijk Noord",
        "wijken": ["Noord"],
        "status": "gepland",
        "criteria": "ouderen_wmo",
        "hypotheses": [
            "Voorzorgcirkels van ouderen en buren voorkomen of vertragen zwaardere zorg."
        ],
        "beschrijving": "Zorgzame wijk, w.o. ouderen en voorzorgcirkels "
        "(vgl. het door VGZ gefinancierde programma in Almere).",
    },
)


@dataclass(frozen=True)
class MemberView:
    """A member of an experiment as shown in the registry."""

    user_id: int
    naam: str
    rol: str
    wijk: str | None


def _as_known(known: list[str], wijken: list[str]) -> list[str]:
    """The report's wijk names as the data spell them ("Noord" may be "Brunssum-Noord").

    >>> _as_known(["Brunssum-Noord", "Oost"], ["Noord", "Oost"])
    ['Brunssum-Noord', 'Oost']
    """
    out = []
    for w in wijken:
        same = [k for k in known if k.lower() == w.lower()]
        longer = [k for k in known if k.lower().endswith(w.lower())]
        out.append((same or longer or [w])[0])
    return out


def ensure_experiments(session: Session) -> list[Experiment]:
    """Register the five experiments of the report when missing (idempotent).

    Through the registry service (:func:`experiments.registry_edit.create_experiment`,
    as the system actor): validated and audited like an experiment beheer adds.
    """
    ensure_vocabulary(session)
    existing = {e.code: e for e in session.scalars(select(Experiment)).all()}
    known = known_wijken(session)
    out = []
    for spec in EXPERIMENTS:
        exp = existing.get(spec["code"])
        if exp is None:
            exp = create_experiment(
                session, SYSTEM, spec["naam"], _as_known(known, spec["wijken"]), spec.get("start"),
                spec.get("einde"), spec["status"], spec.get("criteria"), spec["beschrijving"],
                list(spec["hypotheses"]), code=spec["code"],
            )  # fmt: skip
        out.append(exp)
    session.flush()
    return out


def list_experiments(session: Session) -> list[Experiment]:
    """All experiments in report order (no household data; any logged-in role)."""
    return list(session.scalars(select(Experiment).order_by(Experiment.volgorde, Experiment.id)))


def get_experiment(session: Session, experiment_id: int) -> Experiment:
    """The experiment with this id, or :class:`NotFound`."""
    exp = session.get(Experiment, experiment_id)
    if exp is None:
        raise NotFound("Dit experiment bestaat niet.")
    return exp


def experiment_by_code(session: Session, code: str) -> Experiment:
    """The experiment with this code, or :class:`NotFound`."""
    exp = session.scalar(select(Experiment).where(Experiment.code == code))
    if exp is None:
        raise NotFound(f"Experiment '{code}' bestaat niet.")
    return exp


def member_role(session: Session, actor: Actor, experiment_id: int) -> str | None:
    """The actor's role in the experiment (``ervaringswerker``/``coordinator``) or None."""
    if actor.user_id is None:
        return None
    return session.scalar(
        select(ExperimentMember.rol).where(
            ExperimentMember.experiment_id == experiment_id,
            ExperimentMember.user_id == actor.user_id,
        )
    )


def my_experiments(session: Session, actor: Actor) -> list[Experiment]:
    """The experiments the actor is a member of."""
    if actor.user_id is None:
        return []
    return list(
        session.scalars(
            select(Experiment)
            .join(ExperimentMember, ExperimentMember.experiment_id == Experiment.id)
            .where(ExperimentMember.user_id == actor.user_id)
            .order_by(Experiment.volgorde)
        )
    )


def add_member(
    session: Session, actor: Actor, experiment_id: int, user_id: int, rol: str,
    wijk: str | None = None,
) -> ExperimentMember:  # fmt: skip
    """Assign a user to an experiment (``gbd``, ``beheer`` or the system actor).

    An ``ervaringswerker`` member must have the app role ``ervaringswerker``;
    a ``coordinator`` must be ``gbd``.
    """
    authorize(session, actor, "experiment_lid_toevoegen")
    get_experiment(session, experiment_id)
    if rol not in MEMBER_ROLES:
        raise InvalidInput("Rol in het experiment moet 'ervaringswerker' of 'coordinator' zijn.")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Deze gebruiker bestaat niet.")
    wanted = "ervaringswerker" if rol == "ervaringswerker" else "gbd"
    if user.rol != wanted:
        raise InvalidInput(f"Alleen een gebruiker met rol '{wanted}' kan {rol} zijn.")
    if member_role(session, Actor(user_id, user.naam, user.rol), experiment_id) is not None:
        raise Conflict(f"{user.naam} is al lid van dit experiment.")
    row = ExperimentMember(experiment_id=experiment_id, user_id=user_id, rol=rol, wijk=wijk)
    session.add(row)
    session.flush()
    audit.record(
        session, actor, audit.Event.EXPERIMENT_LID_TOEVOEGEN, "experiment", experiment_id,
        nieuw={"user_id": user_id, "rol": rol, "wijk": wijk},
    )  # fmt: skip
    return row


def members(session: Session, experiment_id: int) -> list[MemberView]:
    """The members of an experiment (names of staff, no household data)."""
    rows = session.execute(
        select(ExperimentMember, User)
        .join(User, User.id == ExperimentMember.user_id)
        .where(ExperimentMember.experiment_id == experiment_id)
        .order_by(ExperimentMember.rol, User.naam)
    ).all()
    return [MemberView(u.id, u.weergavenaam or u.naam, m.rol, m.wijk) for m, u in rows]


def add_lesson(
    session: Session, actor: Actor, experiment_id: int, datum: dt.date, les: str,
    verandering_werkwijze: str | None = None,
) -> Lesson:  # fmt: skip
    """Write down a lesson (members of the experiment, or the system actor)."""
    authorize(session, actor, "les_toevoegen")
    get_experiment(session, experiment_id)
    require_member(session, actor, experiment_id, event=audit.Event.LES_TOEVOEGEN)
    les = clean_text(les, "De les", 0)
    if len(les) < 5:
        raise InvalidInput("Beschrijf de les (minstens 5 tekens).")
    if datum > dt.date.today():
        raise InvalidInput("De datum van een les kan niet in de toekomst liggen.")
    row = Lesson(
        experiment_id=experiment_id, datum=datum, les=les,
        verandering_werkwijze=clean_text(verandering_werkwijze, "De verandering", 0) or None,
        door_user_id=actor.user_id, door_naam=actor.naam,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, audit.Event.LES_TOEVOEGEN, "experiment", experiment_id)
    return row


def lessons(session: Session, experiment_id: int) -> list[Lesson]:
    """The lessons log of an experiment, newest first."""
    return list(
        session.scalars(
            select(Lesson)
            .where(Lesson.experiment_id == experiment_id)
            .order_by(Lesson.datum.desc(), Lesson.id.desc())
        )
    )
