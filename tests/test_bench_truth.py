"""Benchmarks that tell the truth: repeated interleaved ratios with the machine's load, and
`kiss bench --users N --seconds S` (the multi-user load through the service functions)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.cli import main
from benchmarks.machine import append_row, interleaved, is_busy, load_now
from benchmarks.stacking_pair import stacking_vs_duckdb
from tests.builders import add_provision, household_with_persons
from tests.conftest import PG_ADMIN_URL, backend

OPERATIONS = {"zoeken", "openen", "huishouden", "hulpvraag", "agenda", "overzicht"}


def test_the_load_is_read_from_the_machine():
    load = load_now()
    assert load["cores"] >= 1 and load["loadavg_1m"] >= 0
    assert isinstance(is_busy(load), bool)


def test_a_ratio_is_the_median_of_interleaved_rounds():
    calls: list[str] = []
    values = iter([1.0, 1.0, 9.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])  # one slow round of a

    def measure(name):
        def run():
            calls.append(name)
            return next(values)

        return run

    out = interleaved({"a": measure("a"), "b": measure("b")}, repeats=5)
    assert calls == ["a", "b"] * 5  # interleaved, not five of a then five of b
    assert out["ratio"] == 1.0 and out["ratio_range"] == [1.0, 9.0]  # the outlier does not win
    assert {"load_before", "load_after", "busy"} <= set(out)


def test_stacking_vs_duckdb_is_repeat_measured(session, db_url):
    for wijk in ("Noord", "Zuid", "Noord"):
        _, person = household_with_persons(session, wijk)
        add_provision(session, person, "WMO")
    session.commit()
    out = stacking_vs_duckdb(db_url, dt.date.today(), repeats=5)
    assert out["repeats"] == 5 and len(out["stacking_all"]) == len(out["duckdb_all"]) == 5
    assert out["ratio"] > 0 and out["load_after"]["cores"] >= 1


def test_a_row_goes_into_its_own_table(tmp_path):
    md = tmp_path / "P.md"
    md.write_text("# P\n\n| date | a |\n|---|---|\n| 1 | x |\n\nText.\n\n| date | b |\n|---|\n")
    append_row(md, "| date | a |", "| 2 | y |\n")
    assert md.read_text().split("\n")[2:6] == ["| date | a |", "|---|---|", "| 1 | x |",
                                               "| 2 | y |"]  # fmt: skip


def test_bench_users_runs_the_mix_and_reports_every_field(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    argv = ["bench", "--users", "2", "--seconds", "3", "--households", "40", "--no-readme"]
    if backend() == "postgresql":
        argv += ["--database", PG_ADMIN_URL]
    assert main(argv) == 0
    out = capsys.readouterr()
    record = json.loads(next(x for x in out.out.splitlines() if x.startswith("{")))
    assert set(record["operations"]) == OPERATIONS
    for figures in record["operations"].values():
        assert {"n", "errors", "p50_ms", "p95_ms", "p99_ms"} <= set(figures)
    assert record["actions"] > 0 and record["errors"] == 0, record["error_examples"]
    assert record["throughput_per_s"] > 0
    assert record["audit"]["rows_written"] > 0
    if backend() == "postgresql":  # lock waits sampled from pg_stat_activity
        assert 0 <= record["audit"]["share_of_time_someone_waits_on_audit"] <= 1
    assert record["audit_verify"]["holds"] is True
    assert {"load_before", "load_after", "busy"} <= set(record)
    assert record["database"] == ("postgresql" if backend() == "postgresql" else "sqlite")
    assert "p95 ms" in out.err and "kiss audit verify: in orde" in out.err
    caches = record["caches"]  # what the figure and fact caches did during the run
    asked = caches["cijfers_hits"] + caches["cijfers_misses"] + caches.get("cijfers_lagging", 0)
    assert asked >= record["operations"]["overzicht"]["n"]  # each overview asks at least once
    assert "caches: stuurcijfers" in out.err


def test_bench_users_over_several_processes(capsys, monkeypatch, tmp_path):
    import benchmarks.processes

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(benchmarks.processes, "START_DELAY_S", 10.0)  # children start quickly
    argv = ["bench", "--users", "3", "--processes", "2", "--seconds", "3", "--households", "40",
            "--no-readme"]  # fmt: skip
    if backend() == "postgresql":
        argv += ["--database", PG_ADMIN_URL]
    assert main(argv) == 0
    out = capsys.readouterr()
    record = json.loads(next(x for x in out.out.splitlines() if x.startswith("{")))
    assert record["processes"] == 2 and record["users"] == 3
    assert record["actions"] > 0 and record["errors"] == 0, record["error_examples"]
    assert sum(f["n"] for f in record["operations"].values()) == record["actions"]
    assert record["audit_verify"]["holds"] is True
    assert "3 gebruikers in 2 proces(sen)" in out.err
    assert {"cijfers_hits", "cijfers_misses", "feiten_hits", "feiten_misses"} <= set(
        record["caches"])  # summed over the processes


@pytest.mark.parametrize("argv", [["--users", "0"], ["--users", "2", "--seconds", "0"]])
def test_bench_users_refuses_nonsense_in_dutch(argv, capsys):
    assert main(["bench", *argv, "--no-readme"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: kiss bench: --") and "(niet 0)" in err and "Traceback" not in err


def test_the_lock_sampler_sees_a_session_that_waits(engine, db_url):
    # it once sampled inside one transaction, where pg_stat_activity repeats its first answer
    if engine.dialect.name != "postgresql":
        pytest.skip("the lock sampler reads PostgreSQL's pg_stat_activity")
    import threading
    import time

    from sqlalchemy import text

    from benchmarks.users import _LockSampler

    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_slot (id int PRIMARY KEY, n int)"))
        conn.execute(text("INSERT INTO bench_slot VALUES (1, 0)"))
    sampler = _LockSampler(db_url)
    sampler.start()
    time.sleep(0.4)  # a few samples with nobody waiting first
    holder = engine.connect()
    holder.execute(text("UPDATE bench_slot SET n = n + 1 WHERE id = 1"))
    waiter = threading.Thread(target=_update_slot, args=(engine,))
    waiter.start()
    time.sleep(0.6)  # the waiter waits for the holder's row lock meanwhile
    holder.commit()
    holder.close()
    waiter.join(timeout=10)
    figures = sampler.figures()
    assert figures["lock_samples"] >= 5
    assert 0 < figures["share_of_time_someone_waits_on_a_lock"] < 1


def _update_slot(engine) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("UPDATE bench_slot SET n = n + 1 WHERE id = 1"))
