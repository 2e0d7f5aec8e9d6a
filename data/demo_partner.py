"""Demo data for partners as users (seeded by ``kiss demo`` after the case tables).

Partner accounts (demo password) for the woningcorporatie, Betere Buren Brunssum,
maatschappelijk werk and bemoeizorg, each bound to its institution and seated "met
mandaat" at the table of its referrals; referrals from table actions to these
institutions in every state: waiting (fresh), accepted with progress, declined with a
reason, closed with an outcome, overdue after acceptance and not accepted within 5
working days (both escalated to the regie holder). The demo ``partner`` login
(woningcorporatie) keeps one fresh referral to accept in the browser. Deterministic for
a reference date; does nothing when partner responses already exist or there is no
agenda to refer from.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination import actions as act
from coordination import casetables as ct
from coordination import referral_responses as rr
from coordination.loopmodels import Referral, ReferralMessage
from coordination.models import AgendaItem, CaseTableMember, Regie
from households.accounts import create_user
from households.actor import SYSTEM, Actor
from households.models import Institution, User
from households.partner_accounts import DEMO_PARTNER_INSTITUTION
from households.settings import demo_password

__all__ = ["PARTNERS", "FRESH_TASK", "seed_partners"]

# (login, display name, institution code, name, type) — codes of data/reference.py.
PARTNERS = (
    ("partner", "Petra Wolters (Weller Wonen)", *DEMO_PARTNER_INSTITUTION),
    ("partner.betereburen", "Bas Vincken (Betere Buren)", "INST-002", "Betere Buren Brunssum",
     "mensontwikkelbedrijf"),
    ("partner.mw", "Mieke Schols (Impuls maatschappelijk werk)", "INST-009",
     "Impuls maatschappelijk werk", "maatschappelijk werk"),
    ("partner.bemoeizorg", "Ruud Hermans (Mondriaan bemoeizorg)", "INST-005",
     "Mondriaan bemoeizorg", "bemoeizorg"),
)  # fmt: skip
FRESH_TASK = "Huurachterstand bespreken en een betalingsregeling aanbieden"

# (partner index, task, days ago sent, deadline in days after sending, what happens)
SCENARIOS = (
    (0, FRESH_TASK, 1, 30, "vers"),
    (0, "Woningaanpassing beoordelen met de bewoner", 40, 30, "bereikt"),
    (1, "Werkfit-traject: intake en plan", 15, 60, "voortgang"),
    (1, "Vrijwilligerswerk in de wijk zoeken", 12, 30, "afgewezen"),
    (2, "Gesprekken over opvoeding en geldzorgen", 45, 30, "deels_bereikt"),
    (2, "Netwerkberaad met familie organiseren", 30, 20, "te_laat"),
    (3, "Huisbezoek: zorgmijding en vervuiling", 14, 40, "niet_geaccepteerd"),
    (3, "Contact leggen na melding verward gedrag", 50, 30, "niet_bereikt"),
)


def _institution(session: Session, code: str, naam: str, soort: str) -> Institution:
    inst = session.scalar(select(Institution).where(Institution.instelling_id == code))
    if inst is None:
        inst = Institution(instelling_id=code, naam=naam, type=soort)
        session.add(inst)
        session.flush()
    return inst


def _partner(session: Session, naam: str, display: str, inst: Institution) -> Actor:
    user = session.scalar(select(User).where(User.naam == naam))
    if user is None:
        user = create_user(session, SYSTEM, naam, "partner", demo_password(), display, inst.id)
    return Actor(user.id, user.naam, user.rol)


def _items(session: Session, gbd: User, today: dt.date) -> list[AgendaItem]:
    # Agenda items of households the demo GBD-er holds regie for first (their worklist).
    mine = set(session.scalars(select(Regie.household_id).where(
        Regie.houder_user_id == gbd.id, Regie.actief.is_(True))))  # fmt: skip
    items = session.scalars(select(AgendaItem).order_by(AgendaItem.id)).all()
    return sorted(items, key=lambda i: (i.household_id not in mine, i.id))


def _answer(session: Session, who: Actor, r: Referral, what: str, sent: dt.date, today) -> None:
    day = min(today, sent + dt.timedelta(days=2))
    if what in ("vers", "niet_geaccepteerd"):
        return
    if what == "afgewezen":
        rr.decline_referral(session, who, r.id, r.versie,
                            "Geen plek in de komende twee maanden; probeer Vrijwilligerscentrale",
                            day)  # fmt: skip
        return
    rr.accept_referral(session, who, r.id, r.versie, "We nemen contact op", day)
    if what in ("voortgang", "te_laat"):
        rr.report_progress(session, who, r.id, r.versie, "Eerste gesprek gevoerd; vervolg gepland",
                           min(today, day + dt.timedelta(days=5)))  # fmt: skip
        return
    notes = {"bereikt": "Aanpassing geregeld, bewoner tevreden",
             "deels_bereikt": "Ouders komen, geldzorgen nog niet opgelost",
             "niet_bereikt": "Geen contact gekregen ondanks drie pogingen"}  # fmt: skip
    rr.close_referral(session, who, r.id, r.versie, what, notes[what],
                      min(today, day + dt.timedelta(days=20)))  # fmt: skip


def seed_partners(session: Session, today: dt.date | None = None) -> dict:
    """Partner accounts, their referrals in every state and their seats at the tables."""
    today = today or dt.date.today()
    counts = {"partners": 0, "verwijzingen": 0, "reacties": 0, "tafelleden": 0}
    partners = []
    for naam, display, code, inst_naam, soort in PARTNERS:
        inst = _institution(session, code, inst_naam, soort)
        partners.append((_partner(session, naam, display, inst), inst))
    counts["partners"] = len(partners)
    gbd = session.scalar(select(User).where(User.naam == "gbd"))
    if gbd is None or session.scalar(select(ReferralMessage.id).limit(1)) is not None:
        return counts
    items = _items(session, gbd, today)
    if not items:
        return counts
    for n, (who, task, ago, days, what) in enumerate(SCENARIOS):
        partner, inst = partners[who]
        item = items[n % len(items)]
        sent = today - dt.timedelta(days=ago)
        due = sent + dt.timedelta(days=days)
        action = act.add_action(session, SYSTEM, item.id, task, partner.naam, due,
                                institution_id=inst.id, date=sent)  # fmt: skip
        referral = session.scalar(select(Referral).where(Referral.action_id == action.id))
        counts["verwijzingen"] += 1
        _answer(session, partner, referral, what, sent, today)
        counts["reacties"] += session.query(ReferralMessage).filter_by(
            verwijzing_id=referral.id).count()  # fmt: skip
        before = session.query(CaseTableMember).filter_by(user_id=partner.user_id).count()
        ct.add_member(session, SYSTEM, item.case_table_id, partner.user_id)
        after = session.query(CaseTableMember).filter_by(user_id=partner.user_id).count()
        counts["tafelleden"] += after - before
    session.flush()
    return counts
