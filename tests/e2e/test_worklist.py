"""The coordinator's worklist in a real browser: log in, see it, open a row, reload, still there."""

from __future__ import annotations

import re

import pytest

from tests.e2e.ui import goto, login, main_text, metric, pick, shot, wait_idle

pytestmark = pytest.mark.browser

KINDS = ("Regie", "Doel evalueren", "Verwijzing", "Stabiliteitslog", "Vier ogen", "Schuldhulpnorm")


def test_gbd_opens_a_household_from_the_worklist(page, demo_server):
    login(page, demo_server, "gbd")
    assert "Uw werklijst" in main_text(page)  # the landing page starts with the worklist
    goto(page, "Werklijst")
    shot(page, "gbd", 20, "werklijst")
    counts = {kind: metric(page, kind) for kind in KINDS}
    assert all(n >= 1 for n in counts.values()), counts
    link = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first
    label = link.inner_text().strip().splitlines()[-1].strip()
    code = label.split(" — ")[0]
    assert re.fullmatch(r"\w+", code) and " — " in label  # code — name, address
    link.click()
    wait_idle(page)
    page.wait_for_selector(".st-key-hh_keuze")
    wait_idle(page)
    assert "huishouden=" in page.url and "/huishouden" in page.url
    assert f"{code} · wijk" in main_text(page)  # the household page's header
    shot(page, "gbd", 21, "werklijst_huishouden")
    page.reload()
    wait_idle(page)
    page.wait_for_selector(".st-key-hh_keuze")
    wait_idle(page)
    assert f"{code} · wijk" in main_text(page)
    assert "huishouden=" in page.url


def test_ervaringswerker_opens_a_proeftuin_household_in_the_logboek(page, demo_server):
    login(page, demo_server, "ervaringswerker.noord1")
    goto(page, "Experimenten")
    pick(page, "ex_experiment")  # the active proeftuin is the first
    page.get_by_role("tab", name="Huishoudens").click()
    wait_idle(page)
    grid = page.locator(".st-key-ex_deelnemers [data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # the first data row: below the header row (about 35 px each), in the selection column
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    wait_idle(page)
    page.wait_for_selector(".st-key-lb_huishouden")
    wait_idle(page)
    shot(page, "ervaringswerker", 20, "lijst_naar_logboek")
    assert "/logboek" in page.url and "huishouden=" in page.url
    assert "Kies het huishouden" not in main_text(page)  # a household is chosen
