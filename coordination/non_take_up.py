"""Non-take-up: households with a low income that likely miss a regeling (issue 15 item 3).

The rule lives in ONE function, :func:`missed_regelingen`; the GBD-er's prompt on the
household page (:func:`household_non_take_up`) and the KISS count per wijk
(:func:`non_take_up_figure`) both call it.

**The rule** (on date D; the regelingen of ISD BOL for Brunssum, 001 §2.1):

A household has a *low-income indicator* when on D it has at least one of
  (a) an active Participatiewet benefit (ISD provision ``bijstand`` or ``IOAW``),
  (b) an open arrears signal (rent, energy, water, health insurance; Wgs),
  (c) an open debt to ISD BOL (terugvordering or boete: a creditor starting with "ISD").
Such a household likely misses
  - **minimaregelingen** (participation, internet, library, STOP Kinderarmoede: "bij een laag
    inkomen en een gering vermogen") — when no ``minimaregelingen`` provision is active;
  - **individuele inkomenstoeslag** ("jarenlang laag inkomen", Participatiewet art. 36: three
    years) — when its benefit (a) started at least 3 years before D and no ``individuele
    inkomenstoeslag`` started in the 12 months up to D (the toeslag is yearly);
  - **bijzondere bijstand** (costs of bewindvoering and budgetbeheer, 001 §2.1) — when its
    schuldhulp trajectory is in budgetbeheer or beschermingsbewind on D and no ``bijzondere
    bijstand`` is active;
  - **collectieve zorgverzekering** (the VGZ Zuid-Limburgpakket with the bijdrage eigen
    risico) — when a health-insurance arrears signal is open: the hub records no membership
    of the collective insurance, and its premium is withheld from the benefit, so an arrears
    suggests the household is not in it.

Not in the rule: the income itself (the hub holds none) and "minima use by others in the
same situation" (no reference group is recorded). Households are taken by their current
composition (``person.household_id``). A prompt, not a decision: the GBD-er checks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.overview import is_month_end
from coordination.shv_read import open_on, step_on, trajectory_frames
from coordination.suppression import TOTAL, suppress_checked, withhold
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.errors import InvalidInput
from households.models import ARREARS_SIGNAL_KINDS, Debt, Household, Person, Provision, Signal
from households.periods import debt_open_sql, signal_open_sql

__all__ = [
    "BENEFIT_KINDS", "REGELINGEN", "IncomeFacts", "missed_regelingen", "income_facts",
    "household_non_take_up", "non_take_up_figure",
]  # fmt: skip

BENEFIT_KINDS = ("bijstand", "IOAW")
IIT_YEARS = 3
#: Regeling key -> Dutch label (the prompt's wording).
REGELINGEN = {
    "minimaregelingen": "Minimaregelingen (meedoen, internet, bibliotheek, kledingpakket)",
    "individuele inkomenstoeslag": "Individuele inkomenstoeslag (3 jaar of langer bijstand)",
    "bijzondere bijstand": "Bijzondere bijstand voor de kosten van bewind of budgetbeheer",
    "collectieve zorgverzekering": "Collectieve zorgverzekering (VGZ Zuid-Limburgpakket)",
}
BEWIND_STEPS = ("budgetbeheer", "beschermingsbewind")


@dataclass(frozen=True)
class IncomeFacts:
    """What the rule needs of one household on D."""

    benefit_since: dt.date | None = None  # earliest start of an active bijstand/IOAW
    arrears: frozenset[str] = frozenset()  # kinds of the open arrears signals
    isd_debt: bool = False
    active: frozenset[str] = frozenset()  # ISD kinds active on D
    iit_started: tuple[dt.date, ...] = ()  # starts of individuele inkomenstoeslag
    bewind: bool = False  # schuldhulp in budgetbeheer or beschermingsbewind


def low_income(f: IncomeFacts) -> bool:
    """A low-income indicator: benefit, open arrears signal or ISD debt."""
    return f.benefit_since is not None or bool(f.arrears) or f.isd_debt


def missed_regelingen(f: IncomeFacts, date: dt.date) -> tuple[str, ...]:
    """THE non-take-up rule (module docstring): the regelingen the household likely misses.

    >>> d = dt.date(2026, 6, 1)
    >>> missed_regelingen(IncomeFacts(benefit_since=dt.date(2022, 1, 1)), d)
    ('minimaregelingen', 'individuele inkomenstoeslag')
    >>> missed_regelingen(IncomeFacts(arrears=frozenset({"zorgverzekeringsachterstand"}),
    ...                               active=frozenset({"minimaregelingen"})), d)
    ('collectieve zorgverzekering',)
    >>> missed_regelingen(IncomeFacts(bewind=True), d)  # no low-income indicator
    ()
    """
    if not low_income(f):
        return ()
    out = []
    if "minimaregelingen" not in f.active:
        out.append("minimaregelingen")
    long_ago = dt.date(date.year - IIT_YEARS, date.month, min(date.day, 28))
    year_ago = date - dt.timedelta(days=365)
    if (f.benefit_since is not None and f.benefit_since <= long_ago
            and not any(year_ago < s <= date for s in f.iit_started)):  # fmt: skip
        out.append("individuele inkomenstoeslag")
    if f.bewind and "bijzondere bijstand" not in f.active:
        out.append("bijzondere bijstand")
    if "zorgverzekeringsachterstand" in f.arrears:
        out.append("collectieve zorgverzekering")
    return tuple(out)


def income_facts(session: Session, date: dt.date, household_ids=None) -> dict[int, IncomeFacts]:
    """The rule's facts per household on ``date`` (every household, or only ``household_ids``)."""

    def only(stmt, column):
        return stmt if household_ids is None else stmt.where(column.in_(list(household_ids)))

    benefit: dict[int, dt.date] = {}
    active: dict[int, set] = defaultdict(set)
    iit: dict[int, list] = defaultdict(list)
    prov = session.execute(only(
        select(Person.household_id, Provision.soort, Provision.start, Provision.einde)
        .join(Person, Person.id == Provision.person_id).where(Provision.domein == "ISD"),
        Person.household_id))  # fmt: skip
    for hid, soort, start, einde in prov:
        is_active = start <= date and (einde is None or einde >= date)  # provision_active
        if is_active:
            active[hid].add(soort)
            if soort in BENEFIT_KINDS:
                benefit[hid] = min(start, benefit.get(hid, start))
        if soort == "individuele inkomenstoeslag" and start <= date:
            iit[hid].append(start)
    arrears: dict[int, set] = defaultdict(set)
    for hid, soort in session.execute(only(
        select(Signal.household_id, Signal.soort)
        .where(Signal.soort.in_(ARREARS_SIGNAL_KINDS), signal_open_sql(Signal, date)),
        Signal.household_id)):  # fmt: skip
        arrears[hid].add(soort)
    debtors = set(session.scalars(only(
        select(Person.household_id).join(Debt, Debt.person_id == Person.id)
        .where(Debt.schuldeiser.like("ISD%"), debt_open_sql(Debt, date)),
        Person.household_id)))  # fmt: skip
    bewind = _bewind(session, date, household_ids)
    ids = set(benefit) | set(active) | set(arrears) | debtors | bewind
    if household_ids is not None:
        ids = {h for h in ids if h in set(household_ids)} | set(household_ids)
    return {h: IncomeFacts(benefit.get(h), frozenset(arrears.get(h, ())), h in debtors,
                           frozenset(active.get(h, ())), tuple(sorted(iit.get(h, ()))),
                           h in bewind) for h in ids}  # fmt: skip


def _bewind(session: Session, date: dt.date, household_ids=None) -> set[int]:
    t, steps = trajectory_frames(session, household_ids)
    if t.empty:
        return set()
    running = t[open_on(t, date)]
    now = step_on(running, steps, date)
    return {int(h) for h in running.loc[now.isin(BEWIND_STEPS), "household_id"]}


def household_non_take_up(
    session: Session, actor: Actor, household_id: int, date: dt.date | None = None
) -> list[str]:
    """The regelingen this household likely misses, as Dutch labels (the GBD-er's prompt)."""
    reason = require_household_access(session, actor, household_id,
                                      audit.Event.NIET_GEBRUIK_INZIEN)  # fmt: skip
    date = date or dt.date.today()
    facts = income_facts(session, date, [household_id])[household_id]
    missed = missed_regelingen(facts, date)
    audit.record(session, actor, audit.Event.NIET_GEBRUIK_INZIEN, "household", household_id,
                 doel=reason)  # fmt: skip
    return [REGELINGEN[m] for m in missed]


def non_take_up_figure(session: Session, actor: Actor, date: dt.date) -> dict:
    """Households per wijk that likely miss a regeling, protected (role ``kiss``).

    ``{"kolommen": [...wijken, "Totaal"], "rijen": {row: {kolom: value}}, "withheld"}``:
    rows ``laag_inkomen`` (households with an indicator), ``niet_gebruik`` (of those, missing
    at least one) and one per regeling (each at most ``niet_gebruik``).
    """
    role = authorize(session, actor, "niet_gebruik_overzicht")
    if role == "kiss" and not is_month_end(date):  # no differencing of two days (DESIGN 4.6)
        raise InvalidInput(f"Peildatum {date.strftime('%d-%m-%Y')}: kies het einde van een maand.")
    wijk_of = dict(session.execute(select(Household.id, Household.wijk)).all())
    wijken = sorted({str(w) for w in wijk_of.values()})
    rows = ["laag_inkomen", "niet_gebruik", *REGELINGEN]
    cells = {(r, c): 0 for r in rows for c in [*wijken, TOTAL]}
    for hid, facts in income_facts(session, date).items():
        if not low_income(facts):
            continue
        missed = missed_regelingen(facts, date)
        keys = ["laag_inkomen", *(["niet_gebruik"] if missed else []), *missed]
        for key in keys:
            cells[(key, str(wijk_of[hid]))] += 1
            cells[(key, TOTAL)] += 1
    eqs = [((r, TOTAL), [(r, w) for w in wijken]) for r in rows]
    ineqs = [([(r, c)], [("niet_gebruik", c)]) for r in REGELINGEN for c in [*wijken, TOTAL]]
    ineqs += [([("niet_gebruik", c)], [("laag_inkomen", c)]) for c in [*wijken, TOTAL]]
    pub, ok = suppress_checked(cells, eqs, ineqs)
    withheld, columns = None, [*wijken, TOTAL]
    if not ok:
        pub, withheld, columns = withhold(cells), "all", [*wijken, TOTAL]
    audit.record(session, actor, audit.Event.NIET_GEBRUIK_OVERZICHT, "overzicht",
                 date.isoformat(), doel="stuurinformatie")  # fmt: skip
    return {"kolommen": columns, "withheld": withheld,
            "rijen": {r: {c: pub[(r, c)] for c in columns} for r in rows}}  # fmt: skip
