"""Regie (case lead) for a household: assign, transfer, end, and the list of regie gaps.

At most one active regie per household is enforced by the database (the partial
unique index ``uq_regie_one_active_per_household``), not only by this code:
when two coordinators assign regie at the same moment, the second insert fails
in the database and the caller gets a :class:`~households.errors.Conflict`
naming the current holder. A transfer ends the old regie and starts the new one
in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coordination.gap_urgency import GapFacts, Urgency, gap_urgency
from coordination.models import Regie, RegieParty
from coordination.stacking import stacking_table
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.models import (
    ARREARS_SIGNAL_KINDS,
    HelpRequest,
    Household,
    Institution,
    Signal,
    User,
)
from households.periods import regie_active_sql, signal_open_sql
from households.validation import clean_text

__all__ = [
    "assign_regie", "transfer_regie", "end_regie", "current_regie", "regie_gaps",
    "holder_name", "RegieGap", "parse_parties", "gbd_users", "institutions", "regie_summary",
    "RegieSummary", "summarise_regie",
]  # fmt: skip


def holder_name(session: Session, regie: Regie) -> str:
    """The holder as shown: the user's name, or the contact with the institution."""
    if regie.houder_user_id is not None:
        user = session.get(User, regie.houder_user_id)
        if user is not None:
            return user.weergavenaam or user.naam
    name = regie.houder_contact or "onbekend"
    if regie.houder_instelling_id is not None:
        inst = session.get(Institution, regie.houder_instelling_id)
        if inst is not None:
            name = f"{name} ({inst.naam})"
    return name


def current_regie(session: Session, actor: Actor, household_id: int) -> Regie | None:
    """The active regie of a household, or None (access checked, audited)."""
    reason = require_household_access(session, actor, household_id, audit.Event.REGIE_INZIEN)
    regie = _active(session, household_id)
    audit.record(session, actor, audit.Event.REGIE_INZIEN, "household", household_id, doel=reason)
    return regie


def _active(session: Session, household_id: int, *, for_update: bool = False) -> Regie | None:
    # The open regie row (actief, einde empty): the one the partial unique index allows
    # and the one end/transfer act on now. "Active on a date" is households.periods.
    stmt = select(Regie).where(Regie.household_id == household_id, Regie.actief.is_(True))
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def _check_input(session, houder_user_id, houder_contact, instelling_id, doel, partijen, route,
                 start):  # fmt: skip
    if (houder_user_id is None) == (not (houder_contact or "").strip()):
        raise InvalidInput(
            "Kies één regiehouder: een GBD-er óf een contactpersoon bij een instelling."
        )
    contact = None
    if houder_user_id is not None:
        user = session.get(User, houder_user_id) if isinstance(houder_user_id, int) else None
        if user is None or not user.actief or user.rol != "gbd":
            raise InvalidInput("De regiehouder moet een actieve GBD-er zijn.")
    else:
        contact = clean_text(houder_contact, "De contactpersoon", 2, 120)
    if instelling_id is not None and (
        not isinstance(instelling_id, int) or session.get(Institution, instelling_id) is None
    ):
        raise InvalidInput("Onbekende instelling.")
    doel = clean_text(doel, "Het overkoepelende doel", 5, 4000)
    route = (route or "").strip() or None
    if route is not None and len(route) > 4000:
        raise InvalidInput("De route is te lang (hoogstens 4000 tekens).")
    if not isinstance(start, dt.date):
        raise InvalidInput("Geef een geldige startdatum op.")
    parties = []
    for item in partijen or ():
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise InvalidInput("Geef per partij de naam en de taak op.")
        parties.append((clean_text(item[0], "De naam van de partij", 2, 160),
                        clean_text(item[1], "De taak van de partij", 3, 4000)))  # fmt: skip
    return contact, doel, route, parties


def _insert(session, actor, household_id, houder_user_id, contact, instelling_id, doel, route,
            start, parties) -> Regie:  # fmt: skip
    regie = Regie(
        household_id=household_id, houder_user_id=houder_user_id, houder_contact=contact,
        houder_instelling_id=instelling_id, doel=doel, route=route, start=start, actief=True,
        aangemaakt_door=actor.user_id,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(regie)
            session.flush()
    except IntegrityError:
        holder = _active(session, household_id)
        name = holder_name(session, holder) if holder else "een andere regiehouder"
        raise Conflict(
            f"Dit huishouden heeft al een regiehouder: {name}. "
            "Draag de regie over of beëindig die eerst."
        ) from None
    for partij, taak in parties:
        session.add(RegieParty(regie_id=regie.id, partij=partij, taak=taak))
    session.flush()
    return regie


def assign_regie(
    session: Session,
    actor: Actor,
    household_id: int,
    *,
    houder_user_id: int | None = None,
    houder_contact: str | None = None,
    houder_instelling_id: int | None = None,
    doel: str,
    partijen: list[tuple[str, str]] | None = None,
    route: str | None = None,
    start: dt.date | None = None,
    samenhang: str | None,
) -> Regie:
    """Give a household a regie holder (gbd with access; audited).

    ``samenhang`` records the decision for a gecoördineerde aanpak (DESIGN 8.3): why the
    problems are multiple and connected. It is required (None: not confirmed, refused).
    The holder is a gbd user *or* a named contact (optionally at an institution).
    Raises :class:`Conflict` naming the current holder when the household already
    has an active regie (decided by the database's unique index).
    """
    authorize(session, actor, "regie_toewijzen")
    household = session.get(Household, household_id) if isinstance(household_id, int) else None
    if household is None:
        raise NotFound("Huishouden niet gevonden.")
    start = start or dt.date.today()
    contact, doel, route, parties = _check_input(
        session, houder_user_id, houder_contact, houder_instelling_id, doel, partijen, route, start
    )
    if samenhang is None:
        raise InvalidInput(
            "Bevestig dat de problemen meervoudig en samenhangend zijn (gecoördineerde aanpak)."
        )
    samenhang = clean_text(samenhang, "De toelichting op de samenhang", 10, 4000)
    require_household_access(session, actor, household_id, audit.Event.REGIE_TOEWIJZEN)
    regie = _insert(session, actor, household_id, houder_user_id, contact, houder_instelling_id,
                    doel, route, start, parties)  # fmt: skip
    regie.samenhang = samenhang
    session.flush()
    audit.record(session, actor, audit.Event.REGIE_TOEWIJZEN, "household", household_id,
                 nieuw={"regie": regie.id, "houder": holder_name(session, regie),
                        "meervoudig_en_samenhangend": True})  # fmt: skip
    return regie


def end_regie(
    session: Session, actor: Actor, household_id: int, reden: str, einde: dt.date | None = None
) -> Regie:
    """End the active regie of a household with a reason (gbd with access; audited)."""
    authorize(session, actor, "regie_beeindigen")
    reden = clean_text(reden, "De reden", 5, 4000)
    einde = einde or dt.date.today()
    if not isinstance(einde, dt.date):
        raise InvalidInput("Geef een geldige einddatum op.")
    require_household_access(session, actor, household_id, audit.Event.REGIE_BEEINDIGEN)
    regie = _active(session, household_id, for_update=True)
    if regie is None:
        raise NotFound("Dit huishouden heeft geen actieve regie.")
    if einde < regie.start:
        raise InvalidInput("De einddatum ligt vóór de start van de regie.")
    regie.actief, regie.einde, regie.einde_reden = False, einde, reden
    session.flush()
    audit.record(session, actor, audit.Event.REGIE_BEEINDIGEN, "household", household_id,
                 oud={"regie": regie.id}, doel=reden)  # fmt: skip
    return regie


def transfer_regie(
    session: Session,
    actor: Actor,
    household_id: int,
    *,
    houder_user_id: int | None = None,
    houder_contact: str | None = None,
    houder_instelling_id: int | None = None,
    doel: str | None = None,
    partijen: list[tuple[str, str]] | None = None,
    route: str | None = None,
    start: dt.date | None = None,
    reden: str = "Regie overgedragen",
) -> Regie:
    """End the active regie and start a new one in the same transaction (atomic).

    Goal, route and parties default to those of the old regie.
    """
    authorize(session, actor, "regie_overdragen")
    start = start or dt.date.today()
    require_household_access(session, actor, household_id, audit.Event.REGIE_OVERDRAGEN)
    old = _active(session, household_id, for_update=True)
    if old is None:
        raise NotFound("Dit huishouden heeft geen actieve regie om over te dragen.")
    if partijen is None:
        partijen = [
            (p.partij, p.taak)
            for p in session.scalars(select(RegieParty).where(RegieParty.regie_id == old.id))
        ]
    contact, doel, route, parties = _check_input(
        session, houder_user_id, houder_contact, houder_instelling_id, doel or old.doel,
        partijen, route if route is not None else old.route, start,
    )  # fmt: skip
    if start < old.start:
        raise InvalidInput("De overdracht ligt vóór de start van de huidige regie.")
    old_name = holder_name(session, old)
    old.actief, old.einde, old.einde_reden = False, start, reden
    session.flush()
    new = _insert(session, actor, household_id, houder_user_id, contact, houder_instelling_id,
                  doel, route, start, parties)  # fmt: skip
    new.samenhang = old.samenhang  # the decision for a gecoördineerde aanpak stays
    audit.record(session, actor, audit.Event.REGIE_OVERDRAGEN, "household", household_id,
                 oud={"regie": old.id, "houder": old_name},
                 nieuw={"regie": new.id, "houder": holder_name(session, new)})  # fmt: skip
    return new


@dataclass(frozen=True)
class RegieGap:
    """A complex household without an active regie, with what makes it urgent."""

    household_id: int
    huishouden_id: str
    wijk: str
    veiligheidssignaal: bool
    n_redenen: int
    redenen: tuple[str, ...]
    schuld_open: float
    acuut: bool = False  # an open help request marked "acuut"
    oudste_open_aanvraag: dt.date | None = None  # received on; no decision yet on the date
    jeugdbescherming: bool = False  # an active jeugdbeschermingsmaatregel
    achterstanden: tuple[str, ...] = ()  # open arrears signal kinds (Wgs)
    n_domeinen: int = 0
    urgentie: Urgency | None = None  # coordination.gap_urgency: level and reason


def regie_gaps(
    session: Session, actor: Actor, date: dt.date, limit: int | None = None
) -> list[RegieGap]:
    """Complex households without an active regie, most urgent first (gbd; at most ``limit``).

    Order: :func:`coordination.gap_urgency.gap_urgency` (safety, acute, jeugdbescherming,
    arrears; within those the oldest open help request, the number of domains, the open
    debt). A help request is open on the date when received and not yet decided.
    """
    authorize(session, actor, "regie_gaten")
    table = stacking_table(session, date)
    table = table[table["complex"]]
    with_regie = set(
        session.scalars(select(Regie.household_id).where(regie_active_sql(Regie, date)))
    )
    open_requests = _open_requests(session, date)
    arrears = _open_arrears(session, date)
    gaps = []
    for row in table.itertuples(index=False):
        hh = int(row.household_id)
        if hh in with_regie:
            continue
        codes = tuple(c for c in str(row.complex_reasons).split(";") if c)
        acute, oldest = open_requests.get(hh, (False, None))
        facts = GapFacts(hh, "veiligheidssignaal" in codes, acute, bool(row.jeugdbescherming),
                         arrears.get(hh, ()), oldest, int(row.n_domains),
                         int(row.debt_outstanding_cent) / 100)  # fmt: skip
        gaps.append(RegieGap(hh, str(row.huishouden_id), str(row.wijk),
                             facts.veiligheidssignaal, len(codes), codes, facts.schuld_open,
                             acute, oldest, facts.jeugdbescherming, facts.achterstanden,
                             facts.n_domeinen, gap_urgency(facts)))  # fmt: skip
    gaps.sort(key=lambda g: g.urgentie.key)
    if limit is not None:
        gaps = gaps[:limit]
    audit.record_list(session, actor, audit.Event.REGIE_GATEN, "household",
                      ((g.household_id, "regiegaten") for g in gaps))  # one row per view
    return gaps


def _open_requests(session: Session, date: dt.date) -> dict[int, tuple[bool, dt.date]]:
    """Per household with an open help request on ``date``: (any acute, oldest received)."""
    rows = session.execute(
        select(HelpRequest.household_id, HelpRequest.urgentie, HelpRequest.ontvangen_op).where(
            HelpRequest.ontvangen_op <= date,
            (HelpRequest.besluit_op.is_(None)) | (HelpRequest.besluit_op > date),
        )
    )
    out: dict[int, tuple[bool, dt.date]] = {}
    for hh, urgentie, received in rows:
        acute, oldest = out.get(hh, (False, received))
        out[hh] = (acute or urgentie == "acuut", min(oldest, received))
    return out


def _open_arrears(session: Session, date: dt.date) -> dict[int, tuple[str, ...]]:
    """Per household: the kinds of its arrears signals open on ``date`` (sorted)."""
    rows = session.execute(
        select(Signal.household_id, Signal.soort)
        .where(Signal.soort.in_(ARREARS_SIGNAL_KINDS), signal_open_sql(Signal, date))
        .distinct()
    )
    out: dict[int, set[str]] = {}
    for hh, soort in rows:
        out.setdefault(hh, set()).add(soort)
    return {hh: tuple(sorted(kinds)) for hh, kinds in out.items()}


def parse_parties(text: str) -> list[tuple[str, str]]:
    """Parties from lines ``partij: taak`` (empty lines skipped).

    >>> parse_parties("Woonpunt: huurachterstand\\n\\nISD BOL: schuldhulp")
    [('Woonpunt', 'huurachterstand'), ('ISD BOL', 'schuldhulp')]
    """
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        partij, sep, taak = line.partition(":")
        if not sep or not partij.strip() or not taak.strip():
            raise InvalidInput(f"Regel {n}: schrijf een partij als 'partij: taak'.")
        out.append((partij.strip(), taak.strip()))
    return out


def gbd_users(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Active gbd users who can hold regie, as ``(user_id, name)``."""
    authorize(session, actor, "regie_toewijzen")
    users = session.scalars(
        select(User).where(User.rol == "gbd", User.actief.is_(True)).order_by(User.naam)
    ).all()
    return [(u.id, u.weergavenaam or u.naam) for u in users]


def institutions(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """All institutions as ``(id, naam)`` (no personal data)."""
    authorize(session, actor, "instellingen_kiezen")
    rows = session.execute(select(Institution.id, Institution.naam).order_by(Institution.naam))
    return [(int(i), str(n)) for i, n in rows]


@dataclass(frozen=True)
class RegieSummary:
    """The active regie as pages show it: holder, goal, route, start and the parties' tasks."""

    regie_id: int
    houder: str
    doel: str | None
    route: str | None
    start: dt.date
    partijen: tuple[tuple[str, str], ...]
    samenhang: str | None = None  # why the problems are multiple and connected (DESIGN 8.3)


def summarise_regie(session: Session, regie: Regie) -> RegieSummary:
    """The summary of ``regie`` (the caller has checked access and audits the read)."""
    parties = session.scalars(
        select(RegieParty).where(RegieParty.regie_id == regie.id).order_by(RegieParty.id)
    )
    return RegieSummary(
        regie_id=regie.id,
        houder=holder_name(session, regie),
        doel=regie.doel,
        route=regie.route,
        start=regie.start,
        partijen=tuple((p.partij, p.taak) for p in parties),
        samenhang=regie.samenhang,
    )


def regie_summary(session: Session, actor: Actor, household_id: int) -> RegieSummary | None:
    """The active regie of a household as shown on a page, or None (access checked, audited)."""
    regie = current_regie(session, actor, household_id)
    return None if regie is None else summarise_regie(session, regie)
