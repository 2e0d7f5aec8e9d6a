"""The Importeren page (AppTest): a file imported with a summary, a rejected file as a table."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from households.actor import Actor
from households.models import Person
from tests.households.test_importing import BSN_C, HOUSEHOLDS, PERSONS, count, load


@pytest.fixture
def import_page(session, db_url, monkeypatch):
    """The Importeren page, logged in as beheer, with two households already imported."""
    import time
    from pathlib import Path

    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    from app.auth import LAST_ACTIVITY_KEY
    from households.accounts import create_demo_users
    from households.models import User

    init = PagesManager.__init__

    def patched(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", patched)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
    create_demo_users(session)
    load(session, "huishoudens", HOUSEHOLDS)
    user = session.scalars(select(User).where(User.rol == "beheer")).first()
    st.cache_resource.clear()
    main = Path(__file__).resolve().parents[2] / "app" / "main.py"
    at = AppTest.from_file(str(main), default_timeout=60)
    at.session_state["actor"] = Actor(user.id, user.naam, user.rol)
    at.session_state[LAST_ACTIVITY_KEY] = time.time()
    at.run()
    at.switch_page("views/importeren.py").run()
    assert not at.exception
    return at


def test_page_imports_a_file_and_shows_the_summary(import_page, session):
    at = import_page
    at.selectbox(key="import_kind").set_value("personen")
    at.file_uploader(key="import_file").set_value(("p.csv", PERSONS.encode(), "text/csv"))
    at.button(key="import_start").click().run()
    assert not at.exception
    assert (
        at.success[0].value
        == "personen: 2 regels geïmporteerd; 2 nieuw, 0 bijgewerkt, 0 ongewijzigd."
    )
    assert count(session, Person) == 2


def test_page_shows_rejected_rows_as_a_table(import_page, session):
    at = import_page
    at.selectbox(key="import_kind").set_value("personen")
    bad = PERSONS + f"{BSN_C},H9,1990,kind,Kim\n"
    at.file_uploader(key="import_file").set_value(("p.csv", bad.encode(), "text/csv"))
    at.button(key="import_start").click().run()
    assert "geweigerd" in at.error[0].value
    table = at.dataframe[0].value
    assert table.to_dict("records") == [
        {"regel": 4, "kolom": "huishouden_id",
         "reden": "onbekend huishouden_id (huishouden niet geïmporteerd)"},
    ]  # fmt: skip
    assert count(session, Person) == 0


def test_page_reads_iwmo_messages_and_lists_faults_by_path(import_page, session):
    import datetime as dt

    from data.imessages import Line, message_xml
    from households.models import Provision
    from tests.households.test_importing import BSN_A

    load(session, "personen", PERSONS)
    at = import_page

    def xml(kind, line):
        return message_xml("iwmo", kind, gemeente="0899", agb="1234", bsn=BSN_A, lines=[line],
                           dagtekening=dt.date(2026, 1, 5))  # fmt: skip

    stop = ("stop.xml", xml("307", Line("8", einddatum=dt.date(2026, 2, 1))), "text/xml")
    at.file_uploader(key="bericht_bestanden").set_value([stop])
    at.button(key="bericht_start").click().run()
    assert not at.exception
    assert "geweigerd" in at.error[0].value
    # the faults table (the reference-data section below has tables of its own)
    table = next(d.value for d in at.dataframe if "element" in d.value.columns)
    assert list(table["element"]) == ["Client/StopProducten/StopProduct[1]/ToewijzingNummer"]
    alloc = ("toewijzing.xml", xml("301", Line("8", "01", dt.date(2026, 1, 1))), "text/xml")
    at.file_uploader(key="bericht_bestanden").set_value([alloc, stop])
    at.button(key="bericht_start").click().run()
    assert not at.exception and not at.error
    assert at.success[-1].value.startswith("2 berichten ingelezen: 1 nieuwe toewijzingen")
    session.expire_all()
    assert session.scalars(select(Provision)).one().zorg_gestopt_op == dt.date(2026, 2, 1)


def test_a_resubmitted_import_is_processed_once(import_page, session):
    from households.models import AuditEvent

    at = import_page
    at.selectbox(key="import_kind").set_value("personen")
    at.file_uploader(key="import_file").set_value(("p.csv", PERSONS.encode(), "text/csv"))
    ticket = at.session_state["_formulier_import"]
    at.button(key="import_start").click().run()
    at.session_state["_formulier_import"] = ticket  # the same submission again
    at.button(key="import_start").click().run()
    assert not at.exception and any("één keer opgeslagen" in m.value for m in at.info)
    rows = session.scalars(select(AuditEvent).where(AuditEvent.actie == "import")).all()
    assert [r.object_type for r in rows].count("personen") == 1


def test_page_names_every_bad_row_of_the_lenient_input_attack(import_page, session):
    """Finding 10 of issue 16: a file with several bad rows lists each one on the page."""
    at = import_page
    at.selectbox(key="import_kind").set_value("huishoudens")
    bad = "huishouden_id,wijk,huisnummer\nH7,Narnia,1\nH8,Noord,abc\nH9,Mars,2\nH10,noord,3\n"
    at.file_uploader(key="import_file").set_value(("h.csv", bad.encode(), "text/csv"))
    at.button(key="import_start").click().run()
    assert "3 fouten in 3 regels" in at.error[0].value
    rows = at.dataframe[0].value.to_dict("records")
    assert [(r["regel"], r["kolom"]) for r in rows] == [(2, "wijk"), (3, "huisnummer"), (4, "wijk")]
