"""A partner reports arrears by address (Wgs vroegsignalering; issue 12, item 2).

A ``partner`` user of a housing corporation, energy company, water company or health
insurer reports a payment arrear of one of *their* customers by postcode and huisnummer;
the kind of arrears follows from the institution's type (:data:`PARTNER_ARREARS`). The hub
looks for the household that lived at that address on the date of the signal (who lived
where: households/periods.py ``member_of_household_sql``) and registers the signal there,
with the institution as its source, for the gemeente's Wgs follow-up.

**The partner learns nothing.** Found or not, the answer is the same neutral Dutch
confirmation (:data:`CONFIRMATION`); refusals depend only on what the partner typed, never
on who lives where. **An address without exactly one household on that date is not kept**:
the hub holds no personal data about people it does not know (data minimisation, AVG art.
5), and the partner's regular Wgs delivery to the gemeente still carries the signal. Only
the audit trail records that a report found no household (resultaat ``mislukt``, without
the address). The same report twice (household, kind, date, source) is registered once.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize, refuse
from households.actor import Actor
from households.cellparsers import parse_postcode
from households.errors import InvalidInput
from households.models import Household, Institution, Person, Signal, User
from households.periods import member_of_household_sql
from households.validation import clean_text

__all__ = [
    "CONFIRMATION", "PARTNER_ARREARS", "arrears_kind_for", "household_at_address",
    "partner_arrears_kind", "register_arrears_signal",
]  # fmt: skip

# institution type (lower case) -> the arrears that institution reports under the Wgs
PARTNER_ARREARS = {
    "woningcorporatie": "huurachterstand",
    "verhuurder": "huurachterstand",
    "energieleverancier": "energieachterstand",
    "energiebedrijf": "energieachterstand",
    "waterbedrijf": "waterachterstand",
    "drinkwaterbedrijf": "waterachterstand",
    "zorgverzekeraar": "zorgverzekeringsachterstand",
}
CONFIRMATION = (
    "Dank u. Het signaal is ontvangen. De gemeente neemt het op volgens de Wet gemeentelijke "
    "schuldhulpverlening. U krijgt hierover geen bericht terug."
)
NOT_A_WGS_PARTNER = (
    "Alleen een woningcorporatie, energieleverancier, waterbedrijf of zorgverzekeraar kan een "
    "betalingsachterstand melden."
)
FIRST_DATE = dt.date(2021, 1, 1)  # vroegsignalering is in the Wgs since 1 January 2021
_HOUSE_NUMBER = re.compile(r"[1-9][0-9]{0,4}(-?[A-Z0-9]{1,4})?")


def partner_arrears_kind(session: Session, actor: Actor) -> str | None:
    """The kind of arrears the actor's institution reports, or None (no Wgs partner).

    For a page deciding whether to show the form; reads only the actor's own account.
    """
    user = session.get(User, actor.user_id) if isinstance(actor.user_id, int) else None
    if user is None or user.rol != "partner" or user.institution_id is None:
        return None
    institution = session.get(Institution, user.institution_id)
    return PARTNER_ARREARS.get((institution.type or "").strip().lower()) if institution else None


def arrears_kind_for(session: Session, actor: Actor) -> str:
    """The kind of arrears the partner's institution reports (refused, audited, for others)."""
    authorize(session, actor, "achterstand_melden")
    user = session.get(User, actor.user_id)
    institution = session.get(Institution, user.institution_id) if user is not None else None
    kind = PARTNER_ARREARS.get((institution.type or "").strip().lower()) if institution else None
    if kind is None:
        refuse(session, actor, audit.Event.ACHTERSTAND_MELDEN, "signal", None, NOT_A_WGS_PARTNER)
    return kind


def _house_number(value: object) -> str:
    text = re.sub(r"\s+", "", value if isinstance(value, str) else "").upper()
    if not _HOUSE_NUMBER.fullmatch(text):
        raise InvalidInput("Geef een geldig huisnummer (bijv. 12 of 12A).")
    return text


def _report_date(value: object) -> dt.date:
    if not isinstance(value, dt.date):
        raise InvalidInput("Geef de datum van de achterstand.")
    if value > dt.date.today():
        raise InvalidInput("De datum van de achterstand ligt in de toekomst.")
    if value < FIRST_DATE:
        raise InvalidInput("De datum van de achterstand ligt voor 01-01-2021.")
    return value


def household_at_address(
    session: Session, postcode: str, huisnummer: str, d: dt.date
) -> int | None:
    """The one household with a member on ``d`` at the address, or None (none, or several)."""
    candidates = [
        hid
        for hid, number in session.execute(
            select(Household.id, Household.huisnummer).where(Household.postcode == postcode)
        )
        if number is not None
        and re.sub(r"\s+", "", number).upper().replace("-", "") == huisnummer.replace("-", "")
    ]
    lived = [
        hid
        for hid in candidates
        if session.scalar(
            select(func.count()).select_from(Person).where(member_of_household_sql(hid, d))
        )
    ]
    return lived[0] if len(lived) == 1 else None


def register_arrears_signal(
    session: Session,
    actor: Actor,
    postcode: str | None,
    huisnummer: str | None,
    soort: str | None,
    gemeld_op: dt.date | None,
    toelichting: str | None = None,
) -> str:
    """Register a partner's arrears signal by address; returns :data:`CONFIRMATION` always."""
    kind = arrears_kind_for(session, actor)
    if soort != kind:
        raise InvalidInput(f"Uw organisatie meldt alleen een {kind}.")
    try:
        postcode = parse_postcode(postcode if isinstance(postcode, str) else "")
    except InvalidInput:
        raise InvalidInput("Geef een geldige postcode (bijv. 6441AB).") from None
    huisnummer = _house_number(huisnummer)
    gemeld_op = _report_date(gemeld_op)
    toelichting = clean_text(toelichting, "De toelichting", minimum=0, maximum=500) or None
    bron = session.get(Institution, session.get(User, actor.user_id).institution_id).naam
    household_id = household_at_address(session, postcode, huisnummer, gemeld_op)
    if household_id is None:
        found = {"soort": soort, "huishouden_gevonden": False}
        audit.record(session, actor, audit.Event.ACHTERSTAND_MELDEN, "signal", None,
                     resultaat="mislukt", nieuw=found)  # fmt: skip
        return CONFIRMATION
    same = session.scalar(
        select(Signal.id).where(
            Signal.household_id == household_id, Signal.soort == soort,
            Signal.gemeld_op == gemeld_op, Signal.bron == bron,
        )
    )  # fmt: skip
    if same is None:
        signal = Signal(household_id=household_id, soort=soort, gemeld_op=gemeld_op, bron=bron,
                        toelichting=toelichting, created_by=actor.user_id)  # fmt: skip
        session.add(signal)
        session.flush()
        same = signal.id
    audit.record(session, actor, audit.Event.ACHTERSTAND_MELDEN, "signal", same,
                 doel="Wgs-signaal van een partner", nieuw={"soort": soort})  # fmt: skip
    return CONFIRMATION
