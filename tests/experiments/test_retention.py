"""Retention (DESIGN 8.4): exactly what passed its period is removed; the audit chain holds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from experiments.retention import retention_run
from households.actor import SYSTEM
from households.audit.verify import verify_chain
from households.errors import AccessDenied
from households.models import HelpRequest, Provision, Signal
from tests.builders import add_provision, add_request, add_signal, first_person, make_household

TODAY = dt.date(2026, 11, 26)
D = dt.date


@pytest.fixture
def facts(session):
    h = make_household(session, persons=[(None, "Mia", "hoofdbewoner")])
    p = first_person(session, h)
    ids = {
        # WMO: 15 years after the end
        "wmo_old": add_provision(session, p, "WMO", "begeleiding", D(2005, 1, 1), D(2011, 6, 1)).id,
        "wmo_young": add_provision(
            session, p, "WMO", "begeleiding", D(2005, 1, 1), D(2012, 6, 1)
        ).id,
        "wmo_open": add_provision(session, p, "WMO", "hulpmiddel", D(2001, 1, 1)).id,
        # Jeugd: 20 years (Jeugdwet 7.3.8)
        "jeugd_15y": add_provision(
            session, p, "JEUGD", "ambulante jeugdhulp", D(2005, 1, 1), D(2011, 1, 1)
        ).id,  # fmt: skip
        # overlast: 2 years after closing
        "overlast_old": add_signal(session, h, "overlast", D(2023, 1, 1), D(2024, 1, 1)).id,
        "overlast_open": add_signal(session, h, "overlast", D(2020, 1, 1)).id,
        "politie_3y": add_signal(session, h, "politie", D(2023, 1, 1), D(2023, 6, 1)).id,
    }
    r = add_request(session, h, D(2015, 1, 1), besluit_op=D(2015, 3, 1))  # ISD? WMO: 15 y
    ids["request_11y"] = r.id
    session.commit()
    return ids


def test_a_run_lists_exactly_what_passed_its_period_and_apply_removes_it(session, facts):
    run = retention_run(session, SYSTEM, today=TODAY)
    session.commit()
    assert {(d.tabel, d.id) for d in run.due} == {
        ("provision", facts["wmo_old"]), ("signal", facts["overlast_old"]),
    }  # fmt: skip
    assert run.per_category() == {"overlast": 1, "wmo": 1}
    assert session.get(Provision, facts["wmo_old"]) is not None  # listed, not removed
    done = retention_run(session, SYSTEM, today=TODAY, apply=True)
    session.commit()
    assert len(done.due) == 2
    assert session.get(Provision, facts["wmo_old"]) is None
    assert session.get(Signal, facts["overlast_old"]) is None
    for key in ("wmo_young", "wmo_open", "jeugd_15y"):
        assert session.get(Provision, facts[key]) is not None
    assert session.get(Signal, facts["politie_3y"]) is not None
    assert session.scalar(select(func.count()).select_from(HelpRequest)) == 1
    assert verify_chain(session).ok  # the removal is an audit event; the chain stays intact
    again = retention_run(session, SYSTEM, today=TODAY, apply=True)
    assert again.due == ()


def test_only_beheer_runs_retention(session, facts, account):
    with pytest.raises(AccessDenied):
        retention_run(session, account("gerda", "gbd"), today=TODAY)


def test_kiss_retention_run(session, facts, db_url, capsys):
    from app.cli import main

    assert main(["retention", "run", "--date", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    assert "2 gegevens over de bewaartermijn" in out and "kiss retention run --apply" in out
    assert main(["retention", "run", "--apply", "--date", "26-11-2026"]) == 0
    assert "2 gegevens verwijderd" in capsys.readouterr().out
    assert main(["retention", "run", "--date", "morgen"]) == 2
