"""Our stacking aggregation against the same aggregation in DuckDB, repeat-measured.

One timing of each, a minute apart, compares two machines when others use the CPU (DuckDB
with 2 threads suffers more from background load than we do). :func:`stacking_vs_duckdb`
warms both and times them interleaved, :data:`~benchmarks.machine.REPEATS` rounds, and
reports the median of the per-round ratios with the load it ran under.
"""

from __future__ import annotations

import datetime as dt
import time

import duckdb
import pandas as pd
from sqlalchemy import text

from benchmarks.machine import REPEATS, interleaved, timed
from coordination import factcache
from coordination.stacking import stacking_table
from households.db import make_engine, session_scope

__all__ = [
    "DUCKDB_STACKING_SQL", "duckdb_tables", "measure_duckdb", "measure_stacking",
    "stacking_vs_duckdb",
]  # fmt: skip


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def _cold(session, date: dt.date) -> float:
    factcache.clear()
    return timed(lambda: stacking_table(session, date))


def measure_stacking(url: str, date: dt.date) -> float:
    """Seconds for the full stacking table (one warm run; see :func:`stacking_vs_duckdb`)."""
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


def duckdb_tables(url: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the rows the stacking aggregation reads (load not timed)."""
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
    engine.dispose()
    return con


def measure_duckdb(url: str, date: dt.date) -> tuple[float, int]:
    """The same stacking aggregation in DuckDB on the same rows (one warm run)."""
    con = duckdb_tables(url)
    con.execute(DUCKDB_STACKING_SQL, {"d": date}).df()  # warm-up, as ours is warm
    elapsed, df = _timed(lambda: con.execute(DUCKDB_STACKING_SQL, {"d": date}).df())
    con.close()
    return elapsed, len(df)


def stacking_vs_duckdb(url: str, date: dt.date, repeats: int = REPEATS) -> dict:
    """Ours and DuckDB's stacking, both warm, ``repeats`` times interleaved (ours, DuckDB,
    ours, ...): medians, every value, the median of the per-round ratios and the load."""
    con = duckdb_tables(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:  # committed: a fresh database's first
            stacking_table(session, date)  # run files its default rule set (a write)
        with session_scope(engine) as session:
            stacking_table(session, date)  # warm both, as in use
            con.execute(DUCKDB_STACKING_SQL, {"d": date}).df()
            pair = interleaved(
                {
                    "stacking": lambda: timed(lambda: stacking_table(session, date)),
                    "duckdb": lambda: timed(
                        lambda: con.execute(DUCKDB_STACKING_SQL, {"d": date}).df()
                    ),
                },
                repeats,
            )
            # warm = the fact columns of this date are in coordination.factcache (as on a
            # page's next run while the tables did not change); cold = read from the database
            cold = interleaved({"stacking_cold": lambda: _cold(session, date)}, repeats)
            pair["stacking_cold_s"] = cold["stacking_cold_s"]
            pair["stacking_cold_all"] = cold["stacking_cold_all"]
            pair["cold_ratio"] = round(cold["stacking_cold_s"] / pair["duckdb_s"], 2)
            return pair
    finally:
        con.close()
        engine.dispose()
