"""Every form's service, fed arbitrary input: a result or a clear KissError, never a
traceback, and a refused call writes nothing (the forms not covered next to their module).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from coordination import actions, budget, decisions
from coordination import casetables as ct
from coordination.models import Action, AgendaItem, BudgetSpend, Decision
from experiments.logbook import log_situation
from experiments.models import StabilityLog
from experiments.registry import add_lesson
from households.errors import KissError
from tests import builders as b
from tests.builders import make_household, make_user, opened, valid_bsn

TODAY = dt.date.today()
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.one_of(st.none(), st.text(max_size=300), st.just("\x00"), st.just("   "))
dates = st.one_of(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)), st.just(TODAY))


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _outcome(session, model, call) -> None:
    before = _count(session, model)
    try:
        call()
    except KissError as exc:
        session.rollback()
        assert str(exc).strip()
        assert _count(session, model) == before  # nothing half-written
    else:
        session.commit()


@pytest.fixture
def table(session):
    gerda, karel = make_user(session, "gerda", "gbd"), make_user(session, "karel", "gbd")
    tables = ct.ensure_tables(session)
    for t in tables:
        ct.add_member(session, gerda, t.id, gerda.user_id)
        ct.add_member(session, gerda, t.id, karel.user_id)
    hh = opened(
        session,
        gerda,
        make_household(session, persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")]),
    )
    item = ct.add_agenda_item(session, gerda, tables[0].id, hh.id, "Wie pakt de schulden op?")
    session.commit()
    return gerda, karel, tables[0], hh, item


@pytest.fixture
def proeftuin(session):
    exp, coord, ew = b.team(session)
    hh, _ = b.household_with_persons(session, wijk="Noord")
    b.enrol_direct(session, exp, hh, datum=dt.date(2026, 1, 1))
    session.commit()
    return exp, coord, ew, hh


@SETTINGS
@given(vraag=text)
def test_agenda_item(session, table, vraag):
    gerda, _, t, hh, _ = table
    _outcome(session, AgendaItem, lambda: ct.add_agenda_item(session, gerda, t.id, hh.id, vraag))


@SETTINGS
@given(tekst=text, soort=st.sampled_from(["standaard", "maatwerk", "", "MAATWERK", "x"]))
def test_decision(session, table, tekst, soort):
    gerda, _, _, _, item = table
    _outcome(session, Decision, lambda: decisions.decide(session, gerda, item.id, tekst, soort))


@SETTINGS
@given(omschrijving=text, eigenaar=text, deadline=dates)
def test_action(session, table, omschrijving, eigenaar, deadline):
    gerda, _, _, _, item = table
    _outcome(
        session, Action,
        lambda: actions.add_action(session, gerda, item.id, omschrijving, eigenaar, deadline,
                                   afdeling="Schuldhulp"),
    )  # fmt: skip


@SETTINGS
@given(amount=st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.integers()),
       justification=text)  # fmt: skip
def test_budget_spend(session, table, amount, justification):
    gerda, karel, t, hh, _ = table
    item = ct.add_agenda_item(session, gerda, t.id, hh.id, "Huurschuld overbruggen?")
    decision = decisions.decide(
        session, gerda, item.id, "Maatwerk: huurschuld overbruggen", "maatwerk"
    )
    decisions.review(session, karel, decision.id, True)
    budget.set_budget(session, gerda, TODAY.year, "10000")
    session.commit()
    _outcome(
        session, BudgetSpend,
        lambda: budget.spend(session, gerda, decision.id, amount, justification),
    )  # fmt: skip


@SETTINGS
@given(
    scores=st.lists(st.one_of(st.integers(-3, 9), st.none(), st.text(max_size=2)),
                    min_size=4, max_size=4),
    stressors=st.lists(st.sampled_from(["schulden", "werk", "onbekend", ""]), max_size=3),
    verhaal=text,
    date=dates,
)  # fmt: skip
def test_logbook(session, proeftuin, scores, stressors, verhaal, date):
    _, _, ew, hh = proeftuin
    _outcome(
        session, StabilityLog,
        lambda: log_situation(session, ew, hh.id, date, *scores, stressors=stressors,
                              verhaal=verhaal),
    )  # fmt: skip


@SETTINGS
@given(les=text, verandering=text, datum=dates)
def test_lesson(session, proeftuin, les, verandering, datum):
    from experiments.models import Lesson

    exp, coord, _, _ = proeftuin
    _outcome(
        session, Lesson,
        lambda: add_lesson(session, coord, exp.id, datum, les, verandering),
    )  # fmt: skip
