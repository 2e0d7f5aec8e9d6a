"""'Mijn huishoudens': bounded pages ordered by what matters now, one audit row per list view,
and access through an opening that expires after the period beheer sets."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from coordination.access import open_household
from coordination.models import AgendaItem, CaseTable, CaseTableMember
from coordination.myhouseholds import my_households
from households.access import household_access_reason
from households.audit.log import events_about
from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent, HouseholdOpening
from households.opening_period import (
    opening_period_days,
    set_opening_period_days,
    start_of_local_day_utc,
    today_local,
)
from tests.builders import add_regie, make_household, opened


def _opened_days_ago(session, actor, household, days: int, hour: int = 12) -> None:
    """An opening on the Dutch calendar day ``days`` ago (at ``hour`` o'clock local)."""
    day = today_local() - dt.timedelta(days=days)
    at = start_of_local_day_utc(day) + dt.timedelta(hours=hour)
    session.add(HouseholdOpening(user_id=actor.user_id, household_id=household.id,
                                 doel="Hulpvraag aan de voordeur", geopend_op=at))  # fmt: skip
    session.flush()


def _on_agenda(session, actor, household, naam="Tafel Noord") -> None:
    table = session.scalar(select(CaseTable).where(CaseTable.naam == naam))
    if table is None:
        table = CaseTable(naam=naam)
        session.add(table)
        session.flush()
        session.add(CaseTableMember(case_table_id=table.id, user_id=actor.user_id))
    session.add(AgendaItem(case_table_id=table.id, household_id=household.id, vraag="Wat nu?",
                           toegevoegd_op=dt.date.today()))  # fmt: skip
    session.flush()


def _list_events(session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.actie == "huishoudens_kiezen")))


def test_order_is_regie_then_agenda_then_recent_openings(session, account):
    gbd = account("gbd1", "gbd")
    old, new, agenda, regie = (make_household(session, huisnummer=str(i)) for i in range(1, 5))
    _opened_days_ago(session, gbd, old, 3)
    _opened_days_ago(session, gbd, new, 1)
    _on_agenda(session, gbd, agenda)
    add_regie(session, regie, gbd)
    result = my_households(session, gbd)
    assert [h.household_id for h in result.items] == [regie.id, agenda.id, new.id, old.id]
    assert [h.waarom for h in result.items] == ["regie", "casustafel Tafel Noord", "geopend",
                                                "geopend"]  # fmt: skip
    assert result.totaal == 4 and result.melding == "4 huishoudens."


def test_pages_are_bounded_and_a_page_past_the_end_gives_the_last(session, account):
    gbd = account("gbd1", "gbd")
    households = [make_household(session, huisnummer=str(i)) for i in range(1, 8)]
    for i, h in enumerate(households):
        _opened_days_ago(session, gbd, h, i)  # households[0] opened most recently
    first = my_households(session, gbd, pagina=1, paginagrootte=3)
    last = my_households(session, gbd, pagina=9, paginagrootte=3)
    assert [h.household_id for h in first.items] == [h.id for h in households[:3]]
    assert (first.totaal, first.n_paginas, last.pagina) == (7, 3, 3)
    assert [h.household_id for h in last.items] == [households[6].id]
    assert first.melding == "Huishoudens 1–3 van 7 (pagina 1 van 3)."


def test_one_audit_row_per_list_view_naming_the_households_shown(session, account):
    gbd = account("gbd1", "gbd")
    households = [make_household(session, huisnummer=str(i)) for i in range(1, 6)]
    for h in households:
        opened(session, gbd, h)
    before = len(_list_events(session))
    result = my_households(session, gbd, paginagrootte=2)
    rows = _list_events(session)
    assert len(rows) == before + 1
    assert rows[-1].object_type == "household"
    assert rows[-1].doel.startswith("mijn huishoudens")
    assert json.loads(rows[-1].nieuw) == {
        "ids": [h.household_id for h in result.items],
        "pagina": 1,
        "totaal": 5,
    }
    # kiss inzage finds the list view for each household shown (one row, many households)
    shown = result.items[0].household_id
    assert rows[-1].id in {r.id for r in events_about(session, "household", [shown])}


@pytest.mark.parametrize(("days_ago", "listed"), [(30, True), (31, False)])
def test_access_through_an_opening_lasts_30_days(session, account, days_ago, listed):
    gbd = account("gbd1", "gbd")
    h = make_household(session)
    _opened_days_ago(session, gbd, h, days_ago, hour=0 if listed else 23)
    assert (household_access_reason(session, gbd, h.id) is not None) is listed
    assert (h.id in my_households(session, gbd).labels) is listed


def test_regie_and_a_table_keep_access_after_the_opening_expired(session, account):
    gbd = account("gbd1", "gbd")
    with_regie, on_table = make_household(session, huisnummer="1"), make_household(session)
    for h in (with_regie, on_table):
        _opened_days_ago(session, gbd, h, 90)
    add_regie(session, with_regie, gbd)
    _on_agenda(session, gbd, on_table)
    assert household_access_reason(session, gbd, with_regie.id) == "regiehouder"
    assert household_access_reason(session, gbd, on_table.id) == "casustafel Tafel Noord"
    assert set(my_households(session, gbd).labels) == {with_regie.id, on_table.id}


def test_beheer_sets_the_period_audited(session, account):
    beheer, gbd = account("beheerder", "beheer"), account("gbd1", "gbd")
    h = make_household(session)
    _opened_days_ago(session, gbd, h, 10)
    assert opening_period_days(session) == 30
    set_opening_period_days(session, beheer, 7)
    assert opening_period_days(session) == 7
    assert household_access_reason(session, gbd, h.id) is None
    row = session.scalar(select(AuditEvent).where(AuditEvent.actie == "toegangsduur_wijzigen"))
    assert (json.loads(row.oud), json.loads(row.nieuw)) == ({"dagen": 30}, {"dagen": 7})


@pytest.mark.parametrize("days", [0, 366, "30", 2.5, True])
def test_a_bad_period_is_refused_in_dutch_and_nothing_changes(session, account, days):
    beheer = account("beheerder", "beheer")
    with pytest.raises(InvalidInput):
        set_opening_period_days(session, beheer, days)
    assert opening_period_days(session) == 30


def test_only_beheer_sets_the_period(session, account):
    gbd = account("gbd1", "gbd")
    with pytest.raises(AccessDenied):
        set_opening_period_days(session, gbd, 60)
    assert opening_period_days(session) == 30


def test_voordeur_lists_only_todays_openings(session, account):
    vd = account("vd1", "voordeur")
    today, yesterday = make_household(session, huisnummer="1"), make_household(session)
    opened(session, vd, today)
    _opened_days_ago(session, vd, yesterday, 1)
    assert list(my_households(session, vd).labels) == [today.id]


def test_bad_page_numbers_are_refused(session, account):
    gbd = account("gbd1", "gbd")
    for kwargs in ({"pagina": 0}, {"paginagrootte": 1000}, {"pagina": "2"}):
        with pytest.raises(InvalidInput):
            my_households(session, gbd, **kwargs)
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actie == "huishoudens_kiezen")) == 0  # fmt: skip


def test_a_household_asked_for_comes_first_when_it_is_on_another_page(session, account):
    gbd, other = account("gbd1", "gbd"), account("gbd2", "gbd")
    households = [make_household(session, huisnummer=str(i)) for i in range(1, 6)]
    for i, h in enumerate(households):
        _opened_days_ago(session, gbd, h, i)
    foreign = make_household(session, huisnummer="99")
    _opened_days_ago(session, other, foreign, 0)
    wanted = households[4].id  # on page 3 with pages of 2
    page = my_households(session, gbd, paginagrootte=2, include=(wanted, foreign.id))
    assert [h.household_id for h in page.items] == [wanted, households[0].id, households[1].id]
    assert page.items[0].waarom == "gekozen"  # the household gbd1 may not see is left out


@contextlib.contextmanager
def _statements(engine, part: str):
    """The statements sent on ``engine`` meanwhile that contain ``part``."""
    seen: list[str] = []

    def count(_conn, _cur, statement, *_):
        if part in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_period_is_read_once_per_transaction_and_a_change_is_seen_next(engine, account):
    beheer = account("beheerder2", "beheer")
    with _statements(engine, "instelling") as reads, Session(engine) as mine:
        assert [opening_period_days(mine) for _ in range(3)] == [30, 30, 30]
        assert len(reads) == 1  # one read in the transaction, not one per access rule
        with Session(engine) as other:  # a colleague in beheer changes it meanwhile
            set_opening_period_days(other, beheer, 9)
            other.commit()
        mine.commit()  # the next transaction reads again
        assert opening_period_days(mine) == 9
        mine.rollback()
        assert opening_period_days(mine) == 9 and len(reads) == 5  # other: get + insert


def test_the_opening_is_read_once_per_transaction_and_a_new_opening_is_seen(engine, account):
    # The Huishouden page asks the access rules twice (the check and the reasons shown):
    # one read of the opening per transaction; an opening made in it is seen at once.
    gbd = account("gbd7", "gbd")
    with Session(engine) as setup:
        h = make_household(setup)
        setup.commit()
        hid = h.id
    with _statements(engine, "FROM household_opening") as reads, Session(engine) as mine:
        assert [household_access_reason(mine, gbd, hid) for _ in range(3)] == [None] * 3
        n = len(reads)
        assert n == 1  # one read, not one per ask
        open_household(mine, gbd, hid, "Zorgen over de huur")
        assert household_access_reason(mine, gbd, hid) == "Zorgen over de huur"
        assert household_access_reason(mine, gbd, hid) == "Zorgen over de huur"
        assert len(reads) == n + 1  # the new opening read once more, then remembered
