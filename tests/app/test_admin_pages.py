"""The beheer pages as a person uses them (AppTest): Gebruikers and Auditlog."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest

from app.auth import LAST_ACTIVITY_KEY
from households.accounts import create_demo_users
from households.actor import Actor
from households.audit.log import AuditFilter, events_csv
from households.models import AuditEvent, User

APP = Path(__file__).resolve().parents[2] / "app"
MAIN = str(APP / "main.py")
REFUSAL = {
    "gebruikers.py": "U heeft geen toegang tot gebruikersbeheer.",
    "auditlog.py": "Alleen functioneel beheer leest de audittrail.",
}


@pytest.fixture
def actors(session) -> dict[str, Actor]:
    create_demo_users(session)
    session.commit()
    return {u.rol: Actor(u.id, u.naam, u.rol) for u in session.scalars(select(User))}


def _app(actor: Actor, page: str | None = None, script: str = MAIN) -> AppTest:
    st.cache_resource.clear()
    at = AppTest.from_file(script, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state[LAST_ACTIVITY_KEY] = time.time()
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


@pytest.fixture
def users_page(db_url, actors) -> AppTest:
    return _app(actors["beheer"], "views/gebruikers.py")


@pytest.fixture
def audit_page(db_url, actors) -> AppTest:
    return _app(actors["beheer"], "views/auditlog.py")


def test_users_page_lists_the_accounts(users_page):
    table = users_page.dataframe[0].value
    assert sorted(table["Gebruikersnaam"]) == sorted(
        ["beheer", "ervaringswerker", "gbd", "kiss", "partner", "voordeur"]
    )
    assert "wachtwoord_hash" not in table.columns


def _pw(at: AppTest, name: str):
    """The password field ``name`` (its key changes after every send: a fresh, empty field)."""
    return next(t for t in at.text_input if t.key.startswith(f"{name}_"))


def _fill_new_user(at: AppTest, naam: str, rol: str, password: str) -> AppTest:
    at.text_input(key="nieuw_naam").input(naam)
    at.text_input(key="nieuw_weergavenaam").input("Nieuwe Collega")
    at.selectbox(key="nieuw_rol").select(rol)
    _pw(at, "nieuw_wachtwoord").input(password)
    return at.button(key="nieuw_toevoegen").click().run()


def test_beheer_adds_a_user(users_page, session):
    at = _fill_new_user(users_page, "nieuwe.collega", "gbd", "een-lang-wachtwoord")
    assert not at.exception
    assert "nieuwe.collega" in at.success[0].value
    assert session.scalar(select(User.rol).where(User.naam == "nieuwe.collega")) == "gbd"
    assert "nieuwe.collega" in list(at.dataframe[0].value["Gebruikersnaam"])
    assert _pw(at, "nieuw_wachtwoord").value == ""


def test_short_password_is_refused_with_a_message(users_page, session):
    at = _fill_new_user(users_page, "nieuwe.collega", "gbd", "kort")
    assert "minstens 12" in at.error[0].value
    assert session.scalar(select(func.count()).where(User.naam == "nieuwe.collega")) == 0


def test_beheer_deactivates_and_reactivates(users_page, session, actors):
    at = users_page
    at.selectbox(key="gebruiker_keuze").select(actors["gbd"].user_id).run()
    at.button(key="gebruiker_deactiveren").click().run()
    assert not at.exception and at.success
    assert session.scalar(select(User.actief).where(User.naam == "gbd")) is False
    at.button(key="gebruiker_activeren").click().run()
    session.expire_all()
    assert session.scalar(select(User.actief).where(User.naam == "gbd")) is True


def test_beheer_cannot_deactivate_itself(users_page, actors):
    at = users_page
    at.selectbox(key="gebruiker_keuze").select(actors["beheer"].user_id).run()
    at.button(key="gebruiker_deactiveren").click().run()
    assert "eigen account" in at.error[0].value


def test_beheer_lifts_a_lock(users_page, session, actors):
    kiss = session.scalar(select(User).where(User.naam == "kiss"))
    kiss.mislukte_pogingen, kiss.geblokkeerd_sinds = 5, dt.datetime.now()
    session.commit()
    at = users_page
    at.selectbox(key="gebruiker_keuze").select(actors["kiss"].user_id).run()
    at.button(key="gebruiker_deblokkeren").click().run()
    session.expire_all()
    assert session.scalar(select(User.mislukte_pogingen).where(User.naam == "kiss")) == 0


@pytest.mark.parametrize("page", ["gebruikers.py", "auditlog.py"])
@pytest.mark.parametrize("rol", ["voordeur", "gbd", "ervaringswerker", "kiss"])
def test_admin_pages_refuse_other_roles_even_when_run_directly(db_url, actors, session, page, rol):
    """Navigation is not access control: run the page file itself as another role."""
    at = _app(actors[rol], script=str(APP / "views" / page))
    assert [e.value for e in at.error] == [REFUSAL[page]]
    assert not at.dataframe
    refused = session.scalar(
        select(AuditEvent.gebruiker).where(AuditEvent.resultaat == "geweigerd").limit(1)
    )
    assert refused == actors[rol].naam


def test_audit_page_shows_and_filters_rows(audit_page, session):
    at = audit_page
    table = at.dataframe[0].value
    assert "gebruiker_aanmaken" in set(table["Actie"])
    at.selectbox(key="audit_actie").select("gebruiker_aanmaken").run()
    assert set(at.dataframe[0].value["Actie"]) == {"gebruiker_aanmaken"}
    assert "hash" not in at.dataframe[0].value.columns
    assert list(at.dataframe[0].value.columns)[:3] == ["Nr.", "Tijdstip (UTC)", "Gebruiker"]
    views = select(func.count()).where(
        AuditEvent.actie == "auditlog_inzien", AuditEvent.gebruiker == "beheer"
    )
    assert session.scalar(views) >= 2


def test_audit_page_offers_the_csv_download(audit_page):
    assert audit_page.get("download_button")[0].proto.label == "CSV downloaden"


def test_audit_page_checks_the_chain(audit_page, engine):
    at = audit_page.button(key="audit_keten").click().run()
    assert "intact" in at.success[0].value
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
        else:
            conn.execute(text("DROP TRIGGER audit_event_no_change ON audit_event"))
        conn.execute(text("UPDATE audit_event SET rol = 'x' WHERE id = 2"))
    at.button(key="audit_keten").click().run()
    assert "GEBROKEN bij regel 2" in at.error[0].value


def test_csv_export_service_behind_the_button_is_audited(session, actors):
    csv_text = events_csv(session, actors["beheer"], AuditFilter())
    assert csv_text.startswith("id,tijdstip")
    assert session.scalar(select(func.count()).where(AuditEvent.actie == "exporteren")) == 1


def test_beheer_changes_a_role_on_the_page(users_page, session, actors):
    at = users_page
    at.selectbox(key="gebruiker_keuze").select(actors["voordeur"].user_id).run()
    at.selectbox(key="gebruiker_nieuwe_rol").select("gbd")
    at.button(key="gebruiker_rol_wijzigen").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Rol van voordeur gewijzigd in gbd."
    session.expire_all()
    assert session.scalar(select(User.rol).where(User.naam == "voordeur")) == "gbd"
    table = at.dataframe[0].value
    assert table.loc[table["Gebruikersnaam"] == "voordeur", "Rol"].tolist() == ["gbd"]
    assert at.selectbox(key="gebruiker_nieuwe_rol").value is None  # cleared after success
    assert "Rol: gbd · actief" in [c.value for c in at.caption]  # the account on screen


def test_beheer_cannot_change_its_own_role_on_the_page(users_page, session, actors):
    at = users_page
    at.selectbox(key="gebruiker_keuze").select(actors["beheer"].user_id).run()
    at.selectbox(key="gebruiker_nieuwe_rol").select("kiss")
    at.button(key="gebruiker_rol_wijzigen").click().run()
    assert at.error[0].value == "U kunt uw eigen rol niet wijzigen."
    session.expire_all()
    assert session.scalar(select(User.rol).where(User.naam == "beheer")) == "beheer"


def test_beheer_sets_a_new_password_on_the_page(users_page, session, actors):
    from households.accounts import authenticate

    at = users_page
    at.selectbox(key="gebruiker_keuze").select(actors["kiss"].user_id).run()
    _pw(at, "gebruiker_wachtwoord").input("kort")
    at.button(key="gebruiker_wachtwoord_instellen").click().run()
    assert "minstens 12" in at.error[0].value
    assert _pw(at, "gebruiker_wachtwoord").value == ""
    _pw(at, "gebruiker_wachtwoord").input("een-heel-nieuw-wachtwoord")
    at.button(key="gebruiker_wachtwoord_instellen").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Nieuw wachtwoord voor kiss ingesteld; 0 open sessie(s)")
    assert _pw(at, "gebruiker_wachtwoord").value == ""  # never kept in state
    session.expire_all()
    assert authenticate(session, "kiss", "een-heel-nieuw-wachtwoord").naam == "kiss"
    actions = session.scalars(select(AuditEvent.actie).where(AuditEvent.object_type == "user"))
    assert "wachtwoord_herstellen" in set(actions)


def _role_changes(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(AuditEvent.actie == "rol_wijzigen"))


def test_nothing_is_preselected_and_nothing_can_be_sent_without_an_account(users_page):
    at = users_page
    assert at.selectbox(key="gebruiker_keuze").value is None
    assert at.selectbox(key="nieuw_rol").value is None
    assert at.button(key="gebruiker_deactiveren").disabled
    assert at.button(key="gebruiker_rol_wijzigen").disabled


def test_a_new_user_form_is_emptied_and_a_resubmission_writes_once(users_page, session):
    at = users_page
    rendered = at.session_state["_formulier_gebruiker_toevoegen"]
    at = _fill_new_user(at, "nieuwe.collega", "gbd", "een-lang-wachtwoord")
    assert at.success[0].value == "Gebruiker nieuwe.collega (gbd) aangemaakt."
    assert [at.text_input(key=k).value for k in ("nieuw_naam", "nieuw_weergavenaam")] == ["", ""]
    assert at.selectbox(key="nieuw_rol").value is None
    at.session_state["_formulier_gebruiker_toevoegen"] = rendered  # a double click
    at = _fill_new_user(at, "nieuwe.collega", "gbd", "een-lang-wachtwoord")
    assert not at.error and any("één keer opgeslagen" in m.value for m in at.info)
    assert _pw(at, "nieuw_wachtwoord").value == ""
    assert session.scalar(select(func.count()).where(User.naam == "nieuwe.collega")) == 1


def test_a_resubmitted_role_change_is_written_once(users_page, session, actors):
    at = users_page
    at.selectbox(key="gebruiker_keuze").select(actors["voordeur"].user_id).run()
    at.selectbox(key="gebruiker_nieuwe_rol").select("gbd")
    rendered = at.session_state["_formulier_rol_wijzigen"]
    at.button(key="gebruiker_rol_wijzigen").click().run()
    assert _role_changes(session) == 1
    assert at.selectbox(key="gebruiker_keuze").value == actors["voordeur"].user_id  # kept
    at.session_state["_formulier_rol_wijzigen"] = rendered  # a double click, a retried request
    at.selectbox(key="gebruiker_nieuwe_rol").select("kiss")
    at.button(key="gebruiker_rol_wijzigen").click().run()
    assert not at.error and any("één keer opgeslagen" in m.value for m in at.info)
    assert _role_changes(session) == 1
    assert session.scalar(select(User.rol).where(User.naam == "voordeur")) == "gbd"


def test_a_change_meant_for_another_account_is_refused(users_page, session, actors):
    at = users_page
    at.selectbox(key="gebruiker_keuze").select(actors["gbd"].user_id).run()
    for form, button in (("gebruiker_deactiveren", "gebruiker_deactiveren"),
                         ("rol_wijzigen", "gebruiker_rol_wijzigen")):  # fmt: skip
        at.selectbox(key="gebruiker_nieuwe_rol").select("kiss")
        ticket = at.session_state[f"_formulier_{form}"]
        # the form was drawn for the kiss account; the gbd account is on screen now
        at.session_state[f"_formulier_{form}"] = type(ticket)(ticket.token, actors["kiss"].user_id)
        at.button(key=button).click().run()
        assert not at.exception and "niets opgeslagen" in at.error[0].value
    session.expire_all()
    assert session.execute(select(User.actief, User.rol).where(User.naam == "gbd")).one() == (
        True,
        "gbd",
    )
    assert session.scalar(select(User.actief).where(User.naam == "kiss")) is True


def _link(at: AppTest, user_id: int, value: str | None) -> AppTest:
    at.selectbox(key="gebruiker_keuze").select(user_id).run()
    if value is None:
        return at.button(key="gebruiker_oidc_ontkoppelen").click().run()
    at.text_input(key="gebruiker_oidc").input(value)
    return at.button(key="gebruiker_oidc_koppelen").click().run()


def _oidc(session, naam: str) -> str | None:
    session.expire_all()
    return session.scalar(select(User.oidc_id).where(User.naam == naam))


def test_beheer_links_and_clears_an_identity(users_page, session, actors):
    at = _link(users_page, actors["gbd"].user_id, "  G.Bakker@Brunssum.NL ")
    assert not at.exception and not at.error
    assert at.success[0].value == "Account gekoppeld aan identiteit G.Bakker@Brunssum.NL."
    assert _oidc(session, "gbd") == "g.bakker@brunssum.nl"
    table = at.dataframe[0].value.set_index("Gebruikersnaam")
    assert table.loc["gbd", "Identiteit bij de gemeente"] == "g.bakker@brunssum.nl"
    assert table.loc["kiss", "Identiteit bij de gemeente"] == "—"
    assert at.text_input(key="gebruiker_oidc").value == ""
    at = _link(at, actors["gbd"].user_id, None)
    assert at.success[0].value == "Koppeling met de identiteitsprovider verwijderd."
    assert _oidc(session, "gbd") is None
    rows = session.execute(
        select(AuditEvent.oud, AuditEvent.nieuw)
        .where(AuditEvent.actie == "identiteit_koppelen")
        .order_by(AuditEvent.id)
    ).all()
    assert [(json.loads(o)["oidc_id"], json.loads(n)["oidc_id"]) for o, n in rows] == [
        (None, "g.bakker@brunssum.nl"), ("g.bakker@brunssum.nl", None),
    ]  # fmt: skip


def test_a_duplicate_identity_is_refused_in_dutch(users_page, session, actors):
    at = _link(users_page, actors["gbd"].user_id, "gedeeld@brunssum.nl")
    at = _link(at, actors["kiss"].user_id, "Gedeeld@Brunssum.nl")
    assert [e.value for e in at.error] == ["Deze identiteit is al aan een ander account gekoppeld."]
    assert _oidc(session, "kiss") is None and _oidc(session, "gbd") == "gedeeld@brunssum.nl"


def test_an_empty_identity_is_not_saved(users_page, session, actors):
    at = _link(users_page, actors["gbd"].user_id, "   ")
    assert "Vul de identiteit" in at.error[0].value
    assert _oidc(session, "gbd") is None


def test_a_click_from_before_the_save_adds_no_second_account(users_page, session):
    # The double-click race on a form without a target: the second click arrives after
    # the first was saved and before the rerun that follows the save was drawn, so it
    # presents the new token the save issued. It is the same submission: written once.
    from app.forms import ALREADY_SAVED, _new_ticket

    at = _fill_new_user(users_page, "nieuwe.collega", "gbd", "een-lang-wachtwoord")
    assert at.success[0].value == "Gebruiker nieuwe.collega (gbd) aangemaakt."
    at.session_state["_formulier_gebruiker_toevoegen"] = _new_ticket(None, after_save=True)
    at = _fill_new_user(at, "tweede.collega", "gbd", "een-lang-wachtwoord")
    assert not at.exception and not at.error
    assert [m.value for m in at.info] == [ALREADY_SAVED]
    assert session.scalar(select(func.count()).where(User.naam == "tweede.collega")) == 0
    # after that rerun the form is drawn for what is saved: the next click is a new one
    at = _fill_new_user(at, "tweede.collega", "voordeur", "een-lang-wachtwoord")
    assert at.success[0].value == "Gebruiker tweede.collega (voordeur) aangemaakt."
    assert session.scalar(select(func.count()).where(User.naam == "tweede.collega")) == 1
    at = _fill_new_user(at, "derde.collega", "gbd", "een-lang-wachtwoord")  # and the next
    assert at.success[0].value == "Gebruiker derde.collega (gbd) aangemaakt."
