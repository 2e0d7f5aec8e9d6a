"""The front door without a mouse: log in, search, open with a purpose, register, decide.

Only key presses drive the page (Tab, Shift+Tab, Enter, Space, the arrow keys and
typing); the test reads the DOM only to know where the focus is. Every control
that the focus lands on must show it: its own or an enclosing element's outline,
box shadow or border must differ from how it looks once the focus has moved on
(WCAG 2.4.7, Focus Visible). The order of the search form is checked too
(WCAG 2.4.3, Focus Order).
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD
from tests.e2e.ui import an_address, assert_no_exception, main_text, wait_idle

pytestmark = pytest.mark.browser

MAX_TABS = 150

# Where the focus is: the Streamlit widget key of the focused control ("st-key-…"),
# "nav:<title>" for a link of the sidebar navigation, or the tag name otherwise.
WHERE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  const nav = el.closest("[data-testid='stSidebarNav']");
  if (nav && el.tagName === "A") {
    const lines = el.innerText.trim().split("\\n");
    return "nav:" + lines[lines.length - 1].trim();
  }
  const box = el.closest("[class*='st-key-']");
  if (box) {
    const cls = [...box.classList].find(c => c.startsWith("st-key-"));
    return cls.slice("st-key-".length);
  }
  return el.tagName.toLowerCase();
}"""

# The look of the focused control and its ancestors up to the widget's box,
# remembered on window so that it can be compared once the focus has moved on
# (after running CSS transitions to their end, so a fading border is not missed).
LOOK_JS = """(remember) => {
  for (const a of document.getAnimations()) {  // CSS transitions to their end state
    try { a.finish(); } catch (e) { /* an endless animation (a spinner) */ }
  }
  const look = (el) => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
            s.borderTopColor, s.borderBottomColor, s.backgroundColor].join("|");
  };
  if (remember) {
    const chain = [];
    for (let el = document.activeElement; el && el !== document.body; el = el.parentElement) {
      chain.push(el);
      if ([...el.classList].some(c => c.startsWith("st-key-"))) break;
    }
    window.__kissFocusChain = chain;
  }
  return (window.__kissFocusChain || []).map(look);
}"""


def where(page) -> str:
    """Where the focus is; asked again if a rerun swapped the page's script context."""
    from playwright.sync_api import Error

    for _ in range(3):
        try:
            return page.evaluate(WHERE_JS)
        except Error:
            time.sleep(0.3)
    return page.evaluate(WHERE_JS)


class Keyboard:
    """Tab through the page, type and press keys; remember where the focus went."""

    def __init__(self, page) -> None:
        self.page = page
        self.visited: list[str] = []
        self.unseen_focus: list[str] = []

    def press(self, key: str) -> None:
        """Press ``key``; note where the focus went."""
        self.page.keyboard.press(key)
        here = where(self.page)
        if not self.visited or self.visited[-1] != here:
            self.visited.append(here)

    def tab_to(self, target: str) -> None:
        """Press Tab until the focus is on ``target`` (a widget key or ``nav:<title>``)."""
        for _ in range(MAX_TABS):
            if where(self.page) == target:
                return
            self.press("Tab")
        raise AssertionError(f"{target} niet bereikt met Tab; bezocht: {self.visited[-40:]}")

    def leave(self, key: str = "Tab") -> None:
        """Move the focus on with ``key`` and check that the control showed it had it."""
        here = where(self.page)
        focused = self.page.evaluate(LOOK_JS, True)
        self.press(key)
        unfocused = self.page.evaluate(LOOK_JS, False)
        if focused == unfocused and where(self.page) != here:
            self.unseen_focus.append(here)

    def type_into(self, target: str, text: str) -> None:
        """Tab to a text field, type ``text`` and Tab on (which commits it)."""
        self.tab_to(target)
        self.page.keyboard.type(text)
        self.leave("Tab")
        wait_idle(self.page)

    def activate(self, target: str, key: str = "Enter") -> None:
        """Tab to a button or link and press Enter (or ``key``)."""
        self.tab_to(target)
        focused = self.page.evaluate(LOOK_JS, True)
        self.page.keyboard.press("Shift+Tab")  # away and back: how does it look without focus?
        if self.page.evaluate(LOOK_JS, False) == focused:
            self.unseen_focus.append(target)
        self.page.keyboard.press("Tab")
        assert where(self.page) == target, f"Shift+Tab, Tab kwam niet terug op {target}"
        self.page.keyboard.press(key)
        wait_idle(self.page)
        time.sleep(0.5)  # a saved form reruns the page once more
        wait_idle(self.page)

    def choose_first(self, target: str) -> None:
        """Tab to a selectbox, open it with the arrow key and take the first option."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for _ in range(3):  # a rerun that was still on its way may close the list again
            wait_idle(self.page)
            self.tab_to(target)
            self.page.keyboard.press("ArrowDown")
            try:
                self.page.wait_for_selector("[role='option']", timeout=4000)
                break
            except PlaywrightTimeout:
                continue
        else:
            raise AssertionError(f"de keuzelijst {target} ging niet open met pijl-omlaag")
        self.page.keyboard.press("Enter")
        wait_idle(self.page)


def test_front_door_flow_by_keyboard_only(page, demo_server):
    postcode, nummer = an_address(demo_server)
    kb = Keyboard(page)
    page.goto(demo_server.url)
    wait_idle(page)

    # log in: the form submits on Enter in the password field
    kb.type_into("login_naam", "voordeur")
    kb.tab_to("login_wachtwoord")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid='stSidebarNav']")
    wait_idle(page)

    # the sidebar's navigation link to the front door
    kb.activate("nav:Voordeur")
    assert "Huishouden zoeken" in main_text(page)

    # search by address; the fields come in reading order
    start = len(kb.visited)
    kb.type_into("zoek_postcode", postcode)
    kb.type_into("zoek_huisnummer", nummer)
    kb.activate("zoek")
    order = [k for k in kb.visited[start:] if k.startswith("zoek")]
    assert order == [
        "zoek_bsn", "zoek_postcode", "zoek_huisnummer", "zoek_naam", "zoek_geboortejaar", "zoek",
    ]  # fmt: skip
    assert "gevonden" in main_text(page)

    # pick the household, state the purpose, open it
    kb.choose_first("kies_huishouden")
    assert "Kies een persoon" not in page.locator(".st-key-kies_huishouden").inner_text()
    kb.type_into("doel", "Hulpvraag aan de voordeur (toetsenbord)")
    kb.activate("openen")
    assert re.search(r"Huishouden .*\d{4} ?[A-Z]{2}", main_text(page))

    # register a help request: domain and urgency chosen with the arrow keys
    kb.choose_first("aanvraag_domein")
    kb.choose_first("aanvraag_urgentie")
    kb.type_into("aanvraag_omschrijving", "Vraagt hulp bij administratie, per toetsenbord")
    kb.activate("aanvraag_registreren")
    page.get_by_text(re.compile(r"aanvraag \d+ in 12 maanden", re.IGNORECASE)).wait_for()

    # decide the triage: the advice is preselected; record it
    kb.activate("triage_besluiten")
    page.get_by_text("Triage vastgelegd:").wait_for()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "keyboard_voordeur.png"), full_page=True)
    assert_no_exception(page)
    assert not kb.unseen_focus, f"focus niet zichtbaar op: {kb.unseen_focus}"
