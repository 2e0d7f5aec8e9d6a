"""The coordinator's worklist (DESIGN 4.4; issue 11): what a GBD-er has to do now.

Six kinds of row, each from one query over the tables of the loop:

- ``regie`` — my households with an active regie (``regie.houder_user_id`` is me);
- ``doel`` — plan goals due for review (:func:`coordination.plan_rules.review_due`) on my
  regie households or owned by me;
- ``verwijzing`` — referrals for my regie households that are escalated
  (:func:`coordination.referral_rules.escalation`: not accepted in 5 Dutch working days,
  or past their deadline);
- ``logboek`` — stability logs with veiligheid ≤ 2 on my regie households, observed in the
  last :data:`LOG_WINDOW_DAYS` days (by the log's date; there is no per-user "read" state,
  so a log stays on the list for those 14 days whoever looked). The logs belong to the
  experiments context, so that source lives in :mod:`experiments.worklist`, which also
  composes the whole list (:data:`SOURCES` + the logs);
- ``review`` — maatwerk decisions on tables I am a member of, by someone else, without a
  four-eyes review yet;
- ``schuldhulp`` — schuldhulp norm deadlines of my trajectories that are near or missed
  (:mod:`coordination.shv_worklist`, added by :mod:`experiments.worklist`).

**Order** (what matters now): urgency first — ``acuut`` (veiligheid 1), ``te laat`` (a
referral escalated, a review date passed), ``nu`` (veiligheid 2, a review waiting, a review
date within two weeks), ``lopend`` (the regie households themselves) — then the date (the
oldest first), the kind, and the row's own order.

**Bounded**: every source counts its rows in SQL and returns only the first
``page * per_page`` in that order (``per_page`` at most :data:`PER_PAGE_MAX`); the sorted
merge of those is cut to the page. Names and addresses are read for the page's rows only,
and only where the actor may see the household. **Audit**: one ``werklijst_inzien`` row
per view (not one per row), with the households shown and why they may be seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from coordination.loopmodels import HouseholdPlan, PlanGoal, Referral
from coordination.models import AgendaItem, CaseTable, CaseTableMember, Decision, Regie, Review
from coordination.plan_rules import (
    LIFE_AREA_LABELS,
    OPEN_GOAL_STATUSES,
    REVIEW_HORIZON_DAYS,
    review_due,
)
from coordination.referral_rules import REASONS, accept_by, escalation
from coordination.referrals import escalated_sql
from households import audit
from households.access import authorize, household_access_reason
from households.actor import Actor
from households.errors import InvalidInput
from households.labels import HouseholdLabel, household_labels
from households.models import Household, Institution, User
from households.periods import regie_active_sql

__all__ = [
    "KINDS", "KIND_LABELS", "URGENCY_LABELS", "ACUUT", "TE_LAAT", "NU", "LOPEND",
    "LOG_WINDOW_DAYS", "PER_PAGE", "PER_PAGE_MAX", "WorkItem", "Worklist", "Source", "SOURCES",
    "my_regie_households", "build_worklist", "count_and_first", "short",
]  # fmt: skip

KINDS = ("regie", "doel", "verwijzing", "logboek", "review", "schuldhulp")
KIND_LABELS = {
    "regie": "Regie",
    "doel": "Doel evalueren",
    "verwijzing": "Verwijzing",
    "logboek": "Stabiliteitslog",
    "review": "Vier ogen",
    "schuldhulp": "Schuldhulpnorm",
}
ACUUT, TE_LAAT, NU, LOPEND = 0, 1, 2, 3
URGENCY_LABELS = {ACUUT: "Acuut", TE_LAAT: "Te laat", NU: "Nu", LOPEND: "Lopend"}
LOG_WINDOW_DAYS = 14  # logs observed today and the 13 days before
PER_PAGE, PER_PAGE_MAX = 20, 50
TEXT_MAX = 120


@dataclass(frozen=True)
class WorkItem:
    """One row of the worklist. ``huishouden`` is filled only where the actor may see it."""

    soort: str
    household_id: int
    huishouden_id: str
    wat: str
    datum: dt.date | None
    urgentie: int
    volgorde: tuple = ()  # the source's own order within equal urgency, date and kind
    huishouden: HouseholdLabel | None = None

    @property
    def soort_label(self) -> str:
        """The kind in Dutch."""
        return KIND_LABELS[self.soort]

    @property
    def urgentie_label(self) -> str:
        """The urgency in Dutch."""
        return URGENCY_LABELS[self.urgentie]

    @property
    def sort_key(self) -> tuple:
        """Urgency, date (none last), kind, the source's own order."""
        return (self.urgentie, self.datum or dt.date.max, KINDS.index(self.soort), self.volgorde)


@dataclass(frozen=True)
class Worklist:
    """One page of a coordinator's worklist, with the counts of every kind (all pages)."""

    items: tuple[WorkItem, ...]
    counts: dict[str, int]
    page: int
    per_page: int
    today: dt.date

    @property
    def total(self) -> int:
        """Rows over all pages."""
        return sum(self.counts.values())

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


Fetch = Callable[[Session, Actor, dt.date, int], tuple[int, list[WorkItem]]]


@dataclass(frozen=True)
class Source:
    """A kind of row: ``fetch(session, actor, today, limit)`` -> (count, first ``limit`` rows)."""

    kind: str
    fetch: Fetch


def short(text: str | None, limit: int = TEXT_MAX) -> str:
    """One line of at most ``limit`` characters.

    >>> short("Schulden  op\\norde"), short("x" * 10, 5)
    ('Schulden op orde', 'xxxx…')
    """
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def my_regie_households(actor: Actor, today: dt.date) -> Select:
    """SQL: the ids of the households the actor holds an active regie for on ``today``."""
    return select(Regie.household_id).where(
        Regie.houder_user_id == actor.user_id, regie_active_sql(Regie, today)
    )


def count_and_first(
    session: Session, stmt: Select, order: Sequence, limit: int
) -> tuple[int, list]:
    """The number of rows of ``stmt`` and its first ``limit`` rows in ``order`` (two queries)."""
    count = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = session.execute(stmt.order_by(*order).limit(limit)).all() if limit else []
    return int(count or 0), rows


# --- the sources ------------------------------------------------------------------------------


def _regie(session: Session, actor: Actor, today: dt.date, limit: int):
    stmt = (
        select(Regie.id, Regie.household_id, Household.huishouden_id, Regie.start, Regie.doel)
        .join(Household, Household.id == Regie.household_id)
        .where(Regie.houder_user_id == actor.user_id, regie_active_sql(Regie, today))
    )
    count, rows = count_and_first(session, stmt, (Regie.start, Regie.id), limit)
    return count, [
        WorkItem("regie", r.household_id, r.huishouden_id,
                 f"Regie sinds {r.start:%d-%m-%Y}: {short(r.doel)}", None, LOPEND,
                 (r.start.toordinal(), r.id))
        for r in rows
    ]  # fmt: skip


def _last_due_review_date(today: dt.date) -> dt.date:
    """The latest review date :func:`review_due` counts as due on ``today`` (the SQL bound)."""
    day = today + dt.timedelta(days=REVIEW_HORIZON_DAYS)
    assert review_due("open", day, today) and not review_due("open", day + dt.timedelta(1), today)
    return day


def _goals(session: Session, actor: Actor, today: dt.date, limit: int):
    stmt = (
        select(PlanGoal.id, PlanGoal.levensgebied, PlanGoal.doel, PlanGoal.evaluatiedatum,
               PlanGoal.status, HouseholdPlan.household_id, Household.huishouden_id)
        .join(HouseholdPlan, HouseholdPlan.id == PlanGoal.plan_id)
        .join(Household, Household.id == HouseholdPlan.household_id)
        .where(
            PlanGoal.status.in_(OPEN_GOAL_STATUSES),
            PlanGoal.evaluatiedatum <= _last_due_review_date(today),
            or_(PlanGoal.eigenaar_user_id == actor.user_id,
                HouseholdPlan.household_id.in_(my_regie_households(actor, today))),
        )
    )  # fmt: skip
    count, rows = count_and_first(session, stmt, (PlanGoal.evaluatiedatum, PlanGoal.id), limit)
    items = []
    for r in rows:
        if not review_due(r.status, r.evaluatiedatum, today):  # the one rule decides
            continue
        area = LIFE_AREA_LABELS.get(r.levensgebied, r.levensgebied)
        urgency = TE_LAAT if r.evaluatiedatum < today else NU
        items.append(WorkItem("doel", r.household_id, r.huishouden_id,
                              f"{area}: {short(r.doel)}", r.evaluatiedatum, urgency,
                              (r.id,)))  # fmt: skip
    return count, items


def _referrals(session: Session, actor: Actor, today: dt.date, limit: int):
    base = (
        select(Referral.id, Referral.household_id, Household.huishouden_id, Referral.taak,
               Referral.status, Referral.verstuurd_op, Referral.deadline,
               Institution.naam.label("instelling"))
        .join(Household, Household.id == Referral.household_id)
        .join(Institution, Institution.id == Referral.institution_id)
        .where(Referral.household_id.in_(my_regie_households(actor, today)))
    )  # fmt: skip
    overdue_sql, late_sql = escalated_sql(today)  # the one definition (coordination.referrals)
    overdue, late = base.where(overdue_sql), base.where(late_sql)
    by_deadline = (Referral.deadline, Referral.verstuurd_op, Referral.id)
    n1, rows1 = count_and_first(session, overdue, by_deadline, limit)
    n2, rows2 = count_and_first(session, late, (Referral.verstuurd_op, Referral.id), limit)
    items = []
    for r in (*rows1, *rows2):
        reason = escalation(r.status, r.verstuurd_op, r.deadline, today)  # the one rule
        if reason is None:
            continue
        due = r.deadline if r.deadline is not None and r.deadline < today else None
        items.append(WorkItem(
            "verwijzing", r.household_id, r.huishouden_id,
            f"{REASONS[reason]}: {r.instelling} — {short(r.taak)}",
            due or accept_by(r.verstuurd_op), TE_LAAT, (r.verstuurd_op.toordinal(), r.id),
        ))  # fmt: skip
    items.sort(key=lambda i: i.sort_key)
    return n1 + n2, items[:limit]


def _reviews(session: Session, actor: Actor, today: dt.date, limit: int):
    author = aliased(User)
    replacing = aliased(Decision)
    stmt = (
        select(Decision.id, Decision.tekst, Decision.besloten_op, AgendaItem.household_id,
               Household.huishouden_id, CaseTable.naam.label("tafel"),
               func.coalesce(author.weergavenaam, author.naam).label("door"))
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .join(CaseTable, CaseTable.id == AgendaItem.case_table_id)
        .join(CaseTableMember, CaseTableMember.case_table_id == AgendaItem.case_table_id)
        .join(Household, Household.id == AgendaItem.household_id)
        .join(author, author.id == Decision.besloten_door)
        .where(
            CaseTableMember.user_id == actor.user_id,
            Decision.soort == "maatwerk",
            Decision.besloten_door != actor.user_id,
            ~exists().where(Review.decision_id == Decision.id),
            ~exists().where(replacing.vervangt_id == Decision.id),
        )
    )  # fmt: skip
    count, rows = count_and_first(session, stmt, (Decision.besloten_op, Decision.id), limit)
    return count, [
        WorkItem("review", r.household_id, r.huishouden_id,
                 f"Maatwerkbesluit van {r.door} ({r.tafel}): {short(r.tekst)}",
                 r.besloten_op, NU, (r.id,))
        for r in rows
    ]  # fmt: skip


SOURCES: tuple[Source, ...] = (
    Source("regie", _regie),
    Source("doel", _goals),
    Source("verwijzing", _referrals),
    Source("review", _reviews),
)
"""The sources of the coordination context (the logs are added by :mod:`experiments.worklist`)."""


# --- the list ---------------------------------------------------------------------------------


def _page_number(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"{name} moet een heel getal van 1 of meer zijn.")
    return value


def build_worklist(
    session: Session,
    actor: Actor,
    sources: Sequence[Source],
    page: int = 1,
    per_page: int = PER_PAGE,
    today: dt.date | None = None,
) -> Worklist:
    """One page of the actor's worklist from ``sources`` (gbd), most urgent first. Audited once.

    A page past the last shows the last page. Each household on the page carries its name
    and address only where :func:`~households.access.household_access_reason` grants access.
    """
    authorize(session, actor, "werklijst")
    page = _page_number(page, "De pagina")
    per_page = min(_page_number(per_page, "Het aantal regels per pagina"), PER_PAGE_MAX)
    today = today or dt.date.today()
    counts, rows = {}, []
    for source in sources:
        counts[source.kind], found = source.fetch(session, actor, today, page * per_page)
        rows += found
    pages = max(1, -(-sum(counts.values()) // per_page))
    if page > pages:  # the list got shorter since the page was drawn: show its last page
        return build_worklist(session, actor, sources, pages, per_page, today)
    rows.sort(key=lambda item: item.sort_key)
    items = rows[(page - 1) * per_page : page * per_page]
    reasons = {}
    for household_id in dict.fromkeys(i.household_id for i in items):
        reason = household_access_reason(session, actor, household_id)
        if reason is not None:
            reasons[household_id] = reason
    labels = household_labels(session, reasons)
    items = [replace(i, huishouden=labels.get(i.household_id)) for i in items]
    audit.record(
        session, actor, audit.Event.WERKLIJST_INZIEN, "werklijst", actor.user_id,
        doel="werklijst van de GBD-er",
        nieuw={"pagina": page, "aantal": len(items),
               "huishoudens": [[h, reason] for h, reason in reasons.items()]},
    )  # fmt: skip
    return Worklist(tuple(items), {k: counts.get(k, 0) for k in KINDS if k in counts}, page,
                    per_page, today)  # fmt: skip
