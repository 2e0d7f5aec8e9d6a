"""The production recipe with two app processes: nginx (deploy/nginx-kiss-hub.conf) in front
of two `kiss serve` processes on one database, with sticky sessions on the kiss_route cookie.

A browser logs in through the proxy, reloads and stays logged in, and every request of that
browser reached one process; new browsers are spread over both processes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    ARTIFACTS,
    DEMO_PASSWORD,
    KISS,
    ROOT,
    DemoServer,
    _free_port,
    _wait_healthy,
    server_env,
)
from tests.e2e.ui import login, sidebar_titles, wait_idle

pytestmark = pytest.mark.browser
PROCESSES = 2


class Recipe:
    """Two app processes behind nginx: the proxy's URL and the access log of routes."""

    def __init__(self, url: str, database_url: str, log: Path, upstreams: list[str]):
        self.server = DemoServer(url=url, database_url=database_url)
        self.log = log
        self.upstreams = upstreams

    def routes(self) -> list[tuple[str, str]]:
        """(route cookie, upstream) of every proxied request so far."""
        text = self.log.read_text() if self.log.exists() else ""
        return re.findall(r"route=(\S+) upstream=(\S+)", text)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def recipe(tmp_path_factory, _pg_templates):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is required for the production recipe (apt-get install nginx)")
    workdir = tmp_path_factory.mktemp("processes")
    env = server_env(workdir, _pg_templates)
    env["KISS_DEMO_PASSWORD"] = DEMO_PASSWORD
    env["KISS_DB_POOL_SIZE"], env["KISS_DB_MAX_OVERFLOW"] = "3", "2"  # per process
    subprocess.run([*KISS, "demo", "--households", "200", "--seed", "7"], cwd=workdir, env=env,
                   check=True, capture_output=True, text=True)  # fmt: skip
    procs, upstreams = [], []
    try:
        for i in range(PROCESSES):
            port = _free_port()
            log = open(workdir / f"serve{i}.log", "w")  # noqa: SIM115
            procs.append(subprocess.Popen([*KISS, "serve", "--port", str(port)], cwd=ROOT,
                                          env=env, stdout=log, stderr=log))  # fmt: skip
            upstreams.append(f"127.0.0.1:{port}")
        for proc, upstream in zip(procs, upstreams, strict=True):
            _wait_healthy(f"http://{upstream}", proc)
        prefix = workdir / "nginx"
        prefix.mkdir()
        port = _free_port()
        conf = (ROOT / "deploy" / "nginx-kiss-hub.conf").read_text()
        servers = "\n".join(f"        server {u};" for u in upstreams)
        conf = conf.replace("        server @UPSTREAM@;", servers)
        conf = conf.replace("@PREFIX@", str(prefix)).replace("@LISTEN@", f"127.0.0.1:{port}")
        (prefix / "nginx.conf").write_text(conf)
        procs.append(subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        ))  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, procs[-1])
        yield Recipe(url, env["KISS_DATABASE_URL"], prefix / "access.log", upstreams)
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _get(url: str, cookie: str | None = None) -> str:
    """GET ``url`` (with ``cookie``); the Set-Cookie header of the answer ("" when none)."""
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()
        return "\n".join(c for c in resp.headers.get_all("Set-Cookie") or ()
                         if c.startswith("kiss_route="))  # fmt: skip


def test_new_browsers_are_spread_and_each_sticks_to_one_process(recipe):
    cookies = []
    for _ in range(16):  # 16 new browsers: a route cookie each
        set_cookie = _get(recipe.server.url + "/_stcore/health")
        match = re.match(r"kiss_route=(\w+); Path=/; HttpOnly; SameSite=Strict", set_cookie)
        assert match, set_cookie
        cookies.append(match.group(1))
    for route in cookies[:4]:  # the same browser again: no new cookie, the same process
        for _ in range(3):
            assert _get(recipe.server.url + "/_stcore/health", f"kiss_route={route}") == ""
    time.sleep(0.3)  # nginx writes the log line after the response
    by_route: dict[str, set[str]] = {}
    for route, upstream in recipe.routes():
        by_route.setdefault(route, set()).add(upstream)
    assert all(len(by_route[r]) == 1 for r in cookies)
    used = Counter(next(iter(by_route[r])) for r in cookies)
    assert set(used) == set(recipe.upstreams), used  # both processes get browsers


def test_login_through_two_processes_survives_a_reload(browser, recipe):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        login(page, recipe.server, "gbd")
        assert "Voordeur" in sidebar_titles(page)
        route = next(c["value"] for c in context.cookies() if c["name"] == "kiss_route")
        page.reload()
        wait_idle(page)
        page.wait_for_selector("[data-testid='stSidebarNav']")
        assert "Voordeur" in sidebar_titles(page)
        assert page.locator(".st-key-login_naam").count() == 0  # still logged in
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "twee_processen_na_herladen.png"), full_page=True)
        time.sleep(0.3)
        mine = {upstream for r, upstream in recipe.routes() if r == route}
        assert len(mine) == 1, mine  # page, WebSocket, cookie route, reload: one process
    finally:
        context.close()
