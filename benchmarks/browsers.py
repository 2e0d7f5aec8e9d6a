"""``python -m benchmarks.browsers DATABASE_URL --sessions 5 --seconds 60``: what colleagues
feel when several work in the real app at once (issue 17: step p95 ≤ 1 s with five).

One ``kiss serve`` on the database, N browser sessions in Debian's Chromium (Playwright,
one browser, a context per colleague: separate cookies and Streamlit sessions), each a GBD-er
with a password logged in through the form. Each colleague works about one step per second
(think time 0.5–1.5 s) after one untimed round of every step (a fresh server pays each
page's imports on its first run), the rounds of a front-door morning:

- ``zoeken``: Voordeur, postcode and huisnummer of a household, the search button;
- ``openen``: choose the household, state the purpose, open it;
- ``huishouden``, ``werklijst``, ``casustafel``, ``start``: a page from the sidebar.

A *step* is timed from the click (or the Tab that commits a field) to the end of the script
run it causes, as the browser sees it: a MutationObserver in the page counts Streamlit's
``data-test-script-state`` turning ``notRunning``. A step that raises, times out (30 s) or
shows an exception box is an error. The record (JSON) goes to stdout: per step p50/p95/p99,
errors, and the machine's load before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select, text

from benchmarks.machine import append_row, is_busy, load_now, load_text, percentile
from coordination.models import CaseTable, CaseTableMember
from households import settings
from households.accounts import hash_password
from households.db import make_engine, session_scope
from households.models import User

__all__ = ["STEPS", "append_browser_rows", "browser_load", "format_browsers", "main",
           "run_browsers"]  # fmt: skip

STEPS = ("zoeken", "openen", "huishouden", "werklijst", "casustafel", "start")
PAGES = {"huishouden": "Huishouden", "werklijst": "Werklijst", "casustafel": "Casustafel",
         "start": "Start"}  # fmt: skip
PERFORMANCE_MD = Path(__file__).parents[1] / "PERFORMANCE.md"
BROWSERS_HEADER = "| date | machine load | database | households | sessions × s | step |"
STEP_TIMEOUT_MS = 30_000
ADDRESSES = (
    "SELECT h.postcode, h.huisnummer FROM household h WHERE h.postcode IS NOT NULL "
    "AND h.huisnummer IS NOT NULL AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id) "
    "ORDER BY h.id LIMIT 400"
)
# counts the ends of Streamlit script runs, with the time of the last (performance.now())
OBSERVER = """
window.__kissRuns = 0; window.__kissLast = 0;
new MutationObserver((records) => {
  for (const r of records) {
    if (r.target.getAttribute('data-test-script-state') === 'notRunning') {
      window.__kissRuns += 1; window.__kissLast = performance.now();
    }
  }
}).observe(document, {subtree: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
"""


def _accounts(url: str, sessions: int) -> tuple[list[str], str, list[tuple[str, str]]]:
    """N active GBD-ers with one password, each at a case table; addresses to search."""
    password = f"bench-{secrets.token_urlsafe(12)}-Wachtwoord"
    stamp = int(time.time())
    engine = make_engine(url)
    with session_scope(engine) as session:
        table_id = session.scalar(select(CaseTable.id).order_by(CaseTable.id))
        names = []
        for i in range(sessions):
            user = User(naam=f"browser-gbd-{stamp}-{i}", weergavenaam=f"Collega {i + 1}", rol="gbd",
                        wachtwoord_hash=hash_password(password), actief=True)  # fmt: skip
            session.add(user)
            session.flush()
            if table_id is not None:
                session.add(CaseTableMember(case_table_id=table_id, user_id=user.id))
            names.append(user.naam)
        addresses = [(str(p), str(n)) for p, n in session.execute(text(ADDRESSES))]
    engine.dispose()
    return names, password, addresses


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(url: str, log: Path) -> tuple[subprocess.Popen, str]:
    """`kiss serve` on ``url`` (a child process, as an operator starts it); healthy or fail."""
    port = _free_port()
    env = dict(os.environ, KISS_DATABASE_URL=url)
    out = open(log, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
                            env=env, stdout=out, stderr=out)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kiss serve stopped (exit {proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"kiss serve did not become healthy; see {log}")


IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


class _Colleague:
    """One browser session: its page, its account, its own random rounds."""

    def __init__(self, page, naam: str, rng: random.Random, addresses: list):
        self.page, self.naam, self.rng, self.addresses = page, naam, rng, addresses
        self.on = "Start"

    async def _timed(self, action) -> float:
        """Run ``action`` (a click that always reruns the script) and time it to the end of
        the script run it causes."""
        before, t0 = await self.page.evaluate("[window.__kissRuns, performance.now()]")
        await action()
        await self.page.wait_for_function("n => window.__kissRuns > n", arg=before)
        ms = await self.page.evaluate("window.__kissLast") - t0
        if await self.page.locator("[data-testid='stException']").count():
            raise RuntimeError("de pagina toont een fout")
        return ms

    async def _settle(self) -> None:
        """Untimed: wait for whatever run a field or a choice may have started."""
        await asyncio.sleep(0.3)
        await self.page.wait_for_selector(IDLE, state="attached")

    async def _field(self, key: str, value: str) -> None:
        field = self.page.locator(f".st-key-{key} input").first
        await field.fill(value)
        await field.press("Tab")
        await self._settle()

    async def _nav(self, title: str) -> float:
        link = self.page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first
        ms = await self._timed(link.click)
        self.on = title
        return ms

    async def login(self, base: str, password: str) -> None:
        await self.page.goto(base)
        await self._settle()
        await self.page.locator(".st-key-login_naam input").first.fill(self.naam)
        await self.page.locator(".st-key-login_wachtwoord input").first.fill(password)
        await self._timed(self.page.locator(".st-key-login_knop button").first.click)
        await self.page.wait_for_selector("[data-testid='stSidebarNav']")
        await self._settle()
        self.on = "Start"

    def next_kind(self, searched: bool) -> str:
        if searched:
            return "openen"
        return self.rng.choice([k for k in ("zoeken", *PAGES) if PAGES.get(k) != self.on])

    async def step(self, kind: str, n: int) -> float:
        if kind in PAGES:
            return await self._nav(PAGES[kind])
        if kind == "zoeken":
            if self.on != "Voordeur":
                await self._nav("Voordeur")
            postcode, nummer = self.rng.choice(self.addresses)
            await self._field("zoek_postcode", postcode)
            await self._field("zoek_huisnummer", nummer)
            return await self._timed(self.page.locator(".st-key-zoek button").first.click)
        # openen: the hits of the search just done are on the Voordeur page
        await self.page.locator(".st-key-kies_huishouden input").first.click()
        await self.page.locator("[role='listbox'] [role='option']").first.click()
        await self._settle()
        await self._field("doel", f"Hulpvraag aan de voordeur (bench {n})")
        return await self._timed(self.page.locator(".st-key-openen button").first.click)


async def _run(base: str, names: list[str], password: str, addresses: list, seconds: float,
               seed: int) -> tuple[dict, dict, dict]:  # fmt: skip
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    examples: dict[str, str] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=settings.chromium_path(), headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )  # fmt: skip
        colleagues = []
        for i, naam in enumerate(names):
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            await context.add_init_script(OBSERVER)
            page = await context.new_page()
            page.set_default_timeout(STEP_TIMEOUT_MS)
            colleagues.append(_Colleague(page, naam, random.Random(seed + i), addresses))
        await asyncio.gather(*(c.login(base, password) for c in colleagues))

        async def attempt(c: _Colleague, kind: str, n: int, timed: bool) -> None:
            try:
                ms = await c.step(kind, n)
                if timed:
                    times[kind].append(ms)
            except Exception as exc:  # counted and reported; the colleague reloads
                key = kind if timed else f"{kind} (opwarmen)"
                errors[key] += 1
                examples.setdefault(key, f"{type(exc).__name__}: {str(exc)[:160]}")
                await c.page.goto(base)  # a reload keeps the session (cookie)
                await c._settle()
                c.on = "Start"

        # warm-up, not timed: a fresh server pays each page's imports on its first run
        for kind in ("zoeken", "openen", *PAGES):
            await asyncio.gather(*(attempt(c, kind, 0, False) for c in colleagues))
        deadline = time.monotonic() + seconds

        async def work(c: _Colleague) -> None:
            await asyncio.sleep(c.rng.random())
            searched, n = False, 0
            while time.monotonic() < deadline:
                kind, n = c.next_kind(searched), n + 1
                await attempt(c, kind, n, True)
                searched = kind == "zoeken" and c.on == "Voordeur"
                await asyncio.sleep(c.rng.uniform(0.5, 1.5))

        await asyncio.gather(*(work(c) for c in colleagues))
        await browser.close()
    return dict(times), dict(errors), examples


def browser_load(url: str, sessions: int, seconds: float, seed: int = 7,
                 workdir: Path | None = None) -> dict:  # fmt: skip
    """Serve ``url``, run ``sessions`` colleagues for ``seconds``; the measured record."""
    names, password, addresses = _accounts(url, sessions)
    if not addresses:
        raise RuntimeError("geen huishouden met een adres om te zoeken")
    log = (workdir or Path(tempfile.gettempdir())) / "kiss-browsers-serve.log"
    load_before = load_now()
    proc, base = _serve(url, log)
    try:
        t0 = time.monotonic()
        # in a thread of its own: the caller may already run an event loop (Playwright's
        # sync API in the browser tests does), where asyncio.run refuses to start
        with ThreadPoolExecutor(max_workers=1) as pool:
            times, errors, examples = pool.submit(
                asyncio.run, _run(base, names, password, addresses, seconds, seed)
            ).result()
        wall = time.monotonic() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    load_after = load_now()
    every = [ms for v in times.values() for ms in v]

    def stats(values: list[float], n_errors: int) -> dict:
        return {"n": len(values), "errors": n_errors,
                "p50_ms": round(percentile(values, 0.5), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "p99_ms": round(percentile(values, 0.99), 1)}  # fmt: skip

    return {
        "database": make_engine(url).dialect.name, "sessions": sessions,
        "seconds": seconds, "wall_s": round(wall, 1),  # the timed window; all, with warm-up
        "steps": {k: stats(times.get(k, []), errors.get(k, 0)) for k in STEPS},
        "all": stats(every, sum(n for k, n in errors.items() if k in STEPS)),
        "warmup_errors": {k: n for k, n in errors.items() if k not in STEPS},
        "error_examples": examples,
        "load_before": load_before, "load_after": load_after,
        "busy": is_busy(load_before) or is_busy(load_after),
    }  # fmt: skip


def format_browsers(r: dict) -> str:
    """The record as readable lines (Dutch, as the CLI speaks Dutch)."""
    lines = [
        f"{r['sessions']} browsersessies, {r['seconds']} s, {r['database']}: "
        f"{r['all']['n']} stappen, {r['all']['errors']} fouten",
        f"{'stap':<11}{'n':>7}{'fouten':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    for name, s in [*r["steps"].items(), ("alle", r["all"])]:
        lines.append(f"{name:<11}{s['n']:>7}{s['errors']:>8}{s['p50_ms']:>9}"
                     f"{s['p95_ms']:>9}{s['p99_ms']:>9}")  # fmt: skip
    lines.append(f"belasting: {load_text(r['load_before'])} → {load_text(r['load_after'])}"
                 + (" — de machine was druk" if r["busy"] else ""))  # fmt: skip
    return "\n".join(lines)


def run_browsers(args: argparse.Namespace) -> int:
    """Entry of `kiss bench --browsers N`: a scratch database per URL and size (generated data,
    the demo's case tables), then the browser sessions; rows to PERFORMANCE.md."""
    from benchmarks.scratch import scratch_databases

    for scratch, n, tmp in scratch_databases(args):
        for sessions in args.browsers:
            record = browser_load(scratch, sessions, args.seconds, workdir=tmp)
            record["households"] = n
            print(json.dumps(record, ensure_ascii=False), flush=True)
            print(format_browsers(record), file=sys.stderr, flush=True)
            if not args.no_readme:
                append_browser_rows(record)
    return 0


def append_browser_rows(r: dict) -> None:
    """One row per step in the browser-sessions table of PERFORMANCE.md."""
    load = f"{load_text(r['load_before'])} → {load_text(r['load_after'])}"
    for name, s in [*r["steps"].items(), ("alle", r["all"])]:
        append_row(PERFORMANCE_MD, BROWSERS_HEADER,
                   f"| {dt.date.today().isoformat()} | {load} | {r['database']} | "
                   f"{r.get('households', '?'):,} | {r['sessions']} × {r['seconds']} | {name} | "
                   f"{s['n']} | {s['errors']} | {s['p50_ms']} | {s['p95_ms']} | "
                   f"{s['p99_ms']} |\n")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Measure the database at the URL; the record on stdout, a summary on stderr."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.seconds <= 0:
        print("Fout: --sessions en --seconds moeten groter dan 0 zijn.", file=sys.stderr)
        return 2
    record = browser_load(args.url, args.sessions, args.seconds)
    print(json.dumps(record, ensure_ascii=False), flush=True)
    print(format_browsers(record), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
