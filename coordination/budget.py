"""The Tussen-wal-en-schip-budget: money for help that fits no rule, per year.

Spending is tied to a maatwerk decision of a case table that a second
coordinator reviewed and agreed with (four-eyes); anything else is refused.
Amounts are stored in cents; the services take and return euros as ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.models import AgendaItem, Budget, BudgetSpend, Decision, Review
from coordination.suppression import THRESHOLD
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.errors import InvalidInput, NotFound
from households.validation import clean_text

__all__ = [
    "set_budget",
    "spend",
    "remaining",
    "BudgetStatus",
    "BudgetMonth",
    "budget_use",
    "to_cents",
]


def to_cents(amount) -> int:
    """Euros (number or text with ``,`` or ``.``) to whole cents; refuses nonsense.

    Dots between groups of three digits are Dutch thousands separators (``250.000``
    is two hundred and fifty thousand euros, not 250).

    >>> to_cents("1.234,56"), to_cents(12.5), to_cents("0,01"), to_cents("250.000")
    (123456, 1250, 1, 25000000)
    """
    if isinstance(amount, bool):
        raise InvalidInput("Geef een bedrag op.")
    text = str(amount).strip().replace("€", "").replace(" ", "")
    if isinstance(amount, str) and re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    elif isinstance(amount, str):
        last = max(text.rfind(","), text.rfind("."))
        if last >= 0:
            text = text[:last].replace(".", "").replace(",", "") + "." + text[last + 1 :]
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise InvalidInput("Geef een geldig bedrag op, bijvoorbeeld 250,00.") from None
    if not value.is_finite() or value < 0 or value > Decimal("100000000"):
        raise InvalidInput("Geef een geldig bedrag op, bijvoorbeeld 250,00.")
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _year(jaar) -> int:
    if isinstance(jaar, bool) or not isinstance(jaar, int) or not 2000 <= jaar <= 2100:
        raise InvalidInput("Geef een geldig jaar op.")
    return jaar


def set_budget(session: Session, actor: Actor, jaar: int, bedrag) -> Budget:
    """Set (or change) the budget of a year (gbd, beheer; audited)."""
    authorize(session, actor, "budget_vaststellen")
    jaar, cents = _year(jaar), to_cents(bedrag)
    row = session.scalar(select(Budget).where(Budget.jaar == jaar))
    old = None if row is None else row.bedrag_cent
    if row is None:
        row = Budget(jaar=jaar, bedrag_cent=cents)
        session.add(row)
    else:
        row.bedrag_cent = cents
    session.flush()
    audit.record(
        session, actor, audit.Event.BUDGET_VASTSTELLEN, "tws_budget", jaar, oud=old, nieuw=cents
    )
    return row


@dataclass(frozen=True)
class BudgetStatus:
    """Budget, spent and remaining of a year, in euros."""

    jaar: int
    budget: Decimal
    besteed: Decimal
    resterend: Decimal
    uitgaven: int


def _status(session: Session, jaar: int) -> BudgetStatus:
    budget = session.scalar(select(Budget.bedrag_cent).where(Budget.jaar == jaar)) or 0
    spent, n = session.execute(
        select(func.coalesce(func.sum(BudgetSpend.bedrag_cent), 0), func.count()).where(
            BudgetSpend.jaar == jaar
        )
    ).one()
    cents = Decimal(100)
    return BudgetStatus(
        jaar, budget / cents, int(spent) / cents, (budget - int(spent)) / cents, int(n)
    )


def remaining(session: Session, actor: Actor, jaar: int) -> BudgetStatus:
    """Budget, spent and remaining of year ``jaar`` (gbd, kiss, beheer; counts only)."""
    authorize(session, actor, "budget_inzien")
    return _status(session, _year(jaar))


def spend(
    session: Session,
    actor: Actor,
    decision_id: int,
    amount,
    justification: str,
    date: dt.date | None = None,
) -> BudgetSpend:
    """Spend from the year's budget for a REVIEWED (agreed) maatwerk decision (gbd; audited).

    Refused for a standaard decision, an unreviewed decision, a decision with
    dissent (tegenspraak), a year without budget, or more than what remains.
    """
    authorize(session, actor, "budget_besteden")
    decision = session.get(Decision, decision_id) if isinstance(decision_id, int) else None
    if decision is None:
        raise NotFound("Besluit niet gevonden.")
    cents = to_cents(amount)
    if cents <= 0:
        raise InvalidInput("Het bedrag moet groter zijn dan nul.")
    justification = clean_text(justification, "De verantwoording", 0, 10_000)
    if not 10 <= len(justification) <= 4000:
        raise InvalidInput("Geef een verantwoording van de uitgave (minstens 10 tekens).")
    date = date or dt.date.today()
    if decision.soort != "maatwerk":
        raise InvalidInput("Uit dit budget kan alleen voor een maatwerkbesluit worden betaald.")
    rev = session.scalar(select(Review).where(Review.decision_id == decision.id))
    if rev is None:
        raise InvalidInput(
            "Dit maatwerkbesluit is nog niet gereviewd door een tweede GBD-er (vier ogen)."
        )
    if not rev.akkoord:
        raise InvalidInput("De reviewer is het niet eens met dit besluit (tegenspraak).")
    status = _status(session, date.year)
    if session.scalar(select(Budget.id).where(Budget.jaar == date.year)) is None:
        raise InvalidInput(f"Er is geen Tussen-wal-en-schip-budget voor {date.year}.")
    if Decimal(cents) / 100 > status.resterend:
        raise InvalidInput(
            f"Onvoldoende budget: er resteert € {status.resterend:.2f} in {date.year}."
        )
    item = session.get(AgendaItem, decision.agenda_item_id)
    require_household_access(session, actor, item.household_id, audit.Event.BUDGET_BESTEDEN)
    row = BudgetSpend(jaar=date.year, decision_id=decision.id, bedrag_cent=cents,
                      verantwoording=justification, datum=date, door=actor.user_id)  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, audit.Event.BUDGET_BESTEDEN, "household", item.household_id,
                 nieuw={"decision": decision.id, "bedrag_cent": cents})  # fmt: skip
    return row


@dataclass(frozen=True)
class BudgetMonth:
    """Use of the year's budget up to the end of ``maand`` (euros), protected.

    ``besteed`` (the spending since the previous shown month) and ``cumulatief`` are
    None while the spending since the last shown month covers 1 to 4 households.
    """

    maand: dt.date  # the first day of the month
    besteed: Decimal | None
    cumulatief: Decimal | None


def budget_use(
    session: Session, actor: Actor, jaar: int, until: dt.date
) -> tuple[Decimal, list[BudgetMonth]]:
    """The year's budget and its use per month up to ``until`` (gbd, kiss, beheer).

    Amounts are published only for groups of 5 or more households (DESIGN 4.6): the
    spending of a month with fewer households is carried into the next month, and
    shown when together they cover 5 or more (the cumulative line then moves).
    """
    authorize(session, actor, "budget_inzien")
    jaar = _year(jaar)
    budget = session.scalar(select(Budget.bedrag_cent).where(Budget.jaar == jaar)) or 0
    rows = session.execute(
        select(BudgetSpend.datum, BudgetSpend.bedrag_cent, AgendaItem.household_id)
        .join(Decision, Decision.id == BudgetSpend.decision_id)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .where(BudgetSpend.jaar == jaar, BudgetSpend.datum <= until)
    ).all()
    out, cents, households, total = [], 0, set(), 0
    last = min(until, dt.date(jaar, 12, 31))
    for month in range(1, last.month + 1 if last.year == jaar else 0):
        for datum, amount, household in rows:
            if datum.month == month:
                cents += int(amount)
                households.add(household)
        if not households:  # nothing spent and nothing carried: the line stays where it is
            out.append(BudgetMonth(dt.date(jaar, month, 1), Decimal(0), Decimal(total) / 100))
        elif len(households) >= THRESHOLD:
            total += cents
            out.append(BudgetMonth(dt.date(jaar, month, 1), Decimal(cents) / 100,
                                   Decimal(total) / 100))  # fmt: skip
            cents, households = 0, set()
        else:
            out.append(BudgetMonth(dt.date(jaar, month, 1), None, None))
    audit.record(session, actor, audit.Event.BUDGET_INZIEN, "tws_budget", jaar)
    return Decimal(budget) / 100, out
