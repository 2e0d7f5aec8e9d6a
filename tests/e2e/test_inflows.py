"""Real inflows in a real browser: a woningcorporatie reports a rent arrear by address (and
learns nothing), beheer imports debt snapshots (schuldstanden) and sets the Wgs norm.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from households.db import make_engine
from tests.e2e.test_forms_formsb import pick_text, saved, type_date
from tests.e2e.ui import (
    an_address,
    click,
    count_rows,
    double_click,
    eventually,
    fill,
    goto,
    login,
    main_text,
    shot,
    wait_idle,
)

pytestmark = pytest.mark.browser

CONFIRMED = "Het signaal is ontvangen"
SIGNALS = (
    "SELECT count(*) FROM signal s JOIN app_user u ON u.id = s.created_by "
    "WHERE u.naam = 'partner' AND s.soort = 'huurachterstand'"
)


def _arrear(page, postcode: str, huisnummer: str) -> None:
    fill(page, "ach_postcode", postcode)
    fill(page, "ach_huisnummer", huisnummer)
    type_date(page, "ach_datum", dt.date.today().strftime("%d-%m-%Y"))
    fill(page, "ach_toelichting", "Twee maanden huur niet betaald")
    double_click(page, "ach_melden")


def _upload(page, path) -> None:
    """Put a file in the upload box and wait until the page shows it was received."""
    page.locator(".st-key-import_file input[type='file']").set_input_files(str(path))
    page.locator(".st-key-import_file").get_by_text(path.name).first.wait_for(state="visible")
    wait_idle(page)


def test_woningcorporatie_reports_an_arrear_once_and_learns_nothing(page, demo_server):
    postcode, huisnummer = an_address(demo_server)
    before = count_rows(demo_server, SIGNALS)
    login(page, demo_server, "partner")
    goto(page, "Verwijzingen")
    _arrear(page, postcode, huisnummer)
    assert saved(page, CONFIRMED)
    assert count_rows(demo_server, SIGNALS) == before + 1  # a double click writes once
    found = main_text(page)
    shot(page, "partner", 3, "achterstand_melden")
    # An address where nobody lives gets the very same answer: the partner learns nothing.
    _arrear(page, "9999ZZ", "1")
    assert saved(page, CONFIRMED)
    assert count_rows(demo_server, SIGNALS) == before + 1
    for answer in (found, main_text(page)):
        assert "huishouden gevonden" not in answer.lower() and postcode not in answer


def test_beheer_imports_debt_snapshots_and_sets_the_wgs_norm(page, demo_server, tmp_path):
    engine = make_engine(demo_server.database_url)
    with engine.connect() as conn:
        bron_id = conn.execute(text("SELECT bron_id FROM debt ORDER BY id LIMIT 1")).scalar_one()
    engine.dispose()
    peildatum = dt.date.today() - dt.timedelta(days=1)
    csv = tmp_path / "schuldstanden.csv"
    csv.write_text(f"bron_id;peildatum;openstaand\n{bron_id};{peildatum:%d-%m-%Y};1234,56\n")
    snapshots = "SELECT count(*) FROM schuldstand WHERE openstaand_cent = 123456"
    before = count_rows(demo_server, snapshots)

    login(page, demo_server, "beheer")
    goto(page, "Importeren")
    pick_text(page, "import_kind", "schuldstanden")
    _upload(page, csv)
    double_click(page, "import_start")
    assert saved(page, "schuldstanden: 1 regel geïmporteerd")
    assert count_rows(demo_server, snapshots) == before + 1
    # The same file again: idempotent, nothing new.
    _upload(page, csv)
    click(page, "import_start")
    eventually(lambda: "0 nieuw" in main_text(page), what="the second import's summary")
    assert count_rows(demo_server, snapshots) == before + 1
    shot(page, "beheer", 8, "schuldstanden")

    fill(page, "norm_dagen", "10")
    double_click(page, "norm_opslaan")
    assert saved(page, "De norm is nu 10 dagen.")
