"""WCAG 2.1 A and AA in the browser: axe-core on every page of every role.

axe-core (the engine most accessibility audits use) comes with the PyPI package
``axe-playwright-python`` (``axe.min.js`` inside the wheel, nothing downloaded
at run time). Every page that a role sees in its menu is scanned after logging
in as that role's demo user on the one demo server of the test session, with
the rules tagged ``wcag2a``, ``wcag2aa``, ``wcag21a`` and ``wcag21aa`` (plus the
two of ``ALSO_BLOCKING``), with its expanders open and each tab of a tab bar.
A serious or critical violation fails the test; moderate and minor ones are
written to ``test-artifacts/browser/axe_<role>.txt`` beside the screenshots.
The keyboard is tested in ``test_keyboard.py``.

The README's "Toegankelijkheidsverklaring" lists what this covers and what is
known not to meet AA.
"""

from __future__ import annotations

import re

import pytest

from app.navigation import pages_for
from households.models import USER_ROLES
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.ui import (
    click,
    fill,
    goto,
    login,
    open_household_at_front_door,
    shot,
    wait_idle,
)

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# Best-practice rules that the audit counted, run beside the WCAG tags and
# blocking at any impact: headings that skip a level confuse a screen reader's
# heading list (WCAG 1.3.1 in spirit), and a role="presentation" that axe sees
# ignored is a real element to assistive technology.
ALSO_BLOCKING = ("heading-order", "presentation-role-conflict")

# The demo user of each role (`kiss demo`, see the README's table of logins).
DEMO_USER = {
    "voordeur": "voordeur",
    "gbd": "gbd",
    "ervaringswerker": "ervaringswerker.noord1",
    "partner": "partner",
    "kiss": "kiss",
    "beheer": "beheer",
}

# Violations in Streamlit's own markup, which the project cannot change: (rule, a
# piece of the element's HTML) -> why. Only that rule on that element is passed over;
# the rule still runs everywhere else. Each is listed in the README's
# toegankelijkheidsverklaring.
STREAMLIT_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("presentation-role-conflict", 'data-testid="stFileUploaderDropzone"'): (
        "st.file_uploader draws its drop zone as <section role=presentation tabindex=-1"
        " aria-label=...>; the real control, the 'Browse files' button inside it, has"
        " a name and takes the keyboard focus"
    ),
}


def axe_options() -> dict:
    """The WCAG 2.1 A/AA rules and the best-practice rules of ``ALSO_BLOCKING``."""
    return {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": True} for rule in ALSO_BLOCKING},
    }


def is_streamlit_exception(rule: str, node: dict) -> bool:
    """Is this element's violation one of Streamlit's own, listed in ``STREAMLIT_EXCEPTIONS``?"""
    return any(rule == r and marker in node.get("html", "") for r, marker in STREAMLIT_EXCEPTIONS)


def scan(page) -> list[dict]:
    """axe-core's violations on the page as it is now, less Streamlit's listed exceptions."""
    from axe_playwright_python.sync_playwright import Axe

    violations = []
    for v in Axe().run(page, options=axe_options()).response["violations"]:
        nodes = [n for n in v["nodes"] if not is_streamlit_exception(v["id"], n)]
        if nodes:
            violations.append({**v, "nodes": nodes})
    return violations


def describe(where: str, violations: list[dict]) -> list[str]:
    """One line per violating element: page, rule, impact, CSS target, message, markup."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            html = " ".join(node.get("html", "").split())[:160]
            lines.append(f"{where}: {v['id']} ({v['impact']}) {target} — {v['help']} — {html}")
    return lines


class Findings:
    """The violations of one role's walk: blocking ones fail, the rest are written down."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.blocking: list[str] = []
        self.other: list[str] = []
        self.scanned: list[str] = []

    def check(self, page, where: str) -> None:
        violations = scan(page)
        self.scanned.append(where)
        blocking = [v for v in violations if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING]
        self.blocking += describe(where, blocking)
        self.other += describe(where, [v for v in violations if v not in blocking])

    def write(self) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        text = "\n".join(
            [f"gescand: {', '.join(self.scanned)}", "", "ernstig/kritiek:", *self.blocking,
             "", "overig:", *self.other]
        )  # fmt: skip
        (ARTIFACTS / f"axe_{self.role}.txt").write_text(text + "\n", encoding="utf-8")


def open_expanders(page) -> int:
    """Open every closed expander on the page (their content is not scanned while closed)."""
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary")
    n = closed.count()
    for _ in range(n):
        closed.first.click()
    return n


def check_page(page, findings: Findings, title: str) -> None:
    """Scan a page with its expanders open, then each further tab of its tab bars."""
    opened = open_expanders(page)
    findings.check(page, title + (" (uitgeklapt)" if opened else ""))
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    for i in range(1, tabs.count()):
        tab = tabs.nth(i)
        tab.click()
        open_expanders(page)
        findings.check(page, f"{title} (tab {tab.inner_text().strip()})")


def test_every_role_has_a_demo_user():
    assert set(DEMO_USER) == set(USER_ROLES)


def test_login_page_meets_wcag_aa(page, demo_server):
    findings = Findings("inloggen")
    page.goto(demo_server.url)
    wait_idle(page)
    findings.check(page, "Inloggen")
    fill(page, "login_naam", "voordeur")
    fill(page, "login_wachtwoord", "fout-wachtwoord-123")
    click(page, "login_knop")
    findings.check(page, "Inloggen (fout wachtwoord)")
    findings.write()
    assert page.locator("html").get_attribute("lang") == "nl"
    page.wait_for_function("t => document.title === t", arg="Inloggen · KISS hub")
    # Streamlit's own English skip link, named in Dutch by app/html_lang.py
    assert page.locator("[data-testid='stSkipToContent']").inner_text() == "Naar de inhoud"
    assert not findings.blocking, "\n".join(findings.blocking)


def test_the_scan_finds_what_it_should(page, demo_server):
    """Grey text on white and a skipped heading level are reported (the check can fail)."""
    page.goto(demo_server.url)
    wait_idle(page)
    page.evaluate(
        """() => { const main = document.querySelector("[data-testid='stMain']");
        main.insertAdjacentHTML("beforeend",
          "<h4 id='te-diep'>Kop</h4><p id='te-licht' style='color:#aaaaaa'>Lichtgrijs</p>"); }"""
    )
    found = {(v["id"], n["target"][0]) for v in scan(page) for n in v["nodes"]}
    assert ("color-contrast", "#te-licht") in found
    assert ("heading-order", "#te-diep") in found


@pytest.mark.parametrize("role", USER_ROLES)
def test_every_page_of_the_role_meets_wcag_aa(page, demo_server, role):
    findings = Findings(role)
    login(page, demo_server, DEMO_USER[role])
    titles = [p.title for p in pages_for(role)]
    assert titles, f"rol {role} ziet geen pagina's"
    if "Voordeur" in titles:
        # the front door with search results and an opened household, so that the
        # household pages show their content and not only "open eerst een huishouden"
        open_household_at_front_door(page, demo_server, f"axe_{role}", 1)
        findings.check(page, "Voordeur (huishouden geopend)")
    assert page.locator("[data-testid='stSidebarNav']").get_attribute("aria-label") == "Pagina's"
    for title in titles:
        goto(page, title)
        # the tab's title (WCAG 2.4.2); it follows the page's script run
        page.wait_for_function("t => document.title === t", arg=f"{title} · KISS hub")
        shot(page, f"axe_{role}", 10, re.sub(r"\W+", "_", title.lower()))
        check_page(page, findings, title)
    findings.write()
    assert len(findings.scanned) >= len(titles)
    assert not findings.blocking, "\n".join(findings.blocking)
