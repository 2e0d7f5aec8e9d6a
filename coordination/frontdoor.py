"""The one front door (KISS) for WMO, Jeugd and ISD: household view first, then the request.

Use cases: :func:`household_view` (the whole household before any decision),
:func:`register_household` (a household not yet known), :func:`register_request`
(a help request with its triage advice and the repeat-request count).

Repeat requests: "aanvraag N in 12 maanden" at a request received on R counts the
household's requests in the 12 months up to R (:mod:`households.periods`: the 365
days ``R-364 .. R``), the request itself included. A request is a repeat request
when N > 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.access import open_household
from coordination.disclosure import audit_view, disclosure, stacking_for
from coordination.doorview import DebtRow, PersonRow, ProvisionRow, RequestRow, SignalRow
from coordination.grondslag import Basis, basis_label, household_bases
from coordination.models import Regie
from coordination.myhouseholds import my_households  # noqa: F401 - the pages' import
from coordination.regie import RegieSummary, summarise_regie
from coordination.stacking import household_stacking
from coordination.triage import TriageAdvice, advice_for
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.bsn import hash_bsn, is_valid_bsn, normalise_bsn
from households.categories import (
    category_of_debt,
    category_of_provision,
    category_of_request,
    category_of_signal,
)
from households.errors import Conflict, InvalidInput, NotFound
from households.frontdoors import ONE_FRONT_DOOR
from households.models import (
    REQUEST_DOMAINS,
    ROLES_IN_HOUSEHOLD,
    URGENCIES,
    Debt,
    HelpRequest,
    Household,
    Person,
    Provision,
    Signal,
)
from households.names import name_key
from households.periods import (
    debt_open_sql,
    member_of_household_sql,
    provision_active_sql,
    regie_active_sql,
    repeat_count,
    requests_in_12_months,
    signal_open_sql,
)
from households.search import address, normalise_postcode
from households.validation import clean_text

if TYPE_CHECKING:
    from coordination.stacking import HouseholdStacking

__all__ = [
    "HouseholdView", "RequestOutcome", "NewPerson", "household_view", "register_household",
    "register_request", "my_households",
]  # fmt: skip

_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


@dataclass(frozen=True)
class HouseholdView:
    """Everything the front door shows before a decision (no BSN)."""

    household_id: int
    huishouden_id: str
    adres: str
    wijk: str
    personen: tuple[PersonRow, ...]
    voorzieningen: tuple[ProvisionRow, ...]
    schulden: tuple[DebtRow, ...]
    signalen: tuple[SignalRow, ...]
    regie: RegieSummary | None
    aanvragen: tuple[RequestRow, ...]
    aanvragen_12_maanden: int
    stapeling: HouseholdStacking
    # DESIGN 8.2/8.3: categories known elsewhere (no content) and the recorded basis
    bekend_bij: tuple[str, ...] = ()
    grondslag: tuple[Basis, ...] = ()


@dataclass(frozen=True)
class RequestOutcome:
    """A registered request: its id, the count in 12 months and the triage advice."""

    request_id: int
    nummer_in_12_maanden: int
    herhaalde_aanvraag: bool
    advies: TriageAdvice

    @property
    def melding(self) -> str:
        """The line the front door shows at once."""
        return f"Dit is aanvraag {self.nummer_in_12_maanden} in 12 maanden."


@dataclass(frozen=True)
class NewPerson:
    """A person registered at the door (BSN in clear only until it is hashed)."""

    bsn: str | None
    geboortejaar: int | None
    rol: str | None
    naam: str | None = None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _require_filled(
    wijk: str | None,
    postcode: str | None,
    huisnummer: str | None,
    straat: str | None,
    persons: tuple[NewPerson, ...],
) -> None:
    """Refuse a registration with empty required fields, naming every one of them.

    A form that leaves a field empty must not be saved with a default in its place.
    """
    fields = [("wijk", wijk), ("postcode", postcode), ("huisnummer", huisnummer),
              ("straat", straat)]  # fmt: skip
    for i, p in enumerate(persons, start=1):
        suffix = f" (persoon {i})" if len(persons) > 1 else ""
        fields += [(f"BSN{suffix}", p.bsn), (f"geboortejaar{suffix}", p.geboortejaar),
                   (f"rol{suffix}", p.rol)]  # fmt: skip
    missing = [name for name, value in fields if _blank(value)]
    if len(missing) == 1:
        raise InvalidInput(f"Vul het verplichte veld in: {missing[0]}.")
    if missing:
        listed = ", ".join(missing[:-1]) + " en " + missing[-1]
        raise InvalidInput(f"Vul de verplichte velden in: {listed}.")


def household_view(
    session: Session, actor: Actor, household_id: int, date: dt.date | None = None
) -> HouseholdView:
    """The whole household on ``date``: persons, provisions, debts, signals, regie, requests."""
    date = date or dt.date.today()
    household = session.get(Household, household_id) if isinstance(household_id, int) else None
    if household is None:
        raise NotFound("Huishouden niet gevonden.")
    reason = require_household_access(session, actor, household_id)
    seen = disclosure(session, actor, household_id, reason)
    present = {"basis"}
    persons = list(
        session.scalars(
            select(Person).where(member_of_household_sql(household_id, date)).order_by(Person.id)
        )
    )
    pids = [p.id for p in persons]
    names = {p.id: p.naam or p.rol for p in persons}

    def shown(category: str) -> bool:
        present.add(category)
        return seen.shows(category)

    provisions = tuple(
        ProvisionRow(names[v.person_id], v.domein, v.soort, v.start, v.einde, v.aanbieder)
        for v in session.scalars(
            select(Provision)
            .where(Provision.person_id.in_(pids), provision_active_sql(Provision, date))
            .order_by(Provision.start, Provision.id)
        )
        if shown(category_of_provision(v.domein, v.soort))
    )
    debts = tuple(
        # the amount on ``date`` (today: current)
        DebtRow(names[d.person_id], d.schuldeiser, d.openstaand_cent / 100, d.sinds, d.in_regeling)
        for d in session.scalars(
            select(Debt)
            .where(Debt.person_id.in_(pids), debt_open_sql(Debt, date))
            .order_by(Debt.sinds, Debt.id)
        )
        if shown(category_of_debt(d.schuldeiser))
    )
    signals = tuple(
        SignalRow(s.soort, s.bron, s.gemeld_op)
        for s in session.scalars(
            select(Signal)
            .where(Signal.household_id == household_id, signal_open_sql(Signal, date))
            .order_by(Signal.id)
        )
        if shown(category_of_signal(s.soort))
    )
    regie = session.scalar(
        select(Regie)
        .where(Regie.household_id == household_id, regie_active_sql(Regie, date))
        .order_by(Regie.start.desc(), Regie.id.desc())
        .limit(1)
    )
    if regie is not None and not shown("plan"):
        regie = None
    all_requests = list(
        session.scalars(
            select(HelpRequest)
            .where(HelpRequest.household_id == household_id)
            .order_by(HelpRequest.ontvangen_op.desc(), HelpRequest.id.desc())
        )
    )
    requests = tuple(
        RequestRow(
            r.id,
            r.ontvangen_op,
            r.voordeur,
            r.domein,
            r.omschrijving,
            r.urgentie,
            r.triage_advies,
            r.triage,
            r.besluit_op,
        )  # fmt: skip
        for r in all_requests
        if shown(category_of_request(r.domein))
    )
    in_12 = repeat_count([r.ontvangen_op for r in all_requests], date)
    bases = household_bases(session, household_id, seen.shows)
    audit_view(session, actor, household_id, seen, present, basis_label(bases))
    return HouseholdView(
        household_id, household.huishouden_id, address(household), household.wijk,
        tuple(PersonRow(p.naam, p.rol, p.geboortejaar) for p in persons),
        provisions, debts, signals, None if regie is None else summarise_regie(session, regie),
        requests, in_12,
        stacking_for(seen, household_stacking(session, household_id, date),
                     sum((Decimal(str(d.openstaand)) for d in debts), Decimal(0))),
        seen.known(present), bases,
    )  # fmt: skip


def _clean_person(p: NewPerson) -> tuple[str, int, str, str | None]:
    bsn = normalise_bsn(str(p.bsn or ""))
    if not is_valid_bsn(bsn):
        raise InvalidInput("Een BSN is ongeldig (9 cijfers die de elfproef doorstaan).")
    year = p.geboortejaar
    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not 1900 <= year <= dt.date.today().year
    ):
        raise InvalidInput("Geef een geldig geboortejaar op.")
    if p.rol not in ROLES_IN_HOUSEHOLD:
        raise InvalidInput(f"Rol in het huishouden: kies uit {', '.join(ROLES_IN_HOUSEHOLD)}.")
    naam = " ".join((p.naam or "").split()) or None
    if naam is not None and len(naam) > 120:
        raise InvalidInput("De naam is te lang (hoogstens 120 tekens).")
    return bsn, year, p.rol, naam


def register_household(
    session: Session,
    actor: Actor,
    wijk: str | None,
    postcode: str | None,
    huisnummer: str | None,
    straat: str | None,
    *persons: NewPerson,
    doel: str = "Nieuw huishouden aangemeld aan de voordeur",
) -> Household:
    """Register a household not yet known, with its persons (voordeur, gbd; audited).

    Every BSN is validated (elfproef) and stored only as its keyed hash; a BSN that
    already belongs to a person is refused. Empty required fields (wijk, address,
    BSN, geboortejaar, rol) are refused together, each named; nothing is filled in
    by default. The registering user opens the household.
    """
    authorize(session, actor, "huishouden_aanmelden")
    if not persons:
        raise InvalidInput("Meld minstens één persoon aan.")
    _require_filled(wijk, postcode, huisnummer, straat, persons)
    wijk = " ".join((wijk or "").split())
    if not 2 <= len(wijk) <= 40:
        raise InvalidInput("Geef de wijk op.")
    pc = normalise_postcode(postcode)
    if not _POSTCODE.match(pc):
        raise InvalidInput("Geef een geldige postcode op, bijvoorbeeld 6441 AB.")
    nr = (huisnummer or "").strip().replace(" ", "").upper()
    if not re.match(r"^[1-9][0-9]{0,4}[A-Z0-9-]{0,5}$", nr):
        raise InvalidInput("Geef een geldig huisnummer op, bijvoorbeeld 12 of 12A.")
    straat = " ".join((straat or "").split())
    if not 2 <= len(straat) <= 120:
        raise InvalidInput("Geef de straat op.")
    cleaned = [_clean_person(p) for p in persons]
    hashes = [hash_bsn(c[0]) for c in cleaned]
    if len(set(hashes)) != len(hashes):
        raise InvalidInput("Hetzelfde BSN staat twee keer in de aanmelding.")
    if session.scalar(select(Person.id).where(Person.bsn_hash.in_(hashes)).limit(1)):
        raise Conflict("Een van deze personen is al bekend: zoek het huishouden op BSN.")
    n = (session.scalar(select(func.count()).select_from(Household)) or 0) + 1
    household = Household(
        huishouden_id=f"KISS-{pc}-{nr}-{n}", wijk=wijk, postcode=pc, huisnummer=nr, straat=straat
    )
    session.add(household)
    session.flush()
    for (_, year, rol, naam), h in zip(cleaned, hashes, strict=True):
        session.add(Person(bsn_hash=h, household_id=household.id, geboortejaar=year, rol=rol,
                           naam=naam, naam_zoek=name_key(naam)))  # fmt: skip
    session.flush()
    audit.record(session, actor, audit.Event.HUISHOUDEN_AANMELDEN, "household", household.id,
                 nieuw={"personen": len(cleaned)})  # fmt: skip
    open_household(session, actor, household.id, doel)
    return household


def register_request(
    session: Session,
    actor: Actor,
    household_id: int,
    domein: str,
    omschrijving: str,
    urgentie: str = "normaal",
    date: dt.date | None = None,
    bewoner_geinformeerd_op: dt.date | None = None,
) -> RequestOutcome:
    """Register a help request at the one front door (``ONE_FRONT_DOOR``) with its triage advice.

    ``bewoner_geinformeerd_op``: the day the resident was told that the domains are
    combined; with it the request is the basis for the household-wide view (DESIGN 8.3).
    Returns the number of the request in 12 months (see the module docstring for
    the window) and the advice (standaard/maatwerk) with reasons in plain Dutch;
    the rule-set version is stored with the request.
    """
    authorize(session, actor, "hulpvraag_registreren")
    if domein not in REQUEST_DOMAINS:
        raise InvalidInput("Kies het domein: WMO, JEUGD, ISD of ONBEKEND (nog onbekend).")
    if urgentie not in URGENCIES:
        raise InvalidInput(f"Kies de urgentie: {', '.join(URGENCIES)}.")
    omschrijving = " ".join(clean_text(omschrijving, "De omschrijving", 0, 10_000).split())
    if len(omschrijving) < 5:
        raise InvalidInput("Beschrijf de hulpvraag kort (minstens 5 tekens).")
    if len(omschrijving) > 2000:
        raise InvalidInput("De omschrijving is te lang (hoogstens 2000 tekens).")
    date = date or dt.date.today()
    if not isinstance(date, dt.date) or date > dt.date.today() + dt.timedelta(days=1):
        raise InvalidInput("De datum van de hulpvraag ligt in de toekomst.")
    verteld = bewoner_geinformeerd_op
    if verteld is not None and (not isinstance(verteld, dt.date) or verteld > dt.date.today()):
        raise InvalidInput("De dag waarop de bewoner is geïnformeerd ligt in de toekomst.")
    household = session.get(Household, household_id) if isinstance(household_id, int) else None
    if household is None:
        raise NotFound("Huishouden niet gevonden.")
    require_household_access(session, actor, household_id, audit.Event.HULPVRAAG_REGISTREREN)
    req = HelpRequest(
        household_id=household_id, domein=domein, voordeur=ONE_FRONT_DOOR, ontvangen_op=date,
        omschrijving=omschrijving, urgentie=urgentie, intake_door=actor.naam,
        created_by=actor.user_id, bewoner_geinformeerd_op=verteld,
    )  # fmt: skip
    session.add(req)
    session.flush()
    number = requests_in_12_months(session, household_id, date)  # this request included
    advies = advice_for(session, household_id, date, urgentie)
    req.triage_advies = advies.advies
    req.triage_redenen = list(advies.redenen)
    req.regelset_versie = advies.regelset_versie
    session.flush()
    audit.record(session, actor, audit.Event.HULPVRAAG_REGISTREREN, "household", household_id,
                 nieuw={"request": req.id, "domein": domein, "advies": advies.advies})  # fmt: skip
    return RequestOutcome(req.id, number, number > 1, advies)
