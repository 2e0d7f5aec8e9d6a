"""Partners "met mandaat" at a case table: which agenda items their institution is party to.

An institution becomes a party to an agenda item when an action or a referral goes to it
(:func:`coordination.referrals.refer_action`) or when a GBD-er member of the table adds it
(:func:`add_party`). A partner who sits at the table (``mandaat=True``,
:func:`coordination.casetables.add_member`) sees only those items (:func:`partner_agenda`):
the other items of the agenda are not listed, not even as "bekend bij".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.casetables import _get, decision_status, require_member
from coordination.loopmodels import AgendaParty
from coordination.models import AgendaItem, CaseTable, CaseTableMember, Decision, Meeting, Review
from coordination.referrals import head_name, household_address, partner_institution
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.models import Household, Institution, User

__all__ = ["PartnerItem", "add_party", "partner_agenda", "member_candidates"]

ROLE_LABELS = {"gbd": "GBD-er", "ervaringswerker": "ervaringswerker", "partner": "partner"}


def member_candidates(session: Session, actor: Actor, table_id: int) -> dict[int, str]:
    """Active GBD-ers, ervaringswerkers and partners not yet at the table: ``{id: label}``.

    The label names the role and, for a partner, the institution (gbd, beheer).
    """
    authorize(session, actor, "casustafel_lid")
    seated = select(CaseTableMember.user_id).where(CaseTableMember.case_table_id == table_id)
    rows = session.execute(
        select(User.id, User.naam, User.weergavenaam, User.rol, Institution.naam)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .where(User.rol.in_(tuple(ROLE_LABELS)), User.actief.is_(True), User.id.not_in(seated))
        .order_by(User.rol, User.naam)
    ).all()
    return {
        uid: f"{shown or naam} ({ROLE_LABELS[rol]}" + (f", {inst}" if inst else "") + ")"
        for uid, naam, shown, rol, inst in rows
    }


def add_party(
    session: Session, actor: Actor, agenda_item_id: int, institution_id: int
) -> AgendaParty:
    """Make an institution party to an agenda item (gbd member of the item's table). Idempotent."""
    authorize(session, actor, "agendapartij_toevoegen")
    item = _get(session, AgendaItem, agenda_item_id, "Agendapunt")
    _get(session, Institution, institution_id, "Instelling")
    require_member(session, actor, item.case_table_id, audit.Event.AGENDAPARTIJ_TOEVOEGEN)
    require_household_access(session, actor, item.household_id)
    party = session.scalar(
        select(AgendaParty).where(
            AgendaParty.agenda_item_id == item.id, AgendaParty.institution_id == institution_id
        )
    )
    if party is None:
        party = AgendaParty(agenda_item_id=item.id, institution_id=institution_id)
        session.add(party)
        session.flush()
        audit.record(session, actor, audit.Event.AGENDAPARTIJ_TOEVOEGEN, "household",
                     item.household_id, nieuw={"agenda_item": item.id,
                                               "instelling": institution_id})  # fmt: skip
    return party


@dataclass(frozen=True)
class PartnerItem:
    """An agenda item as a partner member sees it: the minimum to take part."""

    agenda_item_id: int
    tafel: str
    overleg: dt.date | None
    naam: str
    adres: str
    vraag: str
    besluit: str | None
    status: str


def partner_agenda(session: Session, actor: Actor) -> list[PartnerItem]:
    """The items of the partner's tables that their institution is party to (partner)."""
    authorize(session, actor, "tafelpunten_partner")
    inst = partner_institution(session, actor)
    mine = select(CaseTableMember.case_table_id).where(
        CaseTableMember.user_id == actor.user_id, CaseTableMember.mandaat.is_(True)
    )
    party = select(AgendaParty.agenda_item_id).where(AgendaParty.institution_id == inst)
    rows = session.execute(
        select(AgendaItem, CaseTable.naam, Meeting.datum)
        .join(CaseTable, CaseTable.id == AgendaItem.case_table_id)
        .outerjoin(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.case_table_id.in_(mine), AgendaItem.id.in_(party))
        .order_by(CaseTable.naam, AgendaItem.id)
    ).all()
    out = []
    seen: list[tuple] = []
    for item, tafel, datum in rows:
        decision = session.scalar(
            select(Decision).where(Decision.agenda_item_id == item.id).order_by(Decision.id.desc())
        )
        review = (
            session.scalar(select(Review).where(Review.decision_id == decision.id))
            if decision else None
        )  # fmt: skip
        home = session.get(Household, item.household_id)
        out.append(PartnerItem(
            item.id, tafel, datum, head_name(session, item.household_id), household_address(home),
            item.vraag, decision.tekst if decision else None, decision_status(decision, review),
        ))  # fmt: skip
        seen.append((item.household_id, f"casustafel {tafel} (partij)"))
    audit.record_list(session, actor, audit.Event.TAFELPUNTEN_PARTNER, "household", seen)
    return out
