"""`kiss bench --browsers N`: colleagues in real Chromium sessions on one `kiss serve`, each
step timed to the end of the script run it causes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from app.cli import main
from benchmarks.browsers import STEPS
from tests.conftest import PG_ADMIN_URL, backend
from tests.e2e.conftest import CHROMIUM


@pytest.fixture
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is required under CI=true ({CHROMIUM} missing)")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")


def test_two_sessions_work_and_every_step_is_timed(chromium, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    argv = ["bench", "--browsers", "2", "--seconds", "12", "--households", "60", "--no-readme"]
    if backend() == "postgresql":
        argv += ["--database", PG_ADMIN_URL]
    assert main(argv) == 0
    out = capsys.readouterr()
    record = json.loads(next(x for x in out.out.splitlines() if x.startswith("{")))
    assert record["sessions"] == 2 and record["households"] == 60
    assert set(record["steps"]) == set(STEPS)
    assert record["all"]["errors"] == 0, record["error_examples"]
    assert record["all"]["n"] >= 4
    assert sum(s["n"] for s in record["steps"].values()) == record["all"]["n"]
    # a step is a real script run seen by the browser: never free, never beyond the timeout
    assert 0 < record["all"]["p50_ms"] <= record["all"]["p95_ms"] < 30_000
    assert {"load_before", "load_after", "busy"} <= set(record)
    assert "2 browsersessies" in out.err and "p95 ms" in out.err


def test_nonsense_is_refused_in_dutch(capsys):
    assert main(["bench", "--browsers", "0", "--no-readme"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: kiss bench: --browsers") and "Traceback" not in err
