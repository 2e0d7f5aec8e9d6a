"""Outreach criteria an experiment can use, by name (``Experiment.criteria``), editable by beheer.

Each criterion is one function ``(session, candidate household ids, date) -> {household id:
reasons}``; :data:`experiments.enrolment.CRITERIA` joins these with the first one
(``bestaanszekerheid``, defined with the enrolment). :data:`CRITERIA_LABELS` names every
criterion in Dutch for the registry page; the registry refuses an unknown name.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from households.models import Person, Provision, Signal
from households.periods import household_of_person_sql, provision_active_sql, signal_open_sql

__all__ = ["CRITERIA_LABELS", "EXTRA_CRITERIA"]

CRITERIA_LABELS: dict[str, str] = {
    "bestaanszekerheid": "Achterstand of open schuld, en niet bekend bij een voordeur of "
    "zonder regie",
    "jeugd_en_inkomen": "Jeugdhulp en tegelijk een ISD-voorziening (inkomen, minima, schulden)",
    "jongeren_bijstand": "Een jongere van 16 tot en met 23 jaar in een huishouden met bijstand",
    "ouderen_wmo": "Iemand van 75 jaar of ouder met een Wmo-voorziening",
    "leefomgeving": "Een open melding van overlast, woningvervuiling of huurachterstand",
}


def _domains(session: Session, ids: set[int], date: dt.date) -> dict[int, set[str]]:
    rows = session.execute(
        select(household_of_person_sql(date), Provision.domein, Provision.soort)
        .join(Person, Person.id == Provision.person_id)
        .where(provision_active_sql(Provision, date))
    ).all()
    out: dict[int, set[str]] = {}
    for hh, domein, soort in rows:
        if hh in ids:
            out.setdefault(hh, set()).update({domein, soort})
    return out


def _ages(session: Session, ids: set[int], date: dt.date) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for hh, year in session.execute(select(household_of_person_sql(date), Person.geboortejaar)):
        if hh in ids:
            out.setdefault(hh, []).append(date.year - int(year))
    return out


def _jeugd_en_inkomen(session: Session, ids: set[int], date: dt.date) -> dict[int, list[str]]:
    return {hh: ["jeugdhulp", "ISD-voorziening"] for hh, d in _domains(session, ids, date).items()
            if {"JEUGD", "ISD"} <= d}  # fmt: skip


def _jongeren_bijstand(session: Session, ids: set[int], date: dt.date) -> dict[int, list[str]]:
    ages, domains = _ages(session, ids, date), _domains(session, ids, date)
    return {hh: ["jongere 16-23", "bijstand"] for hh, a in ages.items()
            if any(16 <= x <= 23 for x in a) and "bijstand" in domains.get(hh, set())}  # fmt: skip


def _ouderen_wmo(session: Session, ids: set[int], date: dt.date) -> dict[int, list[str]]:
    ages, domains = _ages(session, ids, date), _domains(session, ids, date)
    return {hh: ["75 jaar of ouder", "Wmo-voorziening"] for hh, a in ages.items()
            if max(a) >= 75 and "WMO" in domains.get(hh, set())}  # fmt: skip


def _leefomgeving(session: Session, ids: set[int], date: dt.date) -> dict[int, list[str]]:
    kinds = ("overlast", "woningvervuiling", "huurachterstand")
    out: dict[int, list[str]] = {}
    rows = session.execute(select(Signal.household_id, Signal.soort).where(
        Signal.soort.in_(kinds), signal_open_sql(Signal, date)))  # fmt: skip
    for hh, soort in rows:
        if hh in ids and soort not in out.setdefault(hh, []):
            out[hh].append(soort)
    return out


EXTRA_CRITERIA = {
    "jeugd_en_inkomen": _jeugd_en_inkomen,
    "jongeren_bijstand": _jongeren_bijstand,
    "ouderen_wmo": _ouderen_wmo,
    "leefomgeving": _leefomgeving,
}
