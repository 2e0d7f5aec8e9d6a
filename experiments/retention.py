"""Retention (DESIGN 8.4): which facts have passed their category's period, and removing them.

Each kind of fact has a category and an end: a provision its ``einde`` (category by domain and
kind), a signal its ``gesloten_op`` (by kind), a help request its ``besluit_op`` (by domain;
kept while an agenda item refers to it), an involvement its ``einde``, a regie its ``einde``
(plan), a logbook entry its ``datum`` (stabiliteit). A fact without an end is never due.
``apply`` deletes the due rows in one transaction and records one audit event with the counts
per category (no content): the hash chain stays verifiable and nothing removed is kept.
The categories are :mod:`households.categories` (one home).
Not yet covered: debts (no end date is modelled), agenda items, decisions and actions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coordination.models import AgendaItem, Regie, RegieParty
from experiments.models import StabilityLog
from households import audit
from households.access import authorize
from households.actor import Actor
from households.categories import (
    category_of_involvement,
    category_of_provision,
    category_of_request,
    category_of_signal,
)
from households.models import (
    HelpRequest,
    Institution,
    Involvement,
    Provision,
    RetentionPeriod,
    Signal,
)

__all__ = ["Due", "RetentionRun", "category_of_provision", "category_of_signal", "retention_run"]


@dataclass(frozen=True)
class Due:
    """One fact past its period."""

    tabel: str
    id: int
    categorie: str
    einde: dt.date


@dataclass(frozen=True)
class RetentionRun:
    """The facts due on ``today`` (and whether they were removed)."""

    today: dt.date
    due: tuple[Due, ...]
    applied: bool

    def per_category(self) -> dict[str, int]:
        return dict(sorted(Counter(d.categorie for d in self.due).items()))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _candidates(session: Session) -> list[Due]:
    out: list[Due] = []
    for pid, domein, soort, einde in session.execute(
        select(Provision.id, Provision.domein, Provision.soort, Provision.einde).where(
            Provision.einde.is_not(None))):  # fmt: skip
        out.append(Due("provision", pid, category_of_provision(domein, soort), einde))
    for sid, soort, einde in session.execute(
        select(Signal.id, Signal.soort, Signal.gesloten_op).where(Signal.gesloten_op.is_not(None))
    ):
        out.append(Due("signal", sid, category_of_signal(soort), einde))
    on_agenda = select(AgendaItem.help_request_id).where(AgendaItem.help_request_id.is_not(None))
    for rid, domein, einde in session.execute(
        select(HelpRequest.id, HelpRequest.domein, HelpRequest.besluit_op).where(
            HelpRequest.besluit_op.is_not(None), HelpRequest.id.not_in(on_agenda))):  # fmt: skip
        out.append(Due("help_request", rid, category_of_request(domein), einde))
    for iid, soort, type_, einde in session.execute(
        select(Involvement.id, Involvement.soort, Institution.type, Involvement.einde)
        .outerjoin(Institution, Institution.id == Involvement.institution_id)
        .where(Involvement.einde.is_not(None))
    ):
        out.append(Due("involvement", iid, category_of_involvement(soort, type_), einde))
    for gid, einde in session.execute(
        select(Regie.id, Regie.einde).where(Regie.einde.is_not(None))
    ):
        out.append(Due("regie", gid, "plan", einde))
    for lid, datum in session.execute(select(StabilityLog.id, StabilityLog.datum)):
        out.append(Due("stability_log", lid, "stabiliteit", datum))
    return out


_TABLES = {"provision": Provision, "signal": Signal, "help_request": HelpRequest,
           "involvement": Involvement, "regie": Regie, "stability_log": StabilityLog}  # fmt: skip


def retention_run(
    session: Session, actor: Actor, today: dt.date | None = None, apply: bool = False
) -> RetentionRun:
    """List (and with ``apply`` remove) every fact past its category's retention period."""
    authorize(session, actor, "bewaartermijnen")
    today = today or dt.date.today()
    years = dict(session.execute(select(RetentionPeriod.categorie, RetentionPeriod.jaren)).all())
    due = tuple(
        d for d in _candidates(session)
        if d.categorie in years and d.einde < _years_before(today, years[d.categorie])
    )  # fmt: skip
    run = RetentionRun(today, due, apply)
    if apply and due:
        by_table: dict[str, list[int]] = {}
        for d in due:
            by_table.setdefault(d.tabel, []).append(d.id)
        if "regie" in by_table:
            ids = by_table["regie"]
            for k in range(0, len(ids), 500):
                session.execute(delete(RegieParty).where(RegieParty.regie_id.in_(ids[k : k + 500])))
        for table, ids in by_table.items():
            model = _TABLES[table]
            for k in range(0, len(ids), 500):
                session.execute(delete(model).where(model.id.in_(ids[k : k + 500])))
    counts = {"verwijderd" if apply else "verlopen": run.per_category()}
    audit.record(session, actor, audit.Event.BEWAARTERMIJN, "retention", today.isoformat(),
                 nieuw=counts)  # fmt: skip
    return run
