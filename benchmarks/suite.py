"""`kiss bench`: the benchmark suite. Prints one JSON object per database and size.

For each database URL and each N it builds a fresh database, then measures:
generation + load, import rows/s per file kind (the generated data exported to
interchange CSV and imported into a second fresh database), full stacking and
steering overview (seconds, and peak memory in a child process), one household's
whole view (graph, timeline, stacking, regie) p50/p95 over 200 random
households, front-door search by BSN / address / name p50/p95, the same
stacking aggregation in DuckDB on the same rows (load not timed; ours/DuckDB is the
median of 5 interleaved rounds, :mod:`benchmarks.stacking_pair`), and — at the
smallest N — the wall time of every Streamlit page script under AppTest. The
machine's load is recorded at the start and the end (:mod:`benchmarks.machine`);
a busy machine is said in the record. Results are added to PERFORMANCE.md.
``kiss bench --users N`` runs the multi-user load instead (:mod:`benchmarks.users`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from benchmarks.analytics import measure_analytics
from benchmarks.machine import (
    append_row,
    is_busy,
    load_now,
    load_text,
    machine,
)
from benchmarks.scratch import _Scratch, _seed_workflows
from benchmarks.stacking_pair import (  # noqa: F401 - part of the suite
    DUCKDB_STACKING_SQL,
    duckdb_tables,
    measure_duckdb,
    measure_stacking,
    stacking_vs_duckdb,
)
from coordination.graph import household_graph, timeline_rows
from coordination.stacking import household_stacking
from data.export import export_csv
from data.generator import generate
from data.load import load
from households import settings
from households.actor import SYSTEM
from households.bsn import ensure_key_file
from households.db import make_engine, session_scope
from households.importing import import_file
from households.search import find_households

PERFORMANCE_MD = Path(__file__).parents[1] / "PERFORMANCE.md"
IMPORT_ORDER = ("instellingen", "huishoudens", "personen", "voorzieningen", "schulden")


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


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
        record["load_start"] = load_now()
        views = measure_household_views(url, date)
        record["household_view_p50_ms"] = round(_pct(views, 0.5), 2)
        record["household_view_p95_ms"] = round(_pct(views, 0.95), 2)
        searches = measure_searches(url, data.persons)
        for kind, values in searches.items():
            record[f"search_{kind}_p50_ms"] = round(_pct(values, 0.5), 2)
            record[f"search_{kind}_p95_ms"] = round(_pct(values, 0.95), 2)
        pair = stacking_vs_duckdb(url, date)
        record["stacking_s"] = round(pair["stacking_s"], 3)
        record["duckdb_stacking_s"] = round(pair["duckdb_s"], 4)
        record["stacking_vs_duckdb"] = pair["ratio"]  # median of the interleaved rounds
        record["stacking_vs_duckdb_range"] = pair["ratio_range"]
        record["stacking_cold_s"] = pair["stacking_cold_s"]  # no fact columns cached
        record["stacking_cold_vs_duckdb"] = pair["cold_ratio"]
        record["ratio_repeats"] = pair["repeats"]
        record["ratio_load"] = pair["load_after"]
        record["analytics"] = measure_analytics(url, DUCKDB_STACKING_SQL)  # issue 17, medians
        if page_scripts:
            record["page_s"] = measure_pages(url, page_scripts)
        record["load_end"] = load_now()
        record["busy"] = is_busy(record["load_start"]) or is_busy(record["load_end"])
        if record["busy"]:
            record["note"] = "machine busy (other processes on the CPU): figures read slow"
    return record


SUITE_HEADER = "| date | machine load | database | households | generation s |"


def append_performance_row(record: dict, info: dict) -> None:
    """Add one row to the suite table in PERFORMANCE.md (with the load it ran under)."""
    lo, hi = record.get("stacking_vs_duckdb_range") or (None, None)
    row = (
        f"| {dt.date.today()} | {load_text(record['load_start'])} → "
        f"{load_text(record['load_end'])} | {record['database']} | {record['households']:,} "
        f"| {record['generate_s']} | {record['import_rows_per_s']:,} | {record['overview_s']} "
        f"| {record['overview_peak_mb']:.0f} | {record['household_view_p50_ms']} / "
        f"{record['household_view_p95_ms']} | {record['search_bsn_p95_ms']} / "
        f"{record['search_address_p95_ms']} / {record['search_name_p95_ms']} "
        f"| {record['stacking_s']} | {record['duckdb_stacking_s']} "
        f"| {record['stacking_vs_duckdb']} ({lo}–{hi}); cold "
        f"{record.get('stacking_cold_s')} s = {record.get('stacking_cold_vs_duckdb')} |\n"
    )
    append_row(PERFORMANCE_MD, SUITE_HEADER, row)


def run_bench(args: argparse.Namespace, page_scripts: Sequence[tuple[Path, str]] = ()) -> int:
    """Entry of `kiss bench`; ``page_scripts`` (path, role) are timed at the smallest N.

    With ``--users N`` it runs the multi-user load instead (:mod:`benchmarks.users`), with
    ``--browsers N`` N browser sessions on one server (:mod:`benchmarks.browsers`).
    """
    if getattr(args, "browsers", None) is not None:
        from benchmarks.browsers import run_browsers

        return run_browsers(args)
    if getattr(args, "users", None) is not None:
        from benchmarks.users import run_users

        return run_users(args)
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
