"""Browser helpers shared by the real-browser tests: wait, find widgets by key, log in, shoot."""

from __future__ import annotations

import time

from sqlalchemy import text

from households.db import make_engine
from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current script run."""
    time.sleep(0.3)
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_load_state("networkidle")


def assert_no_exception(page) -> None:
    """Fail when Streamlit shows an exception box."""
    boxes = page.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()


def shot(page, role: str, step: int, name: str) -> None:
    """Screenshot of this step, then the exception check."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{role}_{step:02d}_{name}.png"), full_page=True)
    assert_no_exception(page)


def fill(page, key: str, value: str) -> None:
    """Fill the text input or text area with widget key ``key`` and commit it."""
    field = page.locator(f".st-key-{key} input, .st-key-{key} textarea").first
    field.fill(value)
    field.press("Tab")
    wait_idle(page)


def click(page, key: str) -> None:
    """Click the button with widget key ``key``."""
    page.locator(f".st-key-{key} button").first.click()
    wait_idle(page)


def pick(page, key: str, index: int = 0) -> None:
    """Choose option ``index`` of the selectbox with widget key ``key``.

    A rerun that arrives while the list is open redraws it (the option detaches): then the
    list is closed and opened again, up to three times.
    """
    for attempt in range(3):
        wait_idle(page)
        box = page.locator(f".st-key-{key} input").first
        box.scroll_into_view_if_needed()
        box.click()
        option = page.locator("[role='listbox'] [role='option']").nth(index)
        try:
            option.wait_for(state="visible", timeout=5_000)
            option.click(timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: the list was redrawn
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    wait_idle(page)


def nothing_picked(page, key: str) -> bool:
    """Does the selectbox ``key`` hold no chosen option (it shows its placeholder)?

    The placeholder attribute stays after a choice, so the test is on the value and on the
    clear button a chosen option brings.
    """
    box = page.locator(f".st-key-{key}")
    return (
        box.locator("input").first.input_value() == ""
        and box.locator("button[aria-label='Clear value']").count() == 0
    )


def goto(page, title: str) -> None:
    """Open a page through the sidebar navigation (no reload: the session stays)."""
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    wait_idle(page)


def login(page, server, naam: str) -> None:
    """Log in through the form."""
    page.goto(server.url)
    wait_idle(page)
    fill(page, "login_naam", naam)
    fill(page, "login_wachtwoord", DEMO_PASSWORD)
    click(page, "login_knop")
    page.wait_for_selector("[data-testid='stSidebarNav']")
    wait_idle(page)


def sidebar_titles(page) -> list[str]:
    """The page titles in the sidebar navigation."""
    texts = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    return [t.strip().splitlines()[-1].strip() for t in texts]  # drop the icon's ligature


def an_address(server) -> tuple[str, str]:
    """Postcode and huisnummer of a demo household that has provisions."""
    engine = make_engine(server.database_url)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT h.postcode, h.huisnummer FROM household h "
                "JOIN person p ON p.household_id = h.id "
                "JOIN provision v ON v.person_id = p.id "
                "WHERE h.postcode IS NOT NULL ORDER BY h.id LIMIT 1"
            )
        ).one()
    engine.dispose()
    return row[0], row[1]


def open_household_at_front_door(page, server, role: str, step: int) -> int:
    """Search by address, pick the household, state the purpose, open it."""
    postcode, nummer = an_address(server)
    goto(page, "Voordeur")
    shot(page, role, step, "voordeur")
    fill(page, "zoek_postcode", postcode)
    fill(page, "zoek_huisnummer", nummer)
    click(page, "zoek")
    shot(page, role, step + 1, "zoekresultaat")
    # nothing is preselected: the picker shows its placeholder until a person is chosen
    assert nothing_picked(page, "kies_huishouden")
    assert "gevonden" in page.locator("[data-testid='stMain']").inner_text()
    pick(page, "kies_huishouden")
    assert not nothing_picked(page, "kies_huishouden")
    fill(page, "doel", "Hulpvraag aan de voordeur")
    click(page, "openen")
    shot(page, role, step + 2, "huishouden_open")
    return step + 3


def count_rows(server, sql: str, **params) -> int:
    """One count from the demo server's database (what a save really wrote)."""
    engine = make_engine(server.database_url)
    with engine.connect() as conn:
        value = conn.execute(text(sql), params).scalar_one()
    engine.dispose()
    return int(value)


def double_click(page, key: str) -> None:
    """Click the button with widget key ``key`` twice in quick succession, as an impatient user."""
    page.locator(f".st-key-{key} button").first.dblclick()
    wait_idle(page)
    time.sleep(0.5)  # a second rerun may follow the first
    wait_idle(page)


def field_value(page, key: str) -> str:
    """The current value of the text input or text area with widget key ``key``."""
    return page.locator(f".st-key-{key} input, .st-key-{key} textarea").first.input_value()


def main_text(page) -> str:
    """All text of the page's main area."""
    return page.locator("[data-testid='stMain']").inner_text()


def metric(page, label: str) -> int:
    """The whole-number value of the metric labelled ``label``."""
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    value = box.locator("[data-testid='stMetricValue']").inner_text()
    return int(value.replace(".", "").strip())


def eventually(check, timeout: float = 20, what: str = "") -> None:
    """Wait until ``check()`` holds: a late second click of a double click may rerun the page
    once more (under load that can come after the first rerun has finished)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"the page did not reach the expected state {what}"
        time.sleep(0.5)
