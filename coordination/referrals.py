"""Referrals (verwijzingen) to partner institutions: made, listed, opened, escalated.

A referral is a task for one institution about one household (DESIGN 4.4). It is made

- when a table action goes to an institution (:func:`refer_action`, called by
  :func:`coordination.actions.add_action`; one referral per action), and
- for a plan goal owned by an institution (:func:`refer_goal`).

The contact is the regie holder (name, and the channel when one is recorded) or else the
table that gave the action. A ``partner`` sees only the referrals addressed to their own
institution, and of the household only the minimum needed for the task: the name of the
hoofdbewoner and the address (only while the household's consent covers the institution,
:mod:`coordination.consent`), the task and the contact — never provisions, debts, signals,
logs or anything else (:func:`open_referral`). Anything else they ask for is refused and
audited (:func:`households.access.refuse`). The partner's answers (accept, decline,
progress, close) are in :mod:`coordination.referral_responses`. Escalation after 5 Dutch
working days, or past the deadline, is :func:`coordination.referral_rules.escalation`;
:func:`escalated_referrals` lists them for the regie holder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from coordination.consent import consent_valid_sql
from coordination.loopmodels import AgendaParty, HouseholdPlan, PlanGoal, Referral, ReferralMessage
from coordination.models import Action, Regie
from coordination.referral_rules import OPEN_STATUSES, REASONS, accept_by, escalation
from coordination.regie import holder_name
from households import audit
from households.access import (
    authorize,
    refuse,
    require_household_access,
    valid_id,
)
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.models import Household, Institution, Person, User
from households.periods import regie_active_sql
from households.validation import clean_text

__all__ = [
    "STATUS_LABELS", "OUTCOME_LABELS", "MSG_NOT_YOURS", "ReferralRow", "ReferralDetail",
    "referral_contact", "refer_action", "refer_goal", "partner_institution", "my_referrals",
    "open_referral", "household_referrals", "escalated_referrals", "own_referral",
    "escalated_sql",
]  # fmt: skip

STATUS_LABELS = {
    "verstuurd": "wacht op acceptatie",
    "geaccepteerd": "geaccepteerd",
    "afgewezen": "afgewezen",
    "afgerond": "afgerond",
    "ingetrokken": "ingetrokken",
}
OUTCOME_LABELS = {"bereikt": "bereikt", "deels_bereikt": "deels bereikt",
                  "niet_bereikt": "niet bereikt"}  # fmt: skip
MESSAGE_LABELS = {"acceptatie": "geaccepteerd", "afwijzing": "afgewezen",
                  "voortgang": "voortgang", "afronding": "afgerond"}  # fmt: skip
MSG_NOT_YOURS = "U heeft geen toegang tot deze verwijzing: die is niet aan uw instelling gericht."


def household_address(h: Household) -> str:
    """Street and number, postcode and wijk: the address a partner needs."""
    pc = f"{h.postcode[:4]} {h.postcode[4:]}" if h.postcode else ""
    street = " ".join(x for x in (h.straat, h.huisnummer) if x)
    return ", ".join(x for x in (street, pc, f"wijk {h.wijk}") if x)


def head_name(session: Session, household_id: int) -> str:
    """The name of the hoofdbewoner (else of the first person), or "(naam onbekend)"."""
    # The hoofdbewoner (else the first person): the one name a partner needs to make contact.
    rows = session.execute(
        select(Person.naam, Person.rol).where(Person.household_id == household_id)
        .order_by(Person.id)
    ).all()  # fmt: skip
    heads = [n for n, rol in rows if rol == "hoofdbewoner" and n] or [n for n, _ in rows if n]
    return heads[0] if heads else "(naam onbekend)"


def referral_contact(session: Session, household_id: int, fallback: str, day: dt.date) -> str:
    """Who the partner contacts: the active regie holder (name, channel), else ``fallback``."""
    regie = session.scalar(
        select(Regie).where(Regie.household_id == household_id, regie_active_sql(Regie, day))
    )
    if regie is None:
        return fallback[:160]
    via = regie.houder_contact if regie.houder_user_id is not None else None
    text = f"{holder_name(session, regie)} (regiehouder)" + (f", {via}" if via else "")
    return f"{text}, via de KISS hub"[:160]


def _write(session: Session, actor: Actor, **fields) -> Referral:
    referral = Referral(status="verstuurd", versie=1, aangemaakt_door=actor.user_id, **fields)
    session.add(referral)
    session.flush()
    audit.record(
        session, actor, audit.Event.VERWIJZEN, "household", referral.household_id,
        nieuw={"verwijzing": referral.id, "instelling": referral.institution_id},
    )  # fmt: skip
    return referral


def refer_action(session: Session, actor: Actor, action: Action, table_name: str) -> Referral:
    """The referral for an action addressed to an institution (callers checked access).

    The institution also becomes a party to the action's agenda item (its members
    "met mandaat" see that item at the table).
    """
    _make_party(session, action.agenda_item_id, action.institution_id)
    contact = referral_contact(session, action.household_id, f"Casustafel {table_name}",
                               action.aangemaakt_op)  # fmt: skip
    return _write(
        session, actor, household_id=action.household_id, institution_id=action.institution_id,
        action_id=action.id, taak=action.omschrijving, contact=contact,
        verstuurd_op=action.aangemaakt_op, deadline=action.deadline,
    )  # fmt: skip


def _make_party(session: Session, agenda_item_id: int, institution_id: int) -> None:
    exists = session.scalar(
        select(AgendaParty.id).where(
            AgendaParty.agenda_item_id == agenda_item_id,
            AgendaParty.institution_id == institution_id,
        )
    )
    if exists is None:
        session.add(AgendaParty(agenda_item_id=agenda_item_id, institution_id=institution_id))
        session.flush()


def refer_goal(
    session: Session,
    actor: Actor,
    goal_id: int,
    taak: str | None = None,
    deadline: dt.date | None = None,
    date: dt.date | None = None,
) -> Referral:
    """Refer a plan goal owned by an institution to that institution (gbd with access).

    The task is the goal's aim unless ``taak`` is given; the deadline defaults to the goal's
    review date. A goal has at most one open referral (a second one is a :class:`Conflict`).
    """
    authorize(session, actor, "verwijzen")
    goal = session.get(PlanGoal, goal_id) if valid_id(goal_id) else None
    if goal is None:
        raise NotFound("Doel niet gevonden.")
    if goal.eigenaar_instelling_id is None:
        raise InvalidInput("Dit doel heeft geen instelling als eigenaar.")
    day = date or dt.date.today()
    deadline = deadline or goal.evaluatiedatum
    if deadline is not None and deadline < day:
        raise InvalidInput("De deadline ligt vóór de datum van de verwijzing.")
    taak = clean_text(taak if taak is not None else goal.doel, "De taak", 5)
    household_id = session.scalar(
        select(HouseholdPlan.household_id).where(HouseholdPlan.id == goal.plan_id)
    )
    require_household_access(session, actor, household_id, audit.Event.VERWIJZEN)
    open_one = session.scalar(
        select(Referral.id).where(Referral.doel_id == goal.id, Referral.status.in_(OPEN_STATUSES))
    )
    if open_one is not None:
        raise Conflict("Voor dit doel loopt al een verwijzing.")
    fallback = actor.naam if actor.is_system else _user_name(session, actor.user_id)
    contact = referral_contact(session, household_id, fallback, day)
    return _write(
        session, actor, household_id=household_id, institution_id=goal.eigenaar_instelling_id,
        doel_id=goal.id, taak=taak, contact=contact, verstuurd_op=day, deadline=deadline,
    )  # fmt: skip


def _user_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return (user.weergavenaam or user.naam) if user else "de gemeente"


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    """A referral as listed: the task, its state and whether it is escalated (no content)."""

    referral_id: int
    household_id: int
    instelling: str
    naam: str
    adres: str
    taak: str
    contact: str
    status: str
    verstuurd_op: dt.date
    accepteren_voor: dt.date
    deadline: dt.date | None
    escalatie: str | None  # the Dutch reason, or None
    laatste_reactie: str | None
    versie: int
    # False for a partner without the household's valid consent: no name, no address
    toestemming: bool = True

    @property
    def open(self) -> bool:
        """Still expecting something from the partner."""
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class ReferralDetail:
    """One referral opened: the row and the history of the partner's responses."""

    row: ReferralRow
    uitkomst: str | None
    toelichting: str | None
    afwijzing_reden: str | None
    berichten: tuple[tuple[dt.date, str, str], ...]  # (datum, soort, tekst)


def partner_institution(session: Session, actor: Actor) -> int | None:
    """The institution a partner account is bound to (None for other accounts)."""
    if actor.is_system or not valid_id(actor.user_id):
        return None
    return session.scalar(select(User.institution_id).where(User.id == actor.user_id))


NO_CONSENT = "(geen geldige toestemming)"


def _consented(session: Session, referrals: list[Referral], inst: int, today: dt.date) -> set[int]:
    # The households whose valid consent covers the partner's institution today (DESIGN 8.3).
    wanted = {r.household_id for r in referrals}
    return set(session.scalars(
        select(Household.id).where(Household.id.in_(wanted),
                                   consent_valid_sql(Household.id, inst, today))))  # fmt: skip


def _rows(
    session: Session, referrals: list[Referral], today: dt.date, partner: int | None = None
) -> list[ReferralRow]:
    if not referrals:  # a ``partner`` institution: name and address only with valid consent
        return []
    ids = [r.id for r in referrals]
    names = dict(session.execute(
        select(Institution.id, Institution.naam)
        .where(Institution.id.in_({r.institution_id for r in referrals}))
    ).all())  # fmt: skip
    wanted = {r.household_id for r in referrals}
    homes = {h.id: h for h in session.scalars(select(Household).where(Household.id.in_(wanted)))}
    last: dict[int, str] = {}
    for rid, soort, datum, tekst in session.execute(
        select(ReferralMessage.verwijzing_id, ReferralMessage.soort, ReferralMessage.datum,
               ReferralMessage.tekst)
        .where(ReferralMessage.verwijzing_id.in_(ids)).order_by(ReferralMessage.id)
    ).all():  # fmt: skip
        last[rid] = f"{MESSAGE_LABELS[soort]} op {datum.strftime('%d-%m-%Y')}" + (
            f": {tekst}" if tekst else ""
        )
    allowed = wanted if partner is None else _consented(session, referrals, partner, today)
    out = []
    for r in referrals:
        why = escalation(r.status, r.verstuurd_op, r.deadline, today)
        ok = r.household_id in allowed
        naam = head_name(session, r.household_id) if ok else NO_CONSENT
        adres = household_address(homes[r.household_id]) if ok else "(alleen via de contactpersoon)"
        out.append(ReferralRow(
            r.id, r.household_id, names.get(r.institution_id, "-"), naam, adres, r.taak,
            r.contact, r.status, r.verstuurd_op, accept_by(r.verstuurd_op), r.deadline,
            REASONS[why] if why else None, last.get(r.id), r.versie, ok,
        ))  # fmt: skip
    return out


def _order(rows: list[ReferralRow]) -> list[ReferralRow]:
    # Open first; escalated ones on top of those; then the oldest first.
    return sorted(rows, key=lambda r: (not r.open, r.escalatie is None, r.verstuurd_op,
                                       r.referral_id))  # fmt: skip


def my_referrals(session: Session, actor: Actor, today: dt.date) -> list[ReferralRow]:
    """The referrals addressed to the partner's own institution, open ones first (partner)."""
    role = authorize(session, actor, "verwijzingen_inzien")
    inst = partner_institution(session, actor)
    if role != "partner" or inst is None:
        refuse(session, actor, audit.Event.VERWIJZINGEN_INZIEN, "verwijzing", None,
               "Alleen een partner ziet de verwijzingen van de eigen instelling.")  # fmt: skip
    referrals = list(session.scalars(select(Referral).where(Referral.institution_id == inst)))
    rows = _order(_rows(session, referrals, today, partner=inst))
    audit.record_list(session, actor, audit.Event.VERWIJZINGEN_INZIEN, "household",
                      ((r.household_id, f"verwijzing {r.referral_id} aan {r.instelling}")
                       for r in rows))  # one row per purpose, not per list row  # fmt: skip
    return rows


def own_referral(session: Session, actor: Actor, referral_id: object, event: audit.Event):
    """The referral if it is addressed to the partner's institution; else refused (audited)."""
    inst = partner_institution(session, actor)
    referral = session.get(Referral, referral_id) if valid_id(referral_id) else None
    if referral is None or inst is None or referral.institution_id != inst:
        refuse(session, actor, event, "verwijzing", referral_id, MSG_NOT_YOURS)
    return referral


def open_referral(
    session: Session, actor: Actor, referral_id: int, today: dt.date
) -> ReferralDetail:
    """One referral with the minimum household data (partner: own institution; gbd: access)."""
    role = authorize(session, actor, "verwijzing_inzien")
    event = audit.Event.VERWIJZING_INZIEN
    partner = None
    if role == "partner":
        referral = own_referral(session, actor, referral_id, event)
        doel = f"verwijzing {referral.id}"
        partner = referral.institution_id
    else:
        referral = session.get(Referral, referral_id) if valid_id(referral_id) else None
        if referral is None:
            raise NotFound("Verwijzing niet gevonden.")
        doel = require_household_access(session, actor, referral.household_id, event)
    (row,) = _rows(session, [referral], today, partner=partner)
    if partner is not None:
        doel += " · toestemming" if row.toestemming else " · zonder toestemming: geen naam en adres"
    messages = session.execute(
        select(ReferralMessage.datum, ReferralMessage.soort, ReferralMessage.tekst)
        .where(ReferralMessage.verwijzing_id == referral.id).order_by(ReferralMessage.id)
    ).all()  # fmt: skip
    audit.record(session, actor, event, "household", referral.household_id, doel=doel,
                 nieuw={"verwijzing": referral.id})  # fmt: skip
    return ReferralDetail(
        row,
        referral.uitkomst,
        referral.uitkomst_toelichting,
        referral.afwijzing_reden,
        tuple((d, MESSAGE_LABELS[s], t or "") for d, s, t in messages),
    )


def household_referrals(
    session: Session, actor: Actor, household_id: int, today: dt.date
) -> list[ReferralRow]:
    """The referrals of one household with status and partner responses (gbd with access)."""
    authorize(session, actor, "verwijzingen_inzien")  # a partner: refused just below
    reason = require_household_access(session, actor, household_id, audit.Event.VERWIJZINGEN_INZIEN)
    referrals = list(session.scalars(
        select(Referral).where(Referral.household_id == household_id)))  # fmt: skip
    audit.record(session, actor, audit.Event.VERWIJZINGEN_INZIEN, "household", household_id,
                 doel=reason)  # fmt: skip
    return _order(_rows(session, referrals, today))


def _not_accepted_sent_by(today: dt.date) -> dt.date:
    """The last sending date whose still unaccepted referral is escalated on ``today``.

    Found with :func:`escalation` itself (``accept_by`` only grows with the sending date),
    so the SQL bound and the rule cannot disagree.
    """
    day = today - dt.timedelta(days=1)
    while escalation("verstuurd", day, None, today) is None:
        day -= dt.timedelta(days=1)
    return day


def escalated_sql(today: dt.date) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """SQL conditions on :class:`Referral`: (past the deadline, not accepted in time) on ``today``.

    The one definition of an escalated referral in queries, equal to
    :func:`coordination.referral_rules.escalation` (which callers still apply per row):
    :func:`escalated_referrals` uses both, the worklist pages through each in its own order.
    """
    overdue = and_(Referral.status.in_(OPEN_STATUSES), Referral.deadline < today)
    late = and_(
        Referral.status == "verstuurd",
        or_(Referral.deadline.is_(None), Referral.deadline >= today),
        Referral.verstuurd_op <= _not_accepted_sent_by(today),
    )
    return overdue, late


def escalated_referrals(session: Session, actor: Actor, today: dt.date) -> list[ReferralRow]:
    """Escalated referrals of the households the actor holds regie for (gbd; the worklist).

    Not accepted within 5 Dutch working days, or past the deadline and not closed
    (:func:`coordination.referral_rules.escalation`). The system actor sees them all.
    """
    authorize(session, actor, "verwijzingen_escalatie")
    stmt = select(Referral).where(or_(*escalated_sql(today)))
    if not actor.is_system:
        mine = select(Regie.household_id).where(
            Regie.houder_user_id == actor.user_id, regie_active_sql(Regie, today)
        )
        stmt = stmt.where(Referral.household_id.in_(mine))
    rows = [r for r in _rows(session, list(session.scalars(stmt)), today) if r.escalatie]
    audit.record_list(session, actor, audit.Event.VERWIJZINGEN_ESCALATIE, "household",
                      ((r.household_id, "regiehouder") for r in rows))  # fmt: skip
    return _order(rows)
