"""Steering figures and analytics at scale (issue 17, parts 4 and 5), repeat-measured.

On an existing database (a ``kiss demo`` of the size wanted), each figure is the MEDIAN
of ``repeats`` (at least 5) runs, interleaved where two things are compared (ours,
DuckDB, ours, DuckDB, ...) so background load hits both alike; the machine's load
(``/proc/loadavg`` and ``/proc/pressure/cpu``) is recorded before and after, and
``busy`` says when the 1-minute load average exceeded the number of cores.

- ``pages_cold_s`` / ``pages_warm_s``: the service calls of Evaluatie, Netwerk and
  KISS-overzicht as a page run makes them, with an empty figure cache (the first run
  after a write) and with a filled one (every other run).
- ``overview_s``: the full steering overview, cold.
- ``stacking_s``, ``duckdb_s``, ``stacking_vs_duckdb``: the stacking table against the
  same aggregation in DuckDB (data loaded beforehand), ratio of the medians.
- ``stacking_csv_s``: ``kiss report stacking`` (table + CSV text).
- ``search_name_p50_ms`` / ``p95``: front-door name searches (one page + count + audit).

Targets (in a benchmark, not a timed test): pages ≤ 1 s at 135,000 on PostgreSQL,
overview ≤ 3 s at 1,000,000, stacking ≤ 2× DuckDB at every size, name search p95 ≤ 20 ms
at 135,000 on PostgreSQL.

    python -m benchmarks.analytics_cli DATABASE_URL [--repeats 5] [--date YYYY-MM-DD]
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time

from sqlalchemy import text

from households.actor import SYSTEM, Actor
from households.db import make_engine, session_scope

__all__ = ["machine_load", "measure_analytics", "TARGETS"]

TARGETS = {"pages_s": 1.0, "overview_1m_s": 3.0, "stacking_vs_duckdb": 2.0,
           "search_name_p95_ms": 20.0}  # fmt: skip


def machine_load() -> dict:
    """Load average (1, 5 min) and CPU pressure (avg10 of ``some``), where the kernel has it."""
    out: dict = {}
    try:
        with open("/proc/loadavg") as fh:
            one, five = fh.read().split()[:2]
        out.update(load1=float(one), load5=float(five))
    except OSError:
        pass
    try:
        with open("/proc/pressure/cpu") as fh:
            some = fh.readline().split()
        out["cpu_pressure_avg10"] = float(some[1].split("=")[1])
    except (OSError, IndexError, ValueError):
        pass
    return out


def _clear_cache() -> None:
    """Forget the figures and the fact columns: the next run reads everything again."""
    try:  # also runs on a checkout from before the figure cache (the "before" figures)
        from households import figurecache
    except ImportError:
        return
    figurecache.clear()
    try:  # and from before the fact cache (eighth session)
        from coordination import factcache
    except ImportError:
        return
    factcache.clear()


def _once(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _median(fn, repeats: int) -> float:
    return statistics.median(_once(fn) for _ in range(repeats))


def _kiss_actor(engine) -> Actor:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT id, naam FROM app_user WHERE rol = 'kiss' AND actief ORDER BY id LIMIT 1")
        ).first()
    return SYSTEM if row is None else Actor(row[0], row[1], "kiss")


def _page_calls(engine, actor: Actor, date: dt.date) -> dict:
    """One function per steering page: the service calls its page run makes."""
    from coordination.network import institution_edges, institution_ranking
    from coordination.overview import steering_overview
    from experiments.evaluation import evaluate_experiment

    with engine.connect() as conn:
        experiment = conn.execute(text("SELECT MIN(id) FROM experiment")).scalar()

    def overview():
        with session_scope(engine) as session:
            steering_overview(session, actor, date)

    def network():
        with session_scope(engine) as session:
            institution_ranking(session, actor, date)
            institution_edges(session, actor, date)

    def evaluation():
        if experiment is not None:
            with session_scope(engine) as session:
                evaluate_experiment(session, actor, experiment, date, n_boot=1000)

    return {"kiss_overzicht": overview, "netwerk": network, "evaluatie": evaluation}


def _duckdb_runner(url: str, date: dt.date, sql: str):
    """The DuckDB stacking query ``sql`` on the database's rows, loaded once; a callable."""
    import duckdb
    import pandas as pd

    con = duckdb.connect()
    with make_engine(url).connect() as conn:
        for table, cols in {
            "household": "id, huishouden_id, wijk", "person": "id, household_id",
            "provision": "person_id, domein, soort, start, einde",
            "debt": "person_id, openstaand_cent, sinds",
            "signal": "household_id, soort, gemeld_op, gesloten_op",
            "help_request": "household_id, ontvangen_op",
        }.items():  # fmt: skip
            frame = pd.read_sql(text(f"SELECT {cols} FROM {table}"), conn)
            for col in ("start", "einde", "sinds", "gemeld_op", "gesloten_op", "ontvangen_op"):
                if col in frame:
                    frame[col] = pd.to_datetime(frame[col]).dt.date
            con.register("frame_view", frame)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM frame_view")
            con.unregister("frame_view")
    return lambda: con.execute(sql, {"d": date}).df()


def _name_searches(engine, n: int = 200, seed: int = 3) -> list[float]:
    from households.search import find_households

    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text(
            "SELECT naam FROM person WHERE naam IS NOT NULL ORDER BY id LIMIT 20000"))]  # fmt: skip
    rng = random.Random(seed)
    out = []
    for naam in rng.sample(names, min(n, len(names))):
        t0 = time.perf_counter()
        with session_scope(engine) as session:
            find_households(session, SYSTEM, naam=naam.split()[-1])
        out.append((time.perf_counter() - t0) * 1000)
    return sorted(out)


def measure_analytics(
    url: str, duckdb_sql: str, date: dt.date | None = None, repeats: int = 5
) -> dict:
    """Every analytics figure of this module on the database at ``url`` (see module doc).

    ``duckdb_sql`` is the suite's DuckDB stacking query (benchmarks.suite owns it).
    """
    from coordination.overview import steering_overview
    from coordination.stacking import stacking_csv, stacking_table

    repeats = max(5, repeats)
    day = date or (dt.date.today().replace(day=1) - dt.timedelta(days=1))  # a month end
    engine = make_engine(url)
    actor = _kiss_actor(engine)
    record: dict = {"url_backend": engine.dialect.name, "reference_date": day.isoformat(),
                    "repeats": repeats, "load_before": machine_load()}  # fmt: skip
    with engine.connect() as conn:
        record["households"] = conn.execute(text("SELECT COUNT(*) FROM household")).scalar()

    def cold(fn):
        def run():
            _clear_cache()
            fn()

        return run

    cold_s: dict[str, list] = {}
    warm_s: dict[str, list] = {}
    pages = _page_calls(engine, actor, day)
    for fn in pages.values():
        fn()  # warm-up: imports, the database's page cache
    for _ in range(repeats):  # interleaved: page after page, cold then warm
        for name, fn in pages.items():
            cold_s.setdefault(name, []).append(_once(cold(fn)))
            warm_s.setdefault(name, []).append(_once(fn))
    record["pages_cold_s"] = {k: round(statistics.median(v), 3) for k, v in cold_s.items()}
    record["pages_warm_s"] = {k: round(statistics.median(v), 4) for k, v in warm_s.items()}

    def overview():
        _clear_cache()
        with session_scope(engine) as session:
            steering_overview(session, SYSTEM, day)

    def ours():
        with session_scope(engine) as session:
            stacking_table(session, day)

    duck = _duckdb_runner(url, day, duckdb_sql)
    ours(), duck()  # warm, as in the suite
    t_ours, t_duck, t_over, t_cold = [], [], [], []
    for _ in range(repeats):
        t_ours.append(_once(ours))
        t_duck.append(_once(duck))
        t_over.append(_once(overview))
        t_cold.append(_once(cold(ours)))  # nothing cached: every fact read from the database
        ours()  # (warm again for the next round)
    record["stacking_cold_s"] = round(statistics.median(t_cold), 3)
    record["stacking_s"] = round(statistics.median(t_ours), 3)
    record["duckdb_s"] = round(statistics.median(t_duck), 4)
    record["stacking_vs_duckdb"] = round(record["stacking_s"] / record["duckdb_s"], 2)
    record["stacking_vs_duckdb_runs"] = [
        round(a / b, 2) for a, b in zip(t_ours, t_duck, strict=True)
    ]
    record["overview_s"] = round(statistics.median(t_over), 3)

    def csv():
        with session_scope(engine) as session:
            stacking_csv(session, SYSTEM, day)

    record["stacking_csv_s"] = round(_median(csv, repeats), 3)
    searches = _name_searches(engine)
    record["search_name_p50_ms"] = round(searches[len(searches) // 2], 2)
    record["search_name_p95_ms"] = round(searches[round(0.95 * (len(searches) - 1))], 2)
    record["load_after"] = machine_load()
    cores = os.cpu_count() or 1
    record["busy"] = max(record["load_before"].get("load1", 0),
                         record["load_after"].get("load1", 0)) > cores  # fmt: skip
    engine.dispose()
    return record
