"""The ervaringswerker in the loop: logs at regie and table, veiligheid 1, agenda, decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coordination import casetables as ct
from coordination import decisions
from coordination.loopmodels import SystemBottleneck
from coordination.models import AgendaItem
from experiments import loop
from experiments.logbook import log_situation
from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent, Signal
from tests import builders as b

TODAY = dt.date(2026, 6, 1)
SAFE = {"bestaanszekerheid": 2, "zorgcontinuiteit": 3, "meedoen": 2, "veiligheid": 3}


@pytest.fixture
def world(session):
    exp, coord, ew = b.team(session)
    hh, _ = b.household_with_persons(session, naam="Mia Langeberg")
    other, _ = b.household_with_persons(session)  # not enrolled
    b.enrol_direct(session, exp, hh)
    regie = b.make_user(session, "regina", "gbd")
    b.add_regie(session, hh, regie)
    stranger = b.make_user(session, "stefan", "gbd")  # opened the household, no regie
    b.opened(session, stranger, hh)
    session.commit()
    return {"exp": exp, "coord": coord, "ew": ew, "hh": hh, "other": other, "regie": regie,
            "stranger": stranger}  # fmt: skip


def _log(session, w, date=dt.date(2026, 3, 1), **scores):
    row = log_situation(session, w["ew"], w["hh"].id, date, **{**SAFE, **scores},
                        stressors=["schulden"], acute_problemen="Afsluiting energie dreigt",
                        verhaal="Het is zwaar.", today=TODAY)  # fmt: skip
    session.commit()
    return row


def _refusals(session, actie: str) -> int:
    return session.scalar(select(func.count()).where(
        AuditEvent.actie == actie, AuditEvent.resultaat == "geweigerd"))  # fmt: skip


def test_regie_holder_reads_the_logs_with_reason(session, world):
    _log(session, world)
    view = loop.stability_view(session, world["regie"], world["hh"].id)
    assert view.reden == "regiehouder"
    [log] = view.logs
    assert (log.bestaanszekerheid, log.stressoren, log.acute_problemen, log.verhaal) == (
        2, ("schulden",), "Afsluiting energie dreigt", "Het is zwaar.")  # fmt: skip
    assert list(view.trend().columns) == ["datum", "bestaanszekerheid", "zorgcontinuiteit",
                                          "meedoen", "veiligheid"]  # fmt: skip
    read = AuditEvent.actie == "stabiliteit_inzien"
    event = session.scalars(select(AuditEvent).where(read)).one()
    assert (event.doel, event.object_id) == ("regiehouder", str(world["hh"].id))


def test_a_gbd_who_only_opened_the_household_is_refused_and_audited(session, world):
    assert not loop.may_see_stability(session, world["stranger"], world["hh"].id)
    with pytest.raises(AccessDenied):
        loop.stability_view(session, world["stranger"], world["hh"].id)
    assert _refusals(session, "stabiliteit_inzien") == 1


def test_a_table_member_reads_the_logs_with_the_table_as_reason(session, world):
    karel = b.make_user(session, "karel", "gbd")
    table = ct.table_by_name(session, ct.BREDE_TAFEL)
    ct.add_member(session, karel, table.id, karel.user_id)
    b.opened(session, karel, world["hh"])
    ct.add_agenda_item(session, karel, table.id, world["hh"].id, "Wie pakt dit op?")
    session.commit()
    assert loop.stability_view(session, karel, world["hh"].id).reden == (
        f"casustafel {ct.BREDE_TAFEL}"
    )


def test_kiss_never_reads_a_log(session, world, account):
    kiss = account("kees", "kiss")
    with pytest.raises(AccessDenied):
        loop.stability_view(session, kiss, world["hh"].id)
    assert _refusals(session, "stabiliteit_inzien") == 1


def _signals(session, hh_id):
    return session.scalars(select(Signal).where(Signal.household_id == hh_id)).all()


def _veiligheid_items(session, hh_id):
    table = ct.table_by_name(session, ct.TAFEL_VEILIGHEID)
    return session.scalars(select(AgendaItem).where(
        AgendaItem.case_table_id == table.id, AgendaItem.household_id == hh_id)).all()  # fmt: skip


def test_veiligheid_one_opens_a_signal_and_an_agenda_item_exactly_once(session, world):
    row = _log(session, world, veiligheid=1)
    [signal] = _signals(session, world["hh"].id)
    assert (signal.soort, signal.bron_id, signal.gemeld_op) == (
        "veiligheid_logboek", f"logboek:{row.id}", dt.date(2026, 3, 1))  # fmt: skip
    [item] = _veiligheid_items(session, world["hh"].id)
    assert "veiligheid 1" in item.vraag and item.toegevoegd_door == world["ew"].user_id
    # Routing the same log again changes nothing.
    assert loop.route_safety(session, world["ew"], row) is None
    session.commit()
    assert len(_signals(session, world["hh"].id)) == 1
    assert len(_veiligheid_items(session, world["hh"].id)) == 1
    # A second veiligheid-1 log: its own signal, but the household already waits on the table.
    _log(session, world, date=dt.date(2026, 3, 8), veiligheid=1)
    assert len(_signals(session, world["hh"].id)) == 2
    assert len(_veiligheid_items(session, world["hh"].id)) == 1


def test_veiligheid_two_opens_nothing(session, world):
    _log(session, world, veiligheid=2)
    assert _signals(session, world["hh"].id) == []
    assert _veiligheid_items(session, world["hh"].id) == []


def test_the_signal_is_in_the_logs_transaction(session, world):
    # A log refused on validation writes neither the log nor the signal.
    with pytest.raises(InvalidInput):
        log_situation(session, world["ew"], world["hh"].id, dt.date(2026, 3, 1),
                      **{**SAFE, "veiligheid": 1}, stressors=["onbekend"], today=TODAY)  # fmt: skip
    session.rollback()
    assert _signals(session, world["hh"].id) == []


def test_the_veiligheid_table_sees_the_log(session, world):
    _log(session, world, veiligheid=1)
    gbd = b.make_user(session, "vera", "gbd")
    table = ct.table_by_name(session, ct.TAFEL_VEILIGHEID)
    ct.add_member(session, gbd, table.id, gbd.user_id)
    session.commit()
    view = loop.stability_view(session, gbd, world["hh"].id)
    assert view.reden == f"casustafel {ct.TAFEL_VEILIGHEID}" and view.logs[0].veiligheid == 1


def test_ervaringswerker_brings_an_enrolled_household_to_a_table(session, world):
    table = ct.table_by_name(session, ct.TAFEL_NOORD_OOST)
    item = loop.bring_to_table(session, world["ew"], table.id, world["hh"].id,
                               "Kan de energieschuld in één regeling?")  # fmt: skip
    session.commit()
    assert (item.case_table_id, item.toegevoegd_door) == (table.id, world["ew"].user_id)


def test_ervaringswerker_cannot_bring_another_household(session, world):
    table = ct.table_by_name(session, ct.TAFEL_NOORD_OOST)
    with pytest.raises(AccessDenied):
        loop.bring_to_table(session, world["ew"], table.id, world["other"].id, "Wat nu hier?")
    assert _refusals(session, "agendapunt_inbrengen") == 1
    assert session.scalar(select(func.count()).select_from(AgendaItem)) == 0


@pytest.mark.parametrize("vraag", ["", "kort", "BSN 111222333 bellen"])
def test_bad_question_is_refused_and_nothing_written(session, world, vraag):
    table = ct.table_by_name(session, ct.TAFEL_NOORD_OOST)
    with pytest.raises(InvalidInput):
        loop.bring_to_table(session, world["ew"], table.id, world["hh"].id, vraag)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AgendaItem)) == 0


def test_a_gbd_cannot_use_the_ervaringswerker_route(session, world):
    table = ct.table_by_name(session, ct.TAFEL_NOORD_OOST)
    with pytest.raises(AccessDenied):
        loop.bring_to_table(session, world["coord"], table.id, world["hh"].id, "Wat nu hier?")
    assert _refusals(session, "agendapunt_inbrengen") == 1


def test_ervaringswerker_sees_decisions_only_for_enrolled_households(session, world):
    gerda = b.make_user(session, "gerda", "gbd")
    table = ct.table_by_name(session, ct.BREDE_TAFEL)
    ct.add_member(session, gerda, table.id, gerda.user_id)
    for h in (world["hh"], world["other"]):
        b.opened(session, gerda, h)
        item = ct.add_agenda_item(session, gerda, table.id, h.id, "Wie pakt de schulden op?")
        decisions.decide(session, gerda, item.id, f"Schuldhulp voor {h.huishouden_id}", "standaard")
    session.commit()
    seen = loop.my_decisions(session, world["ew"])
    assert [(d.huishouden, d.besluit, d.status) for d in seen] == [
        (world["hh"].huishouden_id, f"Schuldhulp voor {world['hh'].huishouden_id}", "in werking")
    ]
    rows = session.scalars(select(AuditEvent).where(AuditEvent.actie == "besluiten_volgen")).all()
    assert [(r.object_id, r.doel) for r in rows] == [
        (str(world["hh"].id), f"proeftuin {world['exp'].naam}")
    ]


def test_ervaringswerker_records_a_systeemknelpunt_in_their_experiment(session, world, account):
    row = loop.record_experiment_bottleneck(
        session, world["ew"], world["exp"].id, None,
        "Kostendelersnorm: zoon kan niet terug naar huis zonder inkomensverlies.",
    )  # fmt: skip
    session.commit()
    assert (row.experiment_id, row.decision_id, row.door_user_id) == (
        world["exp"].id, None, world["ew"].user_id)  # fmt: skip
    outsider = account("olga", "ervaringswerker")
    with pytest.raises(AccessDenied):
        loop.record_experiment_bottleneck(session, outsider, world["exp"].id, None,
                                          "Een knelpunt van buiten het experiment.")  # fmt: skip
    assert _refusals(session, "knelpunt_vastleggen") == 1
    assert session.scalar(select(func.count()).select_from(SystemBottleneck)) == 1


def test_kiss_reads_the_lessons_without_the_author(session, world, account):
    from experiments.models import Lesson

    session.add(Lesson(experiment_id=world["exp"].id, datum=dt.date(2026, 4, 1),
                       les="Eerst de energie, dan de rest.", door_naam="Anouk"))  # fmt: skip
    session.commit()
    [les] = loop.lessons_log(session, account("kees", "kiss"))
    assert les.les == "Eerst de energie, dan de rest." and "Anouk" not in repr(les)
    with pytest.raises(AccessDenied):
        loop.lessons_log(session, world["coord"])
