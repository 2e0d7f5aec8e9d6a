"""A partner account is bound to one institution: at creation, on a role change, from the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.cli import main
from households.access import may_see_household, register_household_rule
from households.accounts import change_role, create_user
from households.actor import SYSTEM
from households.errors import InvalidInput
from households.models import User
from households.partner_accounts import institution_by_code, institutions
from tests.builders import add_institution, make_household, make_user

PW = "een-lang-wachtwoord-2026"


def test_a_partner_needs_one_existing_institution(session):
    woning = add_institution(session, "Weller Wonen")
    with pytest.raises(InvalidInput, match="instelling van de partner"):
        create_user(session, SYSTEM, "petra", "partner", PW)
    with pytest.raises(InvalidInput, match="instelling van de partner"):
        create_user(session, SYSTEM, "petra", "partner", PW, None, 999_999)
    with pytest.raises(InvalidInput, match="Alleen een partner"):
        create_user(session, SYSTEM, "anna", "voordeur", PW, None, woning.id)
    user = create_user(session, SYSTEM, "petra", "partner", PW, "Petra", woning.id)
    assert (user.rol, user.institution_id) == ("partner", woning.id)


def test_a_role_change_to_partner_binds_and_away_from_it_unbinds(session):
    woning = add_institution(session, "Weller Wonen")
    admin = make_user(session, "bea", "beheer")
    anna = create_user(session, SYSTEM, "anna", "voordeur", PW)
    with pytest.raises(InvalidInput, match="instelling"):
        change_role(session, admin, anna.id, "partner")
    change_role(session, admin, anna.id, "partner", woning.id)
    assert (anna.rol, anna.institution_id) == ("partner", woning.id)
    change_role(session, admin, anna.id, "gbd")
    assert (anna.rol, anna.institution_id) == ("gbd", None)


def test_no_household_rule_can_be_registered_for_a_partner(session):
    woning = add_institution(session, "Weller Wonen")
    petra = create_user(session, SYSTEM, "petra", "partner", PW, None, woning.id)
    with pytest.raises(ValueError):
        register_household_rule("partner", lambda *_: "altijd")
    from households.actor import Actor

    h = make_household(session)
    assert not may_see_household(session, Actor(petra.id, petra.naam, "partner"), h.id)


def test_beheer_picks_institutions_by_name_and_the_cli_by_code(session):
    woning = add_institution(session, "Weller Wonen")
    assert institutions(session, make_user(session, "bea", "beheer")) == {woning.id: "Weller Wonen"}
    assert institution_by_code(session, woning.instelling_id) == woning.id
    assert institution_by_code(session, " Weller Wonen ") == woning.id
    with pytest.raises(InvalidInput, match="niet gevonden"):
        institution_by_code(session, "INST-999")


def test_kiss_user_add_partner_with_instelling(session, db_url, monkeypatch, capsys):
    woning = add_institution(session, "Weller Wonen")
    session.commit()
    monkeypatch.setenv("KISS_NEW_PASSWORD", PW)
    assert main(["user", "add", "piet", "--role", "partner"]) == 2
    assert "instelling" in capsys.readouterr().err
    code = woning.instelling_id
    assert main(["user", "add", "piet", "--role", "partner", "--instelling", code]) == 0
    session.expire_all()
    assert session.scalar(select(User.institution_id).where(User.naam == "piet")) == woning.id
