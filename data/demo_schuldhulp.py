"""Demo schuldhulp trajectories (issue 15), calibrated on the quarterly report, scaled to Brunssum.

The quarterly report of the ISD (003 §1.7, Steenwijkerland, about 44,000 inhabitants) counts
per quarter 86 aanmeldingen: 30 zonder vervolg and 56 to an intake; of those 40 trajecten,
nazorg, 8 budgetbeheer, 5 schuldregelingen, 2 crisis interventions and 19 ended; the wait
between aanmelding and intake is 12 days on average (norm: 75% within 14 days). Brunssum
has about 27,000 inhabitants, so the demo registers ``86 × persons / 44,000`` households per
quarter over the last :data:`QUARTERS` quarters (about 53 a quarter at the default size) and
lets each follow the report's shares: 35% end zonder vervolg, the wait to the eerste gesprek
is 4–14 days for three in four and 15–28 for the rest (mean ≈ 12), a crisis (3%) is seen
within 1–3 working days, a plan follows in 14–56 days (late for some), then stabilisatie,
budgetbeheer (re-assessed after 18 months), beschermingsbewind or a schuldregeling (18
months; some a saneringskrediet or the Wsnp), nazorg and the end. Steps after today are not
recorded, so the trajectories end up in every step.

**Consistent with the rest of the data**: a trajectory reaches an arrangement only for a
household with open debts, and those debts (of its members, open on that date) are in the
arrangement; one in five aanmeldingen follows an arrears signal of that household (3–30 days
after it, ``bron`` signaal); partners are the Wgs partners (woningcorporaties) and the
Kredietbank. Each demo GBD-er also gets four trajectories on regie households that show the
norms on the worklist: a crisis aanmelding of yesterday, an aanmelding whose 14 days end in
two days, one past them, and an eerste gesprek whose plan is due in two days.

Rows are written directly (one bulk insert per table, no audit rows: the demo is marked
synthetic once by ``kiss demo``). Deterministic for a seed and date; a second run adds
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from coordination.models import Regie
from coordination.shvmodels import DebtInArrangement, DebtTrajectory, DebtTrajectoryStep
from households.models import ARREARS_SIGNAL_KINDS, Debt, Institution, Person, Signal, User
from households.workdays import add_working_days

__all__ = ["QUARTERS", "PER_QUARTER", "seed_schuldhulp", "per_quarter"]

QUARTERS = 8
PER_QUARTER = 86  # aanmeldingen per quarter in Steenwijkerland (003 §1.7)
INHABITANTS = 44_000  # Steenwijkerland
ZONDER_VERVOLG = 30 / 86
CRISIS = 0.03
FROM_SIGNAL = 0.20
PARTNER_TYPES = ("woningcorporatie", "schuldhulpverlening")


def per_quarter(persons: int) -> int:
    """Aanmeldingen per quarter for a population of ``persons`` (the report's rate).

    >>> per_quarter(27_000)
    53
    """
    return max(1, round(PER_QUARTER * persons / INHABITANTS))


class _Path:
    """One trajectory's steps, drawn from the report's shares."""

    def __init__(self, rng: np.random.Generator, start: dt.date, debts: bool, crisis: bool):
        self.rng, self.steps, self.reason = rng, [("aanmelding", start)], None
        self.debts = debts
        self._walk(crisis)

    def _go(self, stap: str, lo: int, hi: int) -> None:
        self.steps.append(
            (stap, self.steps[-1][1] + dt.timedelta(days=int(self.rng.integers(lo, hi + 1))))
        )

    def _end(self, reason: str, lo: int, hi: int) -> None:
        self._go("beeindigd", lo, hi)
        self.reason = reason

    def _pick(self, *options: str) -> str:
        return str(options[int(self.rng.integers(len(options)))])

    def _walk(self, crisis: bool) -> None:
        r = self.rng.random
        if not crisis and r() < ZONDER_VERVOLG:
            return self._end("geen_vervolg", 5, 30)
        if crisis:
            start = self.steps[0][1]
            self.steps.append(
                ("eerste_gesprek", add_working_days(start, int(self.rng.integers(1, 4))))
            )
        elif r() < 0.75:
            self._go("eerste_gesprek", 4, 14)
        else:
            self._go("eerste_gesprek", 15, 28)
        if r() < 0.10:
            return self._end(
                self._pick("uitgevallen", "doorverwezen", "stabiel_zonder_regeling", "afgewezen"),
                7,
                30,
            )
        self._go("plan_van_aanpak", 14, 56) if r() < 0.85 else self._go("plan_van_aanpak", 57, 80)
        x = r()
        if self.debts and x < 0.12:
            return self._arrangement()
        if x < 0.27:
            return self._budget()
        if x < 0.32:
            self._go("beschermingsbewind", 14, 45)
            return self._end("doorverwezen", 30, 90)
        if x < 0.40:
            return self._end(self._pick("uitgevallen", "stabiel_zonder_regeling"), 20, 90)
        self._go("stabilisatie", 7, 30)
        y = r()
        if self.debts and y < 0.25:
            return self._arrangement()
        if y < 0.40:
            return self._budget()
        if y < 0.80:
            self._go("nazorg", 60, 180)
            return self._end(self._pick("schuldenvrij", "stabiel_zonder_regeling"), 90, 180)
        return self._end("stabiel_zonder_regeling", 60, 180)

    def _budget(self) -> None:
        self._go("budgetbeheer", 7, 30)
        if self.rng.random() < 0.5:
            self._go("nazorg", 400, 800)
            return self._end("stabiel_zonder_regeling", 90, 180)
        return self._end("schuldenvrij", 500, 800)

    def _arrangement(self) -> None:
        self._go("schuldregeling", 14, 60)
        x = self.rng.random()
        if x < 0.25:
            self._go("saneringskrediet", 20, 60)
        elif x < 0.30:
            self._go("wsnp", 60, 120)
        self._go("nazorg", 530, 560)
        self._end("regeling_afgerond", 90, 180)

    def until(self, today: dt.date) -> tuple[list[tuple[str, dt.date]], str | None]:
        """The steps reached on ``today`` and the end reason (None while open)."""
        steps = [(s, d) for s, d in self.steps if d <= today]
        return steps, self.reason if steps[-1][0] == "beeindigd" else None


def _debts_by_household(session: Session) -> dict[int, list[tuple[int, dt.date]]]:
    rows = session.execute(
        select(Person.household_id, Debt.id, Debt.sinds)
        .join(Person, Person.id == Debt.person_id)
        .where(Debt.openstaand_cent > 0)
        .order_by(Person.household_id, Debt.id)
    )
    out: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for household_id, debt_id, sinds in rows:
        out[household_id].append((debt_id, sinds))
    return out


class _Writer:
    """Collects the rows of every trajectory and writes them in three bulk inserts."""

    def __init__(self, session: Session, debts):
        self.session, self.debts = session, debts
        self.next_id = (
            int(session.scalar(select(func.coalesce(func.max(DebtTrajectory.id), 0)))) + 1
        )
        self.trajects, self.steps, self.arranged = [], [], []

    def add(self, household_id, bron, steps, reason, *, signal_id=None, institution_id=None,
            crisis=None, user_id=None) -> None:  # fmt: skip
        tid, self.next_id = self.next_id, self.next_id + 1
        last, since = steps[-1]
        ended = last == "beeindigd"
        self.trajects.append(dict(
            id=tid, household_id=household_id, bron=bron, signal_id=signal_id,
            institution_id=institution_id, aangemeld_op=steps[0][1], aangemeld_door=user_id,
            stap=last, stap_sinds=since, crisis=crisis is not None, crisis_soort=crisis,
            beeindigd_op=since if ended else None, reden_einde=reason if ended else None,
            versie=len(steps),
        ))  # fmt: skip
        self.steps += [
            dict(traject_id=tid, stap=s, datum=d, door_user_id=user_id) for s, d in steps
        ]
        regeling = next((d for s, d in steps if s == "schuldregeling"), None)
        if regeling is not None:
            own = self.debts.get(household_id, ())
            self.arranged += [
                dict(traject_id=tid, debt_id=i, opgenomen_op=regeling)
                for i, sinds in own
                if sinds <= regeling
            ]

    def write(self) -> None:
        for model, rows in ((DebtTrajectory, self.trajects), (DebtTrajectoryStep, self.steps),
                            (DebtInArrangement, self.arranged)):  # fmt: skip
            if rows:
                self.session.execute(insert(model), rows)
        if self.trajects and self.session.get_bind().dialect.name == "postgresql":
            # explicit ids bypass the sequence: move it past them, or the next aanmelding
            # in the app would collide with a demo trajectory
            self.session.execute(text(
                "SELECT setval(pg_get_serial_sequence('schuldhulptraject', 'id'), "
                "(SELECT MAX(id) FROM schuldhulptraject))"))  # fmt: skip


def _worklist_examples(session, writer, taken, today) -> None:
    """Four trajectories per demo GBD-er on their regie households that show the norms."""
    holders = session.execute(
        select(User.id, Regie.household_id)
        .join(Regie, Regie.houder_user_id == User.id)
        .where(User.rol == "gbd", User.actief.is_(True), Regie.actief.is_(True))
        .order_by(User.id, Regie.household_id)
    ).all()
    free: dict[int, list[int]] = defaultdict(list)
    for user_id, household_id in holders:
        if household_id not in taken:
            free[user_id].append(household_id)
    day = dt.timedelta
    for user_id, households in free.items():
        examples = (
            ([("aanmelding", today - day(1))], "ontruiming"),
            ([("aanmelding", today - day(12))], None),
            ([("aanmelding", today - day(17))], None),
            ([("aanmelding", today - day(66)), ("eerste_gesprek", today - day(54))], None),
        )
        for household_id, (steps, crisis) in zip(households, examples, strict=False):
            taken.add(household_id)
            writer.add(household_id, "gbd", steps, None, crisis=crisis, user_id=user_id)


def seed_schuldhulp(session: Session, seed: int, today: dt.date | None = None) -> dict[str, int]:
    """Seed the trajectories (see the module); returns counts (nothing when some exist)."""
    if session.scalar(select(func.count()).select_from(DebtTrajectory)):
        return {"trajecten": 0}
    today = today or dt.date.today()
    rng = np.random.Generator(np.random.PCG64(seed + 15))
    persons = int(session.scalar(select(func.count()).select_from(Person)) or 0)
    n = per_quarter(persons) * QUARTERS
    first = today - dt.timedelta(days=91 * QUARTERS)
    debts = _debts_by_household(session)
    households = [
        int(h)
        for h in session.scalars(
            select(Person.household_id).distinct().order_by(Person.household_id)
        )
    ]
    signals = session.execute(
        select(Signal.id, Signal.household_id, Signal.gemeld_op)
        .where(Signal.soort.in_(ARREARS_SIGNAL_KINDS), Signal.gemeld_op >= first,
               Signal.gemeld_op <= today - dt.timedelta(days=3))
        .order_by(Signal.id)
    ).all()  # fmt: skip
    partners = list(session.scalars(
        select(Institution.id).where(Institution.type.in_(PARTNER_TYPES)).order_by(Institution.id)
    ))  # fmt: skip
    writer, taken = _Writer(session, debts), set()
    _worklist_examples(session, writer, taken, today)
    with_debts = [h for h in debts if h not in taken]
    without = [h for h in households if h not in debts and h not in taken]
    order = rng.permutation(len(signals)) if signals else []
    signal_queue = [signals[i] for i in order]
    for _ in range(n):
        signal = signal_queue.pop() if signal_queue and rng.random() < FROM_SIGNAL else None
        while signal is not None and signal.household_id in taken:
            signal = signal_queue.pop() if signal_queue else None
        if signal is not None:
            household_id = signal.household_id
            start = signal.gemeld_op + dt.timedelta(days=int(rng.integers(3, 31)))
            bron = "signaal"
        else:
            pool = with_debts if (rng.random() < 0.8 or not without) and with_debts else without
            if not pool:
                break
            household_id = pool.pop(int(rng.integers(len(pool))))
            start = first + dt.timedelta(days=int(rng.integers(0, 91 * QUARTERS)))
            bron = str(
                rng.choice(
                    ["zelf", "zelf", "zelf", "gbd", "partner"] if partners else ["zelf", "gbd"]
                )
            )
        if household_id in taken or start > today:
            continue
        taken.add(household_id)
        has_debts = any(sinds <= start for _, sinds in debts.get(household_id, ()))
        crisis = (
            str(rng.choice(["ontruiming", "afsluiting_energie"])) if rng.random() < CRISIS else None
        )
        steps, reason = _Path(rng, start, has_debts, crisis is not None).until(today)
        partner = int(rng.choice(partners)) if bron == "partner" else None
        writer.add(household_id, bron, steps, reason, crisis=crisis, institution_id=partner,
                   signal_id=signal.id if signal is not None else None)  # fmt: skip
    writer.write()
    return {
        "trajecten": len(writer.trajects),
        "lopend": sum(t["beeindigd_op"] is None for t in writer.trajects),
        "schulden_in_regeling": len(writer.arranged),
    }
