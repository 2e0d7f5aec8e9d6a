"""The partner in a real browser: only their own referrals, accept (a double click writes once),
report the outcome; the screenshots go into the README.
"""

from __future__ import annotations

import pytest

from data.demo_partner import FRESH_TASK
from tests.e2e.test_forms_formsb import choose, offers, pick_text, saved
from tests.e2e.ui import (
    click,
    count_rows,
    double_click,
    fill,
    goto,
    login,
    main_text,
    shot,
    sidebar_titles,
)

pytestmark = pytest.mark.browser

MESSAGES = (
    "SELECT count(*) FROM verwijzing_bericht b JOIN verwijzing v ON v.id = b.verwijzing_id "
    "WHERE v.taak = :taak AND b.soort = :soort"
)


def test_partner_accepts_their_referral_once_and_reports_the_outcome(page, demo_server):
    login(page, demo_server, "partner")
    assert sidebar_titles(page) == ["Start", "Verwijzingen"]
    goto(page, "Verwijzingen")
    # Only the woningcorporatie's referrals: none of the other demo partners' tasks.
    assert offers(page, "vw_keuze", FRESH_TASK[:30])
    for other in ("Werkfit-traject", "Netwerkberaad met familie", "Huisbezoek: zorgmijding"):
        assert not offers(page, "vw_keuze", other)
    pick_text(page, "vw_keuze", FRESH_TASK[:30])
    text = main_text(page)
    assert "Contact bij de gemeente" in text and "Schulden" not in text
    shot(page, "partner", 1, "verwijzing")
    double_click(page, "vw_accepteer")
    assert saved(page, "De verwijzing is geaccepteerd.")
    assert count_rows(demo_server, MESSAGES, taak=FRESH_TASK, soort="acceptatie") == 1
    fill(page, "vw_voortgang", "Eerste gesprek gevoerd; regeling in de maak")
    click(page, "vw_voortgang_knop")
    choose(page, "vw_uitkomst", "bereikt")
    fill(page, "vw_toelichting", "Betalingsregeling getroffen, huur loopt weer")
    double_click(page, "vw_afronden_knop")
    assert saved(page, "De verwijzing is afgerond met een uitkomst.")
    assert count_rows(demo_server, MESSAGES, taak=FRESH_TASK, soort="afronding") == 1
    assert count_rows(demo_server, MESSAGES, taak=FRESH_TASK, soort="voortgang") == 1
    shot(page, "partner", 2, "afgerond")
