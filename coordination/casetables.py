"""Case tables (casustafels): tables, members, meetings and the agenda.

Organised "spraak en tegenspraak": a *maatwerk* decision takes effect only after
a second coordinator reviewed it and agreed; nobody reviews their own decision.
A reviewer who disagrees records dissent (tegenspraak) with a reason; the
decision then shows both and does not take effect. Actions given at a table and
their feedback live in :mod:`coordination.actions`.

A ``gbd`` user sees the households on the agenda of a case table they sit at:
that household rule is in :mod:`coordination.access`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from coordination.models import AgendaItem, CaseTable, CaseTableMember, Decision, Meeting, Review
from households import audit
from households.access import authorize, refuse, require_household_access
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.models import HelpRequest, Household, User
from households.validation import clean_text

__all__ = [
    "DEFAULT_TABLES", "BREDE_TAFEL", "TAFEL_NOORD_OOST", "TAFEL_VEILIGHEID",
    "ensure_tables", "table_by_name", "list_tables", "create_table", "add_member",
    "plan_meeting", "meetings", "add_agenda_item", "agenda", "AgendaRow",
    "decision_status", "DECISION_KINDS",
]  # fmt: skip

BREDE_TAFEL = "Brede tafel publiek domein"
TAFEL_NOORD_OOST = "Tafel Noord en Oost"
TAFEL_VEILIGHEID = "Tafel sociale veiligheid"
DEFAULT_TABLES = (BREDE_TAFEL, TAFEL_NOORD_OOST, TAFEL_VEILIGHEID)
DECISION_KINDS = ("standaard", "maatwerk")
MEMBER_ROLES = ("gbd", "ervaringswerker", "partner")


def _text(value: str | None, label: str, minimum: int = 3, maximum: int = 4000) -> str:
    return clean_text(value, label, minimum, maximum)


def _date(value, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise InvalidInput(f"{label}: geef een geldige datum op.")


def _get(session: Session, model, object_id, label: str):
    row = session.get(model, object_id) if isinstance(object_id, int) else None
    if row is None:
        raise NotFound(f"{label} niet gevonden.")
    return row


# --- tables, members, meetings -------------------------------------------------------------


def ensure_tables(session: Session) -> list[CaseTable]:
    """Create the three named case tables when missing; return them in that order."""
    out = []
    for naam in DEFAULT_TABLES:
        table = session.scalar(select(CaseTable).where(CaseTable.naam == naam))
        if table is None:
            table = CaseTable(naam=naam, actief=True)
            session.add(table)
            session.flush()
        out.append(table)
    return out


def table_by_name(session: Session, naam: str) -> CaseTable:
    """The case table called ``naam`` (the three named tables are created on demand)."""
    if naam in DEFAULT_TABLES:
        ensure_tables(session)
    table = session.scalar(select(CaseTable).where(CaseTable.naam == naam))
    if table is None:
        raise NotFound(f"Casustafel '{naam}' bestaat niet.")
    return table


@dataclass(frozen=True)
class TableInfo:
    """A case table with its members' names and whether the actor sits at it."""

    id: int
    naam: str
    leden: tuple[str, ...]
    lid: bool


def list_tables(session: Session, actor: Actor) -> list[TableInfo]:
    """All active case tables (gbd, beheer); creates the three named ones when missing."""
    authorize(session, actor, "casustafels_inzien")
    tables = ensure_tables(session) + list(
        session.scalars(
            select(CaseTable)
            .where(CaseTable.naam.not_in(DEFAULT_TABLES), CaseTable.actief.is_(True))
            .order_by(CaseTable.naam)
        )
    )
    rows = session.execute(
        select(CaseTableMember.case_table_id, User.id, User.naam, User.weergavenaam)
        .join(User, User.id == CaseTableMember.user_id)
        .order_by(User.naam)
    ).all()
    out = []
    for t in tables:
        mine = [r for r in rows if r[0] == t.id]
        out.append(
            TableInfo(
                t.id,
                t.naam,
                tuple(r[3] or r[2] for r in mine),
                any(r[1] == actor.user_id for r in mine),
            )
        )
    return out


def create_table(session: Session, actor: Actor, naam: str, omschrijving: str | None = None):
    """Add a case table (gbd, beheer); names are unique."""
    authorize(session, actor, "casustafel_maken")
    naam = _text(naam, "De naam van de tafel", 3, 120)
    if session.scalar(select(CaseTable.id).where(CaseTable.naam == naam)) is not None:
        raise Conflict(f"Er bestaat al een casustafel '{naam}'.")
    table = CaseTable(naam=naam, omschrijving=omschrijving, actief=True)
    session.add(table)
    session.flush()
    audit.record(
        session, actor, audit.Event.CASUSTAFEL_MAKEN, "case_table", table.id, nieuw={"naam": naam}
    )
    return table


def add_member(session: Session, actor: Actor, table_id: int, user_id: int) -> CaseTableMember:
    """Seat a GBD-er, an ervaringswerker or a partner "met mandaat" at a table (gbd, beheer).

    A partner member (``mandaat=True``) sees only the agenda items their institution is
    party to (:mod:`coordination.table_parties`), never the rest of the agenda.
    """
    authorize(session, actor, "casustafel_lid")
    _get(session, CaseTable, table_id, "Casustafel")
    user = _get(session, User, user_id, "Gebruiker")
    if user.rol not in MEMBER_ROLES:
        raise InvalidInput(
            "Alleen GBD-ers, ervaringswerkers en partners (met mandaat) kunnen lid zijn "
            "van een casustafel."
        )
    existing = session.scalar(
        select(CaseTableMember).where(
            CaseTableMember.case_table_id == table_id, CaseTableMember.user_id == user_id
        )
    )
    if existing is not None:
        return existing
    member = CaseTableMember(case_table_id=table_id, user_id=user_id, mandaat=user.rol == "partner")
    session.add(member)
    session.flush()
    audit.record(
        session, actor, audit.Event.CASUSTAFEL_LID, "case_table", table_id, nieuw={"user": user_id}
    )
    return member


def require_member(session: Session, actor: Actor, table_id: int, event: audit.Event) -> None:
    """Refuse (audited as ``event``) unless the actor sits at the table (the system may)."""
    if actor.is_system:
        return
    ok = session.scalar(
        select(
            exists().where(
                CaseTableMember.case_table_id == table_id, CaseTableMember.user_id == actor.user_id
            )
        )
    )
    if not ok:
        refuse(
            session, actor, event, "case_table", table_id, "U bent geen lid van deze casustafel."
        )


def plan_meeting(session: Session, actor: Actor, table_id: int, datum: dt.date) -> Meeting:
    """Plan a meeting of a table on ``datum`` (members only)."""
    authorize(session, actor, "overleg_plannen")
    _get(session, CaseTable, table_id, "Casustafel")
    datum = _date(datum, "Datum van het overleg")
    require_member(session, actor, table_id, audit.Event.OVERLEG_PLANNEN)
    meeting = Meeting(case_table_id=table_id, datum=datum, aangemaakt_door=actor.user_id)
    session.add(meeting)
    session.flush()
    audit.record(
        session, actor, audit.Event.OVERLEG_PLANNEN, "meeting", meeting.id, nieuw=str(datum)
    )
    return meeting


def meetings(session: Session, actor: Actor, table_id: int) -> list[Meeting]:
    """The meetings of a table, newest first (gbd)."""
    authorize(session, actor, "overleggen_inzien")
    return list(
        session.scalars(
            select(Meeting).where(Meeting.case_table_id == table_id).order_by(Meeting.datum.desc())
        )
    )


# --- agenda ---------------------------------------------------------------------------------


def put_on_agenda(
    session: Session,
    actor: Actor,
    table: CaseTable,
    household_id: int,
    vraag: str,
    help_request_id: int | None,
    date: dt.date,
    meeting_id: int | None = None,
) -> AgendaItem:
    """Write an agenda item (callers have checked access and input)."""
    item = AgendaItem(
        case_table_id=table.id,
        meeting_id=meeting_id,
        household_id=household_id,
        help_request_id=help_request_id,
        vraag=vraag,
        toegevoegd_door=actor.user_id,
        toegevoegd_op=date,
    )
    session.add(item)
    session.flush()
    audit.record(session, actor, audit.Event.AGENDAPUNT_TOEVOEGEN, "household", household_id,
                 nieuw={"agenda_item": item.id, "tafel": table.naam})  # fmt: skip
    return item


def add_agenda_item(
    session: Session,
    actor: Actor,
    table_id: int,
    household_id: int,
    vraag: str,
    *,
    meeting_id: int | None = None,
    help_request_id: int | None = None,
    date: dt.date | None = None,
) -> AgendaItem:
    """Put a household with a question on a table's agenda (gbd with access to the household)."""
    authorize(session, actor, "agendapunt_toevoegen")
    table = _get(session, CaseTable, table_id, "Casustafel")
    vraag = _text(vraag, "De vraag aan de tafel", 5)
    _get(session, Household, household_id, "Huishouden")
    if meeting_id is not None:
        meeting = _get(session, Meeting, meeting_id, "Overleg")
        if meeting.case_table_id != table_id:
            raise InvalidInput("Dit overleg hoort niet bij deze casustafel.")
    if help_request_id is not None:
        req = _get(session, HelpRequest, help_request_id, "Hulpvraag")
        if req.household_id != household_id:
            raise InvalidInput("Deze hulpvraag hoort niet bij dit huishouden.")
    require_household_access(session, actor, household_id)
    return put_on_agenda(
        session, actor, table, household_id, vraag, help_request_id,
        date or dt.date.today(), meeting_id,
    )  # fmt: skip


@dataclass(frozen=True)
class AgendaRow:
    """One agenda item with its decision, review and status."""

    agenda_item_id: int
    household_id: int
    adres: str
    vraag: str
    meeting_datum: dt.date | None
    decision_id: int | None
    besluit: str | None
    soort: str | None
    besloten_door: str | None
    review: str | None
    status: str


def decision_status(decision: Decision | None, review: Review | None) -> str:
    """``open``, ``in werking``, ``wacht op review`` or ``tegenspraak``.

    >>> decision_status(None, None)
    'open'
    >>> decision_status(Decision(soort="standaard"), None)
    'in werking'
    >>> decision_status(Decision(soort="maatwerk"), None)
    'wacht op review'
    >>> decision_status(Decision(soort="maatwerk"), Review(akkoord=False, reden="x"))
    'tegenspraak'
    """
    if decision is None:
        return "open"
    if decision.soort == "standaard":
        return "in werking"
    if review is None:
        return "wacht op review"
    return "in werking" if review.akkoord else "tegenspraak"


def _user_names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {
        u.id: u.weergavenaam or u.naam
        for u in session.scalars(select(User).where(User.id.in_(ids)))
    }


def agenda(
    session: Session, actor: Actor, table_id: int, meeting_id: int | None = None
) -> list[AgendaRow]:
    """The agenda of a table (optionally one meeting) with decisions and reviews (members)."""
    authorize(session, actor, "agenda_inzien")
    table = _get(session, CaseTable, table_id, "Casustafel")
    require_member(session, actor, table_id, audit.Event.AGENDA_INZIEN)
    stmt = select(AgendaItem).where(AgendaItem.case_table_id == table_id)
    if meeting_id is not None:
        stmt = stmt.where(AgendaItem.meeting_id == meeting_id)
    items = list(session.scalars(stmt.order_by(AgendaItem.id)))
    ids = [i.id for i in items]
    decisions = {
        d.agenda_item_id: d
        for d in session.scalars(
            select(Decision).where(Decision.agenda_item_id.in_(ids)).order_by(Decision.id)
        )
    }
    reviews = {
        r.decision_id: r
        for r in session.scalars(
            select(Review).where(Review.decision_id.in_([d.id for d in decisions.values()]))
        )
    }
    households = {
        h.id: h
        for h in session.scalars(
            select(Household).where(Household.id.in_({i.household_id for i in items}))
        )
    }
    meeting_dates = dict(
        session.execute(
            select(Meeting.id, Meeting.datum).where(Meeting.case_table_id == table_id)
        ).all()
    )
    names = _user_names(
        session,
        [d.besloten_door for d in decisions.values()] + [r.reviewer_id for r in reviews.values()],
    )
    rows = []
    for item in items:
        d = decisions.get(item.id)
        r = reviews.get(d.id) if d else None
        h = households[item.household_id]
        review_text = None
        if r is not None:
            word = "akkoord" if r.akkoord else "tegenspraak"
            review_text = f"{word} ({names.get(r.reviewer_id)})"
            if r.reden:
                review_text += f": {r.reden}"
        rows.append(
            AgendaRow(
                item.id, item.household_id,
                f"{h.straat or ''} {h.huisnummer or ''}, {h.wijk}".strip(),
                item.vraag, meeting_dates.get(item.meeting_id),
                d.id if d else None, d.tekst if d else None, d.soort if d else None,
                names.get(d.besloten_door) if d else None, review_text, decision_status(d, r),
            )
        )  # fmt: skip
    # one audit row per agenda view naming every household on it (kiss inzage finds each)
    audit.record_many(session, actor, audit.Event.AGENDA_INZIEN, "household",
                      sorted({item.household_id for item in items}),
                      doel=f"casustafel {table.naam}")  # fmt: skip
    return rows
