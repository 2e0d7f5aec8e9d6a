"""Outreach criteria and enrolment rules on hand-built households."""

import datetime as dt

import pytest
from sqlalchemy import select

from experiments.enrolment import enrol, outreach_list
from households.errors import AccessDenied, Conflict, InvalidInput
from households.models import AuditEvent
from tests import builders as b

D = b.D


def _ids(cands):
    return {c.household_id for c in cands}


def test_outreach_takes_arrears_or_debt_and_unknown_or_without_regie(session):
    exp, coord, _ = b.team(session)
    arrears, _ = b.household_with_persons(session)
    b.add_signal(session, arrears, "huurachterstand")
    with_debt, p = b.household_with_persons(session)
    b.add_debt(session, p, 80_000)
    nothing, _ = b.household_with_persons(session)
    known_with_regie, p2 = b.household_with_persons(session)
    b.add_debt(session, p2, 50_000)
    b.add_request(session, known_with_regie, dt.date(2026, 3, 1))
    b.add_regie(session, known_with_regie, coord)
    known_no_regie, p3 = b.household_with_persons(session)
    b.add_debt(session, p3, 50_000)
    b.add_request(session, known_no_regie, dt.date(2026, 3, 1))
    unknown_with_regie, p4 = b.household_with_persons(session)
    b.add_debt(session, p4, 50_000)
    b.add_regie(session, unknown_with_regie, coord)
    got = _ids(outreach_list(session, coord, exp.id, D))
    assert got == {arrears.id, with_debt.id, known_no_regie.id, unknown_with_regie.id}


@pytest.mark.parametrize(
    "setup",
    ["closed_signal", "future_signal", "paid_debt", "future_debt", "other_wijk", "enrolled"],
)
def test_outreach_excludes(session, setup):
    exp, coord, _ = b.team(session)
    hh, p = b.household_with_persons(session, wijk="Zuid" if setup == "other_wijk" else "Oost")
    if setup == "closed_signal":
        b.add_signal(session, hh, "huurachterstand", gesloten_op=dt.date(2026, 5, 1))
    elif setup == "future_signal":
        b.add_signal(session, hh, "huurachterstand", gemeld_op=dt.date(2026, 7, 1))
    elif setup == "paid_debt":
        b.add_debt(session, p, 0)
    elif setup == "future_debt":
        b.add_debt(session, p, 30_000, sinds=dt.date(2026, 7, 1))
    else:
        b.add_signal(session, hh, "huurachterstand")
    if setup == "enrolled":
        b.enrol_direct(session, exp, hh)
    assert outreach_list(session, coord, exp.id, D) == []


def test_old_help_request_does_not_count_as_known(session):
    exp, coord, _ = b.team(session)
    hh, p = b.household_with_persons(session)
    b.add_debt(session, p, 10_000)
    b.add_request(session, hh, dt.date(2025, 1, 1))
    b.add_regie(session, hh, coord)
    cands = outreach_list(session, coord, exp.id, D)
    assert _ids(cands) == {hh.id}
    assert "niet bekend bij een voordeur" in cands[0].redenen


def test_outreach_only_for_coordinators_of_the_experiment(session):
    exp, _, ew = b.team(session)
    outsider = b.make_user(session, "gbd2", "gbd")
    session.commit()
    for actor in (ew, outsider):
        with pytest.raises(AccessDenied):
            outreach_list(session, actor, exp.id, D)


def test_enrol_records_route_consent_and_date(session):
    exp, coord, _ = b.team(session)
    hh, _ = b.household_with_persons(session)
    e = enrol(session, coord, exp.id, hh.id, "outreach", True, dt.date(2026, 2, 1))
    assert (e.route, e.toestemming, e.datum, e.actief) == (
        "outreach",
        True,
        D.replace(month=2),
        True,
    )
    actions = session.scalars(select(AuditEvent.actie)).all()
    assert "experiment_inschrijven" in actions


def test_enrol_needs_consent(session):
    exp, coord, _ = b.team(session)
    hh, _ = b.household_with_persons(session)
    with pytest.raises(InvalidInput, match="toestemming"):
        enrol(session, coord, exp.id, hh.id, "voordeur", False, dt.date(2026, 2, 1))


def test_enrol_twice_is_a_conflict(session):
    exp, coord, _ = b.team(session)
    hh, _ = b.household_with_persons(session)
    enrol(session, coord, exp.id, hh.id, "voordeur", True, dt.date(2026, 2, 1))
    with pytest.raises(Conflict, match="doet al mee"):
        enrol(session, coord, exp.id, hh.id, "outreach", True, dt.date(2026, 3, 1))


@pytest.mark.parametrize(
    ("route", "wijk", "code", "message"),
    [
        ("bus", "Noord", "bestaanszekerheid", "Route"),
        ("outreach", "Zuid", "bestaanszekerheid", "wijk"),
        ("outreach", "Noord", "jeugd_context", "niet actief"),
    ],
)
def test_enrol_rules(session, route, wijk, code, message):
    _, coord, _ = b.team(session)
    exp = b.experiment(session, code)
    if code != "bestaanszekerheid":
        b.add_member(session, exp, coord, "coordinator")
    hh, _ = b.household_with_persons(session, wijk=wijk)
    with pytest.raises(InvalidInput, match=message):
        enrol(session, coord, exp.id, hh.id, route, True, dt.date(2026, 2, 1))


def test_enrol_refused_for_ervaringswerker(session):
    exp, _, ew = b.team(session)
    hh, _ = b.household_with_persons(session)
    session.commit()
    with pytest.raises(AccessDenied):
        enrol(session, ew, exp.id, hh.id, "outreach", True, dt.date(2026, 2, 1))
