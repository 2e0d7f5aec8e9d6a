"""`kiss bench`: the benchmark suite. Prints one JSON object per database and size.

For each database URL and each N it builds a fresh database, then measures:
generation + load, import rows/s per file kind (the generated data exported to
interchange CSV and imported into a second fresh database), full stacking and
steering overview (seconds, and peak memory in a child process), one household's
whole view (graph, timeline, stacking, regie) p50/p95 over 200 random
households, front-door search by BSN / address / name p50/p95, the same
stacking aggregation in DuckDB on the same rows (load not timed), and — at the
smallest N — the wall time of every Streamlit page script under AppTest.
Results are appended to PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import logging
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from benchmarks.analytics import measure_analytics
from coordination.graph import household_graph, timeline_rows
from coordination.stacking import household_stacking, stacking_table
from data.demo import seed_workflows
from data.export import export_csv
from data.generator import generate
from data.load import load
from households import settings
from households.actor import SYSTEM, Actor
from households.bsn import ensure_key_file
from households.db import make_engine, session_scope, upgrade_schema
from households.importing import import_file
from households.search import find_households

PERFORMANCE_MD = Path(__file__).parents[1] / "PERFORMANCE.md"
IMPORT_ORDER = ("instellingen", "huishoudens", "personen", "voorzieningen", "schulden")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


class _Scratch:
    """A fresh, migrated database on the server/kind of ``url``; dropped afterwards."""

    def __init__(self, url: str | None, workdir: Path):
        self.base = url
        self.workdir = workdir
        self.name: str | None = None

    def __enter__(self) -> str:
        if self.base is None or self.base.startswith("sqlite"):
            path = self.workdir / f"bench_{uuid.uuid4().hex[:8]}.db"
            self.url = f"sqlite:///{path}"
        else:
            self.name = f"kiss_bench_{uuid.uuid4().hex[:10]}"
            with create_engine(self.base, isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'CREATE DATABASE "{self.name}"'))
            self.url = make_url(self.base).set(database=self.name).render_as_string(False)
        engine = make_engine(self.url)
        upgrade_schema(engine)
        engine.dispose()
        return self.url

    def __exit__(self, *exc) -> None:
        if self.name:
            with create_engine(self.base, isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def measure_overview(url: str, date: dt.date) -> tuple[float, float]:
    """Full stacking + steering overview in a fresh process: (seconds, peak RSS MB)."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.overview_child", url, date.isoformat()],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["seconds"], result["peak_mb"]


def measure_stacking(url: str, date: dt.date) -> float:
    """Seconds for the full stacking table (the figure compared with DuckDB)."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        stacking_table(session, date)  # warm the page cache, as DuckDB's tables are warm
        elapsed, _ = _timed(stacking_table, session, date)
    return elapsed


DUCKDB_STACKING_SQL = """
WITH prov AS (
    SELECT p.household_id, v.domein, v.soort
    FROM provision v JOIN person p ON p.id = v.person_id
    WHERE v.start <= $d AND (v.einde IS NULL OR v.einde >= $d)
), pagg AS (
    SELECT household_id, COUNT(*) AS n_provisions, COUNT(DISTINCT domein) AS n_domains,
           string_agg(DISTINCT domein, '+' ORDER BY domein) AS domains,
           bool_or(domein = 'JEUGD' AND soort = 'jeugdbescherming') AS jb
    FROM prov GROUP BY household_id
), dagg AS (
    SELECT p.household_id, SUM(d.openstaand_cent) AS debt_cent
    FROM debt d JOIN person p ON p.id = d.person_id
    WHERE d.sinds <= $d AND d.openstaand_cent > 0 GROUP BY p.household_id
), sig AS (
    SELECT DISTINCT household_id FROM signal
    WHERE soort IN ('politie', 'huiselijk_geweld') AND gemeld_op <= $d
      AND (gesloten_op IS NULL OR gesloten_op > $d)
), req AS (
    SELECT household_id, COUNT(*) AS n_req FROM help_request
    WHERE ontvangen_op <= $d AND ontvangen_op > $d - INTERVAL 365 DAY GROUP BY household_id
)
SELECT h.huishouden_id, h.wijk,
       COALESCE(pagg.n_provisions, 0) AS n_provisions,
       COALESCE(pagg.n_domains, 0) AS n_domains,
       COALESCE(pagg.domains, '') AS domains,
       COALESCE(dagg.debt_cent, 0) / 100.0 AS debt_outstanding,
       dagg.debt_cent IS NOT NULL AS has_debt,
       (COALESCE(pagg.n_domains, 0) >= 2
        OR (COALESCE(pagg.n_domains, 0) >= 1 AND dagg.debt_cent IS NOT NULL)) AS stacked,
       (COALESCE(pagg.n_domains, 0) >= 2
        OR (COALESCE(pagg.n_domains, 0) >= 1 AND dagg.debt_cent IS NOT NULL)
        OR sig.household_id IS NOT NULL OR COALESCE(req.n_req, 0) >= 3
        OR (COALESCE(pagg.jb, false) AND pagg.n_domains >= 2)) AS complex
FROM household h
LEFT JOIN pagg ON pagg.household_id = h.id
LEFT JOIN dagg ON dagg.household_id = h.id
LEFT JOIN sig ON sig.household_id = h.id
LEFT JOIN req ON req.household_id = h.id
ORDER BY h.huishouden_id
"""


def measure_duckdb(url: str, date: dt.date) -> tuple[float, int]:
    """The same stacking aggregation in DuckDB on the same rows (load not timed)."""
    engine = make_engine(url)
    con = duckdb.connect()
    with engine.connect() as conn:
        for table, cols in {
            "household": "id, huishouden_id, wijk",
            "person": "id, household_id",
            "provision": "person_id, domein, soort, start, einde",
            "debt": "person_id, openstaand_cent, sinds",
            "signal": "household_id, soort, gemeld_op, gesloten_op",
            "help_request": "household_id, ontvangen_op",
        }.items():
            frame = pd.read_sql(text(f"SELECT {cols} FROM {table}"), conn)
            for col in ("start", "einde", "sinds", "gemeld_op", "gesloten_op", "ontvangen_op"):
                if col in frame:
                    frame[col] = pd.to_datetime(frame[col]).dt.date
            con.register("frame_view", frame)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM frame_view")
            con.unregister("frame_view")
    con.execute(DUCKDB_STACKING_SQL, {"d": date}).df()  # warm-up, as ours is warm
    elapsed, df = _timed(lambda: con.execute(DUCKDB_STACKING_SQL, {"d": date}).df())
    con.close()
    return elapsed, len(df)


def measure_household_views(url: str, date: dt.date, n: int = 200, seed: int = 1) -> list[float]:
    """Milliseconds for one household's whole view, for ``n`` random households.

    The whole view is what the Huishouden page loads: the graph (persons,
    provisions, debts, institutions, requests, signals, regie) with its audit row,
    the timeline rows, and the household's stacking with complexity reasons.
    """
    engine = make_engine(url)
    with engine.connect() as conn:
        max_id = conn.execute(text("SELECT MAX(id) FROM household")).scalar_one()
    rng = random.Random(seed)
    times = []
    for _ in range(n):
        hid = rng.randint(1, max_id)
        t0 = time.perf_counter()
        with session_scope(engine) as session:  # what the Huishouden page does
            graph = household_graph(session, SYSTEM, hid, date)  # incl. regie, audited
            timeline_rows(graph)
            household_stacking(session, hid, date)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def measure_searches(url: str, persons, n: int = 200, seed: int = 2) -> dict[str, list[float]]:
    """Milliseconds per front-door search by BSN, postcode+huisnummer and name."""
    engine = make_engine(url)
    rng = random.Random(seed)
    sample = persons.sample(n=min(n, len(persons)), random_state=seed)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT postcode, huisnummer FROM household WHERE postcode IS NOT NULL")
        ).all()
    addresses = [rng.choice(rows) for _ in range(n)]
    out: dict[str, list[float]] = {"bsn": [], "address": [], "name": []}
    for bsn, naam, (pc, nr) in zip(sample["bsn"], sample["naam"], addresses, strict=False):
        for kind, kwargs in (
            ("bsn", {"bsn": str(bsn)}),
            ("address", {"postcode": pc, "huisnummer": nr}),
            ("name", {"naam": str(naam).split()[-1]}),
        ):
            t0 = time.perf_counter()
            with session_scope(engine) as session:
                find_households(session, SYSTEM, **kwargs)
            out[kind].append((time.perf_counter() - t0) * 1000)
    return out


def measure_imports(data, workdir: Path, base_url: str | None) -> dict[str, float]:
    """Rows/s per file kind: export ``data`` as CSV and import it into a fresh database."""
    export_dir = workdir / f"export_{uuid.uuid4().hex[:6]}"
    files = {path.stem: path for path in export_csv(data, export_dir)}
    rates = {}
    with _Scratch(base_url, workdir) as url:
        engine = make_engine(url)
        for kind in IMPORT_ORDER:
            path = files[kind]
            t0 = time.perf_counter()
            with session_scope(engine) as session:
                result = import_file(session, SYSTEM, kind, path)
            rates[kind] = round(result.rows / (time.perf_counter() - t0))
        engine.dispose()
    return rates


def _seed_workflows(url: str) -> dict[str, Actor]:
    """Demo users, case tables and experiments, as `kiss demo` adds them; one actor per role."""
    engine = make_engine(url)
    with contextlib.redirect_stdout(io.StringIO()):  # stdout carries the JSON records
        seed_workflows(engine, seed=2024)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, naam, rol FROM app_user ORDER BY id")).all()
    engine.dispose()
    actors: dict[str, Actor] = {}
    for user_id, naam, rol in rows:
        actors.setdefault(rol, Actor(user_id=user_id, naam=naam, rol=rol))
    return actors


def measure_pages(url: str, page_scripts: Sequence[tuple[Path, str]]) -> dict[str, float]:
    """Seconds for one run of each page script under AppTest, as a demo user of its role.

    ``page_scripts`` are ``(script path, role)`` pairs; the CLI takes them from
    ``app.navigation`` (benchmarks sit beside ``app`` and do not import it).
    """
    actors = _seed_workflows(url)

    settings.point_at("KISS_DATABASE_URL", url)
    for name in ("streamlit", "streamlit.runtime"):
        logging.getLogger(name).setLevel(logging.ERROR)
    out = {}
    for script, role in page_scripts:
        at = AppTest.from_file(str(script), default_timeout=60)
        at.session_state["actor"] = actors[role]
        at.run()  # first run pays imports and the engine cache
        t0 = time.perf_counter()
        at.run()
        out[script.stem] = round(time.perf_counter() - t0, 3)
    return out


def bench_one(
    base_url: str | None,
    households: int,
    workdir: Path,
    page_scripts: Sequence[tuple[Path, str]] = (),
) -> dict:
    """All measurements for one database and one size."""
    date = dt.date.today()
    record: dict = {"households": households}
    with _Scratch(base_url, workdir) as url:
        record["database"] = make_url(url).get_backend_name()
        engine = make_engine(url)
        t_gen, data = _timed(generate, households, seed=2024, reference_date=date)
        t_load, _ = _timed(load, engine, data)
        engine.dispose()
        record["generate_s"] = round(t_gen + t_load, 2)
        rates = measure_imports(data, workdir, base_url)
        record["import_rows_per_s"] = rates["voorzieningen"]
        record["import_rows_per_s_by_kind"] = rates
        record["overview_s"], record["overview_peak_mb"] = (
            round(v, 3) for v in measure_overview(url, date)
        )
        stacking_s = measure_stacking(url, date)
        record["stacking_s"] = round(stacking_s, 3)
        views = measure_household_views(url, date)
        record["household_view_p50_ms"] = round(_pct(views, 0.5), 2)
        record["household_view_p95_ms"] = round(_pct(views, 0.95), 2)
        searches = measure_searches(url, data.persons)
        for kind, values in searches.items():
            record[f"search_{kind}_p50_ms"] = round(_pct(values, 0.5), 2)
            record[f"search_{kind}_p95_ms"] = round(_pct(values, 0.95), 2)
        duck_s, _ = measure_duckdb(url, date)
        record["duckdb_stacking_s"] = round(duck_s, 4)
        record["stacking_vs_duckdb"] = round(stacking_s / duck_s, 1)
        record["analytics"] = measure_analytics(url, DUCKDB_STACKING_SQL)  # issue 17, medians
        if page_scripts:
            record["page_s"] = measure_pages(url, page_scripts)
    return record


def machine() -> dict:
    """Cores, memory and Python of this machine."""
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
    }


def append_performance_row(record: dict, info: dict) -> None:
    """Append one row to the results table in PERFORMANCE.md."""
    row = (
        f"| {dt.date.today()} | {info['cores']} cores, {info['memory_gb']} GB "
        f"| {record['database']} | {record['households']:,} | {record['generate_s']} "
        f"| {record['import_rows_per_s']:,} | {record['overview_s']} "
        f"| {record['overview_peak_mb']:.0f} | {record['household_view_p50_ms']} / "
        f"{record['household_view_p95_ms']} | {record['search_bsn_p95_ms']} / "
        f"{record['search_address_p95_ms']} / {record['search_name_p95_ms']} "
        f"| {record['duckdb_stacking_s']} | {record['stacking_vs_duckdb']} |\n"
    )
    with PERFORMANCE_MD.open("a", encoding="utf-8") as fh:
        fh.write(row)


def run_bench(args: argparse.Namespace, page_scripts: Sequence[tuple[Path, str]] = ()) -> int:
    """Entry of `kiss bench`; ``page_scripts`` (path, role) are timed at the smallest N."""
    info = machine()
    urls = args.database or [None]
    smallest = min(args.households)
    with tempfile.TemporaryDirectory(prefix="kiss_bench_") as tmp:
        if not settings.secret_key_text():
            settings.point_at("KISS_KEY_FILE", str(Path(tmp) / "bench.key"))  # scratch data only
            ensure_key_file()
        for url in urls:
            for n in args.households:
                scripts = page_scripts if n == smallest else ()
                record = bench_one(url, n, Path(tmp), scripts)
                record["machine"] = info
                print(json.dumps(record, ensure_ascii=False), flush=True)
                if not args.no_readme:
                    append_performance_row(record, info)
    return 0
