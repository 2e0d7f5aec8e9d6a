"""Meldingen and the Wgs follow-up: who may, in which order, with which dates; audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from coordination.access import open_household
from coordination.signals import (
    FORM_SIGNAL_KINDS,
    offer_within_norm,
    record_wgs_step,
    register_signal,
)
from households.errors import AccessDenied, Conflict, InvalidInput
from households.models import SIGNAL_KINDS, AuditEvent, Signal
from tests.builders import make_household

TODAY = dt.date.today()


@pytest.fixture
def world(session, account):
    h = make_household(session, wijk="Noord")
    other = make_household(session, wijk="Oost")
    session.commit()
    vera = account("vera", "voordeur")
    open_household(session, vera, h.id, "melding van de woningcorporatie")
    session.commit()
    return {"h": h.id, "other": other.id, "vera": vera, "kiss": account("kees", "kiss")}


def test_a_melding_is_registered_on_a_household_the_user_may_see(session, world):
    sid = register_signal(session, world["vera"], world["h"], "huurachterstand",
                          TODAY - dt.timedelta(days=3), "Weller Wonen", "twee maanden")  # fmt: skip
    session.commit()
    s = session.get(Signal, sid)
    assert (s.household_id, s.soort, s.bron, s.created_by) == (
        world["h"],
        "huurachterstand",
        "Weller Wonen",
        world["vera"].user_id,
    )
    row = session.scalars(select(AuditEvent).where(AuditEvent.actie == "melding_registreren")).one()
    assert row.object_id == str(sid) and row.doel


@pytest.mark.parametrize(
    ("soort", "datum", "toelichting", "message"),
    [
        ("inbraak", TODAY, "", "Kies het soort melding."),
        ("veiligheid_logboek", TODAY, "", "maakt KISS zelf, vanuit een stabiliteitslog"),
        ("politie", None, "", "Geef de datum van de melding."),
        ("politie", TODAY + dt.timedelta(days=2), "", "ligt in de toekomst"),
        ("politie", TODAY, "belde over 111222333", "lijkt een BSN te bevatten"),
    ],
)
def test_bad_meldingen_are_refused_with_a_message(session, world, soort, datum, toelichting,
                                                  message):  # fmt: skip
    with pytest.raises(InvalidInput, match=message):
        register_signal(session, world["vera"], world["h"], soort, datum, None, toelichting)
    session.rollback()
    assert session.scalars(select(Signal)).all() == []


def test_the_form_offers_every_kind_but_the_logbook_one():
    assert "veiligheid_logboek" not in FORM_SIGNAL_KINDS
    assert set(FORM_SIGNAL_KINDS) | {"veiligheid_logboek"} == set(SIGNAL_KINDS)


def test_no_melding_on_a_household_without_need_to_know_or_by_kiss(session, world):
    with pytest.raises(AccessDenied):
        register_signal(session, world["vera"], world["other"], "politie", TODAY)
    with pytest.raises(AccessDenied):
        register_signal(session, world["kiss"], world["h"], "politie", TODAY)


def test_wgs_steps_in_order_with_dates_that_do_not_go_back(session, world):
    start = TODAY - dt.timedelta(days=20)
    sid = register_signal(session, world["vera"], world["h"], "energieachterstand", start)
    session.commit()
    with pytest.raises(Conflict, match="nu kan: contact gezocht, contact gemaakt, hulp aangeboden"):
        record_wgs_step(session, world["vera"], sid, "aanvaard", TODAY)
    session.rollback()
    record_wgs_step(session, world["vera"], sid, "contact_gezocht", start + dt.timedelta(days=1))
    session.commit()
    with pytest.raises(InvalidInput, match="ligt voor"):
        record_wgs_step(session, world["vera"], sid, "contact_gemaakt", start)
    session.rollback()
    record_wgs_step(session, world["vera"], sid, "contact_gemaakt", start + dt.timedelta(days=2))
    session.commit()
    with pytest.raises(Conflict, match="nu kan: hulp aangeboden"):
        record_wgs_step(
            session, world["vera"], sid, "contact_gezocht", start + dt.timedelta(days=3)
        )
    session.rollback()
    state = record_wgs_step(session, world["vera"], sid, "hulp_aangeboden",
                            start + dt.timedelta(days=9))  # fmt: skip
    assert state.volgende == ("aanvaard", "geweigerd")
    done = record_wgs_step(session, world["vera"], sid, "aanvaard", start + dt.timedelta(days=10))
    session.commit()
    assert done.volgende == () and [label for label, _ in done.stappen][-1] == "hulp aanvaard"
    with pytest.raises(Conflict, match="de opvolging is af"):
        record_wgs_step(session, world["vera"], sid, "geweigerd", TODAY)
    session.rollback()
    assert offer_within_norm(session.get(Signal, sid))


def test_only_arrears_signals_have_a_wgs_follow_up(session, world):
    sid = register_signal(session, world["vera"], world["h"], "politie", TODAY)
    session.commit()
    with pytest.raises(InvalidInput, match="betalingsachterstand"):
        record_wgs_step(session, world["vera"], sid, "contact_gezocht", TODAY)
