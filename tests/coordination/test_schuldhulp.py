"""Schuldhulp as a process (coordination/schuldhulp.py): transitions, refusals, dates, debts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coordination.schuldhulp import aanmelden, schuld_opnemen, stap_zetten, traject_van
from coordination.shv_rules import TRANSITIONS, transition_refusal
from coordination.shvmodels import DebtInArrangement, DebtTrajectory, DebtTrajectoryStep
from households.actor import Actor
from households.errors import AccessDenied, Conflict, InvalidInput, NotFound
from households.models import AuditEvent, User
from tests.builders import (
    add_debt,
    add_institution,
    add_signal,
    household_with_persons,
    make_user,
    opened,
)

D = dt.date(2024, 3, 4)


@pytest.fixture
def world(session):
    gbd = make_user(session, "gerda", "gbd")
    other = make_user(session, "olaf", "gbd")  # no access to the household
    h, person = household_with_persons(session, n_persons=2)
    elsewhere, stranger = household_with_persons(session)
    opened(session, gbd, h)
    debt = add_debt(session, person, 120_000, "Woonpunt")
    paid = add_debt(session, person, 0, "Oud")
    foreign = add_debt(session, stranger, 50_000, "Elders")
    signal = add_signal(session, h, "huurachterstand", gemeld_op=D - dt.timedelta(days=10))
    police = add_signal(session, h, "politie", gemeld_op=D - dt.timedelta(days=10))
    session.commit()
    return dict(gbd=gbd, other=other, h=h.id, elsewhere=elsewhere.id, debt=debt.id,
                paid=paid.id, foreign=foreign.id, signal=signal.id, police=police.id)  # fmt: skip


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _audit(session, actie: str, resultaat: str = "ok") -> int:
    return session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.actie == actie, AuditEvent.resultaat == resultaat)
    )


def _to_plan(session, w, start=D):
    tid = aanmelden(session, w["gbd"], w["h"], "zelf", start)
    v = stap_zetten(session, w["gbd"], tid, 1, "eerste_gesprek", start + dt.timedelta(days=9))
    v = stap_zetten(session, w["gbd"], tid, v, "plan_van_aanpak", start + dt.timedelta(days=30))
    session.commit()
    return tid, v


def test_the_whole_path_with_history_and_audit(session, world):
    w = world
    tid, v = _to_plan(session, w)
    v = schuld_opnemen(session, w["gbd"], tid, v, [w["debt"]], D + dt.timedelta(days=31))
    for stap, days in (("schuldregeling", 40), ("nazorg", 400)):
        v = stap_zetten(session, w["gbd"], tid, v, stap, D + dt.timedelta(days=days))
    v = stap_zetten(session, w["gbd"], tid, v, "beeindigd", D + dt.timedelta(days=500),
                    reden_einde="regeling_afgerond")  # fmt: skip
    session.commit()
    t = session.get(DebtTrajectory, tid)
    assert (t.stap, t.versie, t.reden_einde) == ("beeindigd", 7, "regeling_afgerond")
    assert t.beeindigd_op == D + dt.timedelta(days=500)
    view = traject_van(session, w["gbd"], w["h"], today=D + dt.timedelta(days=600))
    (tv,) = view.trajecten
    assert [s.stap for s in tv.stappen] == ["aanmelding", "eerste_gesprek", "plan_van_aanpak",
                                            "schuldregeling", "nazorg", "beeindigd"]  # fmt: skip
    assert [d.debt_id for d in tv.schulden] == [w["debt"]] and tv.deadline is None
    assert view.lopend is None and tv.reden_label == "Regeling afgerond"
    assert _audit(session, "schuldhulp_stap") == 5 and _audit(session, "schuldhulp_inzien") == 1
    # a new aanmelding after the end is allowed
    aanmelden(session, w["gbd"], w["h"], "gbd", D + dt.timedelta(days=601))


def test_every_transition_of_the_rules(session, world):
    """Each allowed transition is accepted by the service; a refused one names its reason."""
    assert transition_refusal("aanmelding", "plan_van_aanpak") == (
        "Een plan van aanpak kan pas na een eerste gesprek."
    )
    for current, allowed in TRANSITIONS.items():
        for new in TRANSITIONS:
            assert (transition_refusal(current, new) is None) == (new in allowed)


def test_no_plan_before_an_eerste_gesprek(session, world):
    w = world
    tid = aanmelden(session, w["gbd"], w["h"], "zelf", D)
    session.commit()
    with pytest.raises(InvalidInput, match="pas na een eerste gesprek"):
        stap_zetten(session, w["gbd"], tid, 1, "plan_van_aanpak", D)
    with pytest.raises(InvalidInput, match="Eerst een eerste gesprek en een plan"):
        stap_zetten(session, w["gbd"], tid, 1, "schuldregeling", D)
    assert _count(session, DebtTrajectoryStep) == 1


def test_a_schuldregeling_needs_debts_of_the_household(session, world):
    w = world
    tid, v = _to_plan(session, w)
    with pytest.raises(InvalidInput, match="Neem eerst de schulden op"):
        stap_zetten(session, w["gbd"], tid, v, "schuldregeling", D + dt.timedelta(days=40))
    for wrong in ([w["foreign"]], [w["debt"], w["foreign"]], [w["paid"]], [], [True]):
        with pytest.raises(InvalidInput):
            schuld_opnemen(session, w["gbd"], tid, v, wrong, D + dt.timedelta(days=31))
    assert _count(session, DebtInArrangement) == 0
    v = schuld_opnemen(session, w["gbd"], tid, v, [w["debt"]], D + dt.timedelta(days=31))
    with pytest.raises(InvalidInput, match="zit al in de regeling"):
        schuld_opnemen(session, w["gbd"], tid, v, [w["debt"]], D + dt.timedelta(days=31))
    stap_zetten(session, w["gbd"], tid, v, "schuldregeling", D + dt.timedelta(days=40))


def test_debts_only_from_the_plan_until_the_arrangement(session, world):
    w = world
    tid = aanmelden(session, w["gbd"], w["h"], "zelf", D)
    with pytest.raises(InvalidInput, match="vanaf het plan van aanpak"):
        schuld_opnemen(session, w["gbd"], tid, 1, [w["debt"]], D)
    v = stap_zetten(session, w["gbd"], tid, 1, "eerste_gesprek", D)
    v = stap_zetten(session, w["gbd"], tid, v, "plan_van_aanpak", D)
    v = stap_zetten(session, w["gbd"], tid, v, "stabilisatie", D)
    v = stap_zetten(session, w["gbd"], tid, v, "nazorg", D)
    with pytest.raises(InvalidInput, match="Na de regeling"):
        schuld_opnemen(session, w["gbd"], tid, v, [w["debt"]], D)


def test_a_second_open_trajectory_is_refused(session, world):
    w = world
    aanmelden(session, w["gbd"], w["h"], "zelf", D)
    session.commit()
    with pytest.raises(Conflict, match="al een lopend schuldhulptraject"):
        aanmelden(session, w["gbd"], w["h"], "gbd", D)
    assert _count(session, DebtTrajectory) == 1


def test_a_stale_version_writes_nothing(session, world):
    w = world
    tid = aanmelden(session, w["gbd"], w["h"], "zelf", D)
    stap_zetten(session, w["gbd"], tid, 1, "eerste_gesprek", D)
    session.commit()
    for stale in (1, 3, "2", True):
        with pytest.raises(Conflict, match="intussen gewijzigd"):
            stap_zetten(session, w["gbd"], tid, stale, "plan_van_aanpak", D)
    with pytest.raises(Conflict):
        schuld_opnemen(session, w["gbd"], tid, 1, [w["debt"]], D)
    assert _count(session, DebtTrajectoryStep) == 2


def test_dates_not_before_the_previous_step_nor_in_the_future(session, world):
    w = world
    tid = aanmelden(session, w["gbd"], w["h"], "zelf", D)
    with pytest.raises(InvalidInput, match="vóór de vorige stap"):
        stap_zetten(session, w["gbd"], tid, 1, "eerste_gesprek", D - dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="in de toekomst"):
        stap_zetten(session, w["gbd"], tid, 1, "eerste_gesprek",
                    dt.date.today() + dt.timedelta(days=1))  # fmt: skip
    with pytest.raises(InvalidInput, match="geldige datum"):
        stap_zetten(session, w["gbd"], tid, 1, "eerste_gesprek", "2026-03-05")
    v = stap_zetten(session, w["gbd"], tid, 1, "eerste_gesprek", D)  # the same day is fine
    assert v == 2


def test_the_end_needs_a_reason_and_only_the_end_takes_one(session, world):
    w = world
    tid = aanmelden(session, w["gbd"], w["h"], "zelf", D)
    with pytest.raises(InvalidInput, match="reden"):
        stap_zetten(session, w["gbd"], tid, 1, "beeindigd", D)
    with pytest.raises(InvalidInput, match="reden"):
        stap_zetten(session, w["gbd"], tid, 1, "beeindigd", D, reden_einde="zomaar")
    with pytest.raises(InvalidInput, match="alleen bij het einde"):
        stap_zetten(session, w["gbd"], tid, 1, "eerste_gesprek", D, reden_einde="geen_vervolg")
    v = stap_zetten(session, w["gbd"], tid, 1, "beeindigd", D, reden_einde="geen_vervolg")
    with pytest.raises(InvalidInput, match="beëindigd; meld het huishouden opnieuw aan"):
        stap_zetten(session, w["gbd"], tid, v, "nazorg", D)


def test_sources_need_their_signal_or_partner(session, world):
    w = world
    with pytest.raises(InvalidInput, match="signaal van betalingsachterstand"):
        aanmelden(session, w["gbd"], w["h"], "signaal", D)
    with pytest.raises(InvalidInput, match="signaal van betalingsachterstand"):
        aanmelden(session, w["gbd"], w["h"], "signaal", D, signal_id=w["police"])
    with pytest.raises(InvalidInput, match="na de aanmelding"):
        aanmelden(session, w["gbd"], w["h"], "signaal", D - dt.timedelta(days=20),
                  signal_id=w["signal"])  # fmt: skip
    with pytest.raises(InvalidInput, match="alleen bij een aanmelding na een signaal"):
        aanmelden(session, w["gbd"], w["h"], "zelf", D, signal_id=w["signal"])
    with pytest.raises(InvalidInput, match="Kies de partner"):
        aanmelden(session, w["gbd"], w["h"], "partner", D)
    with pytest.raises(InvalidInput, match="Kies hoe"):
        aanmelden(session, w["gbd"], w["h"], "buurman", D)
    with pytest.raises(InvalidInput, match="soort crisis"):
        aanmelden(session, w["gbd"], w["h"], "zelf", D, crisis_soort="brand")
    with pytest.raises(InvalidInput, match="BSN"):
        aanmelden(session, w["gbd"], w["h"], "zelf", D, toelichting="bsn 111222333")
    tid = aanmelden(session, w["gbd"], w["h"], "signaal", D, signal_id=w["signal"],
                    crisis_soort="ontruiming")  # fmt: skip
    t = session.get(DebtTrajectory, tid)
    assert (t.bron, t.signal_id, t.crisis, t.crisis_soort) == ("signaal", w["signal"], True,
                                                               "ontruiming")  # fmt: skip
    inst = add_institution(session, "Woonpunt")
    stap_zetten(session, w["gbd"], tid, 1, "beeindigd", D, reden_einde="doorverwezen")
    tid2 = aanmelden(session, w["gbd"], w["h"], "partner", D, institution_id=inst.id)
    assert traject_van(session, w["gbd"], w["h"]).lopend.bron_toelichting == "Woonpunt"
    assert tid2 != tid


def test_access_refusals_are_audited(session, world, account):
    w = world
    tid = aanmelden(session, w["gbd"], w["h"], "zelf", D)
    session.commit()
    with pytest.raises(AccessDenied):
        aanmelden(session, w["other"], w["h"], "zelf", D)
    with pytest.raises(AccessDenied):
        stap_zetten(session, w["other"], tid, 1, "eerste_gesprek", D)
    with pytest.raises(AccessDenied):
        traject_van(session, w["other"], w["h"])
    assert _audit(session, "schuldhulp_aanmelden", "geweigerd") == 1
    assert _audit(session, "schuldhulp_stap", "geweigerd") == 1
    assert _audit(session, "schuldhulp_inzien", "geweigerd") == 1
    inst = add_institution(session, "Woonpunt")
    user = User(naam="petra", rol="partner", wachtwoord_hash="x", institution_id=inst.id)
    session.add(user)
    session.commit()
    partner = Actor(user.id, "petra", "partner")
    for someone in (partner, *(account(f"iemand-{r}", r) for r in ("kiss", "voordeur", "beheer"))):
        with pytest.raises(AccessDenied):
            traject_van(session, someone, w["h"])
    assert _audit(session, "schuldhulp_inzien", "geweigerd") == 5
    with pytest.raises(NotFound):
        stap_zetten(session, w["gbd"], 999_999, 1, "eerste_gesprek", D)
    # the read is audited with the reason of access
    traject_van(session, w["gbd"], w["h"])
    doel = session.scalar(select(AuditEvent.doel).where(AuditEvent.actie == "schuldhulp_inzien",
                                                        AuditEvent.resultaat == "ok"))  # fmt: skip
    assert doel
