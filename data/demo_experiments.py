"""Demo data for the experiments (called by ``kiss demo`` after the households are loaded).

Creates the five experiments, four ervaringswerkers (two Noord, two Oost) and
two GBD coordinators, enrols 40–60 households in Noord and Oost that meet the
outreach criteria, and writes about 12 months of monthly logs per household
showing plausible improvement with noise, a few selected narratives and some
lessons. To give the evaluation something real to find, part of the enrolled
households get a provision (bijzondere bijstand, schuldhulpverlening) or a
regie after enrolment. The comparison group is not created: it is matched
from the other wijken. Deterministic for a seed and reference date.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.models import Regie
from experiments.enrolment import CRITERIA, enrol, households_in_wijken
from experiments.logbook import log_situation, select_narrative
from experiments.models import CORNERS, Enrolment, ExperimentMember, StabilityLog
from experiments.registry import add_lesson, add_member, ensure_experiments, experiment_by_code
from experiments.vocabulary import DEFAULT_STRESSORS
from households.accounts import create_user
from households.actor import SYSTEM, Actor
from households.models import Person, Provision, User
from households.settings import demo_password

__all__ = ["DemoLogin", "seed_experiments"]
GENERIC_MEMBERS = (("gbd", "coordinator"), ("ervaringswerker", "ervaringswerker"))
REGIE_DOEL = "Stabiliteit: eerst bestaanszekerheid, dan zorg en meedoen"

STAFF = (
    ("ervaringswerker.noord1", "Samira (ervaringswerker Noord)", "ervaringswerker", "Noord"),
    ("ervaringswerker.noord2", "Jos (ervaringswerker Noord)", "ervaringswerker", "Noord"),
    ("ervaringswerker.oost1", "Petra (ervaringswerker Oost)", "ervaringswerker", "Oost"),
    ("ervaringswerker.oost2", "Mehmet (ervaringswerker Oost)", "ervaringswerker", "Oost"),
    ("gbd.noord", "Anouk (GBD-er Noord)", "gbd", "Noord"),
    ("gbd.oost", "Ruud (GBD-er Oost)", "gbd", "Oost"),
)

NARRATIVES = (
    "Eerst durfde ik de post niet meer open te maken. Nu ligt alles op één stapel en weet ik "
    "wat er moet gebeuren.",
    "Ze kwam gewoon langs en luisterde. Niemand had ooit gevraagd hoe het thuis echt ging.",
    "De huur is weer betaald en de afsluiting van het gas is van de baan. Ik slaap beter.",
    "Mijn zoon gaat weer naar school. Dat kwam pas toen de rust thuis terug was.",
    "Ik hoef niet meer bij drie loketten hetzelfde verhaal te vertellen.",
    "Het voelt alsof er eindelijk iemand naast me staat in plaats van tegenover me.",
    "Ik ben begonnen als vrijwilliger bij de buurtkamer. Dat had ik een jaar geleden niet gedacht.",
)

LESSONS = (
    ("Huishoudens met een huurachterstand reageren niet op brieven, wel op een bezoek van "
     "een ervaringswerker.", "Outreach start met een huisbezoek, niet met een brief."),
    ("Bijzondere bijstand wordt pas aangevraagd als de schuld al groot is.",
     "GBD-er toetst bij elke nieuwe deelnemer direct op bijzondere bijstand."),
    ("Drie loketten vroegen dezelfde bewijsstukken op.",
     "Stukken worden één keer verzameld en gedeeld met toestemming van het huishouden."),
    ("Stress over geld verdringt elke andere hulpvraag.",
     "Eerst bestaanszekerheid stabiliseren, daarna pas opvoed- of werkvragen."),
)  # fmt: skip


class DemoLogin(NamedTuple):
    """A demo account the demo prints: ``(naam, rol, wachtwoord)`` like the other demo steps."""

    naam: str
    rol: str
    wachtwoord: str


def _ensure_user(session: Session, naam: str, weergave: str, rol: str, password: str) -> Actor:
    user = session.scalar(select(User).where(User.naam == naam))
    if user is None:
        user = create_user(session, SYSTEM, naam, rol, password, weergavenaam=weergave)
    return Actor(user.id, user.naam, user.rol)


def _months_back(date: dt.date, months: int) -> dt.date:
    y, m = divmod(date.year * 12 + date.month - 1 - months, 12)
    return dt.date(y, m + 1, 1)


def _clip(x: float) -> int:
    return int(min(5, max(1, round(x))))


def seed_experiments(
    session: Session, seed: int = 42, reference_date: dt.date | None = None,
    n_households: int | None = None,
) -> list[DemoLogin]:  # fmt: skip
    """Create the experiments' demo data; returns the demo logins (idempotent per database)."""
    today = dt.date.today()
    ref = min(reference_date or today, today)
    rng = np.random.default_rng(seed)
    password = demo_password()
    actors = {
        naam: (_ensure_user(session, naam, weergave, rol, password), wijk)
        for naam, weergave, rol, wijk in STAFF
    }
    logins = [DemoLogin(naam, rol, password) for naam, _, rol, _ in STAFF]
    experiments = ensure_experiments(session)
    exp = experiment_by_code(session, "bestaanszekerheid")
    if session.scalar(select(Enrolment.id).where(Enrolment.experiment_id == exp.id).limit(1)):
        return logins  # already seeded
    first_wave = _months_back(ref, 12)
    if exp.start is None or exp.start > first_wave:
        exp.start = first_wave
    if exp.einde is not None and exp.einde < ref:
        exp.einde = None
    _add_members(session, experiments, exp.id, actors)
    _add_generic_demo_accounts(session, exp.id)
    coordinators = {w: a for a, w in actors.values() if a.rol == "gbd"}
    workers = {
        w: [a for a, ww in actors.values() if a.rol == "ervaringswerker" and ww == w]
        for w in ("Noord", "Oost")
    }
    chosen = _choose_households(session, exp, first_wave, rng, n_households)
    waves = [_months_back(ref, k) for k in (12, 11, 10)]
    for i, (hh_id, wijk) in enumerate(chosen):
        when = waves[int(rng.integers(0, len(waves)))]  # intake in monthly waves
        route = "outreach" if rng.random() < 0.8 else "voordeur"
        enrol(session, SYSTEM, exp.id, hh_id, route, True, when)
        worker = workers[wijk][i % len(workers[wijk])]
        _write_logs(session, rng, worker, hh_id, when, ref)
        _admin_effects(session, rng, hh_id, when, ref, coordinators[wijk], i)
    _select_narratives(session, rng, exp.id, coordinators)
    for k, (les, verandering) in enumerate(LESSONS):
        coord = coordinators["Noord" if k % 2 == 0 else "Oost"]
        add_lesson(session, coord, exp.id, _months_back(ref, 10 - 3 * k), les, verandering)
    session.flush()
    return logins


def _add_members(session, experiments, active_id, actors) -> None:
    existing = set(
        session.execute(select(ExperimentMember.experiment_id, ExperimentMember.user_id))
    )
    for e in experiments:
        for actor, wijk in actors.values():
            is_worker = actor.rol == "ervaringswerker"
            if is_worker and e.id != active_id:
                continue  # the planned experiments have no ervaringswerkers yet
            if wijk not in e.wijken or (e.id, actor.user_id) in existing:
                continue
            rol = "ervaringswerker" if is_worker else "coordinator"
            add_member(session, SYSTEM, e.id, actor.user_id, rol, wijk=wijk)


def _add_generic_demo_accounts(session, experiment_id: int) -> None:
    """Let the one-per-role demo accounts (``gbd``, ``ervaringswerker``) join the experiment."""
    for naam, rol in GENERIC_MEMBERS:
        user = session.scalar(select(User).where(User.naam == naam, User.rol == naam))
        if user is None:
            continue
        exists = session.scalar(
            select(ExperimentMember.id).where(
                ExperimentMember.experiment_id == experiment_id,
                ExperimentMember.user_id == user.id,
            )
        )
        if exists is None:
            add_member(session, SYSTEM, experiment_id, user.id, rol)


def _choose_households(session, exp, date, rng, n_households) -> list[tuple[int, str]]:
    in_wijk = households_in_wijken(session, list(exp.wijken))
    matches = CRITERIA[exp.criteria](session, set(in_wijk), date)
    target = n_households or int(rng.integers(40, 61))
    out = []
    for wijk in ("Noord", "Oost"):
        ids = sorted(h for h in matches if in_wijk[h].wijk.lower() == wijk.lower())
        if len(ids) < target // 2:  # small demo: top up with other households of the wijk
            rest = sorted(h for h, hh in in_wijk.items() if hh.wijk.lower() == wijk.lower())
            ids += [h for h in rest if h not in set(ids)]
        picked = rng.permutation(ids)[: target // 2] if ids else []
        out += [(int(h), wijk) for h in sorted(picked)]
    return out


def _write_logs(session, rng, worker: Actor, hh_id: int, start: dt.date, ref: dt.date) -> None:
    base = {c: float(rng.integers(1, 3)) for c in (*CORNERS, "veiligheid")}
    base["veiligheid"] = float(rng.integers(2, 5))
    gain = {c: float(rng.uniform(0.3, 2.5)) for c in base}
    responder = rng.random() < 0.8  # some households do not improve
    stressors = list(rng.choice(DEFAULT_STRESSORS[:6], size=int(rng.integers(2, 5)), replace=False))
    others = [s for s in DEFAULT_STRESSORS if s not in stressors]
    stressors += list(rng.choice(others, size=int(rng.integers(0, 3)), replace=False))
    months = max(1, (ref - start).days // 30)
    for k in range(months + 1):
        day = start + dt.timedelta(days=int(30 * k + rng.integers(0, 6)))
        if day > ref:
            break
        t = k / max(months, 1)
        scores = {
            c: _clip(base[c] + (gain[c] * t if responder else 0) + rng.normal(0, 0.45))
            for c in base
        }
        # Veiligheid 1 opens a safety signal and a Tafel sociale veiligheid agenda item
        # (experiments/loop.route_safety): never at random here, only the few deliberate
        # logs of data/demo_loop.py.
        scores["veiligheid"] = max(2, scores["veiligheid"])
        keep = [s for s in stressors if rng.random() > (0.55 * t if responder else 0.1)]
        verhaal = None
        if k in (months // 2, months) and rng.random() < 0.5:
            verhaal = NARRATIVES[int(rng.integers(0, len(NARRATIVES)))]
        log_situation(
            session, worker, hh_id, day, **scores, stressors=keep,
            acute_problemen="Dreigende afsluiting energie" if k == 0 and rng.random() < 0.3
            else None,
            wat_gedaan="Betalingsregeling geregeld; samen post doorgenomen" if k < 3 else None,
            verhaal=verhaal, today=ref,
        )  # fmt: skip


def _admin_effects(session, rng, hh_id, start, ref, coord: Actor, i: int) -> None:
    person = session.scalar(
        select(Person).where(Person.household_id == hh_id).order_by(Person.id).limit(1)
    )
    if person is not None and rng.random() < 0.6:
        begin = start + dt.timedelta(days=int(rng.integers(20, 90)))
        if begin <= ref:
            soort = "bijzondere bijstand" if rng.random() < 0.6 else "schuldhulpverlening"
            session.add(Provision(bron_id=f"EXP-{hh_id}-{i}", person_id=person.id, domein="ISD",
                                  soort=soort, start=begin, maatwerk=True))  # fmt: skip
    has_regie = session.scalar(
        select(Regie.id).where(Regie.household_id == hh_id, Regie.actief.is_(True))
    )
    if has_regie is None and rng.random() < 0.5:
        begin = start + dt.timedelta(days=int(rng.integers(15, 75)))
        if begin <= ref:
            session.add(Regie(household_id=hh_id, houder_user_id=coord.user_id, start=begin,
                              actief=True, aangemaakt_door=coord.user_id,
                              doel=REGIE_DOEL))  # fmt: skip
    session.flush()


def _select_narratives(session, rng, experiment_id, coordinators) -> None:
    logs = session.scalars(
        select(StabilityLog)
        .where(StabilityLog.experiment_id == experiment_id, StabilityLog.verhaal.is_not(None))
        .order_by(StabilityLog.id)
    ).all()
    for log in logs[:: max(1, len(logs) // 5)][:5]:
        wijk_coord = next(iter(coordinators.values()))
        select_narrative(session, wijk_coord, log.id)
