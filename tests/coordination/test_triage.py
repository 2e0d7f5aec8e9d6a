"""Triage: advice, accepting or overriding it, and where a request goes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from coordination.frontdoor import register_request
from coordination.models import AgendaItem, CaseTable
from coordination.rules import save_rules
from coordination.triage import decide_triage, table_for_household, triage_advice
from households.errors import Conflict, InvalidInput, NotFound
from households.models import AuditEvent, HelpRequest
from tests.builders import (
    D,
    add_signal,
    make_household,
    make_user,
    opened,
    valid_bsn,
)


@pytest.fixture
def actor(session):
    return make_user(session, "anna", "voordeur")


def _household(session, actor, wijk="Centrum", n=1):
    h = make_household(session, wijk=wijk, persons=[(valid_bsn(n), "Jan Jansen", "hoofdbewoner")])
    return opened(session, actor, h)


def test_advice_is_pure():
    assert triage_advice(False, ["x"], "laag", 3).advies == "standaard"
    assert triage_advice(True, ["veiligheidssignaal open"], "normaal", 3).redenen == (
        "veiligheidssignaal open",
    )
    assert triage_advice(False, [], "hoog", 3).redenen == ("urgentie: hoog",)


def test_accepting_standaard_goes_to_the_normal_process(session, actor):
    h = _household(session, actor)
    out = register_request(session, actor, h.id, "WMO", "Traplift nodig", "normaal", D)
    decision = decide_triage(session, actor, out.request_id, "standaard", date=D)
    req = session.get(HelpRequest, out.request_id)
    assert (req.triage, req.besluit_op, req.afwijking_reden) == ("standaard", D, None)
    assert decision.route == "normaal proces WMO" and decision.agenda_item_id is None


def test_override_needs_a_reason(session, actor):
    h = _household(session, actor)
    out = register_request(session, actor, h.id, "WMO", "Traplift nodig", "normaal", D)
    with pytest.raises(InvalidInput, match="reden"):
        decide_triage(session, actor, out.request_id, "maatwerk", date=D)
    decision = decide_triage(
        session, actor, out.request_id, "maatwerk", "Mantelzorger valt weg", date=D
    )
    req = session.get(HelpRequest, out.request_id)
    assert (req.triage, req.afwijking_reden) == ("maatwerk", "Mantelzorger valt weg")
    assert decision.tafel == "Brede tafel publiek domein"
    audit = session.scalars(select(AuditEvent).where(AuditEvent.actie == "triage_besluit")).one()
    assert audit.doel == "Mantelzorger valt weg"


@pytest.mark.parametrize(
    ("wijk", "signal", "table"),
    [
        ("Centrum", False, "Brede tafel publiek domein"),
        ("Noord", False, "Tafel Noord en Oost"),
        ("oost", False, "Tafel Noord en Oost"),
        ("Noord", True, "Tafel sociale veiligheid"),
    ],
)
def test_maatwerk_goes_onto_the_right_table(session, actor, wijk, signal, table):
    h = _household(session, actor, wijk)
    if signal:
        add_signal(session, h, "huiselijk_geweld", D - dt.timedelta(days=10))
    out = register_request(session, actor, h.id, "JEUGD", "Zorgen om de kinderen", "acuut", D)
    assert out.advies.advies == "maatwerk"
    decision = decide_triage(session, actor, out.request_id, "maatwerk", date=D)
    item = session.get(AgendaItem, decision.agenda_item_id)
    assert session.get(CaseTable, item.case_table_id).naam == table == decision.tafel
    assert (item.household_id, item.help_request_id) == (h.id, out.request_id)
    assert item.vraag == "Maatwerk: Zorgen om de kinderen"
    assert session.get(HelpRequest, out.request_id).besluit_op is None


def test_closed_safety_signal_does_not_route_to_safety_table(session, actor):
    h = _household(session, actor, "Zuid")
    add_signal(
        session, h, "politie", D - dt.timedelta(days=50), gesloten_op=D - dt.timedelta(days=5)
    )
    assert table_for_household(session, h.id, D).naam == "Brede tafel publiek domein"


@pytest.mark.parametrize(
    ("kinds", "signal", "table"),
    [
        (None, "school", "Brede tafel publiek domein"),
        (["school", "politie"], "school", "Tafel sociale veiligheid"),
        (None, "politie", "Tafel sociale veiligheid"),
        (["huiselijk_geweld"], "politie", "Brede tafel publiek domein"),
    ],
)
def test_safety_routing_follows_the_rule_list(session, actor, kinds, signal, table):
    h = _household(session, actor, "Zuid")
    add_signal(session, h, signal, D - dt.timedelta(days=10))
    if kinds is not None:  # a new rule version with its own list of safety signal kinds
        beheer = make_user(session, "bert", "beheer")
        save_rules(session, beheer, {"veiligheidssignaal": {"soorten": kinds}}, "Andere soorten")
    assert table_for_household(session, h.id, D).naam == table


def test_decide_twice_is_a_conflict(session, actor):
    h = _household(session, actor)
    out = register_request(session, actor, h.id, "ISD", "Bijzondere bijstand", "normaal", D)
    decide_triage(session, actor, out.request_id, "standaard", date=D)
    with pytest.raises(Conflict):
        decide_triage(session, actor, out.request_id, "standaard", date=D)


@pytest.mark.parametrize(
    ("request_id", "keuze", "exc"), [(999, "standaard", NotFound), (None, "x", NotFound)]
)
def test_bad_triage_input(session, actor, request_id, keuze, exc):
    with pytest.raises(exc):
        decide_triage(session, actor, request_id, keuze)


def test_unknown_choice(session, actor):
    h = _household(session, actor)
    out = register_request(session, actor, h.id, "ISD", "Bijzondere bijstand", "normaal", D)
    with pytest.raises(InvalidInput, match="standaard of maatwerk"):
        decide_triage(session, actor, out.request_id, "anders")


def test_advice_records_rule_version(session, actor):
    from coordination.rules import save_rules

    beheer = make_user(session, "bea", "beheer")
    save_rules(session, beheer, {"herhaalde_hulpvragen": {"min_aantal": 1}}, "Strenger voor proef")
    h = _household(session, actor)
    out = register_request(session, actor, h.id, "WMO", "Hulp in huis", "normaal", D)
    req = session.get(HelpRequest, out.request_id)
    assert req.regelset_versie == 2 and out.advies.advies == "maatwerk"
    assert out.advies.redenen == ("1e aanvraag in 12 maanden",)
