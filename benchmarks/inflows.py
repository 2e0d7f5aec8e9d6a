"""Throughput of the real inflows: a signals file and a folder of iWmo messages.

Households and persons are seeded directly (bulk insert, as :mod:`benchmarks.importing`);
the timed part goes through the importers end to end (parse, validate, write, commit)::

    .venv/bin/python -m benchmarks.inflows [--signals N] [--messages M] [--url URL]

(default 1,000,000 signal rows and 10,000 WMO301 messages into a temporary SQLite database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.importing import _seed_people
from data.imessages import Line, message_xml
from households import settings
from households.actor import SYSTEM
from households.db import make_engine, session_scope, upgrade_schema
from households.importing import import_stream
from households.istandaarden import import_messages
from households.models import ARREARS_SIGNAL_KINDS

__all__ = ["bench_inflows", "main"]


def signal_csv(n_rows: int, households: list[str], seed: int = 1) -> bytes:
    """A valid ``signalen`` file of ``n_rows`` rows on the given households."""
    rng = random.Random(seed)
    day0 = dt.date(2022, 1, 1).toordinal()
    lines = ["bron_id;huishouden_id;soort;gemeld_op;bron;gesloten_op"]
    nh = len(households)
    for i in range(n_rows):
        day = dt.date.fromordinal(day0 + rng.randrange(1700))
        closed = "" if i % 4 else (day + dt.timedelta(days=30)).isoformat()
        kind = ARREARS_SIGNAL_KINDS[i % len(ARREARS_SIGNAL_KINDS)]
        lines.append(f"S{i};{households[i % nh]};{kind};{day.isoformat()};Woonpunt;{closed}")
    return ("\n".join(lines) + "\n").encode()


def bench_inflows(n_signals: int = 1_000_000, n_messages: int = 10_000, url: str | None = None):
    """Time both imports; returns a JSON-ready dict with rows/s and messages/s."""
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade_schema(engine)
        prefix = f"F{uuid.uuid4().hex[:6]}-"
        n_persons = max(2, n_messages)
        with session_scope(engine) as s:
            bsns = _seed_people(s, n_persons, prefix, 10_000_000 + random.randrange(80_000_000))
        households = [f"{prefix}H{i}" for i in range((n_persons + 1) // 2)]
        data = signal_csv(n_signals, households)
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            result = import_stream(s, SYSTEM, "signalen", data, "signalen.csv")
        signals_s = time.perf_counter() - t0
        day = dt.date(2026, 1, 5)
        files = [
            (f"{k}.xml", message_xml(
                "iwmo", "301", gemeente="0899", agb="12345678", bsn=bsns[k],
                lines=[Line(f"{prefix}{k}", "01", dt.date(2026, 1, 1))], dagtekening=day,
            ))
            for k in range(n_messages)
        ]  # fmt: skip
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            done = import_messages(s, SYSTEM, "iwmo", files)
        messages_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            import_messages(s, SYSTEM, "iwmo", files)
        again_s = time.perf_counter() - t0
        database = engine.dialect.name
        engine.dispose()
    return {
        "database": database,
        "signal_rows": n_signals,
        "signals_s": round(signals_s, 2),
        "signal_rows_per_s": round(n_signals / signals_s),
        "signals_inserted": result.inserted,
        "messages": n_messages,
        "messages_s": round(messages_s, 2),
        "messages_per_s": round(n_messages / messages_s),
        "allocated": done.allocated,
        "messages_again_s": round(again_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--url", help="database URL (default: temporary SQLite file)")
    args = parser.parse_args(argv)
    if not settings.secret_key_text():
        settings.point_at("KISS_SECRET_KEY", "bench-key-not-for-production")  # scratch data only
    print(json.dumps(bench_inflows(args.signals, args.messages, args.url), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
