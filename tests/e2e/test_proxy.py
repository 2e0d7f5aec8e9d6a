"""The production recipe: nginx (Debian package) in front of `kiss serve` sets the security
headers, and the app works through it in a real browser without a CSP violation."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, _free_port
from tests.e2e.ui import login, sidebar_titles

pytestmark = pytest.mark.browser

HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
}


@pytest.fixture(scope="module")
def proxy(demo_server, tmp_path_factory):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is required for the production recipe (apt-get install nginx)")
    prefix = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    upstream = demo_server.url.removeprefix("http://")
    conf = (ROOT / "deploy" / "nginx-kiss-hub.conf").read_text()
    conf = conf.replace("@PREFIX@", str(prefix)).replace("@LISTEN@", f"127.0.0.1:{port}")
    (prefix / "nginx.conf").write_text(conf.replace("@UPSTREAM@", upstream))
    proc = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_the_proxy_sets_the_security_headers(proxy):
    with urllib.request.urlopen(proxy, timeout=10) as resp:
        for name, fragment in HEADERS.items():
            assert fragment in (resp.headers.get(name) or ""), name
        assert "nginx/" not in (resp.headers.get("Server") or "")


def test_the_app_works_through_the_proxy_without_csp_violations(page, proxy, demo_server):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text
            else None)  # fmt: skip
    login(page, type(demo_server)(url=proxy, database_url=demo_server.database_url), "gbd")
    assert "Voordeur" in sidebar_titles(page)
    assert violations == []
