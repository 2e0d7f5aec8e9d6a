"""Sign-in that survives a reload and a second tab, in a real browser.

* Password login on the demo server: the HttpOnly session cookie is set, a
  reload (F5) and a second tab stay logged in, logging out ends both.
* Sign-in through a real OpenID Connect provider (the npm package
  ``oidc-provider``, installed from ``tests/e2e/idp/package-lock.json`` with
  ``npm ci`` and run with the machine's Node.js): the user lands on the pages
  of the role in ``app_user``, stays logged in after a reload and in a second
  tab; an account the hub does not know is refused in Dutch and audited.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.navigation import pages_for
from households.db import make_engine, session_scope
from households.models import AuditEvent
from tests.e2e.conftest import ARTIFACTS, KISS, ROOT, _free_port, _wait_healthy, server_env
from tests.e2e.ui import click, login, sidebar_titles, wait_idle

pytestmark = pytest.mark.browser

IDP_DIR = ROOT / "tests" / "e2e" / "idp"
COOKIE = "kiss_sessie"


def _titles(rol: str) -> list[str]:
    return [p.title for p in pages_for(rol)]


def _session_cookie(context) -> dict | None:
    for _ in range(50):  # the page hands the ticket to the cookie route right after login
        found = [c for c in context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]
        time.sleep(0.1)
    return None


def _assert_logged_in_as(page, rol: str) -> None:
    page.wait_for_selector("[data-testid='stSidebarNav']")
    wait_idle(page)
    assert sidebar_titles(page) == _titles(rol)
    assert page.locator(".st-key-login_naam").count() == 0


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"sessie_{name}.png"), full_page=True)


def test_password_login_survives_reload_and_second_tab(browser, demo_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        login(page, demo_server, "gbd")
        cookie = _session_cookie(context)
        assert cookie is not None, "no session cookie after login"
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["value"] not in page.content()  # the token never enters the page

        page.reload()
        wait_idle(page)
        _assert_logged_in_as(page, "gbd")
        _shot(page, "wachtwoord_na_herladen")

        second = context.new_page()
        second.set_default_timeout(20_000)
        second.goto(demo_server.url + "/regie")  # a typed URL in a second tab
        wait_idle(second)
        _assert_logged_in_as(second, "gbd")

        click(second, "uitloggen")
        assert second.locator(".st-key-login_naam").count() == 1
        page.reload()
        wait_idle(page)
        assert page.locator(".st-key-login_naam").count() == 1  # logging out ends every tab
        _shot(page, "wachtwoord_na_uitloggen")
    finally:
        context.close()


# --- a real OpenID Connect provider -----------------------------------------------------


@dataclass(frozen=True)
class OidcSetup:
    """The app (on ``localhost``) and the identity provider (on 127.0.0.1)."""

    url: str
    idp_url: str
    database_url: str


def _need_node() -> None:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        message = f"Node.js is required for the OpenID Connect test ({', '.join(missing)} missing)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def _install_idp() -> None:
    """``npm ci`` from the lock file when node_modules is missing (one worker at a time)."""
    with open(IDP_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (IDP_DIR / "node_modules" / "oidc-provider").exists():
            subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund"],
                cwd=IDP_DIR, check=True, capture_output=True, text=True,
            )  # fmt: skip


def _wait_url(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: process stopped with exit code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in time")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory, _pg_templates) -> Iterator[OidcSetup]:
    """`kiss serve` with an ``[auth]`` section, and `oidc-provider` as the gemeente's IdP."""

    _need_node()
    _install_idp()
    workdir = tmp_path_factory.mktemp("oidc")
    app_port, idp_port = _free_port(), _free_port()
    app_url, idp_url = f"http://localhost:{app_port}", f"http://127.0.0.1:{idp_port}"
    env = server_env(workdir, _pg_templates)
    kiss = KISS
    subprocess.run([*kiss, "init"], cwd=workdir, env=env, check=True, capture_output=True)
    subprocess.run(
        [*kiss, "user", "add", "kees", "--role", "kiss", "--oidc-id", "Kees@Brunssum.example"],
        cwd=workdir, env=env, check=True, capture_output=True,
    )  # fmt: skip
    (workdir / ".streamlit").mkdir()
    (workdir / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        'cookie_secret = "test-only-cookie-secret-0123456789abcdef"\n'
        'client_id = "kiss-hub"\n'
        'client_secret = "kiss-hub-secret"\n'
        f'server_metadata_url = "{idp_url}/.well-known/openid-configuration"\n'
        'client_kwargs = { "prompt" = "login" }\n'
        "\n[kiss_auth]\n"
        'match_claim = "email"\n'
    )
    idp_log = open(workdir / "idp.log", "w")  # noqa: SIM115
    idp = subprocess.Popen(
        ["node", "idp.js"],
        cwd=IDP_DIR, stdout=idp_log, stderr=idp_log,
        env={**os.environ, "IDP_PORT": str(idp_port), "REDIRECT_URI": f"{app_url}/oauth2callback"},
    )  # fmt: skip
    app_log = open(workdir / "serve.log", "w")  # noqa: SIM115
    app = subprocess.Popen(
        [*kiss, "serve", "--port", str(app_port)], cwd=workdir, env=env,
        stdout=app_log, stderr=app_log,
    )  # fmt: skip
    try:
        _wait_url(f"{idp_url}/.well-known/openid-configuration", idp)
        _wait_healthy(f"http://127.0.0.1:{app_port}", app)
        yield OidcSetup(url=app_url, idp_url=idp_url, database_url=env["KISS_DATABASE_URL"])
    finally:
        _stop(app)
        _stop(idp)
        app_log.close()
        idp_log.close()


def _sign_in_at_provider(page, setup: OidcSetup, login_name: str) -> None:
    page.goto(setup.url)
    wait_idle(page)
    page.locator(".st-key-login_oidc button").click()
    page.wait_for_url(f"{setup.idp_url}/**")
    page.fill("input[name='login']", login_name)
    page.fill("input[name='password']", "wat-dan-ook")
    page.locator("button[type='submit']").click()
    page.wait_for_load_state()
    if page.url.startswith(setup.idp_url):  # the consent page
        page.locator("button[type='submit']").click()
    page.wait_for_url(f"{setup.url}/**")
    wait_idle(page)


def test_oidc_login_lands_on_the_role_and_survives_reload_and_second_tab(browser, oidc_app):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        _sign_in_at_provider(page, oidc_app, "kees")
        _assert_logged_in_as(page, "kiss")
        _shot(page, "oidc_ingelogd")
        assert page.locator("[data-testid='stSidebar']").inner_text().count("kees") >= 1
        assert _session_cookie(context) is not None

        page.reload()
        wait_idle(page)
        _assert_logged_in_as(page, "kiss")

        second = context.new_page()
        second.set_default_timeout(20_000)
        second.goto(oidc_app.url)
        wait_idle(second)
        _assert_logged_in_as(second, "kiss")
        _shot(second, "oidc_tweede_tabblad")

        # Logging out ends the hub's session, Streamlit's identity cookie and the IdP's session.
        second.locator(".st-key-uitloggen button").click()
        second.wait_for_url(f"{oidc_app.idp_url}/**")
        second.locator("button[autofocus], button[type='submit']").first.click()  # "sign out?"
        second.wait_for_url(f"{oidc_app.url}/**")
        wait_idle(second)
        assert second.locator(".st-key-login_oidc").count() == 1
        page.reload()
        wait_idle(page)
        assert page.locator(".st-key-login_oidc").count() == 1  # no silent sign-in again
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
    finally:
        context.close()
    engine = make_engine(oidc_app.database_url)
    with session_scope(engine) as session:
        details = session.scalars(
            select(AuditEvent.nieuw).where(
                AuditEvent.actie == "inloggen", AuditEvent.resultaat == "ok"
            )
        ).all()
    engine.dispose()
    assert any('"oidc"' in (d or "") for d in details)


def test_unknown_oidc_account_is_refused_in_dutch(browser, oidc_app):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        _sign_in_at_provider(page, oidc_app, "onbekende.medewerker")
        alert = page.locator("[data-testid='stAlert']").first
        alert.wait_for()
        assert "geen account in de KISS hub" in alert.inner_text()
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        assert page.locator(".st-key-login_oidc_afmelden").count() == 1
        _shot(page, "oidc_onbekend")
    finally:
        context.close()
    engine = make_engine(oidc_app.database_url)
    with session_scope(engine) as session:
        refused = session.scalars(
            select(AuditEvent.nieuw).where(
                AuditEvent.actie == "inloggen", AuditEvent.resultaat == "geweigerd"
            )
        ).all()
    engine.dispose()
    assert any("onbekende.medewerker@brunssum.example" in (d or "") for d in refused)
