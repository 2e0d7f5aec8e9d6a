"""How long an audited read waits for the audit trail: N staff at once (issue 17 part 1).

    python -m benchmarks.audit_lock --database postgresql+psycopg://.../postgres \
        --households 13500 --threads 50 --think 1.0 --seconds 30

Builds a fresh database of ``--households`` synthetic households on the server of
``--database`` (dropped afterwards), then runs ``--threads`` simulated staff who each
open a household's whole view (``household_graph``: the reads and its audit row, one
unit of work), wait ``--think`` seconds, and again, for ``--seconds``. Per action it
times the audit write (``audit_ms``: with the old writer this includes the wait for the
``audit_lock`` row) and the whole action including the commit (``action_ms``); it prints
p50/p95/p99, throughput, errors, the machine's load, and afterwards the time to seal
and verify the chain. The same file runs against the code before sealing existed (put
that checkout first on ``PYTHONPATH``), which is how PERFORMANCE.md compares the two.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coordination.graph import household_graph
from data.generator import generate
from data.load import load
from households import audit
from households.actor import SYSTEM
from households.audit import writer
from households.db import make_engine, session_scope, upgrade_schema


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(q * (len(values) - 1))))] if values else 0.0


def load_figures() -> dict:
    """Load average, and CPU pressure where the kernel reports it."""
    figures = {"loadavg": Path("/proc/loadavg").read_text().split()[:3]}
    pressure = Path("/proc/pressure/cpu")
    if pressure.exists():
        figures["cpu_pressure"] = pressure.read_text().splitlines()[0]
    return figures


class Timings(threading.local):
    audit_s = 0.0


def _instrument(timings: Timings) -> None:
    """Time every audit write of this thread (wraps the writer's one private function)."""
    original = writer._write

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings.audit_s += time.perf_counter() - t0

    writer._write = timed


def _database(base: str) -> tuple[str, str | None]:
    if base.startswith("sqlite"):
        return f"sqlite:////tmp/audit_bench_{uuid.uuid4().hex[:8]}.db", None
    name = f"kiss_auditbench_{uuid.uuid4().hex[:8]}"
    with create_engine(base, isolation_level="AUTOCOMMIT").connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(base).set(database=name).render_as_string(False), name


def run(args: argparse.Namespace) -> dict:
    """One benchmark run; returns the figures (also printed as JSON)."""
    url, name = _database(args.database)
    try:
        engine = make_engine(url, pool_size=args.threads, max_overflow=0)
        upgrade_schema(engine)
        date = dt.date.today()
        load(engine, generate(args.households, seed=2024, reference_date=date))
        sealing = hasattr(audit, "seal")
        if sealing and args.sealer:
            audit.start_sealer(engine, interval=1.0)
        timings = Timings()
        _instrument(timings)
        results: list[tuple[float, float]] = []
        errors: list[str] = []
        stop = time.monotonic() + args.seconds
        before = load_figures()

        def staff(n: int) -> None:
            rng = random.Random(n)
            time.sleep(rng.random() * args.think)  # staff do not start in step
            while time.monotonic() < stop:
                hid = rng.randint(1, args.households)
                timings.audit_s = 0.0
                t0 = time.perf_counter()
                try:
                    with session_scope(engine) as session:
                        household_graph(session, SYSTEM, hid, date)
                    results.append((timings.audit_s * 1000, (time.perf_counter() - t0) * 1000))
                except Exception as exc:  # counted, the staff member goes on
                    errors.append(type(exc).__name__)
                time.sleep(args.think)

        t_start = time.perf_counter()
        workers = [threading.Thread(target=staff, args=(n,)) for n in range(args.threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        wall = time.perf_counter() - t_start
        after = load_figures()
        audit_ms = [a for a, _ in results]
        action_ms = [b for _, b in results]
        t0 = time.perf_counter()
        sealed = audit.seal(engine) if sealing else 0
        seal_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with session_scope(engine) as session:
            report = audit.verify_chain(session)
        verify_s = time.perf_counter() - t0
        engine.dispose()
        return {
            "code": "sealer" if sealing else "audit_lock",
            "database": make_url(url).get_backend_name(),
            "households": args.households,
            "threads": args.threads,
            "think_s": args.think,
            "actions": len(results),
            "errors": len(errors),
            "actions_per_s": round(len(results) / wall, 1),
            **{f"audit_p{q}_ms": round(_pct(audit_ms, q / 100), 2) for q in (50, 95, 99)},
            **{f"action_p{q}_ms": round(_pct(action_ms, q / 100), 2) for q in (50, 95, 99)},
            "audit_share_of_action": round(sum(audit_ms) / max(sum(action_ms), 1e-9), 3),
            "left_to_seal_after_run": sealed,
            "seal_after_run_s": round(seal_s, 3),
            "verify_s": round(verify_s, 3),
            "verify_ok": report.ok,
            "verified_rows": report.rows,
            "load_before": before,
            "load_after": after,
            "cores": os.cpu_count(),
        }
    finally:
        if name:
            with create_engine(args.database, isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        elif url.startswith("sqlite"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run once, print the figures as one JSON line."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database", required=True, help="a server URL (its database is not used)")
    p.add_argument("--households", type=int, default=13_500)
    p.add_argument("--threads", type=int, default=50)
    p.add_argument("--think", type=float, default=1.0, help="seconds between two actions")
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument(
        "--no-sealer", dest="sealer", action="store_false",
        help="no background sealer during the run (everything is sealed after it)",
    )  # fmt: skip
    print(json.dumps(run(p.parse_args(argv))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
