"""KISS steering goals: create, change and list them (role ``kiss``; audited).

A goal names an indicator (:data:`coordination.indicators.INDICATORS`), a start, a
deadline, a target and tussendoelen. Its progress is computed from the data by
:mod:`coordination.goal_progress`; nothing here is typed in as a result.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coordination.indicators import INDICATORS
from coordination.steeringmodels import TARGET_KINDS, SteeringGoal, SteeringMilestone
from households import audit
from households.access import authorize
from households.actor import Actor
from households.db import utcnow
from households.errors import Conflict, InvalidInput, NotFound

__all__ = ["GoalView", "create_goal", "list_goals", "parse_milestones", "parse_number",
           "update_goal"]  # fmt: skip

FIRST_DATE, LAST_DATE = dt.date(2015, 1, 1), dt.date(2100, 12, 31)
MAX_MILESTONES = 12


@dataclass(frozen=True)
class GoalView:
    """A goal as the steering page shows it (no household data)."""

    id: int
    titel: str
    indicator: str
    start: dt.date
    deadline: dt.date
    doelsoort: str
    streefwaarde: float
    tussendoelen: tuple[tuple[dt.date, float], ...]
    toelichting: str | None
    actief: bool


def parse_number(value, label: str = "De streefwaarde") -> float:
    """A number as typed in Dutch (``-50``, ``−50 %``, ``12,5``) or given as int/float.

    >>> parse_number("−50 %"), parse_number("12,5"), parse_number(80)
    (-50.0, 12.5, 80.0)
    """
    if isinstance(value, bool):
        raise InvalidInput(f"{label} moet een getal zijn.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value or "").strip().replace("−", "-").replace("%", "").replace(" ", "")
        if not re.fullmatch(r"[-+]?\d+([.,]\d+)?", text):
            raise InvalidInput(f"{label} moet een getal zijn, bijvoorbeeld 80 of -50.")
        number = float(text.replace(",", "."))
    if number != number or abs(number) == float("inf"):
        raise InvalidInput(f"{label} moet een getal zijn.")
    return number


def parse_milestones(text: str) -> list[tuple[dt.date, float]]:
    """Tussendoelen typed one per line as ``dd-mm-jjjj: waarde`` (empty lines skipped).

    >>> parse_milestones("31-12-2026: -25\\n\\n30-06-2027: -40")
    [(datetime.date(2026, 12, 31), -25.0), (datetime.date(2027, 6, 30), -40.0)]
    """
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        m = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})-(\d{4})\s*[:;=]\s*(.+?)\s*", line)
        if m is None:
            raise InvalidInput(
                f"Tussendoel op regel {n}: schrijf 'dd-mm-jjjj: waarde', bijvoorbeeld "
                "'31-12-2026: -25'."
            )
        try:
            day = dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            raise InvalidInput(f"Tussendoel op regel {n}: {m[1]}-{m[2]}-{m[3]} is geen datum.") \
                from None  # fmt: skip
        out.append((day, parse_number(m[4], f"De waarde op regel {n}")))
    return out


def _check_value(value, doelsoort: str, eenheid: str, label: str) -> float:
    number = parse_number(value, label)
    if doelsoort == "relatief":
        if number == 0 or not -100 <= number <= 1000:
            raise InvalidInput(
                f"{label}: een relatief doel is een verandering in procenten tussen -100 en "
                "1000 (niet 0), bijvoorbeeld -50."
            )
    elif eenheid == "%" and not 0 <= number <= 100:
        raise InvalidInput(f"{label}: een aandeel ligt tussen 0 en 100 procent.")
    elif number < 0:
        raise InvalidInput(f"{label}: een aantal huishoudens kan niet negatief zijn.")
    return number


def _date(value, label: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidInput(f"Geef een {label} op.")
    if not FIRST_DATE <= value <= LAST_DATE:
        raise InvalidInput(f"De {label} ligt buiten 2015–2100.")
    return value


def _validated(session: Session, goal_id, titel, indicator, start, deadline, doelsoort,
               streefwaarde, tussendoelen, toelichting) -> dict:  # fmt: skip
    """Every field checked (Dutch messages) before anything is written."""
    titel = (titel or "").strip() if isinstance(titel, str) else ""
    if not 5 <= len(titel) <= 160:
        raise InvalidInput("Geef het doel een titel van 5 tot 160 tekens.")
    same = session.scalar(select(SteeringGoal.id).where(SteeringGoal.titel == titel))
    if same is not None and same != goal_id:
        raise Conflict(f"Er is al een doel met de titel '{titel}'.")
    if indicator not in INDICATORS:
        raise InvalidInput("Kies een indicator uit de lijst.")
    start, deadline = _date(start, "startdatum"), _date(deadline, "deadline")
    if deadline <= start:
        raise InvalidInput("De deadline moet na de startdatum liggen.")
    if doelsoort not in TARGET_KINDS:
        raise InvalidInput("Kies of het doel een absolute waarde of een verandering is.")
    unit = INDICATORS[indicator].eenheid
    target = _check_value(streefwaarde, doelsoort, unit, "De streefwaarde")
    milestones = list(tussendoelen or [])
    if len(milestones) > MAX_MILESTONES:
        raise InvalidInput(f"Geef hoogstens {MAX_MILESTONES} tussendoelen op.")
    checked: dict[dt.date, float] = {}
    for day, value in milestones:
        day = _date(day, "datum van een tussendoel")
        if not start < day < deadline:
            raise InvalidInput(
                f"Tussendoel {day.strftime('%d-%m-%Y')} ligt niet tussen de start en de deadline."
            )
        if day in checked:
            raise InvalidInput(f"Twee tussendoelen op {day.strftime('%d-%m-%Y')}.")
        checked[day] = _check_value(value, doelsoort, unit,
                                    f"Tussendoel {day.strftime('%d-%m-%Y')}")  # fmt: skip
    toelichting = (toelichting or "").strip() if isinstance(toelichting, str) else ""
    if len(toelichting) > 2000:
        raise InvalidInput("De toelichting is te lang (hoogstens 2000 tekens).")
    return {"titel": titel, "indicator": indicator, "start": start, "deadline": deadline,
            "doelsoort": doelsoort, "streefwaarde": target, "toelichting": toelichting or None,
            "tussendoelen": sorted(checked.items())}  # fmt: skip


def _snapshot(fields: dict) -> dict:
    out = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()
           if k != "tussendoelen"}  # fmt: skip
    out["tussendoelen"] = [[d.isoformat(), v] for d, v in fields["tussendoelen"]]
    return out


def _write_milestones(session: Session, goal_id: int, milestones) -> None:
    session.execute(delete(SteeringMilestone).where(SteeringMilestone.goal_id == goal_id))
    for day, value in milestones:
        session.add(SteeringMilestone(goal_id=goal_id, datum=day, streefwaarde=value))


def create_goal(
    session: Session, actor: Actor, titel: str, indicator: str, start: dt.date,
    deadline: dt.date, doelsoort: str, streefwaarde, tussendoelen=(), toelichting: str = "",
) -> SteeringGoal:  # fmt: skip
    """Create a steering goal (kiss; audited). Refuses bad input with a Dutch message."""
    authorize(session, actor, "stuurdoel_aanmaken")
    fields = _validated(session, None, titel, indicator, start, deadline, doelsoort,
                        streefwaarde, tussendoelen, toelichting)  # fmt: skip
    goal = SteeringGoal(**{k: v for k, v in fields.items() if k != "tussendoelen"},
                        actief=True, aangemaakt_door=actor.user_id)  # fmt: skip
    session.add(goal)
    session.flush()
    _write_milestones(session, goal.id, fields["tussendoelen"])
    session.flush()
    audit.record(session, actor, audit.Event.STUURDOEL_AANMAKEN, "stuurdoel", goal.id,
                 nieuw=_snapshot(fields))  # fmt: skip
    return goal


def update_goal(
    session: Session, actor: Actor, goal_id: int, titel: str, indicator: str, start: dt.date,
    deadline: dt.date, doelsoort: str, streefwaarde, tussendoelen=(), toelichting: str = "",
    actief: bool = True,
) -> SteeringGoal:  # fmt: skip
    """Change a goal, its tussendoelen or whether it is still pursued (kiss; audited)."""
    authorize(session, actor, "stuurdoel_wijzigen")
    goal = session.get(SteeringGoal, goal_id) if isinstance(goal_id, int) else None
    if goal is None:
        raise NotFound("Dit doel bestaat niet.")
    fields = _validated(session, goal.id, titel, indicator, start, deadline, doelsoort,
                        streefwaarde, tussendoelen, toelichting)  # fmt: skip
    old = {**_snapshot(_fields(session, goal)), "actief": goal.actief}
    for key, value in fields.items():
        if key != "tussendoelen":
            setattr(goal, key, value)
    goal.actief = bool(actief)
    goal.gewijzigd_op = utcnow()
    _write_milestones(session, goal.id, fields["tussendoelen"])
    session.flush()
    audit.record(session, actor, audit.Event.STUURDOEL_WIJZIGEN, "stuurdoel", goal.id,
                 oud=old, nieuw={**_snapshot(fields), "actief": goal.actief})  # fmt: skip
    return goal


def _fields(session: Session, goal: SteeringGoal) -> dict:
    milestones = session.execute(
        select(SteeringMilestone.datum, SteeringMilestone.streefwaarde)
        .where(SteeringMilestone.goal_id == goal.id).order_by(SteeringMilestone.datum)
    ).all()  # fmt: skip
    return {"titel": goal.titel, "indicator": goal.indicator, "start": goal.start,
            "deadline": goal.deadline, "doelsoort": goal.doelsoort,
            "streefwaarde": goal.streefwaarde, "toelichting": goal.toelichting,
            "tussendoelen": [(d, float(v)) for d, v in milestones]}  # fmt: skip


def list_goals(session: Session, actor: Actor, include_inactive: bool = False) -> list[GoalView]:
    """The goals (active ones unless asked otherwise), by deadline (kiss; audited)."""
    authorize(session, actor, "stuurdoelen_inzien")
    stmt = select(SteeringGoal).order_by(SteeringGoal.deadline, SteeringGoal.id)
    if not include_inactive:
        stmt = stmt.where(SteeringGoal.actief.is_(True))
    out = []
    for goal in session.scalars(stmt):
        f = _fields(session, goal)
        out.append(GoalView(goal.id, f["titel"], f["indicator"], f["start"], f["deadline"],
                            f["doelsoort"], float(f["streefwaarde"]), tuple(f["tussendoelen"]),
                            f["toelichting"], goal.actief))  # fmt: skip
    audit.record(session, actor, audit.Event.STUURDOELEN_INZIEN, "stuurdoel", "lijst")
    return out
