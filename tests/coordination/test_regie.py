"""Regie: assign, transfer, end, uniqueness (database-enforced) and regie gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from coordination.models import Regie, RegieParty
from coordination.regie import assign_regie, current_regie, end_regie, regie_gaps, transfer_regie
from households.errors import AccessDenied, Conflict, KissError, NotFound
from households.models import Household
from households.validation import normalise_text
from tests.builders import (
    D,
    add_debt,
    add_institution,
    add_provision,
    add_request,
    add_signal,
    first_person,
    make_household,
    make_user,
    opened,
    valid_bsn,
)

SAMENHANG = "Schulden, wonen en zorg hangen samen"  # the decision for a gecoördineerde aanpak


@pytest.fixture
def gbd(session):
    return make_user(session, "gerda", "gbd")


@pytest.fixture
def household(session, gbd):
    h = make_household(session, persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
    return opened(session, gbd, h)


def test_assign_regie_with_parties(session, gbd, household):
    regie = assign_regie(
        session,
        gbd,
        household.id,
        houder_user_id=gbd.user_id,
        samenhang=SAMENHANG,
        doel="Stabiel wonen en inkomen",
        partijen=[("Woonpunt", "huurachterstand regelen"), ("ISD BOL", "schuldhulp")],
        route="Eerst inkomen, dan wonen",
        start=D,
    )
    assert current_regie(session, gbd, household.id).id == regie.id
    parties = session.scalars(select(RegieParty.partij).where(RegieParty.regie_id == regie.id))
    assert list(parties) == ["Woonpunt", "ISD BOL"]


def test_second_assign_is_a_conflict_naming_the_holder(session, gbd, household):
    assign_regie(
        session,
        gbd,
        household.id,
        houder_user_id=gbd.user_id,
        samenhang=SAMENHANG,
        doel="Stabiel wonen",
        start=D,
    )
    other = make_user(session, "karel", "gbd")
    opened(session, other, household)
    with pytest.raises(Conflict, match="regiehouder: Gerda"):
        assign_regie(
            session,
            other,
            household.id,
            houder_user_id=other.user_id,
            samenhang=SAMENHANG,
            doel="Ander doel",
            start=D,
        )
    assert (
        session.scalar(
            select(Regie.id).where(Regie.household_id == household.id, Regie.actief.is_(False))
        )
        is None
    )


def test_holder_can_be_an_institution_contact(session, gbd, household):
    inst = add_institution(session, "Mondriaan")
    regie = assign_regie(
        session,
        gbd,
        household.id,
        houder_contact="Piet Smit",
        houder_instelling_id=inst.id,
        samenhang=SAMENHANG,
        doel="Behandeling verslaving",
        start=D,
    )
    other = make_user(session, "karel", "gbd")
    opened(session, other, household)
    with pytest.raises(Conflict, match=r"Piet Smit \(Mondriaan\)"):
        assign_regie(
            session,
            other,
            household.id,
            houder_user_id=other.user_id,
            samenhang=SAMENHANG,
            doel="Ander doel",
            start=D,
        )
    assert regie.houder_user_id is None


def test_database_refuses_a_second_active_regie(session, household, gbd):
    """The partial unique index itself, on whichever backend runs the tests."""
    session.add(
        Regie(household_id=household.id, houder_user_id=gbd.user_id, doel="a", start=D, actief=True)
    )
    session.flush()
    session.add(
        Regie(
            household_id=household.id, houder_user_id=gbd.user_id, doel="b", start=D, actief=False
        )
    )
    session.flush()  # inactive rows do not count
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(
            Regie(household_id=household.id, houder_contact="x", doel="c", start=D, actief=True)
        )
        session.flush()


def test_transfer_is_atomic(session, gbd, household):
    first = assign_regie(
        session,
        gbd,
        household.id,
        houder_user_id=gbd.user_id,
        samenhang=SAMENHANG,
        doel="Stabiel wonen",
        partijen=[("Woonpunt", "huur")],
        start=D,
    )
    karel = make_user(session, "karel", "gbd")
    new = transfer_regie(
        session,
        gbd,
        household.id,
        houder_user_id=karel.user_id,
        start=D + dt.timedelta(days=5),
        reden="Verhuizing naar Noord",
    )
    session.commit()
    assert (first.actief, first.einde, first.einde_reden) == (
        False,
        D + dt.timedelta(days=5),
        "Verhuizing naar Noord",
    )
    assert (new.actief, new.houder_user_id, new.doel) == (True, karel.user_id, "Stabiel wonen")
    assert list(
        session.scalars(select(RegieParty.partij).where(RegieParty.regie_id == new.id))
    ) == ["Woonpunt"]


def test_failed_transfer_leaves_the_old_regie(session, gbd, household):
    first = assign_regie(
        session,
        gbd,
        household.id,
        houder_user_id=gbd.user_id,
        samenhang=SAMENHANG,
        doel="Stabiel wonen",
        start=D,
    )
    session.commit()
    with pytest.raises(KissError):
        transfer_regie(session, gbd, household.id, houder_user_id=99999, start=D)
    session.rollback()
    assert session.get(Regie, first.id).actief is True


def test_end_regie(session, gbd, household):
    assign_regie(
        session,
        gbd,
        household.id,
        houder_user_id=gbd.user_id,
        samenhang=SAMENHANG,
        doel="Stabiel wonen",
        start=D,
    )
    ended = end_regie(session, gbd, household.id, "Doel bereikt", D + dt.timedelta(days=90))
    assert (ended.actief, ended.einde) == (False, D + dt.timedelta(days=90))
    assert current_regie(session, gbd, household.id) is None
    with pytest.raises(NotFound):
        end_regie(session, gbd, household.id, "Nog eens", D)


def test_voordeur_may_not_assign(session, household):
    anna = make_user(session, "anna", "voordeur")
    with pytest.raises(AccessDenied):
        assign_regie(
            session,
            anna,
            household.id,
            houder_contact="x y",
            samenhang=SAMENHANG,
            doel="Stabiel wonen",
            start=D,
        )


def test_regie_gaps_sorted_by_urgency(session, gbd):
    def complex_household(n, wijk, debt_cent=0, signal=False, jeugd=False):
        h = make_household(session, wijk=wijk, persons=[(valid_bsn(n), f"P{n}", "hoofdbewoner")])
        p = first_person(session, h)
        add_provision(session, p, "WMO")
        add_provision(session, p, "ISD", "bijstand")  # two domains: complex with a debt
        if jeugd:
            add_provision(session, p, "JEUGD")
        if debt_cent:
            add_debt(session, p, debt_cent)
        if signal:
            add_signal(session, h, "politie", D - dt.timedelta(days=3))
        return h

    a = complex_household(1, "Zuid", debt_cent=10_000)  # 1 reason, small debt
    b = complex_household(2, "Noord", debt_cent=90_000)  # 1 reason, larger debt
    c = complex_household(3, "Oost", signal=True)  # safety signal
    d = complex_household(
        4, "West", debt_cent=5_000, jeugd=True, signal=False
    )  # stacked (1 reason), but three domains
    e = make_household(session, persons=[(valid_bsn(5), "P5", "hoofdbewoner")])  # not complex
    with_regie = complex_household(6, "Zuid", debt_cent=1_000_000)
    opened(session, gbd, with_regie)
    assign_regie(
        session,
        gbd,
        with_regie.id,
        houder_user_id=gbd.user_id,
        samenhang=SAMENHANG,
        doel="Stabiel wonen",
        start=D,
    )
    gaps = regie_gaps(session, gbd, D)
    # safety first; then (nothing else urgent) more domains before a larger debt
    assert [g.household_id for g in gaps] == [c.id, d.id, b.id, a.id]
    assert gaps[0].veiligheidssignaal and gaps[0].redenen == ("veiligheidssignaal",)
    assert gaps[2].schuld_open == 900.0
    assert e.id not in [g.household_id for g in gaps]
    assert [g.household_id for g in regie_gaps(session, gbd, D, limit=2)] == [c.id, d.id]
    assert gaps[1].n_domeinen == 3 and gaps[1].urgentie.reden == "complex; 3 domeinen; schuld € 50"


def test_regie_gaps_youth_protection_before_a_larger_debt(session, gbd):
    h1 = make_household(session, persons=[(valid_bsn(1), "A", "hoofdbewoner")])
    add_provision(session, first_person(session, h1), "WMO")
    add_provision(session, first_person(session, h1), "ISD", "bijstand")
    add_debt(session, first_person(session, h1), 9_000_000)
    h2 = make_household(session, persons=[(valid_bsn(2), "B", "hoofdbewoner")])
    add_provision(session, first_person(session, h2), "WMO")
    add_provision(session, first_person(session, h2), "ISD", "bijstand")
    add_provision(session, first_person(session, h2), "JEUGD", "jeugdbescherming")
    gaps = regie_gaps(session, gbd, D)
    assert [(g.household_id, g.n_redenen) for g in gaps] == [(h2.id, 2), (h1.id, 1)]
    assert (gaps[0].jeugdbescherming, gaps[0].urgentie.code) == (True, "jeugdbescherming")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"doel": "Stabiel wonen"},  # no holder
        {"houder_contact": "Piet", "houder_user_id": 1, "doel": "Stabiel wonen"},  # both
        {"houder_contact": "Piet Smit", "doel": "kort"},
        {"houder_contact": "Piet Smit", "doel": "Stabiel wonen", "partijen": [("Woonpunt",)]},
        {"houder_contact": "Piet Smit", "doel": "Stabiel wonen", "houder_instelling_id": 999},
        {"houder_contact": "Piet Smit", "doel": "Stabiel wonen", "start": "gisteren"},
    ],
)
def test_bad_regie_input(session, gbd, household, kwargs):
    with pytest.raises(KissError):
        assign_regie(session, gbd, household.id, samenhang=SAMENHANG, **kwargs)
    assert session.scalar(select(Regie.id)) is None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contact=st.text(max_size=200), doel=st.text(max_size=5000), taak=st.text(max_size=50))
def test_arbitrary_text_gives_regie_or_kiss_error(session, gbd, household, contact, doel, taak):
    try:
        with session.begin_nested():
            regie = assign_regie(
                session,
                gbd,
                household.id,
                houder_contact=contact,
                samenhang=SAMENHANG,
                doel=doel,
                partijen=[("Partij", taak)],
                start=D,
            )
            assert regie.doel == normalise_text(doel).strip()  # NFKC, like every text field
            raise _Undo
    except (KissError, _Undo):
        pass
    session.execute(text("SELECT 1"))


class _Undo(Exception):
    pass


def test_regie_gaps_ranked_by_urgency_safety_acute_then_oldest_request(session, gbd):
    def gap(i: int, signal=False, requests=()):
        h = make_household(session, persons=[(valid_bsn(20 + i), f"U{i}", "hoofdbewoner")])
        add_provision(session, first_person(session, h), "WMO")
        add_provision(session, first_person(session, h), "ISD", "bijstand")
        add_debt(session, first_person(session, h), 10_000 * (10 - i))  # debt would rank i
        if signal:
            add_signal(session, h, "politie", D - dt.timedelta(days=3))
        for days, urgentie, decided in requests:
            r = add_request(session, h, D - dt.timedelta(days=days),
                            besluit_op=D - dt.timedelta(days=1) if decided else None)  # fmt: skip
            r.urgentie = urgentie
        session.flush()
        return h.id

    plain = gap(0)  # the largest debt, but nothing urgent
    old = gap(1, requests=[(200, "normaal", False)])
    young = gap(2, requests=[(20, "normaal", False), (300, "acuut", True)])  # acute one decided
    acute = gap(3, requests=[(5, "acuut", False)])
    safe = gap(4, signal=True)
    gaps = regie_gaps(session, gbd, D)
    assert [g.household_id for g in gaps] == [safe, acute, old, young, plain]
    assert gaps[1].acuut and not gaps[3].acuut
    assert gaps[2].oudste_open_aanvraag == D - dt.timedelta(days=200)


def test_regie_gaps_ranked_by_the_one_urgency_score_with_reasons(session, gbd):
    """Safety > acute > jeugdbescherming > threatened eviction or disconnection > the rest."""

    def gap(i: int, debt=0, extra=None, signal=None, request=None):
        h = make_household(session, persons=[(valid_bsn(40 + i), f"G{i}", "hoofdbewoner")])
        p = first_person(session, h)
        add_provision(session, p, "WMO")
        add_provision(session, p, "ISD", "bijstand")
        add_debt(session, p, 100_000 + debt)  # complex: two domains and a debt
        if extra:
            add_provision(session, p, "JEUGD", extra)
        if signal:
            add_signal(session, h, signal, D - dt.timedelta(days=10))
        if request:
            add_request(session, h, D - dt.timedelta(days=4)).urgentie = request
        session.flush()
        return h.id

    rest = gap(0, debt=9_000_000)  # the largest debt, nothing urgent
    closed = gap(1)
    add_signal(
        session,
        session.get(Household, closed),
        "huurachterstand",
        D - dt.timedelta(days=90),
        D - dt.timedelta(days=30),
    )  # closed: not urgent
    arrears = gap(2, signal="energieachterstand")
    youth = gap(3, extra="jeugdbescherming")
    acute = gap(4, request="acuut")
    safe = gap(5, signal="huiselijk_geweld")
    gaps = regie_gaps(session, gbd, D)
    assert [g.household_id for g in gaps] == [safe, acute, youth, arrears, rest, closed]
    assert [g.urgentie.niveau for g in gaps] == [1, 2, 3, 4, 5, 5]
    reasons = {g.household_id: g.urgentie.reden for g in gaps}
    assert reasons[safe] == "open veiligheidssignaal; 2 domeinen; schuld € 1.000"
    assert reasons[acute] == (
        f"acute hulpvraag open; aanvraag open sinds {(D - dt.timedelta(days=4)):%d-%m-%Y}; "
        "2 domeinen; schuld € 1.000"
    )
    assert reasons[youth].startswith("jeugdbeschermingsmaatregel; 3 domeinen")
    assert reasons[arrears].startswith("dreigende uitzetting of afsluiting (energie); ")
    assert gaps[3].achterstanden == ("energieachterstand",)
