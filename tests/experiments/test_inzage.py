"""Inzage (AVG art. 15): everything held about a test person and every access to it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from coordination.access import open_household
from coordination.picture import household_picture
from experiments.inzage import subject_access
from households.actor import SYSTEM
from households.errors import AccessDenied, InvalidInput, NotFound
from households.models import AuditEvent
from tests.builders import (
    add_debt,
    add_provision,
    add_signal,
    first_person,
    make_household,
    valid_bsn,
)


@pytest.fixture
def world(session, account):
    h = make_household(session, persons=[(valid_bsn(3), "Mia Jacobs", "hoofdbewoner", 1980)])
    other = make_household(session, persons=[(valid_bsn(4), "Piet Smit", "hoofdbewoner")])
    p = first_person(session, h)
    add_provision(session, p, "WMO", "huishoudelijke ondersteuning")
    add_debt(session, p)
    add_signal(session, h, "huurachterstand")
    add_signal(session, other, "politie")
    session.commit()
    gerda = account("gerda", "gbd")
    open_household(session, gerda, h.id, "hulpvraag bespreken")
    household_picture(session, gerda, h.id, dt.date.today())
    session.commit()
    return {"h": h, "gerda": gerda, "beheer": account("bea", "beheer"), "gbd": gerda}


def test_inzage_lists_what_is_held_and_every_access(session, world):
    report = subject_access(session, world["beheer"], valid_bsn(3))
    session.commit()
    kinds = [h.categorie for h in report.gegevens]
    assert kinds[:2] == ["persoon", "adres"]
    assert {"voorziening", "schuld", "signaal"} <= set(kinds)
    assert "Mia Jacobs" in report.gegevens[0].omschrijving
    assert not any("politie" in h.omschrijving for h in report.gegevens)  # another household
    seen = [(a.gebruiker, a.actie, a.doel) for a in report.toegang]
    assert ("gerda", "huishouden_openen", "hulpvraag bespreken") in seen
    assert any(u == "gerda" and act == "huishouden_inzien" for u, act, _ in seen)
    row = session.scalars(select(AuditEvent).where(AuditEvent.actie == "inzage")).one()
    assert row.object_id == str(world["h"].id) and valid_bsn(3) not in (row.nieuw or "")


def test_inzage_refusals(session, world):
    with pytest.raises(AccessDenied):
        subject_access(session, world["gbd"], valid_bsn(3))
    session.rollback()
    with pytest.raises(InvalidInput):
        subject_access(session, SYSTEM, "123456789")
    with pytest.raises(NotFound, match="niets bekend"):
        subject_access(session, SYSTEM, valid_bsn(9))


def test_kiss_inzage_prints_the_report(session, world, db_url, capsys, tmp_path):
    from app.cli import main

    assert main(["inzage", "--bsn", valid_bsn(3)]) == 0
    out = capsys.readouterr().out
    assert "[voorziening] WMO: huishoudelijke ondersteuning" in out
    assert "gerda (gbd): huishouden_openen — hulpvraag bespreken" in out
    assert main(["inzage", "--bsn", valid_bsn(3), "--out", str(tmp_path / "inzage.txt")]) == 0
    assert "Toegang" in (tmp_path / "inzage.txt").read_text(encoding="utf-8")
    assert main(["inzage", "--bsn", "12345"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_inzage_page_for_beheer(session, world, db_url):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    page = Path(__file__).resolve().parents[2] / "app" / "views" / "inzage.py"
    at = AppTest.from_file(str(page), default_timeout=60)
    at.session_state["actor"] = world["beheer"]
    at.run()
    at.text_input(key="inzage_bsn").input(valid_bsn(3))
    at.button(key="inzage_maken").click().run()
    assert not at.exception and not at.error
    gegevens = at.dataframe[0].value
    assert "voorziening" in set(gegevens["categorie"])
    assert "gerda" in set(at.dataframe[1].value["wie"])
    at.text_input(key="inzage_bsn").input("123")
    at.button(key="inzage_maken").click().run()
    assert "geldig BSN" in at.error[0].value


def test_inzage_finds_who_saw_the_household_in_a_search(session, world, account):
    """A search writes one row with the ids of its hits; inzage still names the viewer."""
    from households.search import find_households

    anna = account("anna", "voordeur")
    find_households(session, anna, naam="jacobs")
    find_households(session, anna, naam="smit")  # another household: not an access to Mia's
    session.commit()
    searches = session.scalars(select(AuditEvent).where(AuditEvent.actie == "zoeken")).all()
    assert len(searches) == 2 and all(r.object_id is None for r in searches)
    report = subject_access(session, world["beheer"], valid_bsn(3))
    seen = [(a.gebruiker, a.actie) for a in report.toegang]
    assert seen.count(("anna", "zoeken")) == 1
