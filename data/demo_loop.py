"""Demo data of the loop (seeded by ``kiss demo`` after the case tables and the experiments).

- the ervaringswerkers sit at the Tafel Noord en Oost; the proeftuin's GBD-ers at every table;
- three stability logs with veiligheid 1: each opened a safety signal and put the household
  on the agenda of the Tafel sociale veiligheid (one already decided there);
- households brought to the Tafel Noord en Oost by their ervaringswerker, with decisions;
- three tegenspraken: one answered with a new decision, one escalated to KISS and answered,
  one escalated and still open in the vraagbaak;
- systeemknelpunten on decisions, on the Tussen-wal-en-schip spend and from the experiment
  (one rule named often enough for KISS to read the descriptions).

Deterministic for a seed; does nothing when an escalation exists or the earlier steps did not
seed (no enrolled households or no GBD-ers at the tables).
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination import casetables as ct
from coordination import decisions
from coordination.knelpunten import blocking_rules, record_bottleneck
from coordination.loop import answer, escalate
from coordination.loopmodels import Escalation
from coordination.models import AgendaItem, BudgetSpend, Decision
from experiments.logbook import log_situation
from experiments.loop import bring_to_table, record_experiment_bottleneck
from experiments.models import Enrolment, Experiment, StabilityLog
from households.actor import SYSTEM, Actor
from households.models import User

__all__ = ["seed_loop"]

UNSAFE = (
    ("Ruzie thuis liep uit de hand; de politie is geweest.",
     "Ik durf 's avonds niet meer naar huis."),
    ("Ex-partner staat steeds voor de deur en bedreigt haar.",
     "Ik heb de kinderen bij mijn moeder gebracht."),
    ("Zoon is agressief sinds hij niet meer naar school gaat.", None),
)  # fmt: skip
BROUGHT = (
    "Energie wordt volgende week afgesloten; kan de tafel een noodbetaling regelen?",
    "Gezin wil verhuizen naar een kleinere woning; wie helpt bij urgentie?",
    "Moeder verliest bijstand als haar zoon weer thuis komt wonen: wat kan wel?",
)
DISSENT = (
    ("Bijzondere bijstand voor de volledige huurachterstand", "maatwerk",
     "Eerst de betalingsregeling met de woningcorporatie afspreken"),
    ("Kostendelersnorm niet toepassen zolang de zoon schulden aflost", "maatwerk",
     "Dat kan de Participatiewet niet: de norm geldt ook dan"),
    ("Eigen bijdrage Wmo vergoeden uit het budget", "maatwerk",
     "Dan betaalt het budget structureel wat een regeling moet oplossen"),
)  # fmt: skip
QUESTIONS = (
    "Mag het Tussen-wal-en-schip-budget een huurachterstand dekken terwijl de ISD "
    "tegelijk een oude bijstandsschuld terugvordert?",
    "Mogen wij de kostendelersnorm buiten toepassing laten als een meerderjarig kind "
    "tijdelijk terugkomt om schulden af te lossen? Zo nee: wie kan dit agenderen?",
)
ANSWER = (
    "Ja, eenmalig, als de terugvordering tijdelijk wordt opgeschort. KISS vraagt de ISD "
    "om een werkafspraak: bij een lopend maatwerkbesluit wordt niet verrekend."
)
KNELPUNTEN = (
    ("PW_KOSTENDELERS", "Volwassen kind kan niet terug naar huis zonder inkomensverlies."),
    ("PW_KOSTENDELERS", "Opvang van een familielid kost het gezin bijstand."),
    ("PW_KOSTENDELERS", "Mantelzorg door inwonende dochter wordt gestraft met een lagere norm."),
    ("HUURTOESLAG_TERUG", "Terugvordering huurtoeslag na een nieuwe baan duwt in de schulden."),
    ("HUURTOESLAG_TERUG", "Terugvordering over twee jaar tegelijk, geen betalingsregeling."),
    ("BESLAGVRIJE_VOET", "Beslagvrije voet te laag door samenloop van beslagen."),
    ("WMO_EIGEN_BIJDRAGE", "Eigen bijdrage houdt een noodzakelijke voorziening tegen."),
)
EXPERIMENT_KNELPUNTEN = (
    ("PW_KOSTENDELERS", "Zoon slaapt bij vrienden om de bijstand van zijn moeder te sparen."),
    ("PW_KOSTENDELERS", "Tante neemt neefje niet in huis uit angst voor de kostendelersnorm."),
    ("HUURTOESLAG_TERUG", "Huishouden durft geen werk aan te nemen uit angst voor terugvordering."),
    ("HUURTOESLAG_TERUG", "Terugvordering toeslag kwam tegelijk met de eindafrekening energie."),
    ("HUURTOESLAG_TERUG", "Na een verhuizing twee keer een terugvordering van de huurtoeslag."),
    ("JW_WOONPLAATS", "Jeugdhulp stopte na verhuizing binnen Parkstad: wie betaalt?"),
)


def _actor(user: User) -> Actor:
    return Actor(user.id, user.naam, user.rol)


def _user(session: Session, naam: str) -> Actor | None:
    user = session.scalar(select(User).where(User.naam == naam, User.actief.is_(True)))
    return None if user is None else _actor(user)


def _seat(session: Session, table_id: int, actor: Actor) -> None:
    # Ervaringswerkers and the proeftuin's GBD-ers at a table, by the one membership rule.
    ct.add_member(session, SYSTEM, table_id, actor.user_id)


def _enrolled(session: Session) -> list[tuple[int, Actor, dt.date]]:
    """Enrolled households with their ervaringswerker (the author of their logs)."""
    rows = session.execute(
        select(Enrolment.household_id, Enrolment.datum, User)
        .join(Experiment, Experiment.id == Enrolment.experiment_id)
        .join(StabilityLog, StabilityLog.household_id == Enrolment.household_id)
        .join(User, User.id == StabilityLog.door_user_id)
        .where(Enrolment.actief.is_(True), User.rol == "ervaringswerker")
        .order_by(Enrolment.household_id)
        .distinct()
    ).all()
    seen, out = set(), []
    for hid, datum, user in rows:
        if hid not in seen:
            seen.add(hid)
            out.append((hid, _actor(user), datum))
    return out


def _dissent(session, author, reviewer, table, hid, case, when) -> Decision:
    tekst, soort, reden = case
    item = ct.put_on_agenda(session, author, table, hid, "Wat kan hier tussen wal en schip?",
                            None, when)  # fmt: skip
    decision = decisions.decide(session, author, item.id, tekst, soort, when)
    decisions.review(session, reviewer, decision.id, False, reden, when)
    return decision


def seed_loop(session: Session, seed: int = 42, today: dt.date | None = None) -> dict:
    """Seed the loop's demo data; returns counts of what was created."""
    today = today or dt.date.today()
    counts = {"veiligheid_1": 0, "ingebracht": 0, "opnieuw_besloten": 0, "escalaties": 0,
              "knelpunten": 0}  # fmt: skip
    if session.scalar(select(Escalation.id).limit(1)) is not None:
        return counts
    households = _enrolled(session)
    gbd = [a for a in (_user(session, n) for n in ("gbd", "gbd.collega", "gbd.noord"))
           if a is not None]  # fmt: skip
    kiss = _user(session, "kiss")
    if len(households) < 8 or len(gbd) < 2:
        return counts
    rng = random.Random(seed)
    rng.shuffle(households)
    tables = {t.naam: t for t in ct.ensure_tables(session)}
    noord_oost, veilig = tables[ct.TAFEL_NOORD_OOST], tables[ct.TAFEL_VEILIGHEID]
    for t in tables.values():
        for a in gbd:
            _seat(session, t.id, a)
    for _, worker, _ in households:
        _seat(session, noord_oost.id, worker)
    author, reviewer = gbd[0], gbd[1]
    # Veiligheid 1: signal + Tafel sociale veiligheid (route_safety, in the log's transaction).
    for k, (hid, worker, start) in enumerate(households[:3]):
        acuut, verhaal = UNSAFE[k]
        log_situation(session, worker, hid, max(start, today - dt.timedelta(days=2 + 5 * k)),
                      1, 2, 2, 1, stressors=["schulden"], acute_problemen=acuut,
                      wat_gedaan="Afdeling veiligheid en de wijkagent ingelicht",
                      verhaal=verhaal, today=today)  # fmt: skip
        counts["veiligheid_1"] += 1
    first_item = session.scalar(
        select(AgendaItem.id)
        .outerjoin(Decision, Decision.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.case_table_id == veilig.id, Decision.id.is_(None),
               AgendaItem.household_id == households[0][0])
    )  # fmt: skip
    plan = "Veiligheidsplan met Veilig Thuis; GBD-er neemt regie"
    decisions.decide(session, author, first_item, plan, "standaard", today)
    # Brought by their ervaringswerker to the Tafel Noord en Oost.
    brought = []
    for k, (hid, worker, _) in enumerate(households[3:6]):
        brought.append(bring_to_table(session, worker, noord_oost.id, hid, BROUGHT[k],
                                      today - dt.timedelta(days=14 - k)))  # fmt: skip
        counts["ingebracht"] += 1
    decisions.decide(session, author, brought[0].id,
                     "Noodfonds energie via ISD; ervaringswerker gaat mee naar het gesprek",
                     "standaard", today - dt.timedelta(days=7))  # fmt: skip
    # Tegenspraak: decided again, escalated and answered, escalated and still open.
    when = today - dt.timedelta(days=10)
    dissent = [_dissent(session, author, reviewer, noord_oost, hid, DISSENT[k], when)
               for k, (hid, _, _) in enumerate(households[5:8])]  # fmt: skip
    decisions.decide_again(session, author, dissent[0].id,
                           "Betalingsregeling met de woningcorporatie; budget alleen voor het "
                           "restant", "standaard", when + dt.timedelta(days=3))  # fmt: skip
    counts["opnieuw_besloten"] += 1
    answered = escalate(session, author, dissent[2].id, QUESTIONS[0], when + dt.timedelta(days=1))
    escalate(session, author, dissent[1].id, QUESTIONS[1], when + dt.timedelta(days=2))
    counts["escalaties"] += 2
    if kiss is not None:
        answer(session, kiss, answered.id, ANSWER, when + dt.timedelta(days=4))
    # Systeemknelpunten: on decisions and the spend (gbd), from the experiment (ervaringswerker).
    rules = {r.code: r.id for r in blocking_rules(session, author)}
    spend = session.scalar(select(BudgetSpend).order_by(BudgetSpend.id).limit(1))
    for k, (code, text) in enumerate(KNELPUNTEN):
        if k == 0 and spend is not None:
            spender = session.get(User, spend.door)
            record_bottleneck(session, _actor(spender), rules[code], text, spend_id=spend.id)
        else:
            decision = dissent[k % len(dissent)]
            record_bottleneck(session, author, rules[code], text, decision_id=decision.id)
        counts["knelpunten"] += 1
    for k, (code, text) in enumerate(EXPERIMENT_KNELPUNTEN):
        hid, worker, _ = households[k % 3]
        experiment_id = session.scalar(select(Enrolment.experiment_id).where(
            Enrolment.household_id == hid, Enrolment.actief.is_(True)))  # fmt: skip
        record_experiment_bottleneck(session, worker, experiment_id, rules[code], text, today)
        counts["knelpunten"] += 1
    session.flush()
    return counts
