"""Spraak en tegenspraak that goes somewhere: decide again, or escalate to KISS (vraagbaak)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coordination import casetables as ct
from coordination import decisions, loop
from coordination.loopmodels import Escalation
from coordination.models import Decision
from households.errors import AccessDenied, Conflict, InvalidInput
from households.models import AuditEvent
from tests.builders import D, make_household, make_user, opened, valid_bsn


@pytest.fixture
def world(session):
    gerda = make_user(session, "gerda", "gbd")
    karel = make_user(session, "karel", "gbd")
    table = ct.table_by_name(session, ct.BREDE_TAFEL)
    for who in (gerda, karel):
        ct.add_member(session, gerda, table.id, who.user_id)
    h = make_household(session, straat="Rimburgerweg",
                       persons=[(valid_bsn(1), "Jan Langeberg", "hoofdbewoner")])  # fmt: skip
    opened(session, gerda, h)
    item = ct.add_agenda_item(session, gerda, table.id, h.id, "Huur of energie eerst?", date=D)
    first = decisions.decide(session, gerda, item.id, "Bijzondere bijstand huur", "maatwerk", D)
    decisions.review(session, karel, first.id, False, "Past binnen de standaardregeling", D)
    session.commit()
    return {"gerda": gerda, "karel": karel, "table": table, "h": h, "item": item,
            "first": first}  # fmt: skip


def _refusals(session, actie):
    return session.scalar(select(func.count()).where(
        AuditEvent.actie == actie, AuditEvent.resultaat == "geweigerd"))  # fmt: skip


def test_after_tegenspraak_the_table_decides_again_and_both_stay(session, world):
    new = decisions.decide_again(session, world["gerda"], world["first"].id,
                                 "Standaard: betalingsregeling huur", "standaard", D)  # fmt: skip
    session.commit()
    assert new.vervangt_id == world["first"].id
    rows = ct.agenda(session, world["gerda"], world["table"].id)
    assert [(r.besluit, r.status) for r in rows] == [("Standaard: betalingsregeling huur",
                                                      "in werking")]  # fmt: skip
    [item] = loop.table_loop(session, world["gerda"], world["table"].id).values()
    assert [(s.tekst, s.tegenspraak, s.vervangt_id) for s in item.chain] == [
        ("Bijzondere bijstand huur", True, None),
        ("Standaard: betalingsregeling huur", False, world["first"].id),
    ]
    assert item.dissent_decision_id is None


def test_deciding_again_needs_a_tegenspraak_and_the_current_decision(session, world):
    decisions.decide_again(session, world["gerda"], world["first"].id, "Nieuw besluit", "maatwerk")
    session.commit()
    with pytest.raises(Conflict, match="al vervangen"):
        decisions.decide_again(session, world["gerda"], world["first"].id, "Nog een", "standaard")
    session.rollback()
    second = session.scalars(select(Decision).where(Decision.vervangt_id.is_not(None))).one()
    with pytest.raises(InvalidInput, match="tegenspraak"):
        decisions.decide_again(session, world["gerda"], second.id, "Nog een", "standaard")


def test_a_non_member_cannot_decide_again(session, world):
    bert = make_user(session, "bert", "gbd")
    opened(session, bert, world["h"])
    session.commit()
    with pytest.raises(AccessDenied):
        decisions.decide_again(session, bert, world["first"].id, "Ander besluit", "standaard")
    assert _refusals(session, "opnieuw_besluiten") == 1
    assert session.scalar(select(func.count()).select_from(Decision)) == 1


def test_escalation_is_answered_by_kiss_and_returns_to_the_table(session, world, account):
    vraag = "Mag het TWS-budget een huurachterstand dekken als de ISD al terugvordert?"
    esc = loop.escalate(session, world["gerda"], world["first"].id, vraag, D)
    session.commit()
    kiss = account("kees", "kiss")
    [q] = loop.vraagbaak(session, kiss)
    assert (q.vraag, q.tafel, q.antwoord) == (vraag, ct.BREDE_TAFEL, None)
    loop.answer(session, kiss, esc.id, "Ja, als bijzondere bijstand is afgewezen.", D)
    session.commit()
    with pytest.raises(Conflict):
        loop.answer(session, kiss, esc.id, "Nog een antwoord")
    session.rollback()
    [item] = loop.table_loop(session, world["gerda"], world["table"].id).values()
    assert [(e.vraag, e.antwoord) for e in item.escalations] == [
        (vraag, "Ja, als bijzondere bijstand is afgewezen.")
    ]
    with pytest.raises(Conflict, match="al aan KISS"):
        loop.escalate(session, world["gerda"], world["first"].id, "Een tweede vraag hierover")


@pytest.mark.parametrize(
    "vraag",
    ["Wat doen we met Langeberg en de huur?", "Het huishouden aan de Rimburgerweg: wat nu?",
     "BSN 111222333 heeft een vraag", "kort"],
)  # fmt: skip
def test_a_question_that_identifies_the_household_is_refused(session, world, vraag):
    with pytest.raises(InvalidInput):
        loop.escalate(session, world["gerda"], world["first"].id, vraag)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Escalation)) == 0


def test_escalating_needs_a_tegenspraak(session, world):
    item = ct.add_agenda_item(session, world["gerda"], world["table"].id, world["h"].id,
                              "Tweede vraag aan de tafel")  # fmt: skip
    agreed = decisions.decide(session, world["gerda"], item.id, "Standaard route", "standaard")
    session.commit()
    with pytest.raises(InvalidInput):
        loop.escalate(session, world["gerda"], agreed.id, "Mag dit zo in het algemeen?")


def test_only_kiss_reads_and_answers_the_vraagbaak(session, world):
    with pytest.raises(AccessDenied):
        loop.vraagbaak(session, world["gerda"])
    with pytest.raises(AccessDenied):
        loop.answer(session, world["gerda"], 1, "Een antwoord van een GBD-er")
    assert _refusals(session, "vraagbaak_inzien") == 1
    assert _refusals(session, "vraagbaak_antwoorden") == 1


def test_only_members_see_the_table_loop(session, world):
    bert = make_user(session, "bert", "gbd")
    session.commit()
    with pytest.raises(AccessDenied):
        loop.table_loop(session, bert, world["table"].id)
    assert _refusals(session, "tafel_lus_inzien") == 1


def test_loop_reason(session, world):
    assert loop.loop_reason(session, world["karel"], world["h"].id) == (
        f"casustafel {ct.BREDE_TAFEL}"
    )
    assert loop.loop_reason(session, make_user(session, "x", "gbd"), world["h"].id) is None
