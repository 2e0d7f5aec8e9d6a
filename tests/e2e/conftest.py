"""A real `kiss serve` on demo data, and Debian's Chromium driven by Playwright.

The server runs once per test session on a free port on 127.0.0.1 against a
fresh database of the backend under test, filled by `kiss demo`. Screenshots
of every step go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("KISS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_HOUSEHOLDS = 1500
DEMO_PASSWORD = "demo-wachtwoord-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kiss serve stopped with exit code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("kiss serve did not become healthy in time")


@dataclass(frozen=True)
class DemoServer:
    """A running `kiss serve`: its base URL and the database it serves."""

    url: str
    database_url: str


KISS = [sys.executable, "-m", "app.cli"]


def server_env(workdir, pg_templates) -> dict[str, str]:
    """Environment for a `kiss` server of one test: its own key file and a fresh database."""
    from tests.conftest import _require_pg, backend

    env = dict(os.environ)
    env.pop("KISS_SECRET_KEY", None)
    env["KISS_KEY_FILE"] = str(workdir / "kiss.key")
    if backend() == "postgresql":
        _require_pg()
        env["KISS_DATABASE_URL"] = pg_templates.clone()
    else:
        env["KISS_DATABASE_URL"] = f"sqlite:///{workdir / 'kiss.db'}"
    return env


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, _pg_templates) -> Iterator[DemoServer]:
    """`kiss serve` on freshly generated demo data (one per test session)."""

    workdir = tmp_path_factory.mktemp("serve")
    env = server_env(workdir, _pg_templates)
    env["KISS_DEMO_PASSWORD"] = DEMO_PASSWORD
    kiss = KISS
    subprocess.run(
        [*kiss, "demo", "--households", str(DEMO_HOUSEHOLDS), "--seed", "7"],
        cwd=workdir, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    port = _free_port()
    log = open(workdir / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [*kiss, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield DemoServer(url=url, database_url=env["KISS_DATABASE_URL"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright (never a Playwright-downloaded browser)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is required under CI=true ({CHROMIUM} missing)")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, demo_server):
    """A fresh browser context and page on the demo server."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
