"""Casustafel forms (app.forms.Form): written once, to the record on screen, then shown.

For every writing form of the page: a resubmitted token writes once; after the save the page
shows the saved record and the form is empty; a form filled in for another target is refused.
The issue's bugs are pinned here too: after a decision the "Agendapunt" choice does not jump
to another household, and a new action is at once in the feedback list and gets the feedback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination import casetables as ct
from coordination import decisions
from coordination.actions import add_action
from coordination.budget import set_budget
from coordination.models import (
    Action,
    AgendaItem,
    BudgetSpend,
    CaseTableMember,
    Decision,
    Feedback,
    Meeting,
    Review,
)
from households.db import make_engine
from households.models import AuditEvent
from tests.builders import add_institution, make_household, make_user, opened, valid_bsn

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
TODAY = dt.date.today()


@pytest.fixture
def world(db_url):
    """Two coordinators at every table, one household, and records in every state."""
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        gerda = make_user(s, "gerda", "gbd")
        karel = make_user(s, "karel", "gbd")
        for t in ct.ensure_tables(s):
            ct.add_member(s, gerda, t.id, gerda.user_id)
            ct.add_member(s, gerda, t.id, karel.user_id)
        table = ct.list_tables(s, gerda)[0].id  # the table the page shows first
        households = []
        for n, naam in enumerate(["Jan Jansen", "Piet Peters"], start=1):
            h = make_household(s, wijk="Zuid", persons=[(valid_bsn(n), naam, "hoofdbewoner")])
            opened(s, gerda, h)
            opened(s, karel, h)
            households.append(h.id)
        items = [
            ct.add_agenda_item(s, gerda, table, households[i % 2], f"Vraag nummer {i}").id
            for i in range(6)
        ]
        waiting = [decisions.decide(s, gerda, i, "Maatwerk: huur betalen", "maatwerk").id
                   for i in items[2:4]]  # fmt: skip
        in_force = decisions.decide(s, gerda, items[4], "Maatwerk: energie", "maatwerk").id
        decisions.review(s, karel, in_force, True)
        inst = add_institution(s, "Politie Limburg")
        soon = TODAY + dt.timedelta(days=3)
        old_action = add_action(s, gerda, items[0], "Melding opnemen", "Wijkagent", soon,
                                institution_id=inst.id).id  # fmt: skip
        set_budget(s, gerda, TODAY.year, "5000")
        s.commit()
    yield {
        "engine": engine, "gerda": gerda, "karel": karel, "table": table, "h": households,
        "items": items, "waiting": waiting, "in_force": in_force, "action": old_action,
    }  # fmt: skip
    engine.dispose()


def _app(actor) -> AppTest:
    at = AppTest.from_file(str(PAGES / "casustafel.py"), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def _budget_events(engine) -> int:
    with Session(engine) as s:
        q = select(func.count()).where(AuditEvent.actie == "budget_vaststellen")
        return s.scalar(q.select_from(AuditEvent))


def _options(at, key) -> list[int]:
    """The record ids a selectbox offers (its labels start with the id)."""
    return [int(label.split(":")[0]) for label in at.selectbox(key=key).options]


@dataclass(frozen=True)
class Spec:
    """One form of the page: who uses it, how to fill it, what it writes and empties."""

    name: str
    button: str
    actor: str
    fill: Any  # (at, world, n) -> None; n = 0 for the first save, 1 for a second record
    written: Any  # (engine) -> int
    empty: dict  # widget kind and key -> empty value after the save


def _fill_plan(at, w, n):
    at.date_input(key="overleg_datum").set_value(TODAY + dt.timedelta(days=7 + n)).run()


def _fill_agenda(at, w, n):
    at.selectbox(key="agenda_huishouden").set_value(w["h"][n]).run()
    at.text_area(key="agenda_vraag").input(f"Wie pakt de schulden op? ({n})").run()


def _fill_decision(at, w, n):
    at.selectbox(key="besluit_agendapunt").set_value(w["items"][n]).run()
    at.text_area(key="besluit_tekst").input("Eenmalig huur betalen uit het budget").run()
    at.radio(key="besluit_soort").set_value("maatwerk").run()


def _fill_review(at, w, n):
    at.selectbox(key="review_besluit").set_value(w["waiting"][n]).run()
    at.radio(key="review_oordeel").set_value("akkoord").run()


def _fill_action(at, w, n):
    at.selectbox(key="opdracht_agendapunt").set_value(w["items"][n]).run()
    at.text_input(key="opdracht_omschrijving").input(f"Schuldhulp inschakelen {n}").run()
    at.text_input(key="opdracht_afdeling").input("Schuldhulp").run()
    at.text_input(key="opdracht_eigenaar").input("K. Bos").run()
    at.date_input(key="opdracht_deadline").set_value(TODAY + dt.timedelta(days=10)).run()


def _fill_feedback(at, w, n):
    at.selectbox(key="terugkoppeling_opdracht").set_value(w["action"]).run()
    at.text_area(key="terugkoppeling_tekst").input("Melding is opgenomen").run()
    at.text_input(key="terugkoppeling_door").input("Wijkagent").run()


def _fill_spend(at, w, n):
    at.selectbox(key="budget_besluit").set_value(w["in_force"]).run()
    at.text_input(key="budget_bedrag").input("100").run()
    at.text_input(key="budget_verantwoording").input("Energierekening betaald").run()


def _fill_budget(at, w, n):
    at.text_input(key="budget_jaarbedrag").input(f"{6000 + n}").run()


SPECS = [
    Spec("tafel_overleg", "overleg_plannen", "gerda", _fill_plan,
         lambda e: _count(e, Meeting), {("date_input", "overleg_datum"): None}),
    Spec("tafel_agendapunt", "agenda_toevoegen", "gerda", _fill_agenda,
         lambda e: _count(e, AgendaItem),
         {("selectbox", "agenda_huishouden"): None, ("text_area", "agenda_vraag"): ""}),
    Spec("tafel_besluit", "besluit_vastleggen", "gerda", _fill_decision,
         lambda e: _count(e, Decision),
         {("selectbox", "besluit_agendapunt"): None, ("text_area", "besluit_tekst"): "",
          ("radio", "besluit_soort"): None}),
    Spec("tafel_review", "review_vastleggen", "karel", _fill_review,
         lambda e: _count(e, Review),
         {("selectbox", "review_besluit"): None, ("radio", "review_oordeel"): None}),
    Spec("tafel_opdracht", "opdracht_geven", "gerda", _fill_action,
         lambda e: _count(e, Action),
         {("selectbox", "opdracht_agendapunt"): None, ("text_input", "opdracht_omschrijving"): "",
          ("text_input", "opdracht_eigenaar"): "", ("date_input", "opdracht_deadline"): None}),
    Spec("tafel_terugkoppeling", "terugkoppeling_vastleggen", "gerda", _fill_feedback,
         lambda e: _count(e, Feedback),
         {("selectbox", "terugkoppeling_opdracht"): None,
          ("text_area", "terugkoppeling_tekst"): "", ("text_input", "terugkoppeling_door"): ""}),
    Spec("tafel_uitgave", "budget_besteden", "karel", _fill_spend,
         lambda e: _count(e, BudgetSpend),
         {("selectbox", "budget_besluit"): None, ("text_input", "budget_bedrag"): ""}),
    Spec("tafel_budget", "budget_vaststellen", "gerda", _fill_budget, _budget_events,
         {("text_input", "budget_jaarbedrag"): ""}),
]  # fmt: skip


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_a_resubmitted_form_is_written_once_and_the_form_is_cleared(world, spec):
    at = _app(world[spec.actor])
    before = spec.written(world["engine"])
    spec.fill(at, world, 0)
    rendered = at.session_state[f"_formulier_{spec.name}"]
    at.button(key=spec.button).click().run()
    assert not at.exception and not at.error, at.error and at.error[0].value
    assert spec.written(world["engine"]) == before + 1
    assert at.success and at.session_state[f"_formulier_{spec.name}"].token != rendered.token
    for (kind, key), empty in spec.empty.items():
        assert getattr(at, kind)(key=key).value == empty, key
    # the same token again (a double click, a retried request), for whatever is picked now
    spec.fill(at, world, 1)
    target = at.session_state[f"_formulier_{spec.name}"].target
    at.session_state[f"_formulier_{spec.name}"] = type(rendered)(rendered.token, target)
    at.button(key=spec.button).click().run()
    assert not at.exception and not at.error
    assert any("één keer opgeslagen" in m.value for m in at.info)
    assert spec.written(world["engine"]) == before + 1


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_a_form_filled_in_for_another_target_is_refused(world, spec):
    at = _app(world[spec.actor])
    before = spec.written(world["engine"])
    spec.fill(at, world, 0)
    ticket = at.session_state[f"_formulier_{spec.name}"]
    at.session_state[f"_formulier_{spec.name}"] = type(ticket)(ticket.token, ("ander", 999))
    at.button(key=spec.button).click().run()
    assert not at.exception
    assert "niets opgeslagen" in at.error[0].value
    assert spec.written(world["engine"]) == before


def test_after_a_decision_the_choice_does_not_jump_and_the_review_list_has_it(world):
    at = _app(world["gerda"])
    item = world["items"][1]
    _fill_decision(at, world, 1)
    at.button(key="besluit_vastleggen").click().run()
    assert at.success[-1].value.startswith("Besluit vastgelegd. Het wacht op review")
    # nothing is picked (the text is gone too): one more click cannot decide on another item
    assert at.selectbox(key="besluit_agendapunt").value is None
    assert item not in _options(at, "besluit_agendapunt")
    at.button(key="besluit_vastleggen").click().run()
    assert "Kies eerst een agendapunt" in at.error[0].value
    assert _count(world["engine"], Decision) == 4
    # the colleague sees the new decision to review at once, and reviews exactly that one
    with Session(world["engine"]) as s:
        new = s.scalar(select(Decision.id).where(Decision.agenda_item_id == item))
    at2 = _app(world["karel"])
    assert item in _options(at2, "review_besluit")  # decisions are labelled by their item
    at2.selectbox(key="review_besluit").set_value(new).run()
    at2.radio(key="review_oordeel").set_value("akkoord").run()
    at2.button(key="review_vastleggen").click().run()
    assert at2.success[-1].value == "Review vastgelegd."
    assert item not in _options(at2, "review_besluit")
    assert item in _options(at2, "budget_besluit")  # in force now: the budget form offers it
    status = at2.dataframe[0].value.set_index("punt")["status"]
    assert status[item] == "in werking"


def test_a_new_action_is_in_the_feedback_list_and_gets_the_feedback(world):
    at = _app(world["gerda"])
    _fill_action(at, world, 1)
    at.button(key="opdracht_geven").click().run()
    assert at.success[-1].value == "Opdracht gegeven."
    with Session(world["engine"]) as s:
        new = s.scalar(select(func.max(Action.id)))
    assert new in _options(at, "terugkoppeling_opdracht")
    assert at.selectbox(key="terugkoppeling_opdracht").value is None  # no silent first choice
    at.selectbox(key="terugkoppeling_opdracht").set_value(new).run()
    at.text_area(key="terugkoppeling_tekst").input("Aanmelding gedaan").run()
    at.text_input(key="terugkoppeling_door").input("K. Bos").run()
    at.checkbox(key="terugkoppeling_afronden").check().run()
    at.button(key="terugkoppeling_vastleggen").click().run()
    assert at.success[-1].value == "Terugkoppeling vastgelegd."
    with Session(world["engine"]) as s:
        assert s.scalars(select(Feedback.action_id)).all() == [new]
        assert s.get(Action, world["action"]).status == "open"  # Politie Limburg untouched
    assert new not in _options(at, "terugkoppeling_opdracht")  # closed: gone from the list
    assert at.checkbox(key="terugkoppeling_afronden").value is False


def test_nothing_picked_is_refused_in_dutch(world):
    at = _app(world["karel"])
    at.radio(key="review_oordeel").set_value("akkoord").run()
    at.button(key="review_vastleggen").click().run()
    assert at.error[0].value == "Kies eerst een besluit."
    at.text_input(key="budget_bedrag").input("100").run()
    at.text_input(key="budget_verantwoording").input("Huur betaald").run()
    at.button(key="budget_besteden").click().run()
    assert at.error[0].value == "Kies eerst een gereviewd maatwerkbesluit."
    assert _count(world["engine"], Review) == 1 and _count(world["engine"], BudgetSpend) == 0


def test_the_spend_and_the_budget_are_shown_at_once(world):
    at = _app(world["karel"])
    _fill_spend(at, world, 0)
    at.button(key="budget_besteden").click().run()
    assert at.success[-1].value == "Uitgave vastgelegd: € 100,00."
    assert [m.value for m in at.metric] == ["€ 5.000,00", "€ 100,00", "€ 4.900,00"]
    _fill_budget(at, world, 0)
    at.button(key="budget_vaststellen").click().run()
    assert at.success[-1].value == f"Budget {TODAY.year} vastgesteld: € 6.000,00."
    assert [m.value for m in at.metric] == ["€ 6.000,00", "€ 100,00", "€ 5.900,00"]


def test_joining_a_table_is_written_once(world):
    with Session(world["engine"], expire_on_commit=False) as s:
        bert = make_user(s, "bert", "gbd")
        s.commit()
    at = _app(bert)
    before = _count(world["engine"], CaseTableMember)
    rendered = at.session_state["_formulier_tafel_aanschuiven"]
    at.button(key="tafel_aanschuiven").click().run()
    assert at.success[-1].value == "U bent nu lid van deze tafel."
    assert at.selectbox(key="besluit_agendapunt")  # the member's page is shown at once
    assert _count(world["engine"], CaseTableMember) == before + 1
    ticket = at.session_state["_formulier_tafel_aanschuiven"]
    assert ticket.token != rendered.token and ticket.target == rendered.target
