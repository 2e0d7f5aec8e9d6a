"""Demo data for the front door and the case tables (seeded by ``kiss demo``).

After the households are loaded: the three case tables with the demo gbd users
as members, a few meetings with agenda items of complex households, decisions
(some reviewed, one with tegenspraak, one waiting), actions (some overdue, some
with feedback), regie for some complex households (others stay regie gaps), and
this year's Tussen-wal-en-schip-budget with one spend. When only one gbd user
exists, a second demo GBD-er (``gbd.collega``, demo password) is created so
that four-eyes review can be shown; the decision left waiting for review is
that colleague's, so the demo ``gbd`` user can review it. Deterministic for a seed
and reference date. Skips gracefully when there are no gbd users or no complex
households; does nothing when the case tables already have meetings.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination import actions as act
from coordination import casetables as ct
from coordination import decisions
from coordination.budget import set_budget, spend
from coordination.models import Meeting, Regie
from coordination.regie import assign_regie
from coordination.stacking import stacking_table
from coordination.triage import table_for_household
from households.accounts import create_user
from households.actor import SYSTEM, Actor
from households.models import Institution, User
from households.settings import demo_password

__all__ = ["seed_coordination"]

QUESTIONS = (
    "Wie pakt de stapeling van schulden en huurachterstand op?",
    "Is bemoeizorg nodig, en wie neemt de regie?",
    "Jeugdhulp en bijstand lopen langs elkaar heen: één plan?",
    "Dreigende huisuitzetting: wat kan tussen wal en schip?",
    "Veiligheid thuis: welke afspraken met politie en Veilig Thuis?",
)
DECISIONS = (
    ("Schuldhulp met voorrang en een betalingsregeling met de verhuurder", "maatwerk"),
    ("Via het normale Wmo-proces: huishoudelijke hulp", "standaard"),
    ("Eenmalige bijdrage uit het Tussen-wal-en-schip-budget voor de huur", "maatwerk"),
    ("Eén gezinsplan: jeugdhulp en bijstand samen", "maatwerk"),
)
DEPARTMENTS = ("ISD BOL", "Team Wmo", "Team Jeugd", "Afdeling veiligheid")


def _actors(session: Session) -> list[Actor]:
    users = session.scalars(
        select(User).where(User.rol == "gbd", User.actief.is_(True)).order_by(User.id)
    ).all()
    return [Actor(u.id, u.naam, u.rol) for u in users]


SECOND_GBD = "gbd.collega"  # the colleague whose decision the demo `gbd` user reviews


def _second_coordinator(session: Session) -> str:
    """A second demo GBD-er, so four-eyes review can be shown (demo password)."""
    naam = SECOND_GBD
    if session.scalar(select(User.id).where(User.naam == naam)) is None:
        create_user(
            session, SYSTEM, naam, "gbd", demo_password(), weergavenaam="Rachida El Idrissi (GBD)"
        )
    return naam


def _complex_households(session: Session, date: dt.date) -> list[int]:
    table = stacking_table(session, date)
    return sorted(int(x) for x in table.loc[table["complex"], "household_id"])


def seed_coordination(session: Session, seed: int = 42, today: dt.date | None = None) -> dict:
    """Seed case tables, agenda, decisions, reviews, actions, feedback, regie and budget.

    Returns counts of what was created (all zero when skipped).
    """
    today = today or dt.date.today()
    counts = {
        "tafels": 0,
        "overleggen": 0,
        "agendapunten": 0,
        "besluiten": 0,
        "reviews": 0,
        "opdrachten": 0,
        "terugkoppelingen": 0,
        "regie": 0,
        "uitgaven": 0,
    }
    tables = ct.ensure_tables(session)
    counts["tafels"] = len(tables)
    actors = _actors(session)
    if len(actors) == 1:
        counts["tweede_gbd"] = _second_coordinator(session)
        actors = _actors(session)
    if not actors or session.scalar(select(Meeting.id).limit(1)) is not None:
        return counts
    rng = random.Random(seed)
    first = actors[0]
    for t in tables:
        for a in actors:
            ct.add_member(session, first, t.id, a.user_id)
    households = _complex_households(session, today)
    if not households:
        return counts
    chosen = rng.sample(households, min(12, len(households)))
    institutions = session.scalars(select(Institution).order_by(Institution.id)).all()
    meetings: dict[tuple[int, int], Meeting] = {}
    decided = []
    for n, hid in enumerate(chosen):
        table = table_for_household(session, hid, today)
        weeks_ago = (2, 4)[n % 2]
        key = (table.id, weeks_ago)
        if key not in meetings:
            meetings[key] = ct.plan_meeting(
                session, first, table.id, today - dt.timedelta(weeks=weeks_ago)
            )
        meeting = meetings[key]
        author = actors[(n // 2) % len(actors)]
        item = ct.put_on_agenda(
            session, author, table, hid, rng.choice(QUESTIONS), None, meeting.datum, meeting.id
        )
        counts["agendapunten"] += 1
        if n % 4 == 3:
            continue  # still open on the agenda
        tekst, soort = DECISIONS[n % len(DECISIONS)]
        decision = decisions.decide(session, author, item.id, tekst, soort, meeting.datum)
        counts["besluiten"] += 1
        reviewer = next((a for a in actors if a.user_id != author.user_id), None)
        if soort == "maatwerk" and reviewer is not None and n != 6:
            dissent = n == 2
            decisions.review(
                session,
                reviewer,
                decision.id,
                not dissent,
                "Eerst huurtoeslag en kwijtschelding benutten" if dissent else None,
                meeting.datum + dt.timedelta(days=2),
            )
            counts["reviews"] += 1
            if not dissent:
                decided.append(decision)
        for k in range(rng.randint(1, 2)):
            due = meeting.datum + dt.timedelta(days=rng.choice((7, 10, 21, 42)))
            to_inst = institutions and k == 0
            action = act.add_action(
                session,
                author,
                item.id,
                "Contact opnemen en plan van aanpak opstellen",
                rng.choice(("M. Peters", "S. Willems", "L. Janssen")),
                due,
                institution_id=rng.choice(institutions).id if to_inst else None,
                afdeling=None if to_inst else rng.choice(DEPARTMENTS),
                date=meeting.datum,
            )
            counts["opdrachten"] += 1
            if rng.random() < 0.5:
                when = min(today, meeting.datum + dt.timedelta(days=rng.randint(3, 12)))
                act.record_feedback(
                    session,
                    author,
                    action.id,
                    "Gesprek gevoerd; plan volgt",
                    action.eigenaar,
                    when,
                    afronden=rng.random() < 0.5,
                )
                counts["terugkoppelingen"] += 1
    active = set(session.scalars(select(Regie.household_id).where(Regie.actief.is_(True))))
    for n, hid in enumerate(x for x in chosen if x not in active):
        if n % 2:
            continue  # the others stay regie gaps
        holder = actors[n % len(actors)]
        assign_regie(
            session,
            holder,
            hid,
            houder_user_id=holder.user_id,
            doel="Stabiliteit: eerst bestaanszekerheid, dan zorg en meedoen",
            samenhang="Inkomen, schulden en zorg hangen samen: één plan nodig",
            partijen=[("ISD BOL", "inkomen en schulden"), ("Team Wmo", "ondersteuning thuis")],
            route="Casustafel, daarna maandelijkse check",
            start=today - dt.timedelta(days=20),
        )
        counts["regie"] += 1
    set_budget(session, first, today.year, 75_000)
    if decided:
        d = decided[0]
        spender = next(a for a in actors if a.user_id == d.besloten_door)
        spend(
            session,
            spender,
            d.id,
            "1.850,00",
            "Huurachterstand betaald om huisuitzetting te voorkomen",
            today,
        )
        counts["uitgaven"] += 1
    counts["overleggen"] = len(meetings)
    session.flush()
    return counts
