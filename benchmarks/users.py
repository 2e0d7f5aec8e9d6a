"""`kiss bench --users N [N ...] [--seconds S] [--processes P]`: many staff at once.

N simulated GBD-ers (threads, one connection pool as in one app process) each do about one
action per second for S seconds, the mix of a working day, each action one unit of work as a
page rerun does it:

- ``zoeken`` (30 %): the front-door search by surname or postcode (``find_households``);
- ``openen`` (10 %): open a household with a purpose (``open_household``);
- ``huishouden`` (25 %): the Huishouden page: the list of mijn huishoudens and the whole
  picture of one of them (``my_households`` + ``household_picture``);
- ``hulpvraag`` (10 %): register a help request for an opened household (``register_request``);
- ``agenda`` (20 %): the agenda of the user's case table (``casetables.agenda``);
- ``overzicht`` (5 %): the KISS steering overview (``steering_overview``, role kiss).

Printed per operation: p50/p95/p99 ms, count and errors; throughput; the audit rows
written (and per action); on PostgreSQL how often sessions waited for a lock, on audit rows
in particular (``pg_stat_activity`` sampled every 100 ms); the figures of
``households.audit.bench_figures(session)`` when the audit package offers it; whether
``kiss audit verify`` holds afterwards; the machine's load before and after. The record
(JSON) goes to stdout, a readable summary to stderr, a row per operation to PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, select, text

from benchmarks.machine import append_row, is_busy, load_now, load_text, machine, percentile
from coordination import casetables as ct
from coordination import factcache
from coordination.access import open_household
from coordination.frontdoor import register_request
from coordination.models import CaseTable, CaseTableMember
from coordination.myhouseholds import my_households
from coordination.overview import steering_overview
from coordination.picture import household_picture
from households import audit, figurecache, settings
from households.actor import Actor
from households.db import make_engine, session_scope
from households.models import AuditEvent, Household, User
from households.search import find_households

__all__ = ["MIX", "run_load", "run_users", "format_summary"]

MIX = {"zoeken": 30, "openen": 10, "huishouden": 25, "hulpvraag": 10, "agenda": 20,
       "overzicht": 5}  # fmt: skip
USERS_HEADER = "| date | machine load | database | households | users × s | operation |"
PERFORMANCE_MD = Path(__file__).parents[1] / "PERFORMANCE.md"
DOEL = "Hulpvraag aan de voordeur (bench)"
SAMPLE_NAMES = "SELECT naam FROM person WHERE naam IS NOT NULL ORDER BY id LIMIT 5000"
SAMPLE_ADDRESSES = (
    "SELECT postcode, huisnummer FROM household WHERE postcode IS NOT NULL ORDER BY id LIMIT 5000"
)
COLUMNS = ("actie", "aantal", "fouten", "p50 ms", "p95 ms", "p99 ms")


class _User:
    """One simulated GBD-er (and a kiss colleague for the overview) with its own choices."""

    def __init__(self, gbd: Actor, kiss: Actor, table_id: int, seed: int, samples: dict):
        self.gbd, self.kiss, self.table_id = gbd, kiss, table_id
        self.rng = random.Random(seed)
        self.samples = samples
        self.opened: list[int] = []

    def _household(self) -> int:
        return self.rng.choice(self.samples["households"])

    def act(self, op: str, session) -> None:
        """Do one action of kind ``op`` in ``session`` (one unit of work)."""
        today = dt.date.today()
        if op == "zoeken":
            if self.rng.random() < 0.6:
                find_households(session, self.gbd, naam=self.rng.choice(self.samples["names"]))
            else:
                pc, nr = self.rng.choice(self.samples["addresses"])
                find_households(session, self.gbd, postcode=pc, huisnummer=nr)
        elif op == "openen" or (op in ("huishouden", "hulpvraag") and not self.opened):
            hid = self._household()
            open_household(session, self.gbd, hid, DOEL)
            self.opened.append(hid)
        elif op == "huishouden":
            my_households(session, self.gbd)
            household_picture(session, self.gbd, self.rng.choice(self.opened), today)
        elif op == "hulpvraag":
            register_request(session, self.gbd, self.rng.choice(self.opened), "WMO",
                             "Hulp bij het huishouden gevraagd (bench)")  # fmt: skip
        elif op == "agenda":
            ct.agenda(session, self.gbd, self.table_id)
        elif op == "overzicht":
            steering_overview(session, self.kiss, today.replace(day=1) - dt.timedelta(days=1))
        else:
            raise ValueError(op)


def _prepare(engine, users: int, seed: int, tag: str = "") -> list[_User]:
    """N gbd and N kiss accounts, each gbd-er at a case table; samples to search and open."""
    rng = random.Random(seed)
    with session_scope(engine) as session:
        tables = ct.list_tables(session, _system())
        table_ids = [t.id for t in tables] or [
            session.scalar(select(CaseTable.id).order_by(CaseTable.id))
        ]
        stamp = int(time.time())
        actors = []
        for i in range(users):
            pair = []
            for rol in ("gbd", "kiss"):
                u = User(naam=f"bench-{rol}-{stamp}{tag}-{i}", rol=rol, wachtwoord_hash="x",
                         actief=True)  # fmt: skip
                session.add(u)
                session.flush()
                pair.append(Actor(u.id, u.naam, rol))
            table_id = table_ids[i % len(table_ids)]
            session.add(CaseTableMember(case_table_id=table_id, user_id=pair[0].user_id))
            actors.append((*pair, table_id))
        n = session.scalar(select(func.count()).select_from(Household)) or 0
        names = [
            r[0].split()[-1] for r in session.execute(text(SAMPLE_NAMES)) if r[0] and r[0].split()
        ]
        addresses = [tuple(r) for r in session.execute(text(SAMPLE_ADDRESSES))]
        ids = [r[0] for r in session.execute(text("SELECT id FROM household ORDER BY id"))]
    samples = {"names": names, "addresses": addresses, "households": ids, "n": n}
    return [_User(g, k, t, rng.randrange(1 << 30), samples) for g, k, t in actors]


def _system() -> Actor:
    from households.actor import SYSTEM

    return SYSTEM


def _audit_rows(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _audit_figures(engine) -> dict:
    """Whatever the audit package measures about itself (sealer, lock), when it offers it."""
    figures = getattr(audit, "bench_figures", None)
    if figures is None:
        return {}
    with session_scope(engine) as session:
        return dict(figures(session))


LOCK_WAITERS = (
    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), "
    "count(*) FILTER (WHERE wait_event_type = 'Lock' AND query ILIKE '%audit%') "
    "FROM pg_stat_activity WHERE datname = current_database()"
)


class _LockSampler(threading.Thread):
    """PostgreSQL only: every 100 ms, how many sessions wait for a lock (and on audit rows)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        from sqlalchemy.pool import NullPool

        self.engine = make_engine(url, poolclass=NullPool)  # not from the users' pool
        self.samples: list[tuple[int, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        # autocommit: within one transaction pg_stat_activity answers from the snapshot of
        # its first read, so every sample would repeat the first (until 27-11: always 0 %)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            while not self.done.wait(0.1):
                self.samples.append(tuple(conn.execute(text(LOCK_WAITERS)).one()))

    def figures(self) -> dict:
        self.done.set()
        self.join(timeout=5)
        self.engine.dispose()
        n = max(len(self.samples), 1)
        audit_waits = [a for _, a in self.samples]
        return {
            "lock_samples": len(self.samples),
            "share_of_time_someone_waits_on_a_lock": round(
                sum(1 for w, _ in self.samples if w) / n, 2),
            "share_of_time_someone_waits_on_audit": round(
                sum(1 for a in audit_waits if a) / n, 2),
            "mean_sessions_waiting_on_audit": round(sum(audit_waits) / n, 2),
            "max_sessions_waiting_on_audit": max(audit_waits, default=0),
        }  # fmt: skip


def verify_audit(url: str) -> dict:
    """Run ``kiss audit verify`` on ``url`` as an operator would: holds?, seconds, its answer."""
    env = dict(os.environ, KISS_DATABASE_URL=url)
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "app.cli", "audit", "verify"], env=env,
                         capture_output=True, text=True, check=False)  # fmt: skip
    lines = (out.stdout + out.stderr).strip().splitlines()
    return {"holds": out.returncode == 0, "seconds": round(time.perf_counter() - t0, 2),
            "message": lines[0] if lines else ""}  # fmt: skip


def drive(engine, people: list[_User], seconds: float, start_at: float | None = None):
    """Each user a thread doing the mix for ``seconds`` (from ``start_at``, a ``time.time()``):
    (times per operation in ms, errors per operation, an example error each, wall seconds)."""
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    examples: dict[str, str] = {}
    lock = threading.Lock()
    ops, weights = list(MIX), list(MIX.values())
    for op in ops:  # warm-up, not timed: the first call of each pays imports and caches
        with session_scope(engine) as session:
            people[0].act(op, session)
    if start_at is not None:  # several processes start together
        time.sleep(max(0.0, start_at - time.time()))
    start = time.perf_counter()
    deadline = start + seconds

    def worker(person: _User) -> None:
        time.sleep(person.rng.random())  # users do not all click at the same moment
        while time.perf_counter() < deadline:
            op = person.rng.choices(ops, weights)[0]
            t0 = time.perf_counter()
            try:
                with session_scope(engine) as session:
                    person.act(op, session)
                ok = True
            except Exception as exc:  # counted and reported, the user goes on
                ok, kind = False, f"{type(exc).__name__}: {str(exc)[:120]}"
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                times[op].append(ms)
                if not ok:
                    errors[op] += 1
                    examples.setdefault(op, kind)
            time.sleep(max(0.0, person.rng.uniform(0.5, 1.5) - ms / 1000))  # ~1 action/s

    threads = [threading.Thread(target=worker, args=(p,), daemon=True) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return dict(times), dict(errors), examples, time.perf_counter() - start


def _child(args: tuple) -> tuple:
    """One process of the load (or the only one): its users, its pool, its timings."""
    from experiments.access import wire_household_rules

    url, users, seconds, seed, tag, start_at = args
    wire_household_rules()  # a fresh interpreter: the access rules, as app.bootstrap does
    engine = make_engine(url)
    people = _prepare(engine, users, seed, tag)
    figurecache.clear()  # this process's caches: what the run itself did
    factcache.clear()
    times, errors, examples, wall = drive(engine, people, seconds, start_at)
    figurecache.wait_for_refreshes()
    engine.dispose()
    caches = {f"cijfers_{k}": v for k, v in figurecache.cache_info().items() if k != "entries"}
    caches |= {f"feiten_{k}": v for k, v in factcache.cache_info().items()
               if k in ("hits", "misses")}  # fmt: skip
    return times, errors, examples, wall, people[0].samples["n"] if people else 0, caches


def run_load(url: str, users: int, seconds: float, seed: int = 17, processes: int = 1) -> dict:
    """Run the mix with ``users`` threads for ``seconds`` on ``url``; the measured record.

    ``processes`` > 1: the users are spread over that many processes (each its own
    connection pool and interpreter, as the production recipe runs 2+ app processes).
    """
    from benchmarks.processes import drive_processes

    engine = make_engine(url)
    rows_before, load_before = _audit_rows(engine), load_now()
    sampler = _LockSampler(url) if engine.dialect.name == "postgresql" else None
    if sampler is not None:
        sampler.start()
    if processes > 1:
        times, errors, examples, wall, n, caches = drive_processes(
            url, users, seconds, seed, processes, _child)  # fmt: skip
    else:  # one process: the same child, in this process
        times, errors, examples, wall, n, caches = _child((url, users, seconds, seed, "", None))
    locks = {} if sampler is None else sampler.figures()
    load_after = load_now()
    rows_after = _audit_rows(engine)
    actions = sum(len(v) for v in times.values())
    record = {
        "database": engine.dialect.name, "households": n, "users": users,
        "processes": processes, "seconds": round(wall, 1), "actions": actions,
        "throughput_per_s": round(actions / wall, 1),
        "operations": {
            op: {"n": len(times.get(op, [])), "errors": errors.get(op, 0),
                 "p50_ms": round(percentile(times.get(op, []), 0.5), 1),
                 "p95_ms": round(percentile(times.get(op, []), 0.95), 1),
                 "p99_ms": round(percentile(times.get(op, []), 0.99), 1)}
            for op in MIX
        },
        "errors": sum(errors.values()), "error_examples": examples,
        "audit": {"rows_written": rows_after - rows_before,
                  "rows_per_action": round((rows_after - rows_before) / max(actions, 1), 2),
                  **locks, **_audit_figures(engine)},
        "caches": caches,  # figure cache (cijfers_*) and fact cache (feiten_*), all processes
        "pool": vars(settings.pool_settings()),
        "load_before": load_before, "load_after": load_after,
        "busy": is_busy(load_before) or is_busy(load_after),
    }  # fmt: skip
    engine.dispose()
    record["audit_verify"] = verify_audit(url)
    return record


def format_summary(r: dict) -> str:
    """The record as a few readable lines (Dutch headings, as the CLI speaks Dutch)."""
    lines = [f"{r['users']} gebruikers in {r.get('processes', 1)} proces(sen), {r['seconds']} s, "
             f"{r['database']}, "
             f"{r['households']:,} huishoudens: {r['actions']} acties, "
             f"{r['throughput_per_s']}/s, {r['errors']} fouten",
             f"{COLUMNS[0]:<11}" + "".join(f"{c:>9}" for c in COLUMNS[1:])]  # fmt: skip
    for op, s in r["operations"].items():
        values = (s["n"], s["errors"], s["p50_ms"], s["p95_ms"], s["p99_ms"])
        lines.append(f"{op:<11}" + "".join(f"{v:>9}" for v in values))
    a, v = r["audit"], r["audit_verify"]
    if "share_of_time_someone_waits_on_audit" in a:
        lines.append(f"wachten op een slot (PostgreSQL, elke 100 ms gemeten): "
                     f"{a['share_of_time_someone_waits_on_a_lock']:.0%} van de tijd, "
                     f"op de audit {a['share_of_time_someone_waits_on_audit']:.0%}, "
                     f"gemiddeld {a['mean_sessions_waiting_on_audit']} sessies")  # fmt: skip
    lines.append(f"audit: {a['rows_written']} regels ({a['rows_per_action']} per actie); "
                 f"kiss audit verify: {'in orde' if v['holds'] else 'GEBROKEN'} "
                 f"({v['seconds']} s)")  # fmt: skip
    if c := r.get("caches"):
        lines.append(f"caches: stuurcijfers {c.get('cijfers_hits', 0)} uit de cache, "
                     f"{c.get('cijfers_misses', 0)} berekend, {c.get('cijfers_refreshed', 0)} "
                     f"op de achtergrond; feitenkolommen {c.get('feiten_hits', 0)} uit de "
                     f"cache, {c.get('feiten_misses', 0)} gelezen")  # fmt: skip
    lines.append(
        f"belasting: {load_text(r['load_before'])} → {load_text(r['load_after'])}"
        + (" — de machine was druk: cijfers vallen hoger uit" if r["busy"] else "")
    )
    return "\n".join(lines)


def append_rows(r: dict) -> None:
    """One row per operation in the multi-user table of PERFORMANCE.md, then a total row."""
    load = f"{load_text(r['load_before'])} → {load_text(r['load_after'])}"
    head = (f"| {dt.date.today()} | {load} | {r['database']} | {r['households']:,} "
            f"| {r['users']} × {r['seconds']:.0f}"
            f"{f' ({p} processes)' if (p := r.get('processes', 1)) > 1 else ''} ")  # fmt: skip
    rows = [head + f"| {op} | {s['n']} | {s['errors']} | {s['p50_ms']} | {s['p95_ms']} "
            f"| {s['p99_ms']} | | |\n" for op, s in r["operations"].items()]  # fmt: skip
    a, v, pool = r["audit"], r["audit_verify"], r["pool"]
    rows.append(head + f"| **all** | {r['actions']} | {r['errors']} | | | "
                f"| {r['throughput_per_s']}/s, pool {pool['size']}+{pool['max_overflow']} "
                f"| {a['rows_written']} rows "
                f"({a['rows_per_action']}/action); verify "
                f"{'ok' if v['holds'] else 'BROKEN'} {v['seconds']} s{_waits(a)} |\n")  # fmt: skip
    for row in rows:
        append_row(PERFORMANCE_MD, USERS_HEADER, row)


def _waits(a: dict) -> str:
    if "share_of_time_someone_waits_on_audit" not in a:
        return ""
    return f"; waiting on audit {a['share_of_time_someone_waits_on_audit']:.0%} of the time"


def run_users(args: argparse.Namespace) -> int:
    """Entry of `kiss bench --users N`: a scratch database per URL and size, then the load."""
    from benchmarks.scratch import scratch_databases

    if min(args.users) < 1 or args.seconds <= 0:
        print("Fout: --users en --seconds moeten groter dan 0 zijn.", file=sys.stderr)
        return 2
    for scratch, _n, _tmp in scratch_databases(args):
        for users in args.users:  # one database, the loads one after another
            record = run_load(scratch, users, args.seconds, processes=getattr(args, "processes", 1))
            record["machine"] = machine()
            print(json.dumps(record, ensure_ascii=False), flush=True)
            print(format_summary(record), file=sys.stderr, flush=True)
            if not args.no_readme:
                append_rows(record)
    return 0
